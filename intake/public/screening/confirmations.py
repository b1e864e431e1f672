"""The confirmation after a sent request, reached by a redirect (so Back and
reload never post the answers again) and shown again on reload for
``CONFIRMATION_MINUTES``: a one-time row keyed by a random key in the address,
deleted once expired. The status code never appears in any address."""

import hashlib
import secrets
import time
from datetime import timedelta

from flask import current_app
from sqlalchemy import delete, insert

from intake import timeutil
from intake.db import db
from intake.models import Confirmation, HelpRequest


def _hash(key: str) -> str:
    return hashlib.sha256(key.encode()).hexdigest()


def keep(help_request: HelpRequest) -> str:
    """Store the page of ``help_request`` (with its status code, when this is the
    request that created it); return the key for its address. Expired pages of
    anyone are deleted in the same transaction, at most every ``SWEEP_EVERY``."""
    key = add(help_request)
    db.session.commit()
    return key


# Expired pages of anyone are swept by a page being kept at most this often (in
# seconds, per process), not by every one: a DELETE in every submission's
# transaction costs more than the row it keeps. ``find`` never shows an expired
# page, and ``purge`` sweeps whatever no submission came to sweep.
SWEEP_EVERY = 60.0
_swept_at = None


def add(help_request: HelpRequest) -> str:
    """``keep`` without the commit: for the transaction that stores the request
    itself (the caller commits both together)."""
    global _swept_at
    now = timeutil.utcnow()
    if _swept_at is None or time.monotonic() - _swept_at >= SWEEP_EVERY:
        db.session.execute(delete(Confirmation).where(Confirmation.expires_at <= now))
        _swept_at = time.monotonic()
    key = secrets.token_urlsafe(24)
    db.session.connection().execute(
        insert(Confirmation.__table__),
        {
            "key_hash": _hash(key),
            "request_id": help_request.id,
            "status_code": getattr(help_request, "status_code", None),
            "expires_at": now + timedelta(minutes=current_app.config["CONFIRMATION_MINUTES"]),
        },
    )
    return key


def find(key: str) -> tuple[HelpRequest, str | None] | None:
    """The request and status code of an unexpired page; None (and the row gone)
    otherwise."""
    if not key or len(key) > 64:
        return None
    row = db.session.get(Confirmation, _hash(key))
    if row is None:
        return None
    if row.expires_at <= timeutil.utcnow():
        db.session.delete(row)
        db.session.commit()
        return None
    return db.session.get(HelpRequest, row.request_id), row.status_code
