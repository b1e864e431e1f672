"""The office calendar: working days and the office's own clock.

Pure functions, no Flask and no database. The confirmation promises a reply
"within REPLY_WITHIN_DAYS working days"; this module says which days count and
when that promise runs out. A working day is Monday to Friday in the office's
time zone (``OFFICE_TIMEZONE``), except the dates listed in ``OFFICE_CLOSED_DAYS``
(public holidays the office keeps).

Counting: the day a request arrives does not count (it may arrive at 23:59);
every working day after it, up to and including today, does. With the default 5
days a request sent on a Friday has had 3 working days on the next Wednesday and
5 on the Friday after.
"""

from collections.abc import Collection
from datetime import UTC, date, datetime, time, timedelta
from zoneinfo import ZoneInfo

SATURDAY = 5


def is_working_day(day: date, closed: Collection[date] = ()) -> bool:
    return day.weekday() < SATURDAY and day not in closed


def reply_due(sent_on: date, days: int, closed: Collection[date] = ()) -> date:
    """The working day on which ``days`` working days since ``sent_on`` are complete."""
    day, counted = sent_on, 0
    while counted < days:
        day += timedelta(days=1)
        counted += is_working_day(day, closed)
    return day


def is_overdue(sent_on: date, today: date, days: int, closed: Collection[date] = ()) -> bool:
    """True from the morning of the last promised working day.

    "Within 5 working days" ends with the fifth; marking the request on that
    morning rather than the next one leaves staff the whole day to keep the
    promise. Where the wording leaves a choice, the earlier mark puts the
    person in front of staff sooner.
    """
    return today >= reply_due(sent_on, days, closed)


def latest_overdue_day(today: date, days: int, closed: Collection[date] = ()) -> date:
    """The last arrival date that is overdue ``today``: every request that
    arrived on this day or before it is overdue (the queue's filter)."""
    day, counted = today, 0
    while True:
        counted += is_working_day(day, closed)
        if counted >= days:
            return day - timedelta(days=1)
        day -= timedelta(days=1)


def parse_closed_days(values) -> frozenset[date]:
    """``OFFICE_CLOSED_DAYS`` as dates: a list of ISO dates or one comma-separated
    string (as from the environment). A date that does not parse is an error at
    start-up, not a silently open office."""
    if not values:
        return frozenset()
    if isinstance(values, str):
        values = [v for v in (part.strip() for part in values.split(",")) if v]
    return frozenset(v if isinstance(v, date) else date.fromisoformat(str(v)) for v in values)


# --- the office's clock ---------------------------------------------------------
# Stored times are naive UTC (intake.timeutil); staff think in office time.


def office_date(moment: datetime, zone: ZoneInfo) -> date:
    """The office's calendar date of a stored (naive UTC) time."""
    return moment.replace(tzinfo=UTC).astimezone(zone).date()


def to_office(moment: datetime, zone: ZoneInfo) -> datetime:
    """A stored (naive UTC) time as naive office time, for display."""
    return moment.replace(tzinfo=UTC).astimezone(zone).replace(tzinfo=None)


def from_office(day: date, at: time, zone: ZoneInfo) -> datetime:
    """Office wall-clock time as stored (naive UTC)."""
    return datetime.combine(day, at, tzinfo=zone).astimezone(UTC).replace(tzinfo=None)


def office_day_bounds(day: date, zone: ZoneInfo) -> tuple[datetime, datetime]:
    """[start, end) of an office calendar day, as stored (naive UTC) times."""
    return from_office(day, time(0), zone), from_office(day + timedelta(days=1), time(0), zone)
