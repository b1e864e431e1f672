"""Whether a request may be sent a message on a channel: one rule, in one place.

A message goes to a request only when all of these hold:

- the request still exists (a purged one is ``None``);
- the person chose the channel on the form (``reach_by`` in the stored facts:
  "text" for SMS, "whatsapp" for WhatsApp);
- they said messages are safe (``safe_to_message == "yes"``: "no" and "not sure"
  both mean none is sent at all, as the confirmation promised);
- there is a number to write to (``message_phone``, else the request's phone);
- that number has not sent STOP (``opted_out``).

The stored facts keys (``intake.cases.stored_facts.CONTACT_KEYS``) are written
by the form; this module only reads them.
"""

import phonenumbers
from sqlalchemy import select

from intake import crypto
from intake.cases.contact import lookup_hashes
from intake.db import db
from intake.models import HelpRequest, MessageOptOut

DEFAULT_REGION = "US"  # a number written without its country code
SMS = "sms"
WHATSAPP = "whatsapp"
CHANNELS = (SMS, WHATSAPP)
# The form's word for each channel in ``reach_by``.
CONSENT_WORD = {SMS: "text", WHATSAPP: "whatsapp"}
CHANNEL_LABELS = {SMS: "Text (SMS)", WHATSAPP: "WhatsApp"}

# Why a message may not be sent (recorded in the audit log; no personal data).
GONE = "the request no longer exists"
UNKNOWN_CHANNEL = "not a channel we send on"
NOT_CHOSEN = "the person did not choose this channel"
NOT_SAFE = "the person did not say messages are safe"
NO_NUMBER = "no number to message"
OPTED_OUT = "the number sent STOP"


def reach_by(facts: dict) -> list[str]:
    """The ways the person chose to be reached (a list of the form's words)."""
    chosen = facts.get("reach_by") or []
    return [str(c) for c in chosen] if isinstance(chosen, list | tuple) else []


def message_phone(help_request: HelpRequest, facts: dict) -> str | None:
    """The number to message, in E.164: the one given for messages, else the
    request's; None when neither is a possible number."""
    return e164(facts.get("message_phone") or help_request.phone or "")


def e164(phone: str) -> str | None:
    """``phone`` in E.164 ("+12125550100"); a number written without a country
    code is read as a US one, as the form asks for. None when it cannot be a number."""
    try:
        number = phonenumbers.parse(phone.strip(), DEFAULT_REGION)
    except phonenumbers.NumberParseException:
        return None
    if not phonenumbers.is_possible_number(number):
        return None
    return phonenumbers.format_number(number, phonenumbers.PhoneNumberFormat.E164)


def phone_hash(phone: str | None) -> str | None:
    """The keyed hash of a number's normal form, as a request's ``phone_hash``
    (a WhatsApp address's "whatsapp:" prefix left out)."""
    if not phone:
        return None
    return lookup_hashes(crypto.keyring(), without_channel(phone), None)[0]


def without_channel(address: str) -> str:
    """ "whatsapp:+12125550100" -> "+12125550100"."""
    return address.split(":", 1)[1] if address.startswith("whatsapp:") else address


def is_opted_out(number_hash: str | None) -> bool:
    if not number_hash:
        return False
    found = select(MessageOptOut.phone_hash).where(MessageOptOut.phone_hash == number_hash)
    return db.session.execute(found).first() is not None


def may_message(
    help_request: HelpRequest | None, facts: dict, channel: str, opted_out: bool
) -> tuple[bool, str]:
    """(True, "") when ``channel`` may be used for this request now, else
    (False, why). ``opted_out``: the number sent STOP (``is_opted_out``)."""
    if help_request is None:
        return False, GONE
    if channel not in CHANNELS:
        return False, UNKNOWN_CHANNEL
    if CONSENT_WORD[channel] not in reach_by(facts):
        return False, NOT_CHOSEN
    if help_request.safe_to_message != "yes":
        return False, NOT_SAFE
    if not message_phone(help_request, facts):
        return False, NO_NUMBER
    if opted_out:
        return False, OPTED_OUT
    return True, ""
