"""The referral directory, managed by admins: organisations the office refers
people to, with what they serve and how to refer. The /staff parent gives the
whole blueprint the "referrals" permission (admins).

    GET       /staff/referrals                 staff.directory.index
    GET, POST /staff/referrals/new             staff.directory.new
    GET, POST /staff/referrals/<id>            staff.directory.edit
"""

from flask import Blueprint, flash, redirect, render_template, url_for
from flask_login import current_user
from flask_wtf import FlaskForm
from wtforms import BooleanField, SelectField, SelectMultipleField, StringField, TextAreaField
from wtforms.validators import DataRequired, Length

from intake.cases import choice_lists
from intake.db import db
from intake.law.vocabulary import CLAIM_TYPES
from intake.models import ReferralOrganisation
from intake.staff.followup import referrals
from intake.staff.followup.forms import options
from intake.staff.followup.referrals import OrganisationFields, ReferralError

bp = Blueprint("directory", __name__, url_prefix="/referrals")


class OrganisationForm(FlaskForm):
    name = StringField(
        "Name",
        validators=[DataRequired("Enter the organisation's name."), Length(max=referrals.NAME_MAX)],
    )
    languages = SelectMultipleField(
        "Languages spoken",
        description="English is assumed.",
        choices=options([(c, label) for c, label in choice_lists.LANGUAGES if c != "en"]),
    )
    states = SelectMultipleField("States served", choices=options(choice_lists.US_STATES))
    reliefs = SelectMultipleField(
        "Forms of relief", choices=options([(c, label) for c, label in CLAIM_TYPES if c != "other"])
    )
    serves_detained = BooleanField("Serves people in immigration detention")
    detention_centres = TextAreaField(
        "Detention centres visited",
        description="One per line.",
        validators=[Length(max=referrals.CENTRES_MAX)],
    )
    accepting = BooleanField("Accepting new cases now", default=True)
    refer_by = SelectField("How to refer", choices=options(referrals.REFER_BY.items()))
    how_to_refer = StringField(
        "Number, email address or web form",
        description="The web form's address starts with https://.",
        validators=[
            DataRequired("Say how to refer: the number, address or web form."),
            Length(max=referrals.HOW_MAX),
        ],
    )
    note = TextAreaField(
        "Note",
        description="Optional: hours, intake days, limits.",
        validators=[Length(max=referrals.NOTE_MAX)],
    )
    active = BooleanField("In the directory (offered on cases)", default=True)

    def fields(self) -> OrganisationFields:
        return OrganisationFields(
            **{name: self[name].data for name in OrganisationFields.__dataclass_fields__}
        )


def _load(org: ReferralOrganisation) -> dict:
    return {
        "languages": sorted(referrals.codes(org.languages)),
        "states": sorted(referrals.codes(org.states)),
        "reliefs": sorted(referrals.codes(org.reliefs)),
    }


@bp.get("")
def index():
    return render_template(
        "staff/followup/directory/index.html",
        organisations=referrals.directory(),
        refer_by=referrals.REFER_BY,
    )


def _save(form: OrganisationForm, org: ReferralOrganisation | None):
    if form.validate_on_submit():
        try:
            if org is None:
                org = referrals.create_organisation(form.fields(), current_user)
            else:
                referrals.update_organisation(org, form.fields(), current_user)
        except ReferralError as exc:
            db.session.rollback()
            form.how_to_refer.errors = [*form.how_to_refer.errors, str(exc)]
        else:
            flash(f"“{org.name}” saved.", "success")
            return redirect(url_for(".index"))
    status = 400 if form.is_submitted() else 200
    return render_template(
        "staff/followup/directory/form.html", form=form, organisation=org
    ), status


@bp.route("/new", methods=["GET", "POST"])
def new():
    return _save(OrganisationForm(), None)


@bp.route("/<int:org_id>", methods=["GET", "POST"])
def edit(org_id: int):
    org = db.get_or_404(ReferralOrganisation, org_id)
    form = OrganisationForm(obj=org)
    if not form.is_submitted():  # the stored " es fr " as the form's lists
        for name, values in _load(org).items():
            form[name].data = values
    return _save(form, org)
