"""Sending a message to a request: the one way anything is sent, and how its
delivery state moves.

``send_to_request`` decides the channel, refuses (returns None and records why
in the audit log) when the consent rule (``intake.messages.consent``) or
WhatsApp's 24-hour rule says no, and otherwise adds an encrypted ``Message``
("queued") and its outbox row to the session: the caller commits them with
whatever they are about. The outbox (``intake.mail.outbox``) delivers the row
through the provider (``deliver``): durable, retried after an outage, and sent
once (a message that has its provider id is never sent again).

The channel, when the caller names none: the one the person last wrote to us
on, then WhatsApp, then text, the first that the person chose, that is
configured, and that WhatsApp's rule allows (so a reminder outside the 24 hours
goes by text when the person also chose text).

Delivery states only move forward: queued -> sent (the provider took it) ->
delivered, or failed; a late or repeated status callback changes nothing.
"""

from collections.abc import Callable
from datetime import datetime, timedelta

from flask import current_app
from sqlalchemy import select, update

from intake import timeutil
from intake.cases import audit, stored_facts
from intake.db import db
from intake.mail import registry
from intake.messages import consent
from intake.messages import provider as providers
from intake.messages import templates as wording
from intake.models import HelpRequest, Message

KIND = "message"  # the outbox rows' kind: "message:<id>"
KINDS = ("staff", "reminder", "reply")
BODY_MAX = 1600  # characters: Twilio's limit for one message

QUEUED, SENT, DELIVERED, FAILED, RECEIVED = "queued", "sent", "delivered", "failed", "received"
STATE_LABELS = {
    QUEUED: "Queued",
    SENT: "Sent",
    DELIVERED: "Delivered",
    FAILED: "Failed",
    RECEIVED: "Received",
}
# A state only ever moves to a higher rank.
RANK = {QUEUED: 0, SENT: 1, DELIVERED: 2, FAILED: 2}
# Twilio's message statuses as ours (others, such as "receiving", change nothing).
PROVIDER_STATES = {
    "accepted": SENT,
    "scheduled": SENT,
    "queued": SENT,
    "sending": SENT,
    "sent": SENT,
    "delivered": DELIVERED,
    "read": DELIVERED,
    "undelivered": FAILED,
    "failed": FAILED,
    "canceled": FAILED,
}
WHATSAPP_WINDOW = timedelta(hours=24)
# The values of an approved template's variables for a kind of message whose
# template is not the editors' (a reminder: its date), by ``Message.kind``;
# registered by that kind's module, so this one imports none of them.
CONTENT_VARIABLES: dict[str, Callable[[Message], dict[str, str]]] = {}

OFF = "messaging is off"
CHANNEL_OFF = "this channel is not configured"
OUTSIDE_WINDOW = (
    "more than 24 hours since the person's last WhatsApp message: only an approved template"
)
EMPTY = "the message is empty"
TOO_LONG = "the message is too long"


def approved_content(name: str | None, language: str | None) -> str | None:
    """The Content SID of the template ``name`` in ``language`` if WhatsApp
    approved it (WHATSAPP_TEMPLATES), else None."""
    if not name or not language:
        return None
    return current_app.config["WHATSAPP_TEMPLATES"].get(f"{name}/{language}")


def approved_names() -> list[str]:
    """The approved templates, as "name/language"."""
    return sorted(current_app.config["WHATSAPP_TEMPLATES"])


def last_whatsapp_from(request_id: int) -> datetime | None:
    """When the person last wrote to us on WhatsApp."""
    return db.session.execute(
        select(Message.created_at)
        .where(
            Message.request_id == request_id,
            Message.direction == "in",
            Message.channel == consent.WHATSAPP,
        )
        .order_by(Message.created_at.desc())
        .limit(1)
    ).scalar_one_or_none()


def whatsapp_window_open(request_id: int, now: datetime | None = None) -> bool:
    """Within 24 hours of the person's last WhatsApp message: free text allowed."""
    last = last_whatsapp_from(request_id)
    return last is not None and (now or timeutil.utcnow()) - last < WHATSAPP_WINDOW


def whatsapp_allows(
    request_id: int, template: str | None, language: str | None, now: datetime | None = None
) -> bool:
    """WhatsApp's rule: free text only within the 24 hours; an approved template always."""
    return bool(approved_content(template, language)) or whatsapp_window_open(request_id, now)


def last_channel_from(request_id: int) -> str | None:
    return db.session.execute(
        select(Message.channel)
        .where(Message.request_id == request_id, Message.direction == "in")
        .order_by(Message.created_at.desc())
        .limit(1)
    ).scalar_one_or_none()


def choose_channel(
    help_request: HelpRequest | None,
    facts: dict,
    template: str | None = None,
    channel: str | None = None,
    now: datetime | None = None,
    language: str | None = None,
) -> tuple[str | None, str]:
    """(channel, "") to send on, or (None, why not): see the module docstring."""
    if current_app.config["MESSAGING_PROVIDER"] == "none":
        return None, OFF
    if channel:
        candidates = [channel]
    else:
        last = last_channel_from(help_request.id) if help_request else None
        candidates = [c for c in dict.fromkeys([last, consent.WHATSAPP, consent.SMS]) if c]
    phone = consent.message_phone(help_request, facts) if help_request else None
    opted_out = consent.is_opted_out(consent.phone_hash(phone))
    first_refusal = ""
    for candidate in candidates:
        allowed, why = consent.may_message(help_request, facts, candidate, opted_out)
        if allowed and providers.sender_address(candidate) is None:
            allowed, why = False, CHANNEL_OFF
        if (
            allowed
            and candidate == consent.WHATSAPP
            and not whatsapp_allows(help_request.id, template, language, now)
        ):
            allowed, why = False, OUTSIDE_WINDOW
        if allowed:
            return candidate, ""
        first_refusal = first_refusal or why
    return None, first_refusal


def send_to_request(
    help_request: HelpRequest | None,
    body: str,
    *,
    channel: str | None = None,
    template: str | None = None,
    kind: str = "staff",
    author=None,
    now: datetime | None = None,
    language: str | None = None,
) -> Message | None:
    """Queue ``body`` for the person who made ``help_request``, or refuse.

    Returns the ``Message`` ("queued"), added to the session with its outbox row
    and an audit event; or None when it may not be sent, with a "message.refused"
    audit event saying why. The caller commits either way. ``author``: the staff
    member writing (None for reminders); ``template``: the name of the editors'
    template the body came from, in ``language`` (WhatsApp's rule lets approved
    ones through, and they go as their content template)."""
    if kind not in KINDS:
        raise ValueError(f"unknown kind of message: {kind}")
    now = now or timeutil.utcnow()
    facts = stored_facts.loads(help_request.facts) if help_request else {}
    body = (body or "").strip()
    chosen, why = choose_channel(help_request, facts, template, channel, now, language)
    if chosen and not body:
        chosen, why = None, EMPTY
    if chosen and len(body) > BODY_MAX:
        chosen, why = None, TOO_LONG
    reference = help_request.reference if help_request else ""
    author_id = getattr(author, "id", None)
    if chosen is None:
        audit.record("message.refused", "request", reference, f"{kind}: {why}", author_id)
        return None
    phone = consent.message_phone(help_request, facts)
    message = _queue(
        now,
        request_id=help_request.id,
        channel=chosen,
        kind=kind,
        template=template or None,
        language=language,
        body=body,
        phone=phone,
        phone_hash=consent.phone_hash(phone),
        author_id=author_id,
    )
    detail = f"{kind} by {chosen}" + (f", template {template}" if template else "")
    audit.record("message.queued", "request", reference, detail, author_id)
    return message


def queue_reply(
    inbound: Message, body: str, language: str | None, now: datetime | None = None
) -> Message:
    """An answer to a keyword (STOP, START, HELP) on the channel and number it
    came from: the person just wrote from that phone, so no consent is asked;
    a number that sent STOP gets only the confirmation of it."""
    return _queue_back(inbound, "reply", body, now or timeutil.utcnow(), language=language)


def answer_number(
    inbound: Message, body: str, author, now: datetime | None = None
) -> Message | None:
    """Staff answer a message from a number no request matched, on the channel it
    came from; None (recorded) when that number sent STOP."""
    now = now or timeutil.utcnow()
    if consent.is_opted_out(inbound.phone_hash):
        audit.record("message.refused", "request", "unknown number", f"staff: {consent.OPTED_OUT}")
        return None
    if current_app.config["MESSAGING_PROVIDER"] == "none":
        audit.record("message.refused", "request", "unknown number", f"staff: {OFF}")
        return None
    answer = _queue_back(inbound, "staff", body, now, author_id=getattr(author, "id", None))
    audit.record("message.queued", "request", "unknown number", f"staff by {inbound.channel}")
    return answer


def conversation(request_id: int, limit: int | None = None) -> list[Message]:
    """A case's messages, oldest first (the last ``limit`` when given)."""
    query = select(Message).where(Message.request_id == request_id)
    query = query.order_by(Message.created_at.desc(), Message.id.desc())
    rows = list(db.session.execute(query.limit(limit) if limit else query).scalars())
    return rows[::-1]


def advance(message: Message, state: str, now: datetime | None = None) -> bool:
    """Move ``message`` to ``state`` if that is forward; True if it moved."""
    if RANK.get(state, -1) <= RANK.get(message.state, -1):
        return False
    message.state = state
    message.state_changed_at = now or timeutil.utcnow()
    return True


def _failed(message: Message, code: str) -> None:
    if advance(message, FAILED):
        message.error_code = code[:16]
    db.session.commit()


def deliver(argument: str, base: str) -> None:
    """The outbox's sender for "message:<id>": send it through the provider once.

    Raises ``registry.GiveUp`` when it never can be sent (the message or its
    request is gone, consent was withdrawn meanwhile, the provider refused it);
    any other exception leaves it to be retried."""
    message = db.session.get(Message, int(argument)) if argument.isdigit() else None
    if message is None:
        raise registry.GiveUp
    if message.provider_sid:  # sent already: the database failed after the provider took it
        return
    if message.state == FAILED:
        raise registry.GiveUp
    # Consent is checked again: STOP may have come since the message was queued.
    # An answer to a keyword goes regardless; an answer to an unknown number
    # unless it sent STOP.
    opted_out = consent.is_opted_out(message.phone_hash)
    if message.kind == "reply":
        allowed = True
    elif message.request_id is None:
        allowed = not opted_out
    else:
        help_request = db.session.get(HelpRequest, message.request_id)
        facts = stored_facts.loads(help_request.facts) if help_request else {}
        allowed, _why = consent.may_message(help_request, facts, message.channel, opted_out)
    if not allowed:
        _failed(message, "consent")
        raise registry.GiveUp
    provider = providers.provider()
    sender = providers.sender_address(message.channel)
    if provider is None or sender is None:
        _failed(message, "off")
        raise registry.GiveUp
    to = providers.address(message.channel, message.phone)
    callback = base + "/webhooks/twilio/status" if provider.name == "twilio" else None
    content = None
    if message.channel == consent.WHATSAPP:
        content_sid = approved_content(message.template, message.language)
        if content_sid:
            variables_of = CONTENT_VARIABLES.get(message.kind)
            variables = (
                variables_of(message)
                if variables_of
                else wording.content_variables(message.template, message.language)
            )
            content = providers.Content(content_sid, variables)
    body, message_id = message.body, message.id
    db.session.commit()  # no transaction open while the provider is talked to
    try:
        sid = provider.send(to, sender, body, callback, content)
    except providers.Rejected as exc:
        _failed(db.session.get(Message, message_id), exc.code)
        raise registry.GiveUp from None
    db.session.execute(
        update(Message)
        .where(Message.id == message_id)
        .values(provider_sid=sid)
        .execution_options(synchronize_session=False)
    )
    message = db.session.get(Message, message_id)
    db.session.refresh(message)
    advance(message, SENT)
    db.session.commit()


def given_up(argument: str) -> None:
    """The outbox stopped trying: the message failed (unless it got further)."""
    message = db.session.get(Message, int(argument)) if argument.isdigit() else None
    if message is not None and advance(message, FAILED):
        message.error_code = message.error_code or "gave_up"


registry.register_sender(KIND, deliver, given_up)


def _queue_back(inbound: Message, kind: str, body: str, now: datetime, **columns) -> Message:
    """A message queued to the number ``inbound`` came from, on its channel."""
    return _queue(
        now,
        request_id=inbound.request_id,
        channel=inbound.channel,
        kind=kind,
        body=body,
        phone=inbound.phone,
        phone_hash=inbound.phone_hash,
        **columns,
    )


def _queue(now: datetime, **columns) -> Message:
    """An outgoing message, stored and handed to the outbox in this transaction."""
    message = Message(
        direction="out", state=QUEUED, created_at=now, state_changed_at=now, **columns
    )
    db.session.add(message)
    db.session.flush()
    registry.queue(KIND, str(message.id), now)
    return message
