"""Who may see the staff area: default-deny login for whole blueprints, and roles.

Each staff blueprint calls ``protect(bp)`` once; only endpoints named in
``allow`` (login, enrolment) are reachable without a full login.
"""

from functools import wraps

from flask import Blueprint, abort, current_app, redirect, request, url_for
from flask_login import LoginManager, current_user

from .db import db
from .models import StaffUser

login_manager = LoginManager()
login_manager.session_protection = "strong"

# What each role may do; views ask ``can(permission)`` or use ``requires``.
PERMISSIONS = {
    "admin": {
        "cases",
        "cases.all",
        "cases.export",
        "releases",
        "staff",
        "partners",
        "referrals",
        "audit",
    },
    "reviewer": {"cases", "cases.all", "cases.export"},
    "volunteer": {"cases"},  # only the queue and cases assigned to them
    "editor": {"releases"},
}


# The staff navigation: (label, endpoint, permission), shown when the endpoint
# exists and the person's role has the permission.
NAV = (
    ("Queue", "triage.queue", "cases"),
    ("My callbacks", "followup.my_callbacks", "cases"),
    ("Referral directory", "directory.index", "referrals"),
    ("Releases", "editorial.releases", "releases"),
    ("Partners", "partners.index", "partners"),
    ("Staff", "staff.users", "staff"),
    ("Audit log", "staff.audit_log", "audit"),
)


def staff_nav() -> list[tuple[str, str]]:
    return [
        (label, url_for(endpoint))
        for label, endpoint, permission in NAV
        if endpoint in current_app.view_functions and can(permission)
    ]


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


def can(permission: str) -> bool:
    return current_user.is_authenticated and permission in PERMISSIONS.get(current_user.role, ())


def requires(permission: str):
    """Refuse (403) a logged-in person whose role lacks ``permission``."""

    def decorator(view):
        @wraps(view)
        def wrapped(*args, **kwargs):
            if not can(permission):
                abort(403)
            return view(*args, **kwargs)

        return wrapped

    return decorator


def protect(bp: Blueprint, allow: frozenset[str] = frozenset()) -> None:
    """Default-deny: every endpoint of ``bp`` needs a logged-in staff member,
    except the endpoint names (without the blueprint prefix) in ``allow``."""

    @bp.before_request
    def require_login():
        endpoint = (request.endpoint or "").rpartition(".")[2]
        if endpoint in allow:
            return None
        if not current_user.is_authenticated:
            return redirect(url_for("staff.login"))
        return None

    @bp.after_request
    def no_store(response):
        response.headers["Cache-Control"] = "no-store"
        return response
