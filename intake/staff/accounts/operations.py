"""Staff accounts: invitation and enrolment (password + TOTP), checking a login
(slowing the client that guesses, never locking the account), and the
administrative changes (password, role, deactivation, a new invitation).
Plain functions: the views in login and users and the ``create-staff``
command translate to them and back.
"""

import hashlib
import secrets
from datetime import timedelta

from flask import current_app, has_request_context, request, url_for
from sqlalchemy import update

from intake import timeutil
from intake.cases import audit
from intake.cases.contact import normalise_email, valid_staff_email
from intake.db import db
from intake.limits import Budget
from intake.models import ROLES, Invitation, StaffUser
from intake.staff.accounts import passwords, second_factor

GENERIC_LOGIN_ERROR = "Email, password or code not recognised."
INVITATION_HOURS = 72
# Wrong current passwords typed in one session before it is ended (someone at
# an unattended desk guessing); the account itself is never locked.
END_SESSION_AFTER_FAILURES = 5
# Wrong logins slow the client that makes them, per account (a backoff) and
# overall; an account's larger daily budget still lets a client with no wrong
# guess at it try, so nobody who knows a colleague's email can lock them out.
LOGIN_ATTEMPTS = Budget(
    "login",
    per_pair="STAFF_LOGIN_BACKOFF",
    per_client=None,  # the view's STAFF_LOGIN_LIMIT counts every login post
    per_subject="STAFF_LOGIN_ACCOUNT_LIMIT",
)


class AccountError(ValueError):
    """An administrative request that cannot be done; the message says why."""


# --- Invitations ---------------------------------------------------------------


def token_hash(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def invite_staff(email: str, role: str, actor_id: int | None = None) -> tuple[StaffUser, str]:
    """Create an account (or re-invite one not yet enrolled) and return it with a
    fresh one-time token. Earlier links of the same person stop working."""
    email = normalise_email(email)
    if role not in ROLES:
        raise AccountError(f"Unknown role {role!r}; choose one of: {', '.join(ROLES)}.")
    if not valid_staff_email(email):
        raise AccountError("That does not look like an email address.")
    user = db.session.execute(db.select(StaffUser).filter_by(email=email)).scalar_one_or_none()
    if user is not None and user.enrolled:
        raise AccountError("A staff account with that email already exists.")
    if user is None:
        user = StaffUser(email=email, role=role)
        db.session.add(user)
        db.session.flush()
    else:
        user.role = role
    token = issue_invitation(user)
    audit.record("staff.invite", "staff", user.id, f"role={role}", actor_id=actor_id)
    return user, token


def issue_invitation(user: StaffUser) -> str:
    """A new enrolment link for ``user``; any earlier unused one is deleted."""
    db.session.execute(
        db.delete(Invitation).where(
            Invitation.staff_user_id == user.id, Invitation.used_at.is_(None)
        )
    )
    token = secrets.token_urlsafe(32)
    db.session.add(
        Invitation(
            staff_user_id=user.id,
            token_hash=token_hash(token),
            expires_at=timeutil.utcnow() + timedelta(hours=INVITATION_HOURS),
        )
    )
    return token


def enrolment_link(token: str) -> str:
    """The absolute link: PUBLIC_BASE_URL, else this request's host, else the
    development server's address (the CLI has no request)."""
    base = current_app.config["PUBLIC_BASE_URL"]
    if not base:
        base = request.host_url if has_request_context() else "http://127.0.0.1:5000"
    if has_request_context():
        path = url_for("staff.login.enrol", token=token)
    else:
        with current_app.test_request_context():
            path = url_for("staff.login.enrol", token=token)
    return base.rstrip("/") + path


def open_invitation(token: str) -> Invitation | None:
    """The invitation if the link is still good: unused, unexpired, account active."""
    if len(token) > 100:
        return None
    invitation = db.session.execute(
        db.select(Invitation).filter_by(token_hash=token_hash(token))
    ).scalar_one_or_none()
    if invitation is None or invitation.used_at is not None:
        return None
    if invitation.expires_at <= timeutil.utcnow():
        return None
    user = db.session.get(StaffUser, invitation.staff_user_id)
    if user is None or not user.active:
        return None
    return invitation


def complete_enrolment(invitation: Invitation, password: str, code: str) -> StaffUser | None:
    """Set the password and the second factor; None when the code is wrong.
    The invitation is spent atomically, so two tabs cannot both use it."""
    step = second_factor.accepted_step(invitation.pending_totp_secret, code, None)
    if step is None:
        return None
    password_hash = passwords.hash_password(password)
    spent = db.session.execute(
        update(Invitation)
        .where(Invitation.id == invitation.id, Invitation.used_at.is_(None))
        .values(used_at=timeutil.utcnow())
    )
    if spent.rowcount != 1:
        return None
    user = db.session.get(StaffUser, invitation.staff_user_id)
    user.password_hash = password_hash
    user.totp_secret = invitation.pending_totp_secret
    user.last_totp_step = step
    user.failed_logins = 0
    user.end_all_sessions()
    invitation.pending_totp_secret = None
    audit.record("staff.enrol", "staff", user.id, actor_id=user.id)
    return user


# --- Login -----------------------------------------------------------------------


def authenticate(email: str, password: str, code: str) -> StaffUser | None:
    """The account if all three match and it is usable; records the attempt.

    Every refusal takes about as long as a wrong password (one Argon2 check) and
    looks the same to the visitor, so nobody learns which accounts exist."""
    email = normalise_email(email)
    # The counters' key: the address hashed, so no email sits in Redis.
    subject = hashlib.sha256(email.encode()).hexdigest()[:32]
    user = db.session.execute(db.select(StaffUser).filter_by(email=email)).scalar_one_or_none()
    now = timeutil.utcnow()
    if not LOGIN_ATTEMPTS.may_try(subject):
        passwords.spend_verification_time()
        audit.record("login.failed", "staff", user.id if user else "", "client slowed")
        return None
    if user is None:
        LOGIN_ATTEMPTS.count_wrong(subject)
        passwords.spend_verification_time()
        audit.record("login.failed", "staff", "", "unknown account")
        return None
    if not user.active or not user.enrolled:
        passwords.spend_verification_time()
        audit.record("login.failed", "staff", user.id, "account inactive or not enrolled")
        return None
    password_ok = passwords.verify_password(user.password_hash, password)
    step = second_factor.accepted_step(user.totp_secret, code, user.last_totp_step)
    if not password_ok or step is None or not _claim_totp_step(user, step):
        LOGIN_ATTEMPTS.count_wrong(subject)
        audit.record("login.failed", "staff", user.id, "wrong password or code")
        return None
    user.failed_logins = 0
    user.last_login_at = now
    if passwords.needs_rehash(user.password_hash):
        user.password_hash = passwords.hash_password(password)
    audit.record("login", "staff", user.id, actor_id=user.id)
    return user


def record_wrong_current_password(user: StaffUser) -> bool:
    """Count a wrong current password typed in a session; True when this one
    means the session must end (the account stays usable from elsewhere)."""
    user.failed_logins += 1
    ended = user.failed_logins >= END_SESSION_AFTER_FAILURES
    detail = "wrong current password"
    if ended:
        user.failed_logins = 0
        detail += "; sessions ended"
    audit.record("login.failed", "staff", user.id, detail)
    return ended


def _claim_totp_step(user: StaffUser, step: int) -> bool:
    """Record ``step`` as used, unless a concurrent login already took it."""
    claimed = db.session.execute(
        update(StaffUser)
        .where(
            StaffUser.id == user.id,
            (StaffUser.last_totp_step.is_(None)) | (StaffUser.last_totp_step < step),
        )
        .values(last_totp_step=step)
        .execution_options(synchronize_session=False)
    )
    if claimed.rowcount != 1:
        return False
    user.last_totp_step = step
    return True


# --- Account administration --------------------------------------------------------


def change_password(user: StaffUser, new_password: str) -> None:
    """New hash; every other session of the person ends (the caller re-logs this one)."""
    user.password_hash = passwords.hash_password(new_password)
    user.end_all_sessions()
    audit.record("staff.password", "staff", user.id)


def change_role(user: StaffUser, role: str, actor: StaffUser) -> None:
    if role not in ROLES:
        raise AccountError("Unknown role.")
    if user.id == actor.id:
        raise AccountError("You cannot change your own role; ask another admin.")
    if user.role != role:
        audit.record("staff.role", "staff", user.id, f"{user.role} -> {role}")
        user.role = role
        user.end_all_sessions()  # the new permissions apply from the next login


def deactivate(user: StaffUser, actor: StaffUser) -> None:
    if user.id == actor.id:
        raise AccountError("You cannot deactivate your own account; ask another admin.")
    if user.active:
        user.active = False
        user.end_all_sessions()
        audit.record("staff.deactivate", "staff", user.id)


def reactivate(user: StaffUser) -> None:
    if not user.active:
        user.active = True
        user.failed_logins = 0
        audit.record("staff.reactivate", "staff", user.id)


def reinvite(user: StaffUser) -> str:
    """A new enrolment link. For an enrolled person (lost phone) the old password
    and second factor keep working until the new enrolment replaces them."""
    if not user.active:
        raise AccountError("Reactivate the account before inviting again.")
    token = issue_invitation(user)
    audit.record("staff.invite", "staff", user.id, f"role={user.role}; again")
    return token
