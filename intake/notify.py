"""Telling staff that a critical request is waiting, by email.

The message carries no personal data and not even the reference: only that a
critical request is waiting and a link to the queue (mail crosses servers we do
not control).

It goes through the outbox (``intake.outbox``): ``queue_if_critical`` adds an
``OutgoingMail`` row in the request's own transaction, so a stored critical
request always has its notification queued, whatever the mail server does. The
row holds only the kind; ``message_for`` rebuilds the message, with the
recipient and sender as configured at the moment it is sent.
"""

from email.message import EmailMessage

from flask import current_app, has_request_context, request

from intake import digest, timeutil
from intake.db import db
from intake.law.vocabulary import Urgency
from intake.models import HelpRequest, Letter, OutgoingMail

CRITICAL_REQUEST = "critical_request"
LETTER = "letter:"  # + the Letter's id: a letter to the applicant (intake.staff.letters)
SUBJECT = "A critical request for legal help is waiting"
# Without PUBLIC_BASE_URL or a request (``flask send-mail``): the development server.
FALLBACK_BASE_URL = "http://127.0.0.1:5000"


def queue_if_critical(help_request: HelpRequest) -> OutgoingMail | None:
    """Add the staff notification for ``help_request`` to the session (the caller
    commits both together) when it is critical and STAFF_NOTIFY_EMAIL is set."""
    if not current_app.config.get("STAFF_NOTIFY_EMAIL"):
        return None
    if help_request.urgency != Urgency.CRITICAL:
        return None
    now = timeutil.utcnow()
    mail = OutgoingMail(kind=CRITICAL_REQUEST, created_at=now, next_attempt_at=now)
    db.session.add(mail)
    return mail


def base_url() -> str:
    """PUBLIC_BASE_URL when set (the form's request may have come through an embed
    or proxy), else the current request's host, else the development server."""
    base = current_app.config.get("PUBLIC_BASE_URL")
    if not base:
        base = request.host_url if has_request_context() else FALLBACK_BASE_URL
    return base.rstrip("/")


def queue_url(base: str) -> str:
    return base + current_app.url_map.bind("localhost").build("staff.triage.queue")


def message_for(kind: str, base: str) -> EmailMessage | None:
    """The message a queued row of ``kind`` stands for, or None when there is no
    one to send it to any more (STAFF_NOTIFY_EMAIL emptied) or the kind is unknown."""
    cfg = current_app.config
    if kind.startswith(LETTER):
        return letter_message(kind.removeprefix(LETTER), cfg["MAIL_FROM"])
    recipient = cfg.get("STAFF_NOTIFY_EMAIL")
    if not recipient:
        return None
    if kind == digest.DAILY_DIGEST:
        return digest.message(
            cfg["MAIL_FROM"], recipient, queue_url(base), timeutil.today(), cfg["DIGEST_DAYS"]
        )
    if kind != CRITICAL_REQUEST:
        return None
    return critical_message(cfg["MAIL_FROM"], recipient, queue_url(base))


def critical_message(sender: str, recipient: str, link: str) -> EmailMessage:
    message = EmailMessage()
    message["Subject"] = SUBJECT
    message["From"] = sender
    message["To"] = recipient
    message.set_content(
        "A request marked critical has arrived and is waiting in the triage queue.\n\n"
        f"Open the queue (staff login required):\n{link}\n\n"
        "This message deliberately contains no details of the request.\n"
    )
    return message


def letter_message(letter_id: str, sender: str) -> EmailMessage | None:
    """A letter to the applicant, to the address they gave; None when the letter
    or the case is gone (purged) or no longer has an address."""
    letter = db.session.get(Letter, int(letter_id)) if letter_id.isdigit() else None
    help_request = db.session.get(HelpRequest, letter.request_id) if letter else None
    if help_request is None or not help_request.email:
        return None
    message = EmailMessage()
    message["Subject"] = letter.subject
    message["From"] = sender
    message["To"] = help_request.email
    message.set_content(letter.body + "\n")
    return message
