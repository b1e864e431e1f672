"""The conversation on a case: staff read the messages with the person and send
one, from an editor's template in the person's language or in their own words.

    GET  /staff/cases/<reference>/messages   messages.conversation (all of it; ?template=name)
    POST /staff/cases/<reference>/messages   messages.send

The case page shows the latest messages and the form (``case_section``). Only
who may see the case may read or write here (``load_case``); every message
sent is audited, and so is a refusal.
"""

from dataclasses import dataclass, field
from datetime import datetime

from flask import Blueprint, abort, current_app, flash, redirect, render_template, request, url_for
from flask_login import current_user
from flask_wtf import FlaskForm
from wtforms import HiddenField, TextAreaField
from wtforms.validators import DataRequired, Length

from intake import timeutil
from intake.cases import audit, choice_lists, stored_facts
from intake.db import db
from intake.input_hygiene import normalise_text
from intake.letters.drafts import letter_language
from intake.mail import outbox
from intake.messages import consent, sending
from intake.messages import templates as wording
from intake.models import HelpRequest, Message, MessageTemplate
from intake.staff.cases import casework

bp = Blueprint("messages", __name__)

ON_CASE_PAGE = 10  # the latest messages the case page shows


def load_case(reference: str) -> HelpRequest:
    """The case, if this person may see it (the case page's own rule)."""
    help_request = casework.find_case(reference, current_user)
    if help_request is None:
        abort(404)
    return help_request


class MessageForm(FlaskForm):
    body = TextAreaField(
        "Message",
        [DataRequired("Write the message first."), Length(max=sending.BODY_MAX)],
        filters=[normalise_text],
        description="In the person's language. A phone may be seen by others: say no more "
        "than needed, and never the status code.",
    )
    # The template the text came from; an edited text is the writer's own.
    template = HiddenField()


@dataclass
class Conversation:
    messages: list[Message]
    earlier: int  # messages not shown on the case page
    chosen: list[str]  # the form's words: text, whatsapp, call, email, helper
    safe: bool
    opted_out: bool
    provider: str  # none, log, twilio
    channel: str | None  # where a message in the writer's own words would go now
    refusal: str  # why none can go, if so
    whatsapp_closed: bool  # WhatsApp chosen, and more than 24 hours since they wrote
    last_whatsapp: datetime | None
    approved: list[str]
    language: str
    language_name: str
    templates: list[MessageTemplate] = field(default_factory=list)


def read(help_request: HelpRequest, limit: int | None = ON_CASE_PAGE) -> Conversation:
    facts = stored_facts.loads(help_request.facts)
    phone = consent.message_phone(help_request, facts)
    channel, refusal = sending.choose_channel(help_request, facts)
    chosen = consent.reach_by(facts)
    last_whatsapp = sending.last_whatsapp_from(help_request.id)
    all_messages = sending.conversation(help_request.id)
    shown = all_messages[-limit:] if limit else all_messages
    language = letter_language(help_request)
    return Conversation(
        messages=shown,
        earlier=len(all_messages) - len(shown),
        chosen=chosen,
        safe=help_request.safe_to_message == "yes",
        opted_out=consent.is_opted_out(consent.phone_hash(phone)),
        provider=current_app.config["MESSAGING_PROVIDER"],
        channel=channel,
        refusal=refusal,
        whatsapp_closed="whatsapp" in chosen and not sending.whatsapp_window_open(help_request.id),
        last_whatsapp=last_whatsapp,
        approved=sending.approved_names(),
        language=language,
        language_name=choice_lists.language_name(language),
        templates=wording.in_language(language),
    )


def case_section(help_request: HelpRequest) -> dict:
    """What the case page's Messages section needs."""
    return {
        "conversation": read(help_request),
        "message_form": MessageForm(formdata=None),
        "message_channels": consent.CHANNEL_LABELS,
        "message_states": sending.STATE_LABELS,
    }


def _page(help_request: HelpRequest, form: MessageForm, status: int = 200):
    errors = [("message-body", m) for m in form.body.errors]
    if form.csrf_token.errors:
        errors.append(("message-body", "The form had expired: send it again."))
    return render_template(
        "staff/messages/conversation.html",
        errors=errors,
        case=help_request,
        conversation=read(help_request, limit=None),
        message_form=form,
        message_channels=consent.CHANNEL_LABELS,
        message_states=sending.STATE_LABELS,
    ), status


@bp.get("/cases/<reference>/messages")
def conversation(reference: str):
    help_request = load_case(reference)
    form = MessageForm(formdata=None)
    name = request.args.get("template", "")
    chosen = wording.find(name, letter_language(help_request)) if name else None
    if chosen is not None:
        form.body.data, form.template.data = wording.fill(chosen.body), chosen.name
    audit.record("message.view", "request", help_request.reference)
    db.session.commit()
    return _page(help_request, form)


@bp.post("/cases/<reference>/messages")
def send(reference: str):
    help_request = load_case(reference)
    form = MessageForm()
    if not form.validate_on_submit():
        return _page(help_request, form, 400)
    language = letter_language(help_request)
    template = form.template.data or None
    if template:
        kept = wording.find(template, language)
        if kept is None or wording.fill(kept.body) != form.body.data:
            template = None  # edited: the writer's own words, not the approved template
    now = timeutil.utcnow()
    facts = stored_facts.loads(help_request.facts)
    _channel, why = sending.choose_channel(
        help_request, facts, template, now=now, language=language
    )
    message = sending.send_to_request(
        help_request,
        form.body.data,
        template=template,
        kind="staff",
        author=current_user,
        now=now,
        language=language,
    )
    db.session.commit()
    back = redirect(url_for("staff.triage.case", reference=reference, _anchor="messages"))
    if message is None:
        flash(f"Not sent: {why or 'not allowed'}.", "error")
        return back
    flash(f"Message queued ({consent.CHANNEL_LABELS[message.channel]}).")
    return outbox.deliver_after(back, to_applicant=True)
