"""Account administration for admins: the list, invitations, role changes,
deactivation; and the ``create-staff`` command.

    GET      /staff/users                   staff.users.index
    GET/POST /staff/users/invite            staff.users.invite
    GET      /staff/users/<id>              staff.users.person
    POST     /staff/users/<id>/role         staff.users.change_role
    POST     /staff/users/<id>/deactivate   staff.users.deactivate
    POST     /staff/users/<id>/reactivate   staff.users.reactivate
    POST     /staff/users/<id>/reinvite     staff.users.reinvite
"""

import click
from flask import Blueprint, abort, flash, redirect, render_template, url_for
from flask_login import current_user
from flask_wtf import FlaskForm
from wtforms import EmailField, SelectField
from wtforms.fields.choices import SelectChoice
from wtforms.validators import DataRequired, Length

from intake.db import db
from intake.models import ROLES, StaffUser
from intake.staff.accounts import operations as accounts
from intake.staff.accounts.operations import (
    INVITATION_HOURS,
    AccountError,
    enrolment_link,
    invite_staff,
)

bp = Blueprint("users", __name__, cli_group=None)


ROLE_CHOICES = [SelectChoice(role, role.capitalize()) for role in ROLES]


class InviteForm(FlaskForm):
    email = EmailField("Email", validators=[DataRequired(), Length(max=254)])
    role = SelectField("Role", choices=ROLE_CHOICES)


class RoleForm(FlaskForm):
    role = SelectField("Role", choices=ROLE_CHOICES)


class ConfirmForm(FlaskForm):
    """A bare form: only the CSRF token, for one-button actions."""


@bp.route("/users")
def index():
    people = db.session.execute(db.select(StaffUser).order_by(StaffUser.email)).scalars().all()
    return render_template("staff/accounts/users.html", people=people)


@bp.route("/users/invite", methods=["GET", "POST"])
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
            return render_template(
                "staff/accounts/invited.html", user=user, link=enrolment_link(token)
            )
    status = 400 if form.is_submitted() else 200
    return render_template("staff/accounts/invite.html", form=form), status


def _person(user_id: int) -> StaffUser:
    user = db.session.get(StaffUser, user_id)
    if user is None:
        abort(404)
    return user


@bp.route("/users/<int:user_id>")
def person(user_id: int):
    person = _person(user_id)
    return render_template(
        "staff/accounts/user.html",
        person=person,
        role_form=RoleForm(role=person.role),
        confirm_form=ConfirmForm(),
    )


def _me() -> StaffUser:
    return db.session.get(StaffUser, current_user.id)


def _change_person(user_id: int, change, done: str):
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
    return redirect(url_for("staff.users.person", user_id=user_id))


@bp.route("/users/<int:user_id>/role", methods=["POST"])
def change_role(user_id: int):
    _person(user_id)
    form = RoleForm()
    if not form.validate():
        abort(400)
    return _change_person(
        user_id,
        lambda person: accounts.change_role(person, form.role.data, _me()),
        "Role changed; it applies from the person's next login.",
    )


@bp.route("/users/<int:user_id>/deactivate", methods=["POST"])
def deactivate(user_id: int):
    return _change_person(
        user_id,
        lambda person: accounts.deactivate(person, _me()),
        "Account deactivated; its sessions have ended.",
    )


@bp.route("/users/<int:user_id>/reactivate", methods=["POST"])
def reactivate(user_id: int):
    return _change_person(user_id, accounts.reactivate, "Account reactivated.")


@bp.route("/users/<int:user_id>/reinvite", methods=["POST"])
def reinvite(user_id: int):
    person = _person(user_id)
    try:
        token = accounts.reinvite(person)
    except AccountError as error:
        db.session.rollback()
        flash(str(error), "error")
        return redirect(url_for("staff.users.person", user_id=user_id))
    db.session.commit()
    return render_template("staff/accounts/invited.html", user=person, link=enrolment_link(token))


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
