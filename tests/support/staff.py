"""Staff accounts in the tests: the password every test account has, TOTP codes
the app accepts, the login form, the audit log, and a case page's forms."""

import re

from intake.db import db
from intake.models import AuditEvent, StaffUser

from .tokens import csrf_token

STAFF_PASSWORD = "correct horse battery staple"


def next_totp_code(app, user) -> str:
    """A code the app accepts now: the current step, or the next one if this
    account already used it (so two logins per 30 s; move a frozen clock for
    more). Never the previous step: it could expire between here and the check."""
    from intake.staff.accounts import second_factor

    with app.app_context():
        last = db.session.get(StaffUser, user.id).last_totp_step
    now = second_factor.current_step()
    step = now if last is None else max(now, last + 1)
    assert step <= now + 1, "this account used the codes of now and the next step: move the clock"
    return second_factor.code_for(user.totp_secret, step)


def post_login(client, user, code: str):
    """The staff login form filled in and sent: email, password and ``code``."""
    form = client.get("/staff/login")
    return client.post(
        "/staff/login",
        data={
            "csrf_token": csrf_token(form.text),
            "email": user.email,
            "password": user.password,
            "code": code,
        },
    )


def events(app, action=None) -> list[AuditEvent]:
    """The audit log in order (only ``action``'s events if given), detached."""
    with app.app_context():
        query = db.select(AuditEvent).order_by(AuditEvent.id)
        if action:
            query = query.where(AuditEvent.action == action)
        return list(db.session.execute(query).scalars())


def stored_user(app, user_id) -> StaffUser:
    with app.app_context():
        user = db.session.get(StaffUser, user_id)
        db.session.expunge(user)
        return user


def post_case(client, reference, action, query="", **data):
    """Load the case page and post one of its forms with its CSRF token and version
    (``query``: the case URL's query string, which the form's URL carries too)."""
    body = client.get(f"/staff/cases/{reference}{query}").get_data(as_text=True)
    version = re.search(r'name="version"[^>]*value="(\d+)"', body)
    form = {"csrf_token": csrf_token(body), **data}
    if version and "version" not in data:
        form["version"] = version.group(1)
    return client.post(f"/staff/cases/{reference}/{action}{query}", data=form)
