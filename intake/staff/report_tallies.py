"""A report's counts: past weeks and months from their tallies, the rest afresh.

A year's report would otherwise count 100,000 requests nine times over on each
view. Here the range is cut into blocks — whole calendar months, and at the
range's edges the pieces of calendar weeks (Monday to Sunday) that fall in
one month — and each block that ended before the reply-by day is read from
``report_tally`` (a few thousand rows for a year); only the days left over (a
few at the start, the last week or so at the end) are counted from the
requests (``report_queries.count_all``). They add up exactly (``Counts.add``):
a request belongs to the one day it was received on.

A block is tallied the first time a report covers it, and only once it ended
before the reply-by day: its "overdue" count is then simply its open requests,
the same for every later view. The tallies of a block count while the
``version`` of its month is the one they were taken at; the database raises
the version on every write that changes a count (``intake.models.report_tally``'s
triggers), and the next report tallies the block again. So a tally is never
stale, and a report never waits on a write.
"""

from dataclasses import replace
from datetime import date, timedelta

from sqlalchemy import delete, func, insert, select
from sqlalchemy.exc import SQLAlchemyError

from intake.db import db
from intake.models import HelpRequest
from intake.models.report_tally import EVERYONE, ReportMonth, ReportTallied, ReportTally
from intake.staff import report_queries
from intake.staff.report_queries import BREAKDOWNS, DURATIONS, Counts, Scope
from intake.staff.reporting import add_months, first_of_month

# --- which days come from tallies ------------------------------------------------------

Days = tuple[date, date]  # first and last day, both included


def blocks(start: date, end: date, reply_by: date) -> tuple[list[Days], list[Days]]:
    """[start, end] cut into the blocks read from tallies and the days counted
    afresh. A block is a whole month, or else the part of a calendar week
    inside one month, whole (from its Monday or the 1st, to its Sunday or the
    month's last day), and it ended before ``reply_by``."""
    tallied: list[Days] = []
    afresh: list[Days] = []
    day = start
    while day <= end:
        month = first_of_month(day)
        month_end = add_months(month, 1) - timedelta(days=1)
        if day == month and month_end <= end and month_end < reply_by:
            tallied.append((day, month_end))
            day = month_end + timedelta(days=1)
            continue
        piece_end = min(day + timedelta(days=6 - day.weekday()), month_end)
        whole = day.weekday() == 0 or day == month
        if whole and piece_end <= end and piece_end < reply_by:
            tallied.append((day, piece_end))
        elif afresh and afresh[-1][1] == day - timedelta(days=1):
            afresh[-1] = (afresh[-1][0], min(piece_end, end))
        else:
            afresh.append((day, min(piece_end, end)))
        day = piece_end + timedelta(days=1)
    return tallied, afresh


def block_key(block: Days) -> str:
    """ "2026-03-01/2026-03-31"; its first seven characters name its month."""
    return f"{block[0].isoformat()}/{block[1].isoformat()}"


# --- tallies as rows and back ------------------------------------------------------------

RECEIVED, KIND, OUTCOME, REFERRAL = "received", "kind", "outcome", "referral"


def _text(value) -> str:
    return "" if value is None else str(value)


def to_rows(counts: Counts) -> list[tuple[str, str, int]]:
    """(figure, key, count) for every count of a tallied block (whose kinds
    were all received before the reply-by day)."""
    rows = [
        (RECEIVED, f"{day.isoformat()} {urgency}", n)
        for day, by_urgency in counts.days.items()
        for urgency, n in by_urgency.items()
    ]
    rows += [
        (KIND, "|".join(map(_text, (s, d, int(detained), partner, screen))), n)
        for (s, d, detained, partner, screen), (n, _before) in counts.kinds.items()
    ]
    for name, breakdown in counts.breakdowns.items():
        rows += [(name, value, n) for value, n in breakdown.items()]
    rows += [(OUTCOME, kind, n) for kind, n in counts.outcomes.items()]
    rows += [(REFERRAL, f"{org}|{kind}", n) for (org, kind), n in counts.referrals.items()]
    for name, histogram in counts.hours.items():
        rows += [(name, str(hours), n) for hours, n in histogram.items()]
    return rows


def from_rows(rows) -> Counts:
    """The counts that ``to_rows`` gave (summed over blocks)."""
    counts = Counts()
    for figure, key, n in rows:
        if figure == RECEIVED:
            day, urgency = key.split(" ")
            by_urgency = counts.days.setdefault(date.fromisoformat(day), {})
            by_urgency[urgency] = by_urgency.get(urgency, 0) + n
        elif figure == KIND:
            status, disposition, detained, partner, screen = key.split("|")
            kind = (
                status,
                disposition or None,
                detained == "1",
                int(partner) if partner else None,
                screen,
            )
            counts.kinds[kind] = (n, n)  # a tallied block ended before the reply-by day
        elif figure in BREAKDOWNS:
            counts.breakdowns[figure][key] = n
        elif figure == OUTCOME:
            counts.outcomes[key] = n
        elif figure == REFERRAL:
            organisation, kind = key.split("|")
            counts.referrals[int(organisation), kind] = n
        elif figure in DURATIONS:
            counts.hours[figure][int(key)] = n
    return counts


# --- reading and writing them ----------------------------------------------------------


def counts(scope: Scope, reply_by: date) -> Counts:
    """Every count of ``scope``: tallied blocks plus the days between them."""
    r = scope.date_range
    tallied, afresh = blocks(r.start, r.end, reply_by)
    funder = EVERYONE if scope.funder_id is None else scope.funder_id
    result = _tallied(tallied, funder, scope, reply_by) if tallied else Counts()
    held = _days_held()
    for days in afresh:
        result.add(_count(days, scope, reply_by, held))
    return result


def _days_held() -> Days | None:
    """The first and last day any request was received (two index probes):
    a block outside them is known to count nothing without being counted."""
    # Two statements: SQLite reads a lone min() or max() off the index's end,
    # but scans the whole index for both in one.
    first = db.session.execute(select(func.min(HelpRequest.created_on))).scalar()
    last = db.session.execute(select(func.max(HelpRequest.created_on))).scalar()
    return None if first is None else (first, last)


def _count(days: Days, scope: Scope, reply_by: date, held: Days | None) -> Counts:
    """The counts of ``days`` afresh from the requests."""
    if held is None or days[1] < held[0] or days[0] > held[1]:
        return Counts()
    within = replace(scope, date_range=replace(scope.date_range, start=days[0], end=days[1]))
    return report_queries.count_all(within, reply_by)


def _versions(months) -> dict[str, int]:
    query = select(ReportMonth.month, ReportMonth.version).where(ReportMonth.month.in_(months))
    return dict(db.session.execute(query).all())


def _tallied(tallied: list[Days], funder: int, scope: Scope, reply_by: date) -> Counts:
    keys = {block_key(block): block for block in tallied}
    current = _versions({key[:7] for key in keys})
    taken = dict(
        db.session.execute(
            select(ReportTallied.block, ReportTallied.version).where(
                ReportTallied.funder_id == funder, ReportTallied.block.in_(keys)
            )
        ).all()
    )
    fresh = [k for k in keys if k[:7] in current and taken.get(k) == current[k[:7]]]
    query = (
        select(ReportTally.figure, ReportTally.key, func.sum(ReportTally.n))
        .where(ReportTally.funder_id == funder, ReportTally.block.in_(fresh))
        .group_by(ReportTally.figure, ReportTally.key)
    )
    result = from_rows(db.session.execute(query)) if fresh else Counts()
    stale = {key: block for key, block in keys.items() if key not in fresh}
    if stale:
        result.add(_tally(stale, funder, scope, reply_by))
    return result


def _tally(stale: dict[str, Days], funder: int, scope: Scope, reply_by: date) -> Counts:
    """Count the ``stale`` blocks afresh and keep their tallies, each marked
    with its month's version read *before* counting: a write while counting
    raises the version past it, so such tallies are never used. Two commits
    whatever the number of blocks. Keeping them is a saving only: if it fails
    (two reports tallying the same block at once, a busy database), the
    counts are still returned."""
    _ensure_months({key[:7] for key in stale})
    versions = _versions({key[:7] for key in stale})
    held = _days_held()
    counted = {key: _count(block, scope, reply_by, held) for key, block in stale.items()}
    kept = [key for key in stale if key[:7] in versions]  # the others' rows could not be written
    try:
        for table in (ReportTally, ReportTallied):
            db.session.execute(
                delete(table).where(table.funder_id == funder, table.block.in_(kept))
            )
        rows = [
            {"block": key, "funder_id": funder, "figure": f, "key": k, "n": n}
            for key in kept
            for f, k, n in to_rows(counted[key])
        ]
        if rows:
            db.session.execute(insert(ReportTally), rows)
        db.session.add_all(
            ReportTallied(block=key, funder_id=funder, version=versions[key[:7]]) for key in kept
        )
        db.session.commit()
    except SQLAlchemyError:
        db.session.rollback()
    total = Counts()
    for block_counts in counted.values():
        total.add(block_counts)
    return total


def _ensure_months(months: set[str]) -> None:
    """The months' version rows, committed before counting so that every
    write from then on raises them (a month without one is never raised)."""
    missing = months - _versions(months).keys()
    if not missing:
        return
    try:
        db.session.add_all(ReportMonth(month=month, version=0) for month in sorted(missing))
        db.session.commit()
    except SQLAlchemyError:  # another report added one first: versions are read again
        db.session.rollback()
