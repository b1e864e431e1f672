"""A letter to the applicant by email: queued in the outbox in the letter's own
transaction, built when it is sent, to the address the request has then."""

from email.message import EmailMessage

from flask import current_app

from intake.db import db
from intake.mail import registry
from intake.models import HelpRequest, Letter, OutgoingMail

LETTER = "letter"


def queue_letter(letter: Letter) -> OutgoingMail:
    return registry.queue(LETTER, str(letter.id))


def letter_message(letter_id: str, sender: str) -> EmailMessage | None:
    """None when the letter or the case is gone (purged) or no longer has an address."""
    letter = db.session.get(Letter, int(letter_id)) if letter_id.isdigit() else None
    help_request = db.session.get(HelpRequest, letter.request_id) if letter else None
    if help_request is None or not help_request.email:
        return None
    return registry.email(letter.subject, sender, help_request.email, letter.body + "\n")


def _build(letter_id: str, _base: str) -> EmailMessage | None:
    return letter_message(letter_id, current_app.config["MAIL_FROM"])


registry.register(LETTER, _build)
