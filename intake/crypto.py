"""Field-level encryption of applicants' personal answers, and keyed hashes for
finding duplicates without decrypting.

Keys never live in the database: they come from ``ENCRYPTION_KEYS`` (Fernet keys,
newest first) and ``LOOKUP_KEY`` in the environment or instance/config.py. In
development, missing keys are generated into instance/; in production a missing
key makes every write of personal data fail (the form answers 503) rather than
store plaintext.
"""

import hashlib
import hmac
import secrets
from pathlib import Path

from cryptography.fernet import Fernet, InvalidToken, MultiFernet
from flask import Flask, current_app
from sqlalchemy import Text
from sqlalchemy.types import TypeDecorator


class KeyUnavailable(RuntimeError):
    """No usable encryption key is configured."""


class Keyring:
    def __init__(self, keys: list[str], lookup_key: bytes | None):
        self.fernet = MultiFernet([Fernet(k) for k in keys]) if keys else None
        self.lookup_key = lookup_key

    def encrypt(self, plaintext: str) -> str:
        if self.fernet is None:
            raise KeyUnavailable("no encryption key configured")
        return self.fernet.encrypt(plaintext.encode("utf-8")).decode("ascii")

    def decrypt(self, token: str) -> str:
        if self.fernet is None:
            raise KeyUnavailable("no encryption key configured")
        try:
            return self.fernet.decrypt(token.encode("ascii")).decode("utf-8")
        except InvalidToken as exc:
            raise KeyUnavailable("no configured key can decrypt this value") from exc

    def rotate(self, token: str) -> str:
        """Re-encrypt under the newest key (the old key can then be removed)."""
        if self.fernet is None:
            raise KeyUnavailable("no encryption key configured")
        try:
            return self.fernet.rotate(token.encode("ascii")).decode("ascii")
        except InvalidToken as exc:
            raise KeyUnavailable("no configured key can decrypt this value") from exc

    def lookup_hash(self, normalised: str) -> str:
        if self.lookup_key is None:
            raise KeyUnavailable("no lookup key configured")
        return hmac.new(self.lookup_key, normalised.encode("utf-8"), hashlib.sha256).hexdigest()


def keyring() -> Keyring:
    return current_app.extensions["intake.keyring"]


def init_app(app: Flask) -> None:
    keys = _as_list(app.config.get("ENCRYPTION_KEYS"))
    lookup = app.config.get("LOOKUP_KEY")
    if not app.config["PRODUCTION"]:
        keys = keys or [_development_value(app, "encryption_key", Fernet.generate_key)]
        lookup = lookup or _development_value(app, "lookup_key", lambda: secrets.token_hex(32))
    try:
        ring = Keyring(keys, lookup.encode() if lookup else None)
    except ValueError:
        app.logger.error("ENCRYPTION_KEYS holds a key that is not a valid Fernet key")
        ring = Keyring([], lookup.encode() if lookup else None)
    app.extensions["intake.keyring"] = ring


def _as_list(value) -> list[str]:
    if not value:
        return []
    if isinstance(value, str):
        return [k.strip() for k in value.split(",") if k.strip()]
    return [str(k) for k in value]


def _development_value(app: Flask, name: str, make) -> str:
    path = Path(app.instance_path) / name
    if not path.exists():
        value = make()
        path.touch(mode=0o600)
        path.write_text(value.decode() if isinstance(value, bytes) else value)
    return path.read_text().strip()


class Encrypted(TypeDecorator):
    """A text column stored as a Fernet token under the app's keyring."""

    impl = Text
    cache_ok = True

    def process_bind_param(self, value, dialect):
        return None if value is None else keyring().encrypt(value)

    def process_result_value(self, value, dialect):
        return None if value is None else keyring().decrypt(value)
