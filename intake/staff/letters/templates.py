"""Editors and admins word the letters: one text per kind and language, with
{placeholders}, replacing the catalogued wording; emptied, the catalogue's
wording comes back.

    GET       /staff/letter-templates                     letter_templates.index
    GET/POST  /staff/letter-templates/<kind>/<language>   letter_templates.edit
"""

from flask import Blueprint, abort, current_app, flash, redirect, render_template, url_for
from flask_login import current_user
from flask_wtf import FlaskForm
from wtforms import TextAreaField
from wtforms.validators import Length, ValidationError

from intake import locales
from intake.cases import audit
from intake.db import db
from intake.input_hygiene import normalise_text
from intake.letters import drafts as letters
from intake.models import LetterTemplate

bp = Blueprint("letter_templates", __name__, url_prefix="/letter-templates")


class WordingForm(FlaskForm):
    body = TextAreaField(
        "Wording",
        [Length(max=letters.BODY_MAX)],
        filters=[normalise_text],
        description="Placeholders: "
        + ", ".join("{" + p + "}" for p in letters.PLACEHOLDERS)
        + ". Leave empty to use the catalogued wording.",
    )

    def validate_body(self, field):
        wrong = letters.unknown_placeholders(field.data or "")
        if wrong:
            raise ValidationError("Not a placeholder we fill: " + ", ".join(wrong))


@bp.get("")
def index():
    edited = {(t.kind, t.language) for t in db.session.execute(db.select(LetterTemplate)).scalars()}
    return render_template(
        "staff/letters/templates.html",
        kinds=letters.KINDS,
        languages=locales.enabled(current_app.config),
        edited=edited,
    )


@bp.route("/<kind>/<language>", methods=["GET", "POST"])
def edit(kind: str, language: str):
    if kind not in letters.KINDS or language not in current_app.config["LANGUAGES"]:
        abort(404)
    row = db.session.execute(
        db.select(LetterTemplate).filter_by(kind=kind, language=language)
    ).scalar_one_or_none()
    form = WordingForm(data={"body": row.body if row else ""})
    if form.validate_on_submit():
        if form.body.data:
            row = row or LetterTemplate(kind=kind, language=language)
            row.body, row.updated_by_id = form.body.data, current_user.id
            db.session.add(row)
        elif row is not None:
            db.session.delete(row)
        audit.record("letter.template", "letter", f"{kind}/{language}", "edited")
        db.session.commit()
        flash("Wording saved.")
        return redirect(url_for("staff.letter_templates.index"))
    return render_template(
        "staff/letters/template_form.html",
        form=form,
        kind_label=letters.KINDS[kind],
        letter_language=locales.KNOWN[language],
    ), 400 if form.errors else 200
