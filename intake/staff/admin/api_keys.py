"""Integration keys for the API (admin only): make one for an organisation of
the referral directory, see it once, revoke it. The /staff parent gives the
blueprint the "integrations" permission.

    GET       /staff/api-keys                    staff.api_keys.index
    POST      /staff/api-keys                    staff.api_keys.create
    POST      /staff/api-keys/<id>/revoke        staff.api_keys.revoke
"""

from flask import Blueprint, abort, flash, redirect, render_template, url_for
from flask_login import current_user
from flask_wtf import FlaskForm
from wtforms import SelectField, StringField
from wtforms.validators import DataRequired, Length

from intake.api import keys
from intake.db import db
from intake.models import ApiKey, ReferralOrganisation
from intake.staff.followup import referrals
from intake.staff.followup.forms import options

bp = Blueprint("api_keys", __name__, url_prefix="/api-keys")


class KeyForm(FlaskForm):
    name = StringField(
        "Name",
        description="The system it is for, such as “IJC case management”.",
        validators=[DataRequired("Name the integration."), Length(max=keys.NAME_MAX)],
    )
    organisation = SelectField(
        "Organisation",
        description="It reads only the cases this organisation accepted from our referrals.",
        validators=[DataRequired("Choose the organisation.")],
    )


class RevokeForm(FlaskForm):
    pass


def _form(form: KeyForm | None = None) -> KeyForm:
    form = form or KeyForm(formdata=None)
    form.organisation.choices = options(
        [(str(o.id), o.name) for o in referrals.directory()], blank=True
    )
    return form


def _index(form: KeyForm, status: int = 200, made: keys.Made | None = None):
    organisations = {o.id: o for o in referrals.directory()}
    return render_template(
        "staff/admin/api_keys/index.html",
        form=form,
        keys=keys.all_keys(),
        organisations=organisations,
        made=made,
        revoke_form=RevokeForm(formdata=None),
        scopes=keys.SCOPES,
    ), status


@bp.get("")
def index():
    return _index(_form())


@bp.post("")
def create():
    form = _form(KeyForm())
    if form.validate_on_submit():
        org_id = form.organisation.data
        organisation = (
            db.session.get(ReferralOrganisation, int(org_id)) if org_id.isdigit() else None
        )
        try:
            made = keys.create(form.name.data, organisation, current_user)
        except keys.ApiKeyError as exc:
            db.session.rollback()
            form.name.errors = [*form.name.errors, str(exc)]
        else:
            # Shown on this response only: never flashed (the session cookie would carry it).
            return _index(_form(), made=made)
    return _index(form, 400)


@bp.post("/<int:key_id>/revoke")
def revoke(key_id: int):
    key = db.get_or_404(ApiKey, key_id)
    if not RevokeForm().validate_on_submit():
        abort(400)
    try:
        keys.revoke(key, current_user)
    except keys.ApiKeyError as exc:
        db.session.rollback()
        flash(str(exc), "error")
    else:
        flash(f"Key {key.prefix} revoked: it opens nothing any more.", "success")
    return redirect(url_for(".index"))
