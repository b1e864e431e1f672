"""Time in one place, so tests can freeze it and every stored time is naive UTC."""

from datetime import UTC, date, datetime


def utcnow() -> datetime:
    return datetime.now(UTC).replace(tzinfo=None)


def today() -> date:
    return utcnow().date()


def column_now() -> datetime:
    """The default (and ``onupdate``) of stored times. Columns keep a reference to
    this function, which looks ``utcnow`` up when called: a test that freezes
    ``timeutil.utcnow`` freezes ``created_at`` and ``updated_at`` too."""
    return utcnow()
