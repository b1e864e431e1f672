"""Normal forms of a phone number and an email address, and their keyed hashes.

The keyed hashes that find possible duplicates (``HelpRequest.phone_hash`` and
``email_hash``) are taken of these forms, so "+1 (212) 555-0100", "1-212-555-0100"
and "212.555.0100" match. ``lookup_hashes`` is the one place they are computed:
the form, the test factory and ``rotate-keys`` (which recomputes them under a
new ``LOOKUP_KEY``) all call it, so the hashes always agree.
"""

import re
import unicodedata

PHONE_CHARACTERS = re.compile(r"^\+?[0-9 ().\-]+$")
# Every address, a visitor's or a staff member's, is compared in one normal
# form (``normalise_email``); what shape it must have depends on who chose it:
# A visitor's: deliberately loose (one @, something on each side, a dot in the
# domain, no spaces, any script). Whether mail arrives is only known by sending it.
EMAIL_SHAPE = re.compile(r"^[^@\s]+@[^@\s]+\.[^@\s]+$")
# A staff account's: plain ASCII only. The organisation chooses these addresses,
# and a strict shape keeps markup and look-alike characters out of the account list.
STAFF_EMAIL_SHAPE = re.compile(r"[a-z0-9.!#$%&'*+/=?^_`{|}~-]+@[a-z0-9-]+(\.[a-z0-9-]+)+")
STAFF_EMAIL_MAX = 254


def normalise_phone(phone: str) -> str:
    """Digits only; a US number loses its country code 1, since people write
    the same number with and without it."""
    digits = re.sub(r"\D", "", unicodedata.normalize("NFKC", phone))
    return digits[1:] if len(digits) == 11 and digits.startswith("1") else digits


def normalise_email(email: str) -> str:
    """NFKC (full-width "Ａ" is "A"), no surrounding spaces, lower case: the form
    that is stored, hashed for duplicates and matched at login."""
    return unicodedata.normalize("NFKC", email).strip().lower()


def looks_like_phone(phone: str) -> bool:
    """Digits with the usual separators, 7 to 15 digits (E.164 allows at most 15)."""
    phone = unicodedata.normalize("NFKC", phone).strip()
    digits = len(re.sub(r"\D", "", phone))
    return bool(PHONE_CHARACTERS.match(phone)) and 7 <= digits <= 15


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
