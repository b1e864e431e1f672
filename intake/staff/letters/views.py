"""Letters from the case page: preview and edit a draft in the applicant's
preferred language (or another that staff choose), send it (stored encrypted,
audited, emailed through the outbox when the applicant gave an email and said
messages are safe), print it or get its PDF.

    GET  /staff/cases/<reference>/letters/<kind>   letters.compose (the draft, editable)
    POST /staff/cases/<reference>/letters/<kind>   letters.compose (send)
    GET  /staff/letters/<id>                       letters.show (printable page)
    GET  /staff/letters/<id>.pdf                   letters.pdf
"""

from flask import (
    Blueprint,
    abort,
    current_app,
    flash,
    redirect,
    render_template,
    request,
    url_for,
)
from flask_login import current_user
from flask_wtf import FlaskForm
from wtforms import TextAreaField
from wtforms.validators import DataRequired, Length, StopValidation

from intake import locales, timeutil
from intake.cases import audit
from intake.db import db
from intake.input_hygiene import normalise_text
from intake.letters import delivery
from intake.letters import direction as letter_direction
from intake.letters import drafts as letters
from intake.letters import pdf as letter_pdf
from intake.mail import outbox
from intake.models import HelpRequest, Letter
from intake.staff.cases.views import load_case
from intake.staff.followup import outreach

bp = Blueprint("letters", __name__)


def _not_only_bidi_controls(form, field) -> None:
    """Bidi controls are removed on sending (``letters.as_sent``): a letter of
    nothing else is empty."""
    if not letter_direction.without_controls(field.data).strip():
        raise StopValidation("The letter is empty.")


class LetterForm(FlaskForm):
    # The draft keeps its isolates in the box, so staff see references in order.
    body = TextAreaField(
        "Letter",
        [
            DataRequired("The letter is empty."),
            _not_only_bidi_controls,
            Length(max=letters.BODY_MAX),
        ],
        filters=[normalise_text],
        description="In the applicant's language. Edit it before sending if needed.",
    )


def may_email(help_request: HelpRequest) -> bool:
    """Email only when the applicant gave an address and said messages are safe."""
    return bool(help_request.email) and outreach.message_is_safe(help_request.safe_to_message)


def _draft(help_request: HelpRequest, kind: str, language: str) -> letters.Draft:
    if kind not in letters.KINDS:
        abort(404)
    referred_to = letters.latest_referral(help_request.id)
    return letters.draft(help_request, kind, timeutil.today(), referred_to, language)


@bp.route("/cases/<reference>/letters/<kind>", methods=["GET", "POST"])
def compose(reference: str, kind: str):
    help_request = load_case(reference)
    # Staff may choose another language than the applicant's (an unknown one is ignored).
    draft = _draft(help_request, kind, request.args.get("language", ""))
    # The draft fills the box on GET only: a post sends exactly the text posted.
    form = LetterForm() if request.method == "POST" else LetterForm(data={"body": draft.body})
    if form.validate_on_submit():
        letter = send(help_request, draft, form.body.data)
        flash("Letter sent." if letter.emailed else "Letter stored: print it or send the PDF.")
        response = redirect(url_for("staff.letters.show", letter_id=letter.id))
        return outbox.deliver_after(response, to_applicant=True) if letter.emailed else response
    return render_template(
        "staff/letters/compose.html",
        help_request=help_request,
        draft=draft,
        kind_label=letters.KINDS[kind],
        form=form,
        letter_language=locales.KNOWN[draft.language],
        preferred=letters.letter_language(help_request),
        languages=[locales.KNOWN[code] for code in current_app.config["LANGUAGES"]],
        emails=may_email(help_request),
    ), 400 if form.errors else 200


def send(help_request: HelpRequest, draft: letters.Draft, body: str) -> Letter:
    """Store the letter as sent, its audit event and (when allowed) its email,
    in one transaction."""
    letter = Letter(
        request_id=help_request.id,
        kind=draft.kind,
        language=draft.language,
        sent_by_id=current_user.id,
        emailed=may_email(help_request),
        subject=draft.subject,
        body=letters.as_sent(help_request, draft.language, body),
    )
    db.session.add(letter)
    db.session.flush()
    if letter.emailed:
        delivery.queue_letter(letter)
    audit.record(
        "letter.sent",
        "request",
        help_request.reference,
        f"{draft.kind} in {draft.language}" + (", emailed" if letter.emailed else ""),
    )
    db.session.commit()
    return letter


def _letter(letter_id: int) -> tuple[Letter, HelpRequest]:
    letter = db.session.get(Letter, letter_id)
    if letter is None:
        abort(404)
    help_request = db.session.get(HelpRequest, letter.request_id)
    return letter, load_case(help_request.reference)  # the viewer may see this case


@bp.get("/letters/<int:letter_id>")
def show(letter_id: int):
    letter, help_request = _letter(letter_id)
    audit.record("letter.view", "request", help_request.reference, letter.kind)
    db.session.commit()
    return render_template(
        "staff/letters/show.html",
        letter=letter,
        help_request=help_request,
        letter_language=locales.KNOWN[letter.language],
    )


@bp.get("/letters/<int:letter_id>.pdf")
def pdf(letter_id: int):
    letter, help_request = _letter(letter_id)
    audit.record("letter.pdf", "request", help_request.reference, letter.kind)
    db.session.commit()
    response = current_app.response_class(
        letter_pdf.render(letter.subject, letter.body, letter.language),
        mimetype="application/pdf",
    )
    response.headers["Content-Disposition"] = (
        f'inline; filename="letter-{help_request.reference}-{letter.id}.pdf"'
    )
    return response
