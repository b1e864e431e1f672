"""The reports' figures, counted by the database.

Every figure is an aggregate (COUNT in a GROUP BY) over the requests *received*
in the range, optionally only those counting for one funder: no row is loaded
into Python, no answer decrypted. The counts come back raw and exact;
``ranges`` decides what may be shown.

Each query groups by the leading columns of its own narrow index
(``HelpRequest.REPORT_INDEXES``), with the day received and the id inside it:
SQLite, which has no hash aggregation, then groups in index order instead of
sorting 100,000 rows, and PostgreSQL answers from the index alone. The fixed
breakdowns (open or closed and how, detention, partner, screen) come from one
GROUP BY of a few hundred combinations that Python folds into figures; the
open-ended ones (language, nationality, state, relief, age band) from one GROUP
BY each; requests by day and urgency from one more, folded into weeks or months.
``count_all`` runs them all for one scope into ``Counts``. The same statements
run on SQLite and PostgreSQL.
"""

from dataclasses import dataclass, field
from datetime import date

from sqlalchemy import func, select

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
from intake.staff.reports.ranges import DateRange, percentile_hours

CLOSED_UNRECORDED = "not_recorded"
AWAITING = "awaiting"  # a referral with no outcome recorded yet


# --- the scope ------------------------------------------------------------------


@dataclass(frozen=True)
class Scope:
    """Which requests a report counts: received in the range, and counting for
    ``funder_id`` when one is given."""

    date_range: DateRange
    funder_id: int | None = None

    def where(self) -> list:
        # Whole days: created_on in [start, end] is created_at in [since, before).
        clauses = [
            HelpRequest.created_on >= self.date_range.start,
            HelpRequest.created_on <= self.date_range.end,
        ]
        if self.funder_id is not None:
            # "id + 0": checked against the funder's list inside each index read
            # (SQLite builds it once, PostgreSQL hashes it), never used to fetch
            # the funder's wide rows by id whatever their day.
            funded = select(request_funder.c.request_id).where(
                request_funder.c.funder_id == self.funder_id
            )
            clauses.append((HelpRequest.id + 0).in_(funded))
        return clauses


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


# status, disposition, detained, partner, screen
KindKey = tuple[str, str | None, bool, int | None, str]


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

    @property
    def key(self) -> KindKey:
        return (self.status, self.disposition, self.detained, self.partner_id, self.screen)


KIND_COLUMNS = (
    HelpRequest.status,
    HelpRequest.disposition,
    HelpRequest.detained,
    HelpRequest.partner_id,
    HelpRequest.screen_override,
    HelpRequest.screen,
)


def count_kinds(scope: Scope, reply_by: date) -> list[Kind]:
    """The requests in scope per combination of status, disposition, detention,
    partner and screen (ix_help_request_report_kinds' order): a few hundred
    rows at most, whatever the number of requests. Each also counts those
    received before ``reply_by``: the open ones among them are overdue (past
    the reply the confirmation promised)."""
    early = func.count().filter(HelpRequest.created_on < reply_by)
    query = select(*KIND_COLUMNS, func.count(), early).where(*scope.where()).group_by(*KIND_COLUMNS)
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


def outcomes(scope: Scope) -> dict[str, int]:
    """Accepted cases in scope with each outcome recorded (a case counts once
    per kind, however often it was recorded). Read from the requests' side:
    the range's requests' outcomes are found by index, where reading every
    outcome and checking its request's day costs a probe per outcome ever
    recorded."""
    query = (
        select(CaseOutcome.kind, func.count(func.distinct(CaseOutcome.request_id)))
        .select_from(HelpRequest)
        .join(CaseOutcome, CaseOutcome.request_id == HelpRequest.id)
        .where(*scope.where(), CaseOutcome.kind.in_([o.value for o in Outcome]))
        .group_by(CaseOutcome.kind)
    )
    return {kind: n for kind, n in db.session.execute(query)}


def referral_outcomes(scope: Scope) -> dict[tuple[int, str], int]:
    """Referrals made for requests in scope, per (organisation, outcome); an
    outcome not recorded yet is ``AWAITING``. Nothing about the person is
    read. From the requests' side, as ``outcomes``."""
    outcome = func.coalesce(Referral.outcome, AWAITING)
    query = (
        select(Referral.organisation_id, outcome, func.count())
        .select_from(HelpRequest)
        .join(Referral, Referral.request_id == HelpRequest.id)
        .where(*scope.where())
        .group_by(Referral.organisation_id, outcome)
    )
    return {(organisation, kind): n for organisation, kind, n in db.session.execute(query)}


def organisation_names(ids) -> dict[int, str]:
    """The directory's names of the organisations ``ids``."""
    if not ids:
        return {}
    query = select(ReferralOrganisation.id, ReferralOrganisation.name).where(
        ReferralOrganisation.id.in_(ids)
    )
    return {organisation_id: name for organisation_id, name in db.session.execute(query)}


# --- percentiles ---------------------------------------------------------------------


def hours_histogram(scope: Scope, hours) -> dict[int, int]:
    """Requests in scope per whole hour of ``hours`` (a whole-hours column),
    those without it left out: a GROUP BY in the order of the column's index,
    at most a few thousand rows back. The percentiles are read off it by
    nearest rank (``Counts.duration``), exact to the hour."""
    query = select(hours, func.count()).where(*scope.where(), hours.is_not(None)).group_by(hours)
    return {int(h): n for h, n in db.session.execute(query)}


# --- all of them ---------------------------------------------------------------------

# The open-ended breakdowns counted by ``count_by``, by the name Counts gives them.
BREAKDOWNS = {
    "language": HelpRequest.preferred_language,
    "nationality": HelpRequest.nationality_code,
    "state": HelpRequest.state,
    "claim_types": HelpRequest.claim_types,  # the stored combinations, see ``relief``
    "age_band": HelpRequest.age_band,
}
# From receipt to closing, and to the first contact attempt whatever its outcome
# (set by ``intake.staff.followup.outreach.record_contact_attempt``).
DURATIONS = {
    "hours_to_close": HelpRequest.hours_to_close,
    "hours_to_first_contact": HelpRequest.hours_to_first_contact,
}


@dataclass
class Counts:
    """Every raw count a report is made of, for one scope. ``kinds`` maps each
    combination of the fixed breakdowns to (requests, of them received before
    the reply-by day)."""

    days: dict[date, dict[str, int]] = field(default_factory=dict)
    kinds: dict[KindKey, tuple[int, int]] = field(default_factory=dict)
    breakdowns: dict[str, dict[str, int]] = field(
        default_factory=lambda: {name: {} for name in BREAKDOWNS}
    )
    outcomes: dict[str, int] = field(default_factory=dict)
    referrals: dict[tuple[int, str], int] = field(default_factory=dict)
    hours: dict[str, dict[int, int]] = field(
        default_factory=lambda: {name: {} for name in DURATIONS}
    )

    @property
    def total(self) -> int:
        return sum(n for by_urgency in self.days.values() for n in by_urgency.values())

    def kind_list(self) -> list[Kind]:
        return [Kind(*key, n, before) for key, (n, before) in self.kinds.items()]

    def relief(self) -> dict[str, int]:
        """Requests seeking each form of relief: each stored combination's
        count (" asylum cat ") added to every code in it."""
        counts: dict[str, int] = {}
        for combination, n in self.breakdowns["claim_types"].items():
            for code in set(combination.split()):
                counts[code] = counts.get(code, 0) + n
        return counts

    def duration(self, name: str) -> tuple[int, float | None, float | None]:
        """How many requests have the duration ``name``, its median and 90th
        percentile."""
        histogram = sorted(self.hours[name].items())
        count = sum(n for _h, n in histogram)
        return count, percentile_hours(histogram, 1, 2), percentile_hours(histogram, 9, 10)


def count_all(scope: Scope, reply_by: date) -> Counts:
    """Every count of ``scope``, from the requests: one GROUP BY per figure."""
    counts = Counts(
        days=count_days(scope),
        breakdowns={name: count_by(scope, column) for name, column in BREAKDOWNS.items()},
        hours={name: hours_histogram(scope, column) for name, column in DURATIONS.items()},
        outcomes=outcomes(scope),
        referrals=referral_outcomes(scope),
    )
    for kind in count_kinds(scope, reply_by):
        # An override and a computed screen of the same value are one kind.
        n, before = counts.kinds.get(kind.key, (0, 0))
        counts.kinds[kind.key] = (n + kind.count, before + kind.received_before_reply_by)
    return counts
