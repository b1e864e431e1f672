"""The fast report (narrow indexes, GROUP BY in index order, combinations
folded in Python) gives exactly the figures a straightforward count of the
rows gives, on a varied data set with requests on the edges of the range, by
week and by month, for all requests and for one funder."""

import random
from collections import Counter
from datetime import date, datetime, time, timedelta

import pytest
from sqlalchemy import select

from intake.cases import funding
from intake.db import db
from intake.law import age_bands
from intake.law.vocabulary import CLAIM_TYPES, Screen, Urgency
from intake.models import (
    CaseOutcome,
    Disposition,
    HelpRequest,
    Outcome,
    Partner,
    Referral,
    ReferralOrganisation,
    request_funder,
)
from intake.models.help_request import OPEN_STATUSES
from intake.staff.reports.figures import build_report
from intake.staff.reports.queries import AWAITING, CLOSED_UNRECORDED, Scope
from intake.staff.reports.ranges import (
    DateRange,
    Period,
    Publishing,
    percentile_hours,
    period_start,
    working_days_before,
)

TODAY = date(2026, 3, 2)
RANGES = [
    DateRange(date(2026, 1, 1), date(2026, 1, 31), Period.MONTH),
    DateRange(date(2026, 1, 7), date(2026, 2, 10), Period.WEEK),  # starts mid-week
    DateRange(date(2025, 12, 31), date(2026, 2, 28), Period.MONTH),
    DateRange(date(2026, 1, 31), date(2026, 1, 31), Period.WEEK),  # one day
]
EDGES = [  # the first and last instants of the ranges' days, and just outside
    datetime(2025, 12, 30, 23, 59, 59, 999999),
    datetime(2025, 12, 31, 0, 0),
    datetime(2026, 1, 1, 0, 0),
    datetime(2026, 1, 6, 23, 59, 59, 999999),
    datetime(2026, 1, 7, 0, 0),
    datetime(2026, 1, 31, 23, 59, 59, 999999),
    datetime(2026, 2, 1, 0, 0),
    datetime(2026, 2, 10, 23, 59, 59),
    datetime(2026, 2, 11, 0, 0),
    datetime(2026, 2, 28, 23, 59, 59, 999999),
    datetime(2026, 3, 1, 0, 0),
]
DISPOSITIONS = list(Disposition)


@pytest.fixture
def world(app, make_request):
    """About 250 requests with every attribute drawn at random (seeded)."""
    rng = random.Random(17)
    with app.app_context():
        partners = [Partner(name=f"Partner {c}", origins="") for c in "AB"]
        orgs = [ReferralOrganisation(name=f"Org {c}") for c in "XYZ"]
        db.session.add_all(partners + orgs)
        db.session.commit()
        partner_ids, org_ids = [p.id for p in partners], [o.id for o in orgs]
    start = datetime(2025, 12, 20)
    times = EDGES * 3 + [
        start + timedelta(seconds=rng.randrange(75 * 86400)) for _ in range(250 - 3 * len(EDGES))
    ]
    codes = [code for code, _label in CLAIM_TYPES]
    for created in times:
        status = rng.choice(["new", "in_review", "accepted", "referred", "declined", "withdrawn"])
        closed = status not in OPEN_STATUSES
        disposition = None
        if closed and rng.random() < 0.85:
            disposition = rng.choice(DISPOSITIONS).value
        made = make_request(
            created_at=created,
            status=status,
            disposition=disposition,
            closed_at=created + timedelta(minutes=rng.randint(0, 9000)) if closed else None,
            first_contact_at=created + timedelta(minutes=rng.randint(1, 5000))
            if rng.random() < 0.7
            else None,
            urgency=rng.choice([u.value for u in Urgency]),
            detained=rng.random() < 0.2,
            partner_id=rng.choice([None, None, *partner_ids]),
            screen=rng.choice([s.value for s in Screen]),
            screen_override=rng.choice([None, None, None, Screen.NEEDS_REVIEW.value]),
            preferred_language=rng.choice(["es", "fr", "ht", "ar", "ti", ""]),
            nationality_code=rng.choice(["GT", "HT", "AF", "ER", "VE", ""]),
            state=rng.choice(["NY", "CA", "TX", "AK", ""]),
            claim_types=" " + " ".join(sorted(rng.sample(codes, rng.randint(1, 3)))) + " ",
            age_band=rng.choice([None, *age_bands.LABELS]),
        )
        with app.app_context():
            if disposition == "accepted" and rng.random() < 0.7:
                for kind in rng.sample(list(Outcome), rng.randint(1, 3)):
                    db.session.add(
                        CaseOutcome(request_id=made.id, kind=kind, happened_on=date(2026, 3, 1))
                    )
            for _ in range(rng.choice([0, 0, 1, 2])):
                db.session.add(
                    Referral(
                        request_id=made.id,
                        organisation_id=rng.choice(org_ids),
                        made_on=created.date(),
                        method="phone",
                        consent="form",
                        outcome=rng.choice([None, "accepted", "declined", "no_answer"]),
                    )
                )
            db.session.commit()
    with app.app_context():
        funder = funding.save_funder(
            None,
            name="Fund",
            active_from=date(2025, 1, 1),
            active_until=None,
            states=["NY", "TX"],
            claim_types=[],
            languages=[],
            allowed_states=frozenset({"NY", "CA", "TX", "AK"}),
            allowed_languages=frozenset(),
            actor_id=None,
        )
        return funder.id


def straightforward(scope: Scope, today: date) -> dict:
    """The figures counted the plain way: every row loaded, tested in Python."""
    r = scope.date_range
    since, before = datetime.combine(r.start, time.min), datetime.combine(r.end, time.min)
    before += timedelta(days=1)
    rows = [
        row
        for row in db.session.execute(select(HelpRequest)).scalars()
        if since <= row.created_at < before
    ]
    if scope.funder_id is not None:
        funded = set(
            db.session.execute(
                select(request_funder.c.request_id).where(
                    request_funder.c.funder_id == scope.funder_id
                )
            ).scalars()
        )
        rows = [row for row in rows if row.id in funded]
    ids = {row.id for row in rows}
    disposition = Counter(row.disposition for row in rows if row.disposition)
    disposition["open"] = sum(row.status in OPEN_STATUSES for row in rows)
    disposition[CLOSED_UNRECORDED] = sum(
        row.status not in OPEN_STATUSES and row.disposition is None for row in rows
    )
    outcomes = Counter(
        kind
        for kind, _request in {
            (o.kind, o.request_id)
            for o in db.session.execute(select(CaseOutcome)).scalars()
            if o.request_id in ids
        }
    )
    names = {o.id: o.name for o in db.session.execute(select(ReferralOrganisation)).scalars()}
    partners = {p.id: p.name for p in db.session.execute(select(Partner)).scalars()}
    referrals = Counter(
        f"{names[ref.organisation_id]}|{ref.outcome or AWAITING}"
        for ref in db.session.execute(select(Referral)).scalars()
        if ref.request_id in ids
    )

    def hours(end):
        spans = sorted(
            int((getattr(row, end) - row.created_at).total_seconds() // 3600)
            for row in rows
            if getattr(row, end) is not None
        )
        histogram = sorted(Counter(spans).items())
        return len(spans), percentile_hours(histogram, 1, 2), percentile_hours(histogram, 9, 10)

    reply_by = working_days_before(today, 5)
    periods = Counter((period_start(row.created_at.date(), r.by), row.urgency) for row in rows)
    return {
        "total": len(rows),
        "urgency": Counter(row.urgency for row in rows),
        "language": Counter(row.preferred_language for row in rows),
        "nationality": Counter(row.nationality_code for row in rows),
        "state": Counter(row.state for row in rows),
        "age": Counter(row.age_band or "" for row in rows),
        "relief": Counter(code for row in rows for code in row.claim_types.split()),
        "detention": Counter("detained" if row.detained else "not_detained" for row in rows),
        "channel": Counter("direct" if row.partner_id is None else "partner" for row in rows),
        "partner": Counter(partners[row.partner_id] for row in rows if row.partner_id),
        "screen": Counter(row.screen_override or row.screen for row in rows),
        "disposition": disposition,
        "outcome": outcomes,
        "referral": referrals,
        "closing": hours("closed_at"),
        "first_contact": hours("first_contact_at"),
        "overdue": sum(
            row.status in OPEN_STATUSES and row.created_at.date() < reply_by for row in rows
        ),
        "periods": periods,
    }


def fast(scope: Scope, today: date) -> dict:
    exact = Publishing(threshold=1, base=1)
    report = build_report(scope, rules=exact, top=100, today=today, reply_within_days=5)
    figures = {
        f.slug: Counter({c.key: c.count for c in f.cells if c.count}) for f in report.figures
    }
    return {
        **figures,
        "total": report.total.count,
        "closing": (report.closing.count, report.closing.median_hours, report.closing.p90_hours),
        "first_contact": (
            report.first_contact.count,
            report.first_contact.median_hours,
            report.first_contact.p90_hours,
        ),
        "overdue": report.overdue.count,
        "periods": Counter(
            {(row.start, c.key): c.count for row in report.received for c in row.cells if c.count}
        ),
    }


@pytest.mark.parametrize("funded", [False, True], ids=["all", "funder"])
def test_fast_figures_equal_a_straightforward_count(app, world, funded):
    """Every range on one data set (building it takes seconds); each range's
    differences are listed, named by range and figure."""
    differences = []
    for date_range in RANGES:
        scope = Scope(date_range, world if funded else None)
        with app.app_context():
            expected, got = straightforward(scope, TODAY), fast(scope, TODAY)
        assert expected["total"] > 0, date_range
        for name, value in expected.items():
            if isinstance(value, Counter):
                value = Counter({k: n for k, n in value.items() if n})
                if name in {"language", "nationality", "state"}:  # codes, "" as "Not given"
                    got[name] = Counter({k: n for k, n in got[name].items()})
            if got[name] != value:
                differences.append(
                    f"{date_range.start}..{date_range.end} by {date_range.by}: {name}"
                )
    assert differences == []


def test_the_edges_fall_in_the_right_day_week_and_month(app, world):
    weekly = DateRange(date(2026, 1, 7), date(2026, 2, 10), Period.WEEK)
    with app.app_context():
        got = fast(Scope(weekly), TODAY)
        rows = db.session.execute(select(HelpRequest.created_at)).scalars().all()
    # 00:00 on 7 January (a Wednesday) opens the range, in the week of 5 January;
    # 23:59:59 on 10 February closes it; neither neighbour is counted.
    assert datetime(2026, 1, 7) in rows and datetime(2026, 1, 6, 23, 59, 59, 999999) in rows
    inside = sum(date(2026, 1, 7) <= r.date() <= date(2026, 2, 10) for r in rows)
    assert got["total"] == inside
    assert min(start for start, _u in got["periods"]) == date(2026, 1, 5)
    assert max(start for start, _u in got["periods"]) == date(2026, 2, 9)
