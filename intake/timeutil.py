"""Time in one place, so tests can freeze it and every stored time is naive UTC.

``today`` is the office's date (``OFFICE_TIMEZONE``), not UTC's: a deadline's last
day lasts until midnight where the office and the court are, so at 9 pm in New
York a deadline due that day is still open, although it is already tomorrow in UTC.
"""

from datetime import UTC, date, datetime
from zoneinfo import ZoneInfo

from flask import current_app, has_app_context

from intake import settings
from intake.law.working_days import office_date


def utcnow() -> datetime:
    return datetime.now(UTC).replace(tzinfo=None)


def office_zone() -> ZoneInfo:
    name = current_app.config["OFFICE_TIMEZONE"] if has_app_context() else None
    return ZoneInfo(name or settings.OFFICE_TIMEZONE)


def today() -> date:
    """The office's calendar date now."""
    return office_date(utcnow(), office_zone())


def column_now() -> datetime:
    """The default (and ``onupdate``) of stored times. Columns keep a reference to
    this function, which looks ``utcnow`` up when called: a test that freezes
    ``timeutil.utcnow`` freezes ``created_at`` and ``updated_at`` too."""
    return utcnow()
