"""The applicant's secret status code: shown once on the confirmation, stored
only as an HMAC (under ``STATUS_CODE_KEY``, a key of its own) of the reference
and the code.

``STATUS_CODE_KEY`` is a list, newest first: a code is checked under every key
and, when it was hashed under an older one, hashed again under the newest. The
codes themselves are never kept, so nothing can rehash them in bulk: rotation
keeps an old key configured while codes made under it still matter, and never
voids one (the lookup key's rotation no longer touches them).

Eight Crockford base32 symbols (40 random bits), read aloud or copied by hand
like the reference. The HMAC binds the code to its reference, so one stored
hash says nothing about any other request. A slow hash (Argon2) would add
nothing here: the code is random, not chosen by a person, and guessing online
is held back by the per-reference rate limit.
"""

import hashlib
import hmac
import secrets
from dataclasses import dataclass

from flask import current_app

# Crockford's base32: no I, L, O or U, so a reference or code read aloud or
# copied by hand is not misread. Shared with the references (help_requests).
CROCKFORD = "0123456789ABCDEFGHJKMNPQRSTVWXYZ"
CODE_LENGTH = 8
# Compared when the reference is unknown, so that answer costs the same work
# as a wrong code for a known reference (no timing difference between the two).
_DUMMY_HASH = "0" * 64


def random_symbols(length: int) -> str:
    # 32 symbols divide 256, so the low five bits of a random byte are uniform.
    return "".join(CROCKFORD[b & 31] for b in secrets.token_bytes(length))


def new_code() -> str:
    return random_symbols(CODE_LENGTH)


def format_code(code: str) -> str:
    """ "7QM4XPD2" → "7QM4-XPD2"."""
    return "-".join(code[i : i + 4] for i in range(0, len(code), 4))


def normalise(typed: str | None, length: int) -> str:
    """What a person typed, as stored: upper case, dashes and spaces gone, and
    the letters people confuse read as Crockford does (O→0, I and L→1).
    Anything longer than twice the expected length is cut: never stored."""
    text = (typed or "")[: 4 * length].upper()
    text = "".join(ch for ch in text if ch not in " -\u00a0\t")
    return text.translate(str.maketrans("OIL", "011"))[: 2 * length]


def keys() -> list[bytes]:
    """The configured status-code keys, newest first."""
    configured = current_app.config["STATUS_CODE_KEY"]
    if isinstance(configured, str):
        configured = configured.split(",")
    return [k.strip().encode() for k in configured if k.strip()]


def _hash(key: bytes, reference: str, code: str) -> str:
    return hmac.new(key, f"status:{reference}:{code}".encode(), hashlib.sha256).hexdigest()


def code_hash(reference: str, code: str) -> str:
    """The stored form of a new code: under the newest key."""
    return _hash(keys()[0], reference, code)


@dataclass(frozen=True)
class Match:
    right: bool
    rehashed: str | None = None  # the hash under the newest key, when an older one matched


def check(reference: str, code: str, stored: str | None) -> Match:
    """The code is this reference's; constant time, and the same work when
    there is nothing stored (unknown reference, or a request made before codes):
    every key is tried whatever matched."""
    expected = stored or _DUMMY_HASH
    hits = [hmac.compare_digest(_hash(k, reference, code), expected) for k in keys()]
    if stored is None or not any(hits):
        return Match(False)
    return Match(True, None if hits[0] else code_hash(reference, code))
