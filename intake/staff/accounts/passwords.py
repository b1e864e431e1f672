"""Staff passwords: Argon2id (argon2-cffi's defaults, the RFC 9106 low-memory
profile, unless ``STAFF_ARGON2_PARAMETERS`` says otherwise).

Long passphrases are welcome; anything longer than ``MAX_LENGTH`` is refused
before it reaches the hasher, so nobody can make the server hash megabytes."""

from functools import cache

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError, VerifyMismatchError
from flask import current_app

MIN_LENGTH = 12
MAX_LENGTH = 256


@cache
def _hasher_for(parameters: tuple) -> tuple[PasswordHasher, str]:
    """The hasher, and a hash of nothing made with it: checked against when there
    is no account (or its client is slowed), so a wrong email costs as much time as a
    wrong password and does not reveal who has an account."""
    hasher = PasswordHasher(**dict(parameters))  # Argon2id by default
    return hasher, hasher.hash("no such account: spend the same time")


def _hasher() -> PasswordHasher:
    return _hasher_for(_parameters())[0]


def _dummy_hash() -> str:
    return _hasher_for(_parameters())[1]


def _parameters() -> tuple:
    return tuple(sorted((current_app.config.get("STAFF_ARGON2_PARAMETERS") or {}).items()))


class PasswordRefused(ValueError):
    """The password breaks a rule; the message says which, for the form."""


def password_problem(password: str) -> str | None:
    """Why this new password is refused, or None when it is acceptable."""
    if len(password) > MAX_LENGTH:
        return f"Use at most {MAX_LENGTH} characters."
    if len(password) < MIN_LENGTH:
        return f"Use at least {MIN_LENGTH} characters; a few words make a good passphrase."
    if not password.strip():
        return "A password cannot be only spaces."
    return None


def hash_password(password: str) -> str:
    problem = password_problem(password)
    if problem:
        raise PasswordRefused(problem)
    return _hasher().hash(password)


def verify_password(stored_hash: str | None, password: str) -> bool:
    """True when ``password`` matches; without a hash, spend the time anyway."""
    if stored_hash is None or len(password) > MAX_LENGTH:
        _check(_dummy_hash(), "")
        return False
    return _check(stored_hash, password)


def spend_verification_time() -> None:
    """Take as long as a real check, for refusals decided without one."""
    _check(_dummy_hash(), "")


def needs_rehash(stored_hash: str) -> bool:
    return _hasher().check_needs_rehash(stored_hash)


def _check(stored_hash: str, password: str) -> bool:
    try:
        return _hasher().verify(stored_hash, password)
    except (VerifyMismatchError, VerificationError, InvalidHashError):
        return False
