"""Integration keys: made and revoked by admins, shown once, kept as a keyed hash.

A key reads like ``ik_7qm4xpd2h3kz_...``: ``ik_``, the public prefix that names
it in lists and the audit log, then the secret. Only the keyed hash of the whole
key (``LOOKUP_KEY``) is stored, so the database alone opens nothing; rotating
``LOOKUP_KEY`` voids every key (admins make new ones).

Each key belongs to one organisation of the referral directory and has one
fixed scope (``SCOPES``): read the cases that organisation accepted, and write
what became of them. There is no key that sees more.
"""

import base64
import secrets
from dataclasses import dataclass

from sqlalchemy import select

from intake import crypto, timeutil
from intake.cases import audit
from intake.db import db
from intake.models import ApiKey, ReferralOrganisation, StaffUser

PREFIX = "ik_"
SCOPES = ("cases.accepted:read", "outcomes:write")
NAME_MAX = 120
KEY_MAX = 100


class ApiKeyError(ValueError):
    """A change the rules refuse; the message is shown to the admin."""


def _hash(key: str) -> str:
    return crypto.keyring().lookup_hash("api-key:" + key)


@dataclass(frozen=True)
class Made:
    key: ApiKey
    secret: str  # the whole key, shown once


def create(name: str, organisation: ReferralOrganisation | None, actor: StaffUser) -> Made:
    name = " ".join((name or "").split())
    if not name:
        raise ApiKeyError("Name the integration, such as the system it is for.")
    if len(name) > NAME_MAX:
        raise ApiKeyError(f"The name is too long (at most {NAME_MAX} characters).")
    if organisation is None:
        raise ApiKeyError("Choose the organisation whose accepted cases it reads.")
    prefix = base64.b32encode(secrets.token_bytes(5)).decode("ascii").lower()
    secret = f"{PREFIX}{prefix}_{secrets.token_urlsafe(32)}"
    key = ApiKey(
        name=name,
        organisation_id=organisation.id,
        prefix=prefix,
        key_hash=_hash(secret),
        created_by_id=actor.id,
    )
    db.session.add(key)
    db.session.flush()
    audit.record("api_key.create", "api_key", key.id, f"org={organisation.id}", actor.id)
    db.session.commit()
    return Made(key, secret)


def revoke(key: ApiKey, actor: StaffUser) -> None:
    if key.revoked_at is not None:
        raise ApiKeyError("This key was already revoked.")
    key.revoked_at = timeutil.utcnow()
    key.revoked_by_id = actor.id
    audit.record("api_key.revoke", "api_key", key.id, f"org={key.organisation_id}", actor.id)
    db.session.commit()


def authenticate(presented: str | None) -> ApiKey | None:
    """The live key presented, or None (unknown, malformed or revoked alike)."""
    if not presented or len(presented) > KEY_MAX or not presented.startswith(PREFIX):
        return None
    key = db.session.execute(
        select(ApiKey).where(ApiKey.key_hash == _hash(presented))
    ).scalar_one_or_none()
    if key is None or key.revoked_at is not None:
        return None
    return key


def all_keys() -> list[ApiKey]:
    return list(db.session.execute(select(ApiKey).order_by(ApiKey.created_at.desc())).scalars())
