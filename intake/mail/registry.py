"""The kinds of message the outbox carries.

Each kind of mail registers a builder; a queued row holds only ``kind`` or
``kind:argument`` (a letter's id), and the message is built when it is sent, with
the recipient and sender as configured then. A kind that is not mail (a text
message, ``intake.messages``) registers a sender instead, which delivers it by
its own means. The outbox knows no kind: it asks ``sender_for`` and
``message_for``.
"""

from collections.abc import Callable
from datetime import datetime
from email.message import EmailMessage

from flask import current_app, has_request_context, request

from intake import timeutil
from intake.db import db
from intake.models import OutgoingMail

# (argument, the public base URL for links) -> the message, or None when there is
# no one to send it to any more.
Builder = Callable[[str, str], EmailMessage | None]

# Without PUBLIC_BASE_URL or a request (``flask send-mail``): the development server.
FALLBACK_BASE_URL = "http://127.0.0.1:5000"

# (argument, the public base URL) -> None once delivered; raises to be retried,
# or GiveUp when it never can be.
Sender = Callable[[str, str], None]
# (argument) -> None: the outbox gave the row up (after its last attempt).
GivenUp = Callable[[str], None]

_builders: dict[str, Builder] = {}
_senders: dict[str, tuple[Sender, GivenUp | None]] = {}


class GiveUp(Exception):
    """Nothing to send (the recipient is gone) or never sendable: not retried."""


def register(kind: str, builder: Builder) -> None:
    _builders[kind] = builder


def register_sender(kind: str, sender: Sender, given_up: GivenUp | None = None) -> None:
    """A kind the outbox delivers by calling ``sender`` rather than by SMTP;
    ``given_up`` hears of a row the outbox stopped trying."""
    _senders[kind] = (sender, given_up)


def queue(kind: str, argument: str = "", now: datetime | None = None) -> OutgoingMail:
    """Add a row for ``kind`` to the session; the caller commits it together with
    whatever it is about, so one is never stored without the other."""
    if kind not in _builders and kind not in _senders:
        raise KeyError(f"unknown kind of mail: {kind}")
    now = now or timeutil.utcnow()
    row_kind = f"{kind}:{argument}" if argument else kind
    mail = OutgoingMail(kind=row_kind, created_at=now, next_attempt_at=now)
    db.session.add(mail)
    return mail


def message_for(row_kind: str, base: str) -> EmailMessage | None:
    """The message a queued row stands for; None for a kind nobody registered."""
    kind, _, argument = row_kind.partition(":")
    builder = _builders.get(kind)
    return builder(argument, base) if builder else None


def sender_for(row_kind: str) -> Callable[[str], None] | None:
    """For a kind with its own sender: a call that delivers the row (given the
    base URL); None for mail, which the outbox sends by SMTP."""
    kind, _, argument = row_kind.partition(":")
    if kind not in _senders:
        return None
    sender = _senders[kind][0]
    return lambda base: sender(argument, base)


def given_up(row_kind: str) -> None:
    """Tell a kind's sender that the outbox gave its row up."""
    kind, _, argument = row_kind.partition(":")
    hook = _senders.get(kind, (None, None))[1]
    if hook is not None:
        hook(argument)


def email(subject: str, sender: str, recipient: str, body: str) -> EmailMessage:
    message = EmailMessage()
    message["Subject"] = subject
    message["From"] = sender
    message["To"] = recipient
    message.set_content(body)
    return message


def to_staff(build: Callable[[str, str, str], EmailMessage]) -> Builder:
    """A builder for mail to STAFF_NOTIFY_EMAIL: ``build(sender, recipient, queue
    link)``; nothing to send once the address is emptied."""

    def builder(_argument: str, base: str) -> EmailMessage | None:
        cfg = current_app.config
        recipient = cfg.get("STAFF_NOTIFY_EMAIL")
        if not recipient:
            return None
        return build(cfg["MAIL_FROM"], recipient, staff_queue_url(base))

    return builder


def base_url() -> str:
    """PUBLIC_BASE_URL when set (the form's request may have come through an embed
    or proxy), else the current request's host, else the development server."""
    base = current_app.config.get("PUBLIC_BASE_URL")
    if not base:
        base = request.host_url if has_request_context() else FALLBACK_BASE_URL
    return base.rstrip("/")


def staff_queue_url(base: str) -> str:
    return base + current_app.url_map.bind("localhost").build("staff.triage.queue")
