"""Telling staff that a critical request is waiting, by email.

The message carries no personal data and not even the reference: only that a
critical request is waiting and a link to the queue (mail crosses servers we do
not control). It is sent after the request is committed; a mail failure is
logged without personal data and never reaches the applicant.

The screening form calls ``notify_if_critical(help_request)`` after its commit.
"""

import logging
import smtplib
from email.message import EmailMessage

from flask import current_app, url_for

from .rules import Urgency

log = logging.getLogger(__name__)

SUBJECT = "A critical request for legal help is waiting"


def queue_url() -> str:
    """The queue's address: PUBLIC_BASE_URL when set (the form's request may have
    come through an embed or proxy), else the current request's host."""
    base = current_app.config.get("PUBLIC_BASE_URL")
    if base:
        path = current_app.url_map.bind("localhost").build("triage.queue")
        return base.rstrip("/") + path
    return url_for("triage.queue", _external=True)


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


def send(message: EmailMessage) -> None:
    cfg = current_app.config
    timeout = cfg["MAIL_TIMEOUT_SECONDS"]
    with smtplib.SMTP(cfg["MAIL_SERVER"], cfg["MAIL_PORT"], timeout=timeout) as smtp:
        if cfg["MAIL_USE_TLS"]:
            smtp.starttls()
        if cfg.get("MAIL_USERNAME"):
            smtp.login(cfg["MAIL_USERNAME"], cfg["MAIL_PASSWORD"] or "")
        smtp.send_message(message)


def notify_if_critical(help_request) -> bool:
    """Email STAFF_NOTIFY_EMAIL when ``help_request`` (already committed) is
    critical. Returns whether a message was sent; never raises."""
    recipient = current_app.config.get("STAFF_NOTIFY_EMAIL")
    if not recipient or help_request.urgency != Urgency.CRITICAL:
        return False
    try:
        send(critical_message(current_app.config["MAIL_FROM"], recipient, queue_url()))
    except (OSError, smtplib.SMTPException) as exc:
        # The type only: an SMTP error text could echo addresses back.
        log.error("critical-request notification not sent: %s", type(exc).__name__)
        return False
    except Exception as exc:  # the request is stored; a mail bug must not undo that
        log.error("critical-request notification failed: %s", type(exc).__name__)
        return False
    return True
