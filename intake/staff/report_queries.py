"""The reports' figures, counted by the database.

Every figure is an aggregate (COUNT, SUM over CASE, a window function for
percentiles) over the requests *received* in the range, optionally only those
counting for one funder: no row is loaded into Python, no answer decrypted. The
counts come back raw; ``intake.reporting`` decides what may be shown.

The fixed breakdowns (urgency, detention, partner or direct, screen, relief
sought, disposition) are one pass over the range's rows; the open-ended ones
(language, nationality, state, partner) one GROUP BY each.
"""

from dataclasses import dataclass
from datetime import date, datetime, time

from sqlalchemy import Integer, and_, func, select
from sqlalchemy.ext.compiler import compiles
from sqlalchemy.sql.expression import ColumnElement

from intake.db import db
from intake.models import CaseOutcome, Disposition, HelpRequest, Outcome, Partner, request_funder
from intake.models.help_request import OPEN_STATUSES
from intake.rules import CLAIM_TYPES, Screen, Urgency
from intake.staff.reporting import DateRange, percentile_hours

CLOSED_UNRECORDED = "not_recorded"


# --- dialect-specific expressions ----------------------------------------------


class Day(ColumnElement):
    """The day of a timestamp as 'YYYY-MM-DD'. Grouping by it follows the report
    index's order (created_at first), so the database needs no sort; weeks and
    months are then folded from at most a few hundred days."""

    inherit_cache = True
    type = db.String()

    def __init__(self, column):
        self.column = column


@compiles(Day)
def _day_sqlite(element, compiler, **kw):
    # SQLite stores 'YYYY-MM-DD HH:MM:SS.ffffff': the day is its first ten characters.
    return f"substr({compiler.process(element.column, **kw)}, 1, 10)"


@compiles(Day, "postgresql")
def _day_postgresql(element, compiler, **kw):
    return f"to_char({compiler.process(element.column, **kw)}, 'YYYY-MM-DD')"


class HoursBetween(ColumnElement):
    """Whole hours from one timestamp to another (rounded down)."""

    inherit_cache = True
    type = Integer()

    def __init__(self, start, end):
        self.start = start
        self.end = end


@compiles(HoursBetween)
def _hours_sqlite(element, compiler, **kw):
    start, end = compiler.process(element.start, **kw), compiler.process(element.end, **kw)
    # CAST truncates toward zero: the floor, for a duration that is not negative.
    return f"CAST((julianday({end}) - julianday({start})) * 24 AS INTEGER)"


@compiles(HoursBetween, "postgresql")
def _hours_postgresql(element, compiler, **kw):
    start, end = compiler.process(element.start, **kw), compiler.process(element.end, **kw)
    return f"CAST(FLOOR(EXTRACT(EPOCH FROM ({end} - {start})) / 3600) AS INTEGER)"


# --- the scope ------------------------------------------------------------------


@dataclass(frozen=True)
class Scope:
    """Which requests a report counts: received in the range, and counting for
    ``funder_id`` when one is given."""

    date_range: DateRange
    funder_id: int | None = None

    def where(self) -> list:
        clauses = [
            HelpRequest.created_at >= self.date_range.since,
            HelpRequest.created_at < self.date_range.before,
        ]
        if self.funder_id is not None:
            funded = select(request_funder.c.request_id).where(
                request_funder.c.funder_id == self.funder_id
            )
            clauses.append(HelpRequest.id.in_(funded))
        return clauses


def _count_if(condition) -> ColumnElement:
    # FILTER (SQLite 3.30+, PostgreSQL) skips the rows instead of summing CASEs.
    return func.count().filter(condition)


def _effective_screen():
    return func.coalesce(HelpRequest.screen_override, HelpRequest.screen)


# --- one pass: the fixed breakdowns ------------------------------------------------


def fixed_breakdowns() -> dict[str, dict[str, ColumnElement]]:
    """Figure name → {code: condition}, each counted in the same pass."""
    closed = HelpRequest.status.not_in(OPEN_STATUSES)
    return {
        "urgency": {u.value: HelpRequest.urgency == u.value for u in Urgency},
        "detention": {
            "detained": HelpRequest.detained.is_(True),
            "not_detained": HelpRequest.detained.is_(False),
        },
        "channel": {
            "partner": HelpRequest.partner_id.is_not(None),
            "direct": HelpRequest.partner_id.is_(None),
        },
        "screen": {s.value: _effective_screen() == s.value for s in Screen},
        "relief": {
            code: HelpRequest.claim_types.contains(f" {code} ") for code, _label in CLAIM_TYPES
        },
        "disposition": {
            **{d.value: HelpRequest.disposition == d.value for d in Disposition},
            CLOSED_UNRECORDED: and_(closed, HelpRequest.disposition.is_(None)),
            "open": HelpRequest.status.in_(OPEN_STATUSES),
        },
    }


@dataclass(frozen=True)
class Daily:
    """The total and every fixed breakdown, for the whole range and per day."""

    total: int
    counts: dict[str, dict[str, int]]  # figure → code → requests
    days: dict[str, dict[str, int]]  # 'YYYY-MM-DD' → urgency → requests


def count_fixed(scope: Scope) -> Daily:
    """Every fixed breakdown, per day, in one pass over the report index; the
    range's totals are the sums of a few hundred days, not of rows."""
    figures = fixed_breakdowns()
    day = Day(HelpRequest.created_at)
    names = [(figure, code) for figure, conditions in figures.items() for code in conditions]
    columns = [_count_if(figures[figure][code]) for figure, code in names]
    query = select(day, func.count(), *columns).where(*scope.where()).group_by(day)
    counts = {figure: dict.fromkeys(conditions, 0) for figure, conditions in figures.items()}
    days, total = {}, 0
    for row in db.session.execute(query):
        total += row[1]
        for (figure, code), n in zip(names, row[2:], strict=True):
            counts[figure][code] += n
        days[row[0]] = {u.value: row[2 + names.index(("urgency", u.value))] for u in Urgency}
    return Daily(total, counts, days)


# --- GROUP BY: the open-ended breakdowns ---------------------------------------------


def count_by(scope: Scope, column) -> dict[str, int]:
    query = select(column, func.count()).where(*scope.where()).group_by(column)
    return {str(value if value is not None else ""): n for value, n in db.session.execute(query)}


def count_by_partner(scope: Scope) -> dict[str, int]:
    """Requests through each partner's frame, by partner name."""
    query = (
        select(Partner.name, func.count())
        .select_from(HelpRequest)
        .join(Partner, Partner.id == HelpRequest.partner_id)
        .where(*scope.where())
        .group_by(Partner.id, Partner.name)
    )
    return {name: n for name, n in db.session.execute(query)}


def outcomes(scope: Scope) -> dict[str, int]:
    """Accepted cases in scope with each outcome recorded (a case counts once
    per kind, however often it was recorded)."""
    query = (
        select(CaseOutcome.kind, func.count(func.distinct(CaseOutcome.request_id)))
        .join(HelpRequest, HelpRequest.id == CaseOutcome.request_id)
        .where(*scope.where(), CaseOutcome.kind.in_([o.value for o in Outcome]))
        .group_by(CaseOutcome.kind)
    )
    return {kind: n for kind, n in db.session.execute(query)}


def overdue(scope: Scope, reply_by: date) -> int:
    """Requests in scope still open that were received before ``reply_by``'s day
    began, i.e. past the reply the confirmation promised."""
    query = select(func.count()).where(
        *scope.where(),
        HelpRequest.status.in_(OPEN_STATUSES),
        HelpRequest.created_at < datetime.combine(reply_by, time.min),
    )
    return int(db.session.execute(query).scalar_one())


# --- percentiles ---------------------------------------------------------------------


def duration_percentiles(scope: Scope, end_column) -> tuple[int, float | None, float | None]:
    """How many requests in scope have ``end_column`` set, and the median and
    90th percentile of the whole hours from receipt to it.

    The database counts requests per whole hour of waiting (a GROUP BY, at most
    a few thousand rows back); the percentiles are read off those counts by
    nearest rank (``reporting.percentile_hours``), exact to the hour."""
    hours = HoursBetween(HelpRequest.created_at, end_column)
    query = (
        select(hours, func.count())
        .where(*scope.where(), end_column.is_not(None))
        .group_by(hours)
        .order_by(hours)
    )
    histogram = [(int(h), n) for h, n in db.session.execute(query)]
    count = sum(n for _h, n in histogram)
    return count, percentile_hours(histogram, 1, 2), percentile_hours(histogram, 9, 10)


def time_to_closing(scope: Scope) -> tuple[int, float | None, float | None]:
    return duration_percentiles(scope, HelpRequest.closed_at)
