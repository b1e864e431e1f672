"""Normal forms of a phone number and an email address, and their keyed hashes.

A phone number is parsed with ``phonenumbers`` (Google's libphonenumber data) and
kept in E.164 ("+12125550100"): a number written without a country code is read
as one of the office's country (``PHONE_REGION``, "US" by default), so
"+1 (212) 555-0100", "1-212-555-0100" and "212.555.0100" are one number, and
"+44 20 7946 0958" stays British. Staff read a number of the office's country in
its national format ("(212) 555-0100") and any other in international format.

The keyed hashes that find possible duplicates (``HelpRequest.phone_hash`` and
``email_hash``) are taken of these forms. ``lookup_hashes`` is the one place they
are computed: the form, the test factory, ``rotate-keys`` (which recomputes them
under a new ``LOOKUP_KEY``) and the migration that moved the stored hashes to
E.164 all call it, so the hashes always agree.
"""

import re
import unicodedata

import phonenumbers
from flask import current_app, has_app_context

DEFAULT_REGION = "US"
# Every address, a visitor's or a staff member's, is compared in one normal
# form (``normalise_email``); what shape it must have depends on who chose it:
# A visitor's: deliberately loose (one @, something on each side, a dot in the
# domain, no spaces, any script). Whether mail arrives is only known by sending it.
EMAIL_SHAPE = re.compile(r"^[^@\s]+@[^@\s]+\.[^@\s]+$")
# A staff account's: plain ASCII only. The organisation chooses these addresses,
# and a strict shape keeps markup and look-alike characters out of the account list.
STAFF_EMAIL_SHAPE = re.compile(r"[a-z0-9.!#$%&'*+/=?^_`{|}~-]+@[a-z0-9-]+(\.[a-z0-9-]+)+")
STAFF_EMAIL_MAX = 254


def phone_region() -> str:
    """The office's country (ISO 3166 code): the country of a number written
    without a country code."""
    if has_app_context():
        return str(current_app.config.get("PHONE_REGION") or DEFAULT_REGION).upper()
    return DEFAULT_REGION


def parse_phone(phone: str | None, region: str | None = None):
    """The ``phonenumbers.PhoneNumber`` of a valid number, or None: unparseable,
    too short or long, or a number no country uses. The office country's
    international prefix ("011" from the US) and digits of any script (NFKC:
    "٢" is "2") are understood."""
    text = unicodedata.normalize("NFKC", phone or "").strip()
    if not text or len(text) > 40:
        return None
    try:
        number = phonenumbers.parse(text, region or phone_region())
    except phonenumbers.NumberParseException:
        return None
    return number if phonenumbers.is_valid_number(number) else None


def normalise_phone(phone: str, region: str | None = None) -> str:
    """E.164 ("+12125550100"). A number that does not parse (typed before numbers
    were checked this strictly) falls back to its digits, so it still matches
    itself."""
    number = parse_phone(phone, region)
    if number is None:
        return re.sub(r"\D", "", unicodedata.normalize("NFKC", phone or ""))
    return phonenumbers.format_number(number, phonenumbers.PhoneNumberFormat.E164)


def phone_for_staff(phone: str | None, region: str | None = None) -> str:
    """How staff read a stored number: national format for a number of the
    office's country, international otherwise; as stored if it does not parse."""
    if not phone:
        return ""
    region = region or phone_region()
    number = parse_phone(phone, region)
    if number is None:
        return phone
    national = phonenumbers.region_code_for_number(number) == region
    style = phonenumbers.PhoneNumberFormat
    return phonenumbers.format_number(number, style.NATIONAL if national else style.INTERNATIONAL)


def normalise_email(email: str) -> str:
    """NFKC (full-width "Ａ" is "A"), no surrounding spaces, lower case: the form
    that is stored, hashed for duplicates and matched at login."""
    return unicodedata.normalize("NFKC", email).strip().lower()


def looks_like_phone(phone: str) -> bool:
    """A valid number of some country (read as the office's without a country code)."""
    return parse_phone(phone) is not None


def looks_like_email(email: str) -> bool:
    """A visitor's address is plausible (the loose shape)."""
    return bool(EMAIL_SHAPE.match(normalise_email(email)))


def valid_staff_email(email: str) -> bool:
    """A staff account's address, already normalised, has the strict ASCII shape."""
    return len(email) <= STAFF_EMAIL_MAX and STAFF_EMAIL_SHAPE.fullmatch(email) is not None


def lookup_hashes(ring, phone: str | None, email: str | None) -> tuple[str | None, str | None]:
    """(phone_hash, email_hash) as stored on a request: ``ring``'s keyed hashes of
    the normal forms, None where there is no value."""
    return (
        ring.lookup_hash(normalise_phone(phone)) if phone else None,
        ring.lookup_hash(normalise_email(email)) if email else None,
    )
