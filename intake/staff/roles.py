"""Roles: what each may do, the check views use, and the navigation it shapes.

The staff parent blueprint (``intake.staff``) asks ``can`` for the permission
of every child; ``requires`` adds a narrower one to a single view.
"""

from functools import wraps

from flask import abort, current_app, url_for
from flask_login import current_user

# What each role may do. "account" (one's own password, logging out) is every role's.
PERMISSIONS = {
    "admin": {
        "account",
        "cases",
        "cases.all",
        "cases.export",
        "releases",
        "letter_templates",
        "staff",
        "partners",
        "referrals",
        "audit",
        "reports",
        "funders",
        "integrations",
    },
    "reviewer": {"account", "cases", "cases.all", "cases.export"},
    "volunteer": {"account", "cases"},  # only the queue and cases assigned to them
    "editor": {"account", "releases", "letter_templates"},
    # Aggregates only: no page this permission opens shows a person's data.
    "analyst": {"account", "reports"},
}


# The staff navigation: (label, endpoint, permission), shown when the endpoint
# exists and the person's role has the permission.
NAV = (
    ("Queue", "staff.triage.queue", "cases"),
    ("My callbacks", "staff.followup.my_callbacks", "cases"),
    ("Referral directory", "staff.directory.index", "referrals"),
    ("Releases", "staff.editorial.releases", "releases"),
    ("Letter wording", "staff.letter_templates.index", "letter_templates"),
    ("Message wording", "staff.message_templates.index", "letter_templates"),
    ("Messages from unknown numbers", "staff.message_inbox.index", "cases.all"),
    ("Partners", "staff.partners.index", "partners"),
    ("Reports", "staff.reports.index", "reports"),
    ("Funders", "staff.funders.index", "funders"),
    ("API keys", "staff.api_keys.index", "integrations"),
    ("Staff", "staff.users.index", "staff"),
    ("Audit log", "staff.audit_log.index", "audit"),
)


def staff_nav() -> list[tuple[str, str]]:
    return [
        (label, url_for(endpoint))
        for label, endpoint, permission in NAV
        if endpoint in current_app.view_functions and can(permission)
    ]


def can(permission: str) -> bool:
    return current_user.is_authenticated and permission in PERMISSIONS.get(current_user.role, ())


def requires(permission: str):
    """Refuse (403) a logged-in person whose role lacks ``permission``: for a
    view that needs more than its blueprint's permission."""

    def decorator(view):
        @wraps(view)
        def wrapped(*args, **kwargs):
            if not can(permission):
                abort(403)
            return view(*args, **kwargs)

        return wrapped

    return decorator
