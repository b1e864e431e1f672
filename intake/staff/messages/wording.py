"""Editors and admins keep the wording of messages: each template has a name and
a text per language, with {placeholders}; staff pick one on a case, in the
person's language. One listed in WHATSAPP_TEMPLATES (by name and language) is
one WhatsApp approved: its wording must stay the one approved.

    GET       /staff/message-templates                          message_templates.index
    GET/POST  /staff/message-templates/edit?name=..&language=..  message_templates.edit
"""

from flask import Blueprint, abort, current_app, flash, redirect, render_template, request, url_for
from flask_login import current_user
from flask_wtf import FlaskForm
from wtforms import TextAreaField
from wtforms.validators import Length, ValidationError

from intake import locales
from intake.cases import audit
from intake.db import db
from intake.input_hygiene import normalise_text
from intake.messages import sending
from intake.messages import templates as wording
from intake.models import MessageTemplate

bp = Blueprint("message_templates", __name__, url_prefix="/message-templates")


class WordingForm(FlaskForm):
    body = TextAreaField(
        "Wording",
        [Length(max=wording.BODY_MAX)],
        filters=[normalise_text],
        description="Placeholders: "
        + ", ".join("{" + p + "}" for p in wording.PLACEHOLDERS)
        + ". Leave empty to remove this language. Say no more than needed: a phone may "
        "be seen by others.",
    )

    def validate_body(self, field):
        wrong = wording.unknown_placeholders(field.data or "")
        if wrong:
            raise ValidationError("Not a placeholder we fill: " + ", ".join(wrong))


@bp.get("")
def index():
    rows = db.session.execute(db.select(MessageTemplate.name, MessageTemplate.language)).all()
    return render_template(
        "staff/messages/templates.html",
        names=wording.names(),
        written={(r.name, r.language) for r in rows},
        languages=locales.enabled(current_app.config),
        approved=sending.approved_names(),
        name_error=request.args.get("bad_name") is not None,
    )


@bp.route("/edit", methods=["GET", "POST"])
def edit():
    name = (request.args.get("name") or "").strip().lower()
    language = request.args.get("language", "")
    if language not in current_app.config["LANGUAGES"]:
        abort(404)
    if not wording.NAME_SHAPE.fullmatch(name) or name in wording.RESERVED:
        return redirect(url_for("staff.message_templates.index", bad_name=1))
    row = wording.find(name, language)
    form = WordingForm(data={"body": row.body if row else ""})
    if form.validate_on_submit():
        if form.body.data:
            row = row or MessageTemplate(name=name, language=language)
            row.body, row.updated_by_id = form.body.data, current_user.id
            db.session.add(row)
        elif row is not None:
            db.session.delete(row)
        audit.record("message.template", "message", f"{name}/{language}", "edited")
        db.session.commit()
        flash("Wording saved.")
        return redirect(url_for("staff.message_templates.index"))
    return render_template(
        "staff/messages/template_form.html",
        form=form,
        name=name,
        approved=f"{name}/{language}" in current_app.config["WHATSAPP_TEMPLATES"],
        message_language=locales.KNOWN[language],
    ), 400 if form.errors else 200
