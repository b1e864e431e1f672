"""What the provider tells us: a message a person sent, and how one of ours
fared (status callbacks). The webhooks (``intake.messages.webhooks``) check the
signature and hand the form fields here.

An inbound message is stored once per provider id (a replay changes nothing),
encrypted, on the request its number belongs to: the request this number was
last in a conversation with, else the one request with this phone. A number
that matches none (or several, and was never messaged) waits in the inbox for
triage staff. STOP, START and HELP (``intake.messages.keywords``) act at once,
whoever sent them; each is audited.
"""

from datetime import datetime

from flask import current_app
from sqlalchemy import delete, select
from sqlalchemy.exc import IntegrityError

from intake import timeutil
from intake.cases import audit
from intake.db import db
from intake.letters.drafts import letter_language
from intake.messages import consent, keywords, sending
from intake.models import HelpRequest, Message, MessageOptOut

BODY_MAX = 4000  # characters kept of an inbound message


def match_request(number_hash: str | None) -> HelpRequest | None:
    if not number_hash:
        return None
    earlier = db.session.execute(
        select(Message.request_id)
        .where(Message.phone_hash == number_hash, Message.request_id.is_not(None))
        .order_by(Message.created_at.desc(), Message.id.desc())
        .limit(1)
    ).scalar_one_or_none()
    if earlier is not None:
        return db.session.get(HelpRequest, earlier)
    found = list(
        db.session.execute(
            select(HelpRequest).where(HelpRequest.phone_hash == number_hash).limit(2)
        ).scalars()
    )
    return found[0] if len(found) == 1 else None


def already_processed(sid: str) -> bool:
    return (
        db.session.execute(select(Message.id).where(Message.provider_sid == sid)).first()
        is not None
    )


def receive(fields: dict[str, str], now: datetime | None = None) -> Message | None:
    """Store and act on an inbound message; None when its id was seen before
    (or it is malformed). Commits."""
    now = now or timeutil.utcnow()
    sid = (fields.get("MessageSid") or fields.get("SmsSid") or "").strip()[:64]
    sender = (fields.get("From") or "").strip()
    if not sid or not sender or already_processed(sid):
        return None
    channel = consent.WHATSAPP if sender.startswith("whatsapp:") else consent.SMS
    phone = consent.without_channel(sender)
    number_hash = consent.phone_hash(phone)
    help_request = match_request(number_hash)
    body = (fields.get("Body") or "")[:BODY_MAX]
    keyword = keywords.match(body)
    preferred = letter_language(help_request) if help_request else None
    opted_out = consent.is_opted_out(number_hash)
    if keyword and keyword.action == keywords.START and not opted_out:
        keyword = None  # "yes" from someone who never stopped is an answer, not START
    message = Message(
        request_id=help_request.id if help_request else None,
        direction="in",
        channel=channel,
        kind=keyword.action if keyword else "inbound",
        language=keywords.answer_language(keyword, preferred) if keyword else None,
        body=body,
        phone=phone,
        phone_hash=number_hash,
        state=sending.RECEIVED,
        provider_sid=sid,
        created_at=now,
        state_changed_at=now,
    )
    db.session.add(message)
    try:
        db.session.flush()
    except IntegrityError:  # the same id, processed at the same moment elsewhere
        db.session.rollback()
        return None
    reference = help_request.reference if help_request else "unknown number"
    audit.record("message.received", "request", reference, f"{message.kind} by {channel}")
    if keyword:
        _act(keyword, message, opted_out, reference, now)
    db.session.commit()
    return message


def _act(keyword, message: Message, opted_out: bool, reference: str, now: datetime) -> None:
    if keyword.action == keywords.STOP and not opted_out:
        db.session.add(MessageOptOut(phone_hash=message.phone_hash, created_at=now))
    elif keyword.action == keywords.START:
        db.session.execute(
            delete(MessageOptOut).where(MessageOptOut.phone_hash == message.phone_hash)
        )
    audit.record(
        f"message.{keyword.action}", "request", reference, f"{keyword.word} by {message.channel}"
    )
    if keywords.twilio_answers(keyword, message.channel):
        return
    cfg = current_app.config
    text = keywords.answer(
        keyword.action, message.language, cfg["ORGANISATION_NAME"], cfg.get("HELPLINE_PHONE")
    )
    sending.queue_reply(message, text, message.language, now)


def purge_unattached(before: datetime) -> int:
    """Delete messages with numbers no request took (the inbox and answers to it)
    from before ``before`` (from ``purge``: a case's messages go with the case).
    The caller commits."""
    result = db.session.execute(
        delete(Message)
        .where(Message.request_id.is_(None), Message.created_at < before)
        .execution_options(synchronize_session=False)
    )
    return result.rowcount


def status(fields: dict[str, str], now: datetime | None = None) -> bool:
    """Move one of our messages on by a status callback; True if it moved.
    Unknown ids and backward moves change nothing. Commits."""
    sid = (fields.get("MessageSid") or fields.get("SmsSid") or "").strip()
    state = sending.PROVIDER_STATES.get((fields.get("MessageStatus") or "").strip().lower())
    if not sid or state is None:
        return False
    message = db.session.execute(
        select(Message).where(Message.provider_sid == sid, Message.direction == "out")
    ).scalar_one_or_none()
    if message is None or not sending.advance(message, state, now):
        db.session.rollback()
        return False
    if state == sending.FAILED:
        code = "".join(c for c in (fields.get("ErrorCode") or "") if c.isdigit())
        message.error_code = code[:16] or None
    db.session.commit()
    return True
