"""Staff accounts: invitation and enrolment (password + TOTP), login, logout,
password change, session timeouts, administration of accounts, and the audit
log viewer.

The whole blueprint is default-deny (``protect``); only the login and
enrolment pages are open. State changes live in the small functions above the
views; the views translate HTTP to them and back.

URL map (prefix /staff):
  GET/POST /login                 login      email + password + code
  POST     /logout                logout
  GET/POST /enrol/<token>         enrol      set a password, enrol TOTP
  GET/POST /account               account    change password
  GET      /users                 users      (admin)
  GET/POST /users/invite          invite     (admin)
  GET      /users/<id>            user       (admin)
  POST     /users/<id>/role       change_role_view (admin); likewise /deactivate,
                                  /reactivate, /reinvite: deactivate_view, ...
  GET      /audit                 audit_log  (admin)
"""

import hashlib
import re
import secrets
from datetime import timedelta

import click
from flask import (
    Blueprint,
    Flask,
    abort,
    current_app,
    flash,
    has_request_context,
    redirect,
    render_template,
    request,
    session,
    url_for,
)
from flask_login import current_user, login_user, logout_user
from flask_wtf import FlaskForm
from sqlalchemy import update
from wtforms import EmailField, PasswordField, SelectField, StringField
from wtforms.fields.choices import SelectChoice
from wtforms.validators import DataRequired, EqualTo, InputRequired, Length, ValidationError

from . import audit, passwords, second_factor, timeutil
from .access import login_manager, protect, requires
from .db import db
from .limits import limiter
from .models import ROLES, AuditEvent, Invitation, StaffUser

bp = Blueprint("staff", __name__, url_prefix="/staff", cli_group=None)
protect(bp, allow=frozenset({"login", "enrol"}))

GENERIC_LOGIN_ERROR = "Email, password or code not recognised."
INVITATION_HOURS = 72
LOCK_AFTER_FAILURES = 5
LOCK_MINUTES = 15
AUDIT_PAGE_SIZE = 50


class AccountError(ValueError):
    """An administrative request that cannot be done; the message says why."""


# --- Invitations ---------------------------------------------------------------


def normalise_email(email: str) -> str:
    return email.strip().lower()


# Plain ASCII addresses only: staff emails are chosen by the organisation, and
# a strict shape keeps markup and look-alike characters out of the account list.
EMAIL_SHAPE = re.compile(r"[a-z0-9.!#$%&'*+/=?^_`{|}~-]+@[a-z0-9-]+(\.[a-z0-9-]+)+")


def valid_email(email: str) -> bool:
    return len(email) <= 254 and EMAIL_SHAPE.fullmatch(email) is not None


def token_hash(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def invite_staff(email: str, role: str, actor_id: int | None = None) -> tuple[StaffUser, str]:
    """Create an account (or re-invite one not yet enrolled) and return it with a
    fresh one-time token. Earlier links of the same person stop working."""
    email = normalise_email(email)
    if role not in ROLES:
        raise AccountError(f"Unknown role {role!r}; choose one of: {', '.join(ROLES)}.")
    if not valid_email(email):
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
        path = url_for("staff.enrol", token=token)
    else:
        with current_app.test_request_context():
            path = url_for("staff.enrol", token=token)
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
    user.locked_until = None
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
    user = db.session.execute(db.select(StaffUser).filter_by(email=email)).scalar_one_or_none()
    now = timeutil.utcnow()
    if user is None:
        passwords.spend_verification_time()
        audit.record("login.failed", "staff", "", "unknown account")
        return None
    if not user.active or not user.enrolled:
        passwords.spend_verification_time()
        audit.record("login.failed", "staff", user.id, "account inactive or not enrolled")
        return None
    if user.locked_until is not None and user.locked_until > now:
        passwords.spend_verification_time()
        audit.record("login.failed", "staff", user.id, "account locked")
        return None
    password_ok = passwords.verify_password(user.password_hash, password)
    step = second_factor.accepted_step(user.totp_secret, code, user.last_totp_step)
    if not password_ok or step is None or not _claim_totp_step(user, step):
        record_failure(user, "wrong password or code")
        return None
    user.failed_logins = 0
    user.locked_until = None
    user.last_login_at = now
    if passwords.needs_rehash(user.password_hash):
        user.password_hash = passwords.hash_password(password)
    audit.record("login", "staff", user.id, actor_id=user.id)
    return user


def record_failure(user: StaffUser, detail: str) -> bool:
    """Count a wrong password or code; the fifth in a row locks the account for
    a while. Returns True when this failure locked it."""
    user.failed_logins += 1
    locked = user.failed_logins >= LOCK_AFTER_FAILURES
    if locked:
        user.locked_until = timeutil.utcnow() + timedelta(minutes=LOCK_MINUTES)
        user.failed_logins = 0
        detail += f"; locked for {LOCK_MINUTES} minutes"
    audit.record("login.failed", "staff", user.id, detail)
    return locked


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
    if current_user.role == "editor" and "editorial.releases" in views:
        return url_for("editorial.releases")
    if current_user.role == "analyst" and "reports.index" in views:
        return url_for("reports.index")  # the queue would show people
    if current_user.role not in ("editor", "analyst") and "triage.queue" in views:
        return url_for("triage.queue")
    return url_for("staff.account")


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
        user.locked_until = None
        audit.record("staff.reactivate", "staff", user.id)


def reinvite(user: StaffUser) -> str:
    """A new enrolment link. For an enrolled person (lost phone) the old password
    and second factor keep working until the new enrolment replaces them."""
    if not user.active:
        raise AccountError("Reactivate the account before inviting again.")
    token = issue_invitation(user)
    audit.record("staff.invite", "staff", user.id, f"role={user.role}; again")
    return token


# --- Forms -------------------------------------------------------------------------


def new_password_check(form, field):
    problem = passwords.password_problem(field.data or "")
    if problem:
        raise ValidationError(problem)


def code_field() -> StringField:
    return StringField(
        "Code from your authenticator app",
        validators=[DataRequired(), Length(max=12)],
        render_kw={"inputmode": "numeric", "autocomplete": "one-time-code"},
    )


class LoginForm(FlaskForm):
    email = EmailField("Email", validators=[DataRequired(), Length(max=254)])
    password = PasswordField(
        "Password", validators=[DataRequired()], render_kw={"autocomplete": "current-password"}
    )
    code = code_field()


class EnrolForm(FlaskForm):
    password = PasswordField(
        "New password",
        # InputRequired, not DataRequired: spaces are kept, and the rule below explains.
        validators=[InputRequired(), new_password_check],
        render_kw={"autocomplete": "new-password"},
    )
    confirm = PasswordField(
        "New password again",
        validators=[DataRequired(), EqualTo("password", "The two passwords differ.")],
        render_kw={"autocomplete": "new-password"},
    )
    code = code_field()


class PasswordForm(FlaskForm):
    current = PasswordField(
        "Current password",
        validators=[DataRequired()],
        render_kw={"autocomplete": "current-password"},
    )
    password = EnrolForm.password
    confirm = EnrolForm.confirm


ROLE_CHOICES = [SelectChoice(role, role.capitalize()) for role in ROLES]


class InviteForm(FlaskForm):
    email = EmailField("Email", validators=[DataRequired(), Length(max=254)])
    role = SelectField("Role", choices=ROLE_CHOICES)


class RoleForm(FlaskForm):
    role = SelectField("Role", choices=ROLE_CHOICES)


class ConfirmForm(FlaskForm):
    """A bare form: only the CSRF token, for one-button actions."""


# --- Views -------------------------------------------------------------------------


def _login_limit() -> str:
    return current_app.config["STAFF_LOGIN_LIMIT"]


@bp.route("/login", methods=["GET", "POST"])
@limiter.limit(_login_limit, methods=["POST"])
def login():
    # Any ``next`` parameter is ignored on purpose: after login everyone goes to
    # their own landing page, so no link can send a person elsewhere.
    if current_user.is_authenticated:
        return redirect(landing_url())
    form = LoginForm()
    error = None
    if form.validate_on_submit():
        user = authenticate(form.email.data, form.password.data, form.code.data)
        db.session.commit()
        if user is not None:
            start_session(user)
            return redirect(landing_url())
        error = GENERIC_LOGIN_ERROR
    elif form.is_submitted():
        error = GENERIC_LOGIN_ERROR
    return render_template("staff/login.html", form=form, error=error)


@bp.route("/logout", methods=["POST"])
def logout():
    user = db.session.get(StaffUser, current_user.id)
    user.end_all_sessions()
    audit.record("logout", "staff", user.id)
    db.session.commit()
    end_session()
    flash("You are logged out.", "info")
    return redirect(url_for("staff.login"))


@bp.route("/enrol/<token>", methods=["GET", "POST"])
def enrol(token: str):
    invitation = open_invitation(token)
    if invitation is None:
        return render_template("staff/enrol_invalid.html"), 404
    if invitation.pending_totp_secret is None:
        invitation.pending_totp_secret = second_factor.new_secret()
        db.session.commit()
    user = db.session.get(StaffUser, invitation.staff_user_id)
    secret = invitation.pending_totp_secret
    form = EnrolForm()
    code_error = None
    if form.validate_on_submit():
        if complete_enrolment(invitation, form.password.data, form.code.data) is not None:
            db.session.commit()
            if current_user.is_authenticated:
                end_session()
            flash("Your account is ready. Log in with your new password and a code.", "info")
            return redirect(url_for("staff.login"))
        db.session.rollback()
        code_error = "That code is not right; codes change every 30 seconds."
        form.code.errors = [*form.code.errors, code_error]
    uri = second_factor.provisioning_uri(
        secret, user.email, current_app.config["ORGANISATION_NAME"]
    )
    status = 400 if form.is_submitted() and (form.errors or code_error) else 200
    return render_template(
        "staff/enrol.html",
        form=form,
        email=user.email,
        secret=second_factor.grouped(secret),
        qr=second_factor.qr_data_uri(uri),
        minimum=passwords.MIN_LENGTH,
        maximum=passwords.MAX_LENGTH,
    ), status


@bp.route("/account", methods=["GET", "POST"])
def account():
    user = db.session.get(StaffUser, current_user.id)
    form = PasswordForm()
    if form.validate_on_submit():
        if passwords.verify_password(user.password_hash, form.current.data):
            login_at = session.get("staff_login_at")
            change_password(user, form.password.data)
            db.session.commit()
            start_session(user, login_at=login_at)
            flash("Password changed. Your other sessions have ended.", "info")
            return redirect(url_for("staff.account"))
        # Counted like a failed login, so an unattended session cannot be used
        # to guess the password; the fifth miss locks the account and ends it.
        if record_failure(user, "wrong current password"):
            user.end_all_sessions()
            db.session.commit()
            end_session()
            return redirect(url_for("staff.login"))
        db.session.commit()
        form.current.errors = ["Your current password is not right."]
    status = 400 if form.is_submitted() else 200
    return render_template(
        "staff/account.html", form=form, user=user, minimum=passwords.MIN_LENGTH
    ), status


@bp.route("/users")
@requires("staff")
def users():
    people = db.session.execute(db.select(StaffUser).order_by(StaffUser.email)).scalars().all()
    return render_template("staff/users.html", people=people)


@bp.route("/users/invite", methods=["GET", "POST"])
@requires("staff")
def invite():
    form = InviteForm()
    if form.validate_on_submit():
        try:
            user, token = invite_staff(form.email.data, form.role.data, actor_id=current_user.id)
        except AccountError as error:
            db.session.rollback()
            form.email.errors = [*form.email.errors, str(error)]
        else:
            db.session.commit()
            return render_template("staff/invited.html", user=user, link=enrolment_link(token))
    status = 400 if form.is_submitted() else 200
    return render_template("staff/invite.html", form=form), status


def _person(user_id: int) -> StaffUser:
    user = db.session.get(StaffUser, user_id)
    if user is None:
        abort(404)
    return user


@bp.route("/users/<int:user_id>")
@requires("staff")
def user(user_id: int):
    person = _person(user_id)
    return render_template(
        "staff/user.html",
        person=person,
        role_form=RoleForm(role=person.role),
        confirm_form=ConfirmForm(),
    )


def _me() -> StaffUser:
    return db.session.get(StaffUser, current_user.id)


def _apply(user_id: int, change, done: str):
    """Run one administrative change on a person and go back to their page; a
    refusal (AccountError) is rolled back and shown instead."""
    person = _person(user_id)
    try:
        change(person)
    except AccountError as error:
        db.session.rollback()
        flash(str(error), "error")
    else:
        db.session.commit()
        flash(done, "info")
    return redirect(url_for("staff.user", user_id=user_id))


@bp.route("/users/<int:user_id>/role", methods=["POST"])
@requires("staff")
def change_role_view(user_id: int):
    _person(user_id)
    form = RoleForm()
    if not form.validate():
        abort(400)
    return _apply(
        user_id,
        lambda person: change_role(person, form.role.data, _me()),
        "Role changed; it applies from the person's next login.",
    )


@bp.route("/users/<int:user_id>/deactivate", methods=["POST"])
@requires("staff")
def deactivate_view(user_id: int):
    return _apply(
        user_id,
        lambda person: deactivate(person, _me()),
        "Account deactivated; its sessions have ended.",
    )


@bp.route("/users/<int:user_id>/reactivate", methods=["POST"])
@requires("staff")
def reactivate_view(user_id: int):
    return _apply(user_id, reactivate, "Account reactivated.")


@bp.route("/users/<int:user_id>/reinvite", methods=["POST"])
@requires("staff")
def reinvite_view(user_id: int):
    person = _person(user_id)
    try:
        token = reinvite(person)
    except AccountError as error:
        db.session.rollback()
        flash(str(error), "error")
        return redirect(url_for("staff.user", user_id=user_id))
    db.session.commit()
    return render_template("staff/invited.html", user=person, link=enrolment_link(token))


@bp.route("/audit")
@requires("audit")
def audit_log():
    action = request.args.get("action", "")[:40]
    page = request.args.get("page", 1, type=int)
    page = max(1, min(page, 100_000))
    query = db.select(AuditEvent, StaffUser.email).outerjoin(
        StaffUser, StaffUser.id == AuditEvent.actor_id
    )
    if action:
        query = query.where(AuditEvent.action == action)
    rows = db.session.execute(
        query.order_by(AuditEvent.id.desc())
        .limit(AUDIT_PAGE_SIZE + 1)
        .offset((page - 1) * AUDIT_PAGE_SIZE)
    ).all()
    actions = db.session.execute(
        db.select(AuditEvent.action).distinct().order_by(AuditEvent.action)
    ).scalars()
    return render_template(
        "staff/audit.html",
        rows=rows[:AUDIT_PAGE_SIZE],
        has_next=len(rows) > AUDIT_PAGE_SIZE,
        page=page,
        action=action,
        actions=list(actions),
    )


# --- Wiring ------------------------------------------------------------------------


@bp.cli.command("create-staff")
@click.argument("email")
@click.option("--role", required=True, help=f"One of: {', '.join(ROLES)}.")
def create_staff_command(email: str, role: str) -> None:
    """Create a staff account and print its one-time enrolment link."""
    try:
        user, token = invite_staff(email, role)
    except AccountError as error:
        db.session.rollback()
        raise click.ClickException(str(error)) from None
    db.session.commit()
    click.echo(f"Invited {user.email} as {user.role}.")
    click.echo(f"Enrolment link (valid {INVITATION_HOURS} hours, works once):")
    click.echo(enrolment_link(token))


def init_app(app: Flask) -> None:
    login_manager.login_view = "staff.login"

    @login_manager.unauthorized_handler
    def to_login():
        return redirect(url_for("staff.login"))

    @app.before_request
    def staff_session_timeouts():
        """End a staff session that was idle too long or is too old; the guard
        of the staff blueprints then sends the person to the login page.
        Only staff pages count as activity (not public pages or static files),
        and only they touch the cookie."""
        if "_user_id" not in session or not request.path.startswith(bp.url_prefix + "/"):
            return
        if session_expired():
            end_session()
            flash("Your session has ended. Please log in again.", "info")
            return
        session["staff_seen_at"] = timeutil.utcnow().timestamp()

    app.register_blueprint(bp)
