"""Messages from numbers no request matches, for triage staff: attach one to the
request it belongs to (the number's later messages follow it there), answer
it, or set it aside.

    GET  /staff/messages/inbox                    message_inbox.index
    POST /staff/messages/inbox/<id>/attach        message_inbox.attach
    POST /staff/messages/inbox/<id>/answer        message_inbox.answer
    POST /staff/messages/inbox/<id>/dismiss       message_inbox.dismiss
"""

from flask import Blueprint, abort, flash, redirect, render_template, url_for
from flask_login import current_user
from flask_wtf import FlaskForm
from sqlalchemy import select, update
from wtforms import StringField, TextAreaField
from wtforms.validators import DataRequired, Length

from intake import timeutil
from intake.cases import audit, status_codes
from intake.cases.help_requests import REFERENCE_LENGTH
from intake.db import db
from intake.input_hygiene import normalise_text
from intake.mail import outbox
from intake.messages import consent, sending
from intake.models import Message
from intake.staff.cases import casework

bp = Blueprint("message_inbox", __name__, url_prefix="/messages/inbox")
SHOWN = 100


class AttachForm(FlaskForm):
    reference = StringField("Case reference", [DataRequired("Give the case reference.")])


class AnswerForm(FlaskForm):
    body = TextAreaField(
        "Answer",
        [DataRequired("Write the answer first."), Length(max=sending.BODY_MAX)],
        filters=[normalise_text],
    )


class DismissForm(FlaskForm):
    pass


def waiting() -> list[Message]:
    query = (
        select(Message)
        .where(
            Message.request_id.is_(None), Message.direction == "in", Message.handled_at.is_(None)
        )
        .order_by(Message.created_at.desc(), Message.id.desc())
        .limit(SHOWN)
    )
    return list(db.session.execute(query).scalars())


def _waiting_message(message_id: int) -> Message:
    message = db.session.get(Message, message_id)
    if message is None or message.request_id is not None or message.direction != "in":
        abort(404)
    return message


def _handled(message: Message) -> None:
    message.handled_at = timeutil.utcnow()
    message.handled_by_id = current_user.id


def _index(status: int = 200, failed_id: int | None = None, **forms):
    """The inbox; after a refused form, that form (with its errors) on its message."""
    errors = [
        (f"{prefix}-{failed_id}-{name}", message)
        for prefix, form in (
            ("attach", forms.get("attach_form")),
            ("answer", forms.get("answer_form")),
        )
        if form is not None
        for name, messages in form.errors.items()
        if name != "csrf_token"
        for message in messages
    ]
    return render_template(
        "staff/messages/inbox.html",
        waiting=waiting(),
        failed=forms,
        blank_attach=AttachForm(formdata=None),
        blank_answer=AnswerForm(formdata=None),
        dismiss_form=DismissForm(formdata=None),
        failed_id=failed_id,
        errors=errors,
        channel_labels=consent.CHANNEL_LABELS,
        opted_out=consent.is_opted_out,
    ), status


@bp.get("")
def index():
    return _index()


@bp.post("/<int:message_id>/attach")
def attach(message_id: int):
    message = _waiting_message(message_id)
    form = AttachForm()
    if not form.validate_on_submit():
        return _index(400, attach_form=form, failed_id=message_id)
    reference = status_codes.normalise(form.reference.data, REFERENCE_LENGTH)
    help_request = casework.find_case(reference, current_user)
    if help_request is None:
        form.reference.errors.append("No case with this reference.")
        return _index(400, attach_form=form, failed_id=message_id)
    # Every waiting message from this number goes to the case.
    db.session.execute(
        update(Message)
        .where(
            Message.request_id.is_(None),
            Message.phone_hash == message.phone_hash,
            Message.handled_at.is_(None),
        )
        .values(
            request_id=help_request.id,
            handled_at=timeutil.utcnow(),
            handled_by_id=current_user.id,
        )
        .execution_options(synchronize_session=False)
    )
    audit.record("message.attached", "request", help_request.reference, f"message {message_id}")
    db.session.commit()
    flash("Attached to the case.")
    return redirect(
        url_for("staff.triage.case", reference=help_request.reference, _anchor="messages")
    )


@bp.post("/<int:message_id>/answer")
def answer(message_id: int):
    message = _waiting_message(message_id)
    form = AnswerForm()
    if not form.validate_on_submit():
        return _index(400, answer_form=form, failed_id=message_id)
    sent = sending.answer_number(message, form.body.data, current_user)
    if sent is not None:
        _handled(message)
    db.session.commit()
    if sent is None:
        flash("Not sent: the number sent STOP, or messaging is off.", "error")
        return redirect(url_for("staff.message_inbox.index"))
    flash("Answer queued.")
    return outbox.deliver_after(redirect(url_for("staff.message_inbox.index")), to_applicant=True)


@bp.post("/<int:message_id>/dismiss")
def dismiss(message_id: int):
    message = _waiting_message(message_id)
    if DismissForm().validate_on_submit():
        _handled(message)
        audit.record("message.dismissed", "request", "unknown number", f"message {message_id}")
        db.session.commit()
        flash("Set aside.")
    return redirect(url_for("staff.message_inbox.index"))
