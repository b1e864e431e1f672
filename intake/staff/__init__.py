"""Everything under /staff: one parent blueprint whose guard no page can forget.

Every staff page is a route of a child blueprint registered on ``bp`` here, so
the parent's hooks run before the child's, for all of them, once:

- session timeouts: an idle or too old session ends (only staff pages count as
  activity, and only they touch the cookie);
- default-deny login: only the endpoints in ``NO_LOGIN`` open without one;
- a role: each child names the permission its pages need in ``CHILDREN``; a
  route without one is refused (403), and ``unguarded_routes`` (run by
  tests/test_staff_guard.py) names it before it ships;
- ``Cache-Control: no-store``.
"""

from flask import Blueprint, Flask, abort, flash, redirect, request, session, url_for
from flask_login import current_user

from intake import timeutil
from intake.staff.accounts import login, users
from intake.staff.accounts.sessions import end_session, login_manager, session_expired
from intake.staff.admin import api_keys, audit_log, funders, partners
from intake.staff.cases import export
from intake.staff.cases import views as triage
from intake.staff.followup import directory
from intake.staff.followup import views as followup
from intake.staff.letters import templates as letter_templates
from intake.staff.letters import views as letters
from intake.staff.messages import conversation, dev, inbox, wording
from intake.staff.releases import views as editorial
from intake.staff.reports import views as reports
from intake.staff.roles import can

bp = Blueprint("staff", __name__, url_prefix="/staff")

# Each child blueprint and the permission every one of its pages needs; a view
# may ask for more with ``roles.requires``.
CHILDREN = (
    (login.bp, "account"),
    (users.bp, "staff"),
    (audit_log.bp, "audit"),
    (triage.bp, "cases"),
    (followup.bp, "cases"),
    (letters.bp, "cases"),
    (letter_templates.bp, "letter_templates"),
    (conversation.bp, "cases"),
    (inbox.bp, "cases.all"),
    (dev.bp, "cases.all"),
    (wording.bp, "letter_templates"),
    (directory.bp, "referrals"),
    (export.bp, "cases.export"),
    (partners.bp, "partners"),
    (editorial.bp, "releases"),
    (reports.bp, "reports"),
    (funders.bp, "funders"),
    (api_keys.bp, "integrations"),
)
PERMISSION_OF = {f"{bp.name}.{child.name}": permission for child, permission in CHILDREN}

# Reachable without a login: the login page itself and enrolment from an invitation.
NO_LOGIN = frozenset({"staff.login.login", "staff.login.enrol"})

for child, _permission in CHILDREN:
    bp.register_blueprint(child)


def permission_for(endpoint: str) -> str | None:
    """The permission a staff endpoint needs: its blueprint's; None if it has none."""
    return PERMISSION_OF.get(endpoint.rpartition(".")[0])


def unguarded_routes(app: Flask) -> list[str]:
    """Every rule that escapes the guard: a path under /staff served by a view
    outside the parent blueprint, a staff blueprint registered elsewhere, or a
    staff endpoint with no permission. Empty when all is well."""
    problems = []
    for rule in app.url_map.iter_rules():
        inside = rule.endpoint.startswith(bp.name + ".")
        if rule.rule.startswith(bp.url_prefix + "/") and not inside:
            problems.append(f"{rule.rule} ({rule.endpoint}) is outside the /staff blueprint")
        elif inside and rule.endpoint not in NO_LOGIN and permission_for(rule.endpoint) is None:
            problems.append(f"{rule.rule} ({rule.endpoint}) has no role")
    for name, blueprint in app.blueprints.items():
        if blueprint.import_name.startswith(__name__ + ".") and not name.startswith(bp.name + "."):
            problems.append(f"blueprint {name} ({blueprint.import_name}) is outside /staff")
    return problems


@bp.before_request
def end_stale_session():
    """End a staff session that was idle too long or is too old; the guard
    below then sends the person to the login page."""
    if "_user_id" not in session:
        return
    if session_expired():
        end_session()
        flash("Your session has ended. Please log in again.", "info")
        return
    session["staff_seen_at"] = timeutil.utcnow().timestamp()


@bp.before_request
def guard():
    """Default-deny: a login, then the role the page's blueprint names."""
    if request.endpoint in NO_LOGIN:
        return None
    if not current_user.is_authenticated:
        return redirect(url_for("staff.login.login"))
    permission = permission_for(request.endpoint or "")
    if permission is None or not can(permission):
        abort(403)
    return None


@bp.after_request
def no_store(response):
    response.headers["Cache-Control"] = "no-store"
    return response


def init_app(app: Flask) -> None:
    login_manager.init_app(app)
    login_manager.login_view = "staff.login.login"

    @login_manager.unauthorized_handler
    def to_login():
        return redirect(url_for("staff.login.login"))

    app.register_blueprint(bp)
