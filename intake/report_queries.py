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

from sqlalchemy import Float, and_, case, func, select
from sqlalchemy.ext.compiler import compiles
from sqlalchemy.sql.expression import ColumnElement

from .db import db
from .models import CaseOutcome, Disposition, HelpRequest, Outcome, Partner, request_funder
from .models.help_request import OPEN_STATUSES
from .reporting import DateRange, Period, nearest_rank
from .rules import CLAIM_TYPES, Screen, Urgency

CLOSED_UNRECORDED = "not_recorded"


# --- dialect-specific expressions ----------------------------------------------


class PeriodStart(ColumnElement):
    """The first day of the week (Monday) or month of a timestamp, as 'YYYY-MM-DD'."""

    inherit_cache = True
    type = db.String()

    def __init__(self, column, by: Period):
        self.column = column
        self.by = by


@compiles(PeriodStart)
def _period_sqlite(element, compiler, **kw):
    column = compiler.process(element.column, **kw)
    if element.by is Period.WEEK:
        # To the coming Sunday (itself when it is one), then back six days.
        return f"date({column}, 'weekday 0', '-6 days')"
    return f"strftime('%Y-%m-01', {column})"


@compiles(PeriodStart, "postgresql")
def _period_postgresql(element, compiler, **kw):
    column = compiler.process(element.column, **kw)
    unit = "week" if element.by is Period.WEEK else "month"  # ISO weeks start on Monday
    return f"to_char(date_trunc('{unit}', {column}), 'YYYY-MM-DD')"


class HoursBetween(ColumnElement):
    """Hours from one timestamp to another, as a float."""

    inherit_cache = True
    type = Float()

    def __init__(self, start, end):
        self.start = start
        self.end = end


@compiles(HoursBetween)
def _hours_sqlite(element, compiler, **kw):
    start, end = compiler.process(element.start, **kw), compiler.process(element.end, **kw)
    return f"((julianday({end}) - julianday({start})) * 24.0)"


@compiles(HoursBetween, "postgresql")
def _hours_postgresql(element, compiler, **kw):
    start, end = compiler.process(element.start, **kw), compiler.process(element.end, **kw)
    return f"(EXTRACT(EPOCH FROM ({end} - {start})) / 3600.0)"


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
    return func.coalesce(func.sum(case((condition, 1), else_=0)), 0)


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


def count_fixed(scope: Scope) -> tuple[int, dict[str, dict[str, int]]]:
    """The total and every fixed breakdown, in one query."""
    figures = fixed_breakdowns()
    columns = [func.count().label("total")]
    for figure, conditions in figures.items():
        columns += [_count_if(cond).label(f"{figure}__{code}") for code, cond in conditions.items()]
    row = db.session.execute(select(*columns).where(*scope.where())).one()._mapping
    counts = {
        figure: {code: int(row[f"{figure}__{code}"]) for code in conditions}
        for figure, conditions in figures.items()
    }
    return int(row["total"]), counts


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


def received_by_period(scope: Scope) -> dict[tuple[str, str], int]:
    """(period start 'YYYY-MM-DD', urgency) → requests received."""
    period = PeriodStart(HelpRequest.created_at, scope.date_range.by)
    query = (
        select(period, HelpRequest.urgency, func.count())
        .where(*scope.where())
        .group_by(period, HelpRequest.urgency)
    )
    return {(start, urgency): n for start, urgency, n in db.session.execute(query)}


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


PERCENTILES = ((1, 2), (9, 10))  # the median and the 90th percentile, as fractions


def duration_percentiles(scope: Scope, end_column) -> tuple[int, float | None, float | None]:
    """How many requests in scope have ``end_column`` set, and the median and
    90th percentile of the hours from receipt to it (nearest rank).

    The database numbers the sorted durations (ROW_NUMBER, a window function both
    SQLite and PostgreSQL have) and returns only the rows at the two ranks."""
    hours = HoursBetween(HelpRequest.created_at, end_column)
    ranked = (
        select(
            hours.label("hours"),
            func.row_number().over(order_by=hours).label("rank"),
            func.count().over().label("n"),
        )
        .where(*scope.where(), end_column.is_not(None))
        .subquery()
    )
    rank, n = ranked.c.rank, ranked.c.n
    # ceil(a/b * n) in integers, as reporting.nearest_rank computes it.
    wanted = [rank == (a * n + b - 1) // b for a, b in PERCENTILES]
    query = select(ranked.c.hours, rank, n).where(wanted[0] | wanted[1])
    rows = db.session.execute(query).all()
    if not rows:
        return 0, None, None
    count = int(rows[0].n)
    by_rank = {int(r.rank): float(r.hours) for r in rows}
    median, p90 = (by_rank.get(nearest_rank(a, b, count)) for a, b in PERCENTILES)
    return count, median, p90


def time_to_closing(scope: Scope) -> tuple[int, float | None, float | None]:
    return duration_percentiles(scope, HelpRequest.closed_at)
