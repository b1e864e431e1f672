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
``count_all`` runs them all for one scope into ``Counts``, which add up: the
counts of two ranges that do not overlap are the counts of both
(``intake.staff.report_tallies`` adds whole months kept as tallies to the days
at a range's edges counted here).
"""

from dataclasses import dataclass, field, replace
from datetime import date

from sqlalchemy import exists, func, select, tuple_

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
    as a list of wide rows to read by id (all the funder's requests, whatever
    their day), which beats a probe per request in the range only when the
    funder has fewer requests than a third of the range's (measured at 100,000
    requests over a year: 5,000 funded, 306 ms CPU by list against 916 by
    probe; 83,000 funded, 2,283 against 1,140). Two index counts decide."""
    if scope.funder_id is None or db.engine.dialect.name != "sqlite":
        return scope
    funded = db.session.execute(
        select(func.count()).where(request_funder.c.funder_id == scope.funder_id)
    ).scalar_one()
    in_range = db.session.execute(
        select(func.count()).select_from(HelpRequest).where(*replace(scope, funder_id=None).where())
    ).scalar_one()
    return replace(scope, funder_by_list=funded * 3 < in_range)


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
    the ranges counted afresh are a month or two (``report_tallies``), whose
    requests' outcomes are found by index, where reading every outcome and
    checking its request's day costs a probe per outcome ever recorded."""
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


def _add(into: dict, counts: dict) -> None:
    for key, n in counts.items():
        into[key] = into.get(key, 0) + n


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

    def add(self, other: "Counts") -> "Counts":
        """These counts plus those of a scope that does not overlap this one."""
        for day, by_urgency in other.days.items():
            _add(self.days.setdefault(day, {}), by_urgency)
        for key, (n, before) in other.kinds.items():
            mine = self.kinds.get(key, (0, 0))
            self.kinds[key] = (mine[0] + n, mine[1] + before)
        for name, counts in other.breakdowns.items():
            _add(self.breakdowns[name], counts)
        _add(self.outcomes, other.outcomes)
        _add(self.referrals, other.referrals)
        for name, histogram in other.hours.items():
            _add(self.hours[name], histogram)
        return self

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
    """Every count of ``scope``, afresh from the requests: on PostgreSQL in
    one pass (``count_in_one_pass``), on SQLite one GROUP BY per figure."""
    scope = planned(scope)
    if db.engine.dialect.name == "postgresql":
        counts = count_in_one_pass(scope, reply_by)
    else:
        counts = Counts(
            days=count_days(scope),
            breakdowns={name: count_by(scope, column) for name, column in BREAKDOWNS.items()},
            hours={name: hours_histogram(scope, column) for name, column in DURATIONS.items()},
        )
        for kind in count_kinds(scope, reply_by):
            _add_kind(counts.kinds, kind)
    counts.outcomes = outcomes(scope)
    counts.referrals = referral_outcomes(scope)
    return counts


def _add_kind(kinds: dict[KindKey, tuple[int, int]], kind: Kind) -> None:
    # An override and a computed screen of the same value are one kind.
    n, before = kinds.get(kind.key, (0, 0))
    kinds[kind.key] = (n + kind.count, before + kind.received_before_reply_by)


# What ``count_in_one_pass`` groups by, each set named as Counts names it.
GROUPING_SETS = {
    "days": (HelpRequest.created_on, HelpRequest.urgency),
    "kinds": KIND_COLUMNS,
    **{name: (column,) for name, column in BREAKDOWNS.items()},
    **{name: (column,) for name, column in DURATIONS.items()},
}
GROUPED = list(dict.fromkeys(c for columns in GROUPING_SETS.values() for c in columns))


def _grouping_mask(columns) -> int:
    """GROUPING()'s value for a row of the set ``columns``: a bit set for each
    column *not* grouped, the first column the highest bit."""
    width = len(GROUPED)
    return sum(1 << (width - 1 - i) for i, c in enumerate(GROUPED) if c not in columns)


SET_OF_MASK = {_grouping_mask(columns): name for name, columns in GROUPING_SETS.items()}


def count_in_one_pass(scope: Scope, reply_by: date) -> Counts:
    """Every figure counted from the requests but outcomes and referrals, in
    one statement (PostgreSQL's GROUPING SETS): the range's requests are read
    once, where a GROUP BY per figure reads them again each time and pays
    each time for finding a funder's among them (a few days at a range's
    edges cost ~13 ms a figure that way, mostly fixed costs)."""
    early = func.count().filter(HelpRequest.created_on < reply_by)
    query = (
        select(func.grouping(*GROUPED), *GROUPED, func.count(), early)
        .where(*scope.where())
        .group_by(func.grouping_sets(*(tuple_(*cols) for cols in GROUPING_SETS.values())))
    )
    counts = Counts()
    at = {column: i + 1 for i, column in enumerate(GROUPED)}
    for row in db.session.execute(query):
        name, n, before = SET_OF_MASK[row[0]], row[-2], row[-1]
        if name == "days":
            day, urgency = row[at[HelpRequest.created_on]], row[at[HelpRequest.urgency]]
            counts.days.setdefault(day, {})[urgency] = n
        elif name == "kinds":
            status, disposition, detained, partner, override, screen = (
                row[at[c]] for c in KIND_COLUMNS
            )
            _add_kind(
                counts.kinds,
                Kind(status, disposition, bool(detained), partner, override or screen, n, before),
            )
        elif name in BREAKDOWNS:
            value = row[at[BREAKDOWNS[name]]]
            counts.breakdowns[name][str(value if value is not None else "")] = n
        elif (hours := row[at[DURATIONS[name]]]) is not None:
            counts.hours[name][int(hours)] = n
    return counts
