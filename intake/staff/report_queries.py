"""The reports' figures, counted by the database.

Every figure is an aggregate (COUNT in a GROUP BY) over the requests *received*
in the range, optionally only those counting for one funder: no row is loaded
into Python, no answer decrypted. The counts come back raw;
``intake.reporting`` decides what may be shown.

Each query groups by the leading columns of its own narrow index
(``HelpRequest.REPORT_INDEXES``), with the day received and the id inside it:
SQLite, which has no hash aggregation, then groups in index order instead of
sorting 100,000 rows, and PostgreSQL answers from the index alone. The fixed
breakdowns (open or closed and how, detention, partner, screen) come from one
GROUP BY of a few hundred combinations that Python folds into figures; the
open-ended ones (language, nationality, state, relief, age band) from one GROUP
BY each; requests by day and urgency from one more, folded into weeks or months.
"""

from dataclasses import dataclass, replace
from datetime import date

from sqlalchemy import exists, func, select
from sqlalchemy.sql.expression import ColumnElement

from intake.db import db
from intake.models import (
    CaseOutcome,
    HelpRequest,
    Outcome,
    Partner,
    Referral,
    ReferralOrganisation,
    request_funder,
)
from intake.models.help_request import OPEN_STATUSES
from intake.staff.reporting import DateRange, percentile_hours

CLOSED_UNRECORDED = "not_recorded"
AWAITING = "awaiting"  # a referral with no outcome recorded yet


# --- the scope ------------------------------------------------------------------


@dataclass(frozen=True)
class Scope:
    """Which requests a report counts: received in the range, and counting for
    ``funder_id`` when one is given. ``funder_by_list`` says how the funder's
    requests are picked out (``planned`` chooses; the figures are the same)."""

    date_range: DateRange
    funder_id: int | None = None
    funder_by_list: bool = False

    def where(self) -> list:
        # Whole days: created_on in [start, end] is created_at in [since, before).
        clauses = [
            HelpRequest.created_on >= self.date_range.start,
            HelpRequest.created_on <= self.date_range.end,
        ]
        if self.funder_id is None:
            return clauses
        funded = request_funder.c.funder_id == self.funder_id
        if self.funder_by_list:
            # SQLite reads the funder's requests by id: cheap for a few.
            clauses.append(HelpRequest.id.in_(select(request_funder.c.request_id).where(funded)))
        else:
            # A probe of request_funder's key beside each entry of the index read.
            clauses.append(exists().where(request_funder.c.request_id == HelpRequest.id, funded))
        return clauses


def planned(scope: Scope) -> Scope:
    """The scope with the cheaper way to its funder's requests. PostgreSQL's
    planner chooses for itself (a hashed semi-join); SQLite's takes an IN list
    as a list of wide rows to read by id, which beats a probe per request only
    when the funder covers a small share (measured at 100,000 requests: 5,000
    funded, 306 ms CPU by list against 916 by probe; 83,000 funded, 2,283
    against 1,140). One index count decides."""
    if scope.funder_id is None or db.engine.dialect.name != "sqlite":
        return scope
    funded = db.session.execute(
        select(func.count()).where(request_funder.c.funder_id == scope.funder_id)
    ).scalar_one()
    everyone = db.session.execute(select(func.max(HelpRequest.id))).scalar_one() or 0
    return replace(scope, funder_by_list=funded * 3 < everyone)


# --- requests per day and urgency ----------------------------------------------------


def count_days(scope: Scope) -> dict[date, dict[str, int]]:
    """Day received → urgency → requests (ix_help_request_report's order)."""
    query = (
        select(HelpRequest.created_on, HelpRequest.urgency, func.count())
        .where(*scope.where())
        .group_by(HelpRequest.created_on, HelpRequest.urgency)
    )
    days: dict[date, dict[str, int]] = {}
    for day, urgency, n in db.session.execute(query):
        days.setdefault(day, {})[urgency] = n
    return days


# --- the fixed breakdowns: one GROUP BY ----------------------------------------------


@dataclass(frozen=True)
class Kind:
    """One combination of the fixed breakdowns' columns and its requests."""

    status: str
    disposition: str | None
    detained: bool
    partner_id: int | None
    screen: str  # the override when staff set one
    count: int
    received_before_reply_by: int  # of them, received before the day ``count_kinds`` was given

    @property
    def is_open(self) -> bool:
        return self.status in OPEN_STATUSES


def count_kinds(scope: Scope, reply_by: date) -> list[Kind]:
    """The requests in scope per combination of status, disposition, detention,
    partner and screen (ix_help_request_report_kinds' order): a few hundred
    rows at most, whatever the number of requests. Each also counts those
    received before ``reply_by``: the open ones among them are overdue (past
    the reply the confirmation promised)."""
    columns = (
        HelpRequest.status,
        HelpRequest.disposition,
        HelpRequest.detained,
        HelpRequest.partner_id,
        HelpRequest.screen_override,
        HelpRequest.screen,
    )
    early = func.count().filter(HelpRequest.created_on < reply_by)
    query = select(*columns, func.count(), early).where(*scope.where()).group_by(*columns)
    return [
        Kind(status, disposition, bool(detained), partner, override or screen, n, before)
        for status, disposition, detained, partner, override, screen, n, before in (
            db.session.execute(query)
        )
    ]


def overdue(kinds: list[Kind]) -> int:
    """Requests in scope still open that were received before the reply was due."""
    return sum(kind.received_before_reply_by for kind in kinds if kind.is_open)


def partner_names(ids) -> dict[int, str]:
    ids = [i for i in ids if i is not None]
    if not ids:
        return {}
    query = select(Partner.id, Partner.name).where(Partner.id.in_(ids))
    return {partner_id: name for partner_id, name in db.session.execute(query)}


# --- GROUP BY: the open-ended breakdowns ---------------------------------------------


def count_by(scope: Scope, column) -> dict[str, int]:
    query = select(column, func.count()).where(*scope.where()).group_by(column)
    return {str(value if value is not None else ""): n for value, n in db.session.execute(query)}


def count_relief(scope: Scope) -> dict[str, int]:
    """Requests seeking each form of relief: one GROUP BY of the stored
    combinations (" asylum cat "), each combination's count added to every code
    in it (a request seeking two counts for both)."""
    counts: dict[str, int] = {}
    for combination, n in count_by(scope, HelpRequest.claim_types).items():
        for code in set(combination.split()):
            counts[code] = counts.get(code, 0) + n
    return counts


def in_scope(scope: Scope, request_id) -> ColumnElement:
    """Whether the request ``request_id`` points at is in scope: a probe of
    ix_help_request_report_id per outcome or referral, read from their side
    (there are far fewer of them than requests)."""
    return exists().where(HelpRequest.id == request_id, *scope.where())


def outcomes(scope: Scope) -> dict[str, int]:
    """Accepted cases in scope with each outcome recorded (a case counts once
    per kind, however often it was recorded)."""
    query = (
        select(CaseOutcome.kind, func.count(func.distinct(CaseOutcome.request_id)))
        .where(in_scope(scope, CaseOutcome.request_id))
        .where(CaseOutcome.kind.in_([o.value for o in Outcome]))
        .group_by(CaseOutcome.kind)
    )
    return {kind: n for kind, n in db.session.execute(query)}


def referral_outcomes(scope: Scope) -> dict[tuple[str, str], int]:
    """Referrals made for requests in scope, per (organisation name, outcome);
    an outcome not recorded yet is ``AWAITING``. The directory names
    organisations only: nothing about the person is read."""
    outcome = func.coalesce(Referral.outcome, AWAITING)
    query = (
        select(ReferralOrganisation.name, outcome, func.count())
        .select_from(Referral)
        .join(ReferralOrganisation, ReferralOrganisation.id == Referral.organisation_id)
        .where(in_scope(scope, Referral.request_id))
        .group_by(ReferralOrganisation.id, ReferralOrganisation.name, outcome)
    )
    counts: dict[tuple[str, str], int] = {}
    for name, kind, n in db.session.execute(query):
        counts[name, kind] = counts.get((name, kind), 0) + n  # two entries may share a name
    return counts


# --- percentiles ---------------------------------------------------------------------


def duration_percentiles(scope: Scope, hours) -> tuple[int, float | None, float | None]:
    """How many requests in scope have ``hours`` (a whole-hours column) set,
    and the median and 90th percentile of it.

    The database counts requests per whole hour (a GROUP BY in the order of
    the column's index, at most a few thousand rows back); the percentiles are
    read off those counts by nearest rank (``reporting.percentile_hours``),
    exact to the hour."""
    query = (
        select(hours, func.count())
        .where(*scope.where(), hours.is_not(None))
        .group_by(hours)
        .order_by(hours)
    )
    histogram = [(int(h), n) for h, n in db.session.execute(query)]
    count = sum(n for _h, n in histogram)
    return count, percentile_hours(histogram, 1, 2), percentile_hours(histogram, 9, 10)


def time_to_closing(scope: Scope) -> tuple[int, float | None, float | None]:
    return duration_percentiles(scope, HelpRequest.hours_to_close)


def time_to_first_contact(scope: Scope) -> tuple[int, float | None, float | None]:
    """From receipt to the first contact attempt, whatever its outcome (set by
    ``intake.staff.outreach.record_contact_attempt``)."""
    return duration_percentiles(scope, HelpRequest.hours_to_first_contact)
