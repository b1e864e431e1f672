"""``/staff/funders``: admins define who funds which requests (``intake.cases.funding``
holds the rules and the save; this module is the pages)."""

from flask import Blueprint, flash, redirect, render_template, request, url_for
from flask_login import current_user
from flask_wtf import FlaskForm
from wtforms import DateField, SelectMultipleField, StringField
from wtforms.validators import Optional

from intake.cases import choice_lists
from intake.cases.funding import NAME_MAX, FundingError, all_funders, save_funder
from intake.db import db
from intake.law.vocabulary import CLAIM_TYPES
from intake.models import Funder, request_funder

# A child of the /staff parent (intake.staff), for admins ("funders" permission).
bp = Blueprint("funders", __name__, url_prefix="/funders")


class FunderForm(FlaskForm):
    name = StringField("Name", render_kw={"maxlength": NAME_MAX, "autocomplete": "off"})
    active_from = DateField("Funding starts", validators=[Optional()])
    active_until = DateField(
        "Funding ends",
        validators=[Optional()],
        description="Leave empty while the funding runs.",
    )
    # Checked against the lists by intake.cases.funding, which says which is unknown.
    states = SelectMultipleField(
        "US states covered", description="None chosen: every state.", validate_choice=False
    )
    claim_types = SelectMultipleField(
        "Relief sought covered", description="None chosen: any relief.", validate_choice=False
    )
    languages = SelectMultipleField(
        "Preferred languages covered",
        description="None chosen: every language.",
        validate_choice=False,
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.states.choices = list(choice_lists.US_STATES)
        self.claim_types.choices = [(c, label[:1].upper() + label[1:]) for c, label in CLAIM_TYPES]
        self.languages.choices = [(code, str(label)) for code, label in choice_lists.LANGUAGES]


def _save(funder: Funder | None, form: FunderForm) -> Funder | None:
    try:
        return save_funder(
            funder,
            name=form.name.data,
            active_from=form.active_from.data,
            active_until=form.active_until.data,
            states=form.states.data or [],
            claim_types=form.claim_types.data or [],
            languages=form.languages.data or [],
            allowed_states=frozenset(code for code, _ in choice_lists.US_STATES),
            allowed_languages=frozenset(code for code, _ in choice_lists.LANGUAGES),
            actor_id=current_user.id,
        )
    except FundingError as error:
        db.session.rollback()
        form[error.field].errors = [*form[error.field].errors, str(error)]
        return None


def _counts() -> dict[int, int]:
    query = db.select(request_funder.c.funder_id, db.func.count()).group_by(
        request_funder.c.funder_id
    )
    return dict(db.session.execute(query).all())


@bp.get("/")
def index():
    return render_template(
        "staff/admin/funders/index.html", funders=all_funders(), counts=_counts()
    )


@bp.route("/new", methods=["GET", "POST"])
def new():
    form = FunderForm()
    if form.validate_on_submit() and (funder := _save(None, form)):
        flash(f"Funder “{funder.name}” saved.", "ok")
        return redirect(url_for(".index"))
    return render_template("staff/admin/funders/form.html", form=form, funder=None)


@bp.route("/<int:funder_id>", methods=["GET", "POST"])
def edit(funder_id: int):
    funder = db.get_or_404(Funder, funder_id)
    form = FunderForm(obj=funder if request.method == "GET" else None)
    if request.method == "GET":
        form.states.data = funder.states.split()
        form.claim_types.data = funder.claim_types.split()
        form.languages.data = funder.languages.split()
    elif form.validate_on_submit() and _save(funder, form):
        flash(f"Funder “{funder.name}” saved.", "ok")
        return redirect(url_for(".index"))
    return render_template("staff/admin/funders/form.html", form=form, funder=funder)
