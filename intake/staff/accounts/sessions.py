"""A staff member's logged-in session: who it is, when it started, when it ends.

The session cookie carries "<id>:<session epoch>"; ending all of a person's
sessions (logout, password change, deactivation) bumps the epoch.
"""

from flask import current_app, session, url_for
from flask_login import LoginManager, current_user, login_user, logout_user

from intake import timeutil
from intake.db import db
from intake.models import StaffUser

login_manager = LoginManager()
login_manager.session_protection = "strong"


@login_manager.user_loader
def load_user(user_id: str) -> StaffUser | None:
    """The id is "<id>:<session epoch>"; an old epoch means the session was ended."""
    try:
        pk, epoch = (int(part) for part in user_id.split(":"))
    except ValueError:
        return None
    user = db.session.get(StaffUser, pk)
    if user is None or not user.active or user.session_epoch != epoch:
        return None
    return user


def start_session(user: StaffUser, login_at: float | None = None) -> None:
    """A fresh session: nothing from before the login survives in the cookie."""
    session.clear()
    login_user(user, remember=False)
    now = timeutil.utcnow().timestamp()
    session["staff_login_at"] = now if login_at is None else login_at
    session["staff_seen_at"] = now


def end_session() -> None:
    logout_user()
    session.clear()


def landing_url() -> str:
    """Where a person goes after login: their main work page."""
    views = current_app.view_functions
    if current_user.role == "editor" and "staff.editorial.releases" in views:
        return url_for("staff.editorial.releases")
    if current_user.role == "analyst" and "staff.reports.index" in views:
        return url_for("staff.reports.index")  # the queue would show people
    if current_user.role not in ("editor", "analyst") and "staff.triage.queue" in views:
        return url_for("staff.triage.queue")
    return url_for("staff.login.account")


def session_expired() -> bool:
    """Idle or absolute timeout reached for the logged-in staff session."""
    now = timeutil.utcnow().timestamp()
    cfg = current_app.config
    login_at = session.get("staff_login_at")
    seen_at = session.get("staff_seen_at")
    if not isinstance(login_at, float | int) or not isinstance(seen_at, float | int):
        return True
    return (
        now - seen_at > cfg["STAFF_IDLE_MINUTES"] * 60
        or now - login_at > cfg["STAFF_ABSOLUTE_HOURS"] * 3600
    )
