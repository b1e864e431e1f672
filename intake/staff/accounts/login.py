"""Logging in and out, enrolling from an invitation, changing one's password.

GET/POST /staff/login            staff.login.login     email + password + code (open)
POST     /staff/logout           staff.login.logout
GET/POST /staff/enrol/<token>    staff.login.enrol     set a password, enrol TOTP (open)
GET/POST /staff/account          staff.login.account   change password
"""

from flask import Blueprint, current_app, flash, redirect, render_template, session, url_for
from flask_login import current_user
from flask_wtf import FlaskForm
from wtforms import EmailField, PasswordField, StringField
from wtforms.validators import DataRequired, EqualTo, InputRequired, Length, ValidationError

from intake.cases import audit
from intake.db import db
from intake.limits import limiter
from intake.models import StaffUser
from intake.staff.accounts import passwords, second_factor
from intake.staff.accounts.operations import (
    GENERIC_LOGIN_ERROR,
    authenticate,
    change_password,
    complete_enrolment,
    open_invitation,
    record_wrong_current_password,
)
from intake.staff.accounts.sessions import end_session, landing_url, start_session

bp = Blueprint("login", __name__)


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
    return render_template("staff/accounts/login.html", form=form, error=error)


@bp.route("/logout", methods=["POST"])
def logout():
    user = db.session.get(StaffUser, current_user.id)
    user.end_all_sessions()
    audit.record("logout", "staff", user.id)
    db.session.commit()
    end_session()
    flash("You are logged out.", "info")
    return redirect(url_for("staff.login.login"))


@bp.route("/enrol/<token>", methods=["GET", "POST"])
def enrol(token: str):
    invitation = open_invitation(token)
    if invitation is None:
        return render_template("staff/accounts/enrol_invalid.html"), 404
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
            return redirect(url_for("staff.login.login"))
        db.session.rollback()
        code_error = "That code is not right; codes change every 30 seconds."
        form.code.errors = [*form.code.errors, code_error]
    uri = second_factor.provisioning_uri(
        secret, user.email, current_app.config["ORGANISATION_NAME"]
    )
    status = 400 if form.is_submitted() and (form.errors or code_error) else 200
    return render_template(
        "staff/accounts/enrol.html",
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
            return redirect(url_for("staff.login.account"))
        # An unattended session must not be a way to guess the password: the
        # fifth miss ends every session (the account is not locked).
        if record_wrong_current_password(user):
            user.end_all_sessions()
            db.session.commit()
            end_session()
            return redirect(url_for("staff.login.login"))
        db.session.commit()
        form.current.errors = ["Your current password is not right."]
    status = 400 if form.is_submitted() else 200
    return render_template(
        "staff/accounts/account.html", form=form, user=user, minimum=passwords.MIN_LENGTH
    ), status
