"""Telling staff that a critical request is waiting, by email.

The message carries no personal data and not even the reference: only that a
critical request is waiting and a link to the queue (mail crosses servers we do
not control). ``queue_if_critical`` adds the outbox row in the request's own
transaction, so a stored critical request always has its notification queued,
whatever the mail server does.
"""

from email.message import EmailMessage

from flask import current_app

from intake.law.vocabulary import Urgency
from intake.mail import registry
from intake.models import HelpRequest, OutgoingMail

CRITICAL_REQUEST = "critical_request"
SUBJECT = "A critical request for legal help is waiting"


def queue_if_critical(help_request: HelpRequest) -> OutgoingMail | None:
    """Add the staff notification for ``help_request`` to the session (the caller
    commits both together) when it is critical and STAFF_NOTIFY_EMAIL is set."""
    if not current_app.config.get("STAFF_NOTIFY_EMAIL"):
        return None
    if help_request.urgency != Urgency.CRITICAL:
        return None
    return registry.queue(CRITICAL_REQUEST)


def critical_message(sender: str, recipient: str, link: str) -> EmailMessage:
    return registry.email(
        SUBJECT,
        sender,
        recipient,
        "A request marked critical has arrived and is waiting in the triage queue.\n\n"
        f"Open the queue (staff login required):\n{link}\n\n"
        "This message deliberately contains no details of the request.\n",
    )


registry.register(CRITICAL_REQUEST, registry.to_staff(critical_message))
