"""A report's counts: whole past months from their tallies, the rest afresh.

A year's report would otherwise count 100,000 requests nine times over on each
view. Here each whole month inside the range is read from ``report_tally``
(a few thousand rows for a year) and only the days at the range's edges are
counted from the requests (``report_queries.count_all``); the two add up
exactly (``Counts.add``), because a request belongs to the one month it was
received in.

A month is tallied the first time a report covers it whole, and only once it
ended before the reply-by day: its "overdue" count is then simply its open
requests, the same for every later view. The current month is never tallied.
The tallies of a month count while its ``version`` is the one they were taken
at; the database raises the version on every write that changes a count
(``intake.models.report_tally``'s triggers), and the next report tallies the
month again. So a tally is never stale, and a report never waits on a write.
"""

from dataclasses import replace
from datetime import date, timedelta

from sqlalchemy import delete, func, insert, select
from sqlalchemy.exc import SQLAlchemyError

from intake.db import db
from intake.models.report_tally import EVERYONE, ReportMonth, ReportTallied, ReportTally
from intake.staff import report_queries
from intake.staff.report_queries import BREAKDOWNS, DURATIONS, Counts, Scope
from intake.staff.reporting import add_months, first_of_month

# --- which days come from tallies ------------------------------------------------------


def whole_months(start: date, end: date, reply_by: date) -> list[date]:
    """The first days of the months wholly inside [start, end] that ended
    before ``reply_by``, in order (they follow one another)."""
    months = []
    month = first_of_month(start)
    if month < start:
        month = add_months(month, 1)
    while True:
        last = add_months(month, 1) - timedelta(days=1)
        if last > end or last >= reply_by:
            return months
        months.append(month)
        month = add_months(month, 1)


def month_key(month: date) -> str:
    return month.strftime("%Y-%m")


# --- tallies as rows and back ------------------------------------------------------------

RECEIVED, KIND, OUTCOME, REFERRAL = "received", "kind", "outcome", "referral"


def _text(value) -> str:
    return "" if value is None else str(value)


def to_rows(counts: Counts) -> list[tuple[str, str, int]]:
    """(figure, key, count) for every count of a tallied month (whose kinds
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
    """The counts that ``to_rows`` gave (summed over months)."""
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
            counts.kinds[kind] = (n, n)  # a tallied month ended before the reply-by day
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
    """Every count of ``scope``: tallied months plus the days around them."""
    r = scope.date_range
    months = whole_months(r.start, r.end, reply_by)
    if not months:
        return report_queries.count_all(scope, reply_by)
    funder = EVERYONE if scope.funder_id is None else scope.funder_id
    result = _tallied(months, funder, scope, reply_by)
    first, after = months[0], add_months(months[-1], 1)
    for start, end in ((r.start, first - timedelta(days=1)), (after, r.end)):
        if start <= end:
            edge = replace(scope, date_range=replace(r, start=start, end=end))
            result.add(report_queries.count_all(edge, reply_by))
    return result


def _tallied(months: list[date], funder: int, scope: Scope, reply_by: date) -> Counts:
    keys = [month_key(m) for m in months]
    current = dict(
        db.session.execute(
            select(ReportMonth.month, ReportMonth.version).where(ReportMonth.month.in_(keys))
        ).all()
    )
    taken = dict(
        db.session.execute(
            select(ReportTallied.month, ReportTallied.version).where(
                ReportTallied.funder_id == funder, ReportTallied.month.in_(keys)
            )
        ).all()
    )
    fresh = [k for k in keys if k in current and taken.get(k) == current[k]]
    query = (
        select(ReportTally.figure, ReportTally.key, func.sum(ReportTally.n))
        .where(ReportTally.funder_id == funder, ReportTally.month.in_(fresh))
        .group_by(ReportTally.figure, ReportTally.key)
    )
    result = from_rows(db.session.execute(query)) if fresh else Counts()
    for month in months:
        if month_key(month) not in fresh:
            result.add(_tally(month, funder, scope, reply_by))
    return result


def _tally(month: date, funder: int, scope: Scope, reply_by: date) -> Counts:
    """Count ``month`` afresh and keep its tallies, marked with the version
    read *before* counting: a write while counting raises the version past
    it, so such tallies are never used. Keeping them is a saving only: if it
    fails (two reports tallying the same month at once), the counts are
    still returned."""
    key = month_key(month)
    _ensure_month(key)
    version = db.session.execute(
        select(ReportMonth.version).where(ReportMonth.month == key)
    ).scalar()
    last = add_months(month, 1) - timedelta(days=1)
    whole = replace(scope, date_range=replace(scope.date_range, start=month, end=last))
    counted = report_queries.count_all(whole, reply_by)
    if version is None:  # the version row could not be written (the database is busy)
        return counted
    try:
        where = (ReportTally.month == key, ReportTally.funder_id == funder)
        db.session.execute(delete(ReportTally).where(*where))
        rows = [
            {"month": key, "funder_id": funder, "figure": f, "key": k, "n": n}
            for f, k, n in to_rows(counted)
        ]
        if rows:
            db.session.execute(insert(ReportTally), rows)
        db.session.execute(
            delete(ReportTallied).where(
                ReportTallied.month == key, ReportTallied.funder_id == funder
            )
        )
        db.session.add(ReportTallied(month=key, funder_id=funder, version=version))
        db.session.commit()
    except SQLAlchemyError:
        db.session.rollback()
    return counted


def _ensure_month(key: str) -> None:
    """The month's version row, committed before counting so that every
    write from now on raises it (a month without one is never bumped)."""
    if db.session.get(ReportMonth, key) is None:
        try:
            db.session.add(ReportMonth(month=key, version=0))
            db.session.commit()
        except SQLAlchemyError:  # another report added it first
            db.session.rollback()
