"""The fast report (narrow indexes, GROUP BY in index order, combinations
folded in Python) gives exactly the figures a straightforward count of the
rows gives, on a varied data set with requests on the edges of the range, by
week and by month, for all requests and for one funder."""

import random
from collections import Counter
from dataclasses import replace
from datetime import date, datetime, time, timedelta

import pytest
from sqlalchemy import create_engine, delete, select, text, update
from sqlalchemy.orm import make_transient

from intake.cases import funding, live_urgency
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
    ReportTallied,
    request_funder,
)
from intake.models.help_request import OPEN_STATUSES
from intake.models.report_tally import EVERYONE
from intake.staff import report_queries, report_tallies
from intake.staff.report_figures import build_report
from intake.staff.report_queries import AWAITING, CLOSED_UNRECORDED, Scope
from intake.staff.reporting import (
    DateRange,
    Period,
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
    report = build_report(scope, threshold=1, top=100, today=today, reply_within_days=5)
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


@pytest.mark.parametrize("date_range", RANGES, ids=lambda r: f"{r.start}..{r.end}-{r.by}")
@pytest.mark.parametrize(
    ("funded", "by_list"),
    [(False, False), (True, False), (True, True)],
    ids=["all", "funder-probe", "funder-list"],
)
def test_fast_figures_equal_a_straightforward_count(
    app, world, monkeypatch, date_range, funded, by_list
):
    # Both ways to a funder's requests (report_queries.planned picks one on SQLite).
    monkeypatch.setattr(report_queries, "planned", lambda s: replace(s, funder_by_list=by_list))
    scope = Scope(date_range, world if funded else None)
    with app.app_context():
        expected, got = straightforward(scope, TODAY), fast(scope, TODAY)
    assert expected["total"] > 0
    for name, value in expected.items():
        if isinstance(value, Counter):
            value = Counter({k: n for k, n in value.items() if n})
            if name in {"language", "nationality", "state"}:  # keys are codes, "" as "Not given"
                got[name] = Counter({k: n for k, n in got[name].items()})
        assert got[name] == value, name


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


# --- past months and weeks come from tallies, kept exact by the database -------------

YEAR_END = DateRange(date(2025, 12, 31), date(2026, 2, 28), Period.MONTH)  # January whole


def counted_afresh(monkeypatch) -> list[tuple[date, date]]:
    """The ranges counted from the requests, as they are counted."""
    ranges = []
    count_all = report_queries.count_all

    def remember(scope, reply_by):
        ranges.append((scope.date_range.start, scope.date_range.end))
        return count_all(scope, reply_by)

    monkeypatch.setattr(report_queries, "count_all", remember)
    return ranges


def assert_exact(scope: Scope) -> None:
    expected, got = straightforward(scope, TODAY), fast(scope, TODAY)
    for name, value in expected.items():
        if isinstance(value, Counter):
            value = Counter({k: n for k, n in value.items() if n})
        assert got[name] == value, name


JANUARY = (date(2026, 1, 1), date(2026, 1, 31))
# Left over around the tallied blocks: a Wednesday before January, and the days
# from the reply-by day (Monday 23 February) to the range's end.
EDGES_ONLY = [(date(2025, 12, 31), date(2025, 12, 31)), (date(2026, 2, 23), date(2026, 2, 28))]
BLOCKS = [
    "2026-01-01/2026-01-31",
    "2026-02-01/2026-02-01",  # a Sunday: the rest of its week is in January
    "2026-02-02/2026-02-08",
    "2026-02-09/2026-02-15",
    "2026-02-16/2026-02-22",
]


@pytest.mark.parametrize("funded", [False, True], ids=["all", "funder"])
def test_past_months_and_weeks_are_counted_once_then_read_from_their_tallies(
    app, world, monkeypatch, funded
):
    scope = Scope(YEAR_END, world if funded else None)
    afresh = counted_afresh(monkeypatch)
    with app.app_context():
        assert_exact(scope)
        assert JANUARY in afresh  # tallied on the first view
        afresh.clear()
        assert_exact(scope)
        assert afresh == EDGES_ONLY  # January from its tallies
        tallied = db.session.execute(select(ReportTallied.block, ReportTallied.funder_id)).all()
    assert sorted(tallied) == [(block, world if funded else EVERYONE) for block in BLOCKS]


def january_ids(n=5) -> list[int]:
    query = select(HelpRequest.id).where(HelpRequest.created_on.between(*JANUARY))
    return list(db.session.execute(query.order_by(HelpRequest.id).limit(n)).scalars())


def close_one(app, funder):
    row = db.session.get(HelpRequest, january_ids()[0])
    row.status, row.disposition, row.closed_at = "declined", "declined_capacity", row.created_at
    db.session.commit()


def reopen_one(app, funder):
    query = select(HelpRequest).where(
        HelpRequest.created_on.between(*JANUARY), HelpRequest.status == "declined"
    )
    row = db.session.execute(query.limit(1)).scalar_one()
    row.status, row.disposition, row.closed_at = "in_review", None, None
    db.session.commit()


def override_screen(app, funder):
    db.session.get(HelpRequest, january_ids()[1]).screen_override = "screened_out_can_pay"
    db.session.commit()


def bulk_urgency_update(app, funder):
    """As ``intake.cases.live_urgency`` writes: a Core UPDATE, no ORM event."""
    db.session.execute(
        update(HelpRequest)
        .where(HelpRequest.id.in_(january_ids(40)))
        .values(urgency="critical", urgency_rank=0)
    )
    db.session.commit()


def live_urgency_step(app, funder):
    for request_id in january_ids(3):
        row = db.session.get(HelpRequest, request_id)
        row.status, row.urgency, row.urgency_rank = "new", "normal", 2
        row.urgency_steps, row.urgency_changes_on = '[["2026-02-20", 0]]', date(2026, 2, 20)
    db.session.commit()
    tally_january(funder)  # the month is tallied again with the steps pending
    assert live_urgency.bring_up_to_date(TODAY) == 3


def raw_sql_from_elsewhere(app, funder):
    """Another process writing with plain SQL."""
    engine = create_engine(app.config["SQLALCHEMY_DATABASE_URI"])
    try:
        with engine.begin() as conn:
            conn.execute(
                text("UPDATE help_request SET nationality_code = 'SY' WHERE id = :id"),
                {"id": january_ids()[2]},
            )
    finally:
        engine.dispose()


def record_outcome(app, funder):
    query = select(HelpRequest.id).where(
        HelpRequest.created_on.between(*JANUARY), HelpRequest.disposition == "accepted"
    )
    request_id = db.session.execute(query.limit(1)).scalar_one()
    db.session.add(CaseOutcome(request_id=request_id, kind="granted", happened_on=TODAY))
    db.session.commit()


def refer_and_answer(app, funder):
    org = db.session.execute(select(ReferralOrganisation.id)).scalars().first()
    referral = Referral(
        request_id=january_ids()[3],
        organisation_id=org,
        made_on=date(2026, 1, 20),
        method="phone",
        consent="form",
    )
    db.session.add(referral)
    db.session.commit()
    tally_january(funder)
    referral.outcome, referral.outcome_on = "accepted", date(2026, 2, 1)
    db.session.commit()


def change_funder_coverage(app, funder):
    db.session.execute(
        delete(request_funder).where(request_funder.c.request_id == january_ids()[0])
    )
    db.session.commit()


def receive_late_import(app, funder):
    """A request stored with a January date (an import): counted in January."""
    row = db.session.get(HelpRequest, january_ids()[4])
    db.session.expunge(row)
    make_transient(row)
    row.id, row.reference = None, "IMPORTED1"
    db.session.add(row)
    db.session.commit()


def delete_one(app, funder):
    db.session.execute(delete(HelpRequest).where(HelpRequest.id == january_ids()[0]))
    db.session.commit()


def tally_january(funder) -> None:
    scope = Scope(YEAR_END, None if funder == EVERYONE else funder)
    fast(scope, TODAY)


WRITES = [
    close_one,
    reopen_one,
    override_screen,
    bulk_urgency_update,
    live_urgency_step,
    raw_sql_from_elsewhere,
    record_outcome,
    refer_and_answer,
    change_funder_coverage,
    receive_late_import,
    delete_one,
]


@pytest.mark.parametrize(
    ("write", "funded"),
    [(write, False) for write in WRITES]
    + [(write, True) for write in (close_one, bulk_urgency_update, change_funder_coverage)],
    ids=lambda value: value.__name__ if callable(value) else ("funder" if value else "all"),
)
def test_every_counted_write_makes_the_month_count_again(app, world, monkeypatch, write, funded):
    funder = world if funded else EVERYONE
    scope = Scope(YEAR_END, world if funded else None)
    with app.app_context():
        tally_january(funder)
        write(app, funder)
        afresh = counted_afresh(monkeypatch)
        assert_exact(scope)
    assert JANUARY in afresh


def test_a_write_that_changes_no_count_keeps_the_tallies(app, world, monkeypatch):
    with app.app_context():
        tally_january(EVERYONE)
        row = db.session.get(HelpRequest, january_ids()[0])
        row.assignee_id, row.contacted = None, not row.contacted
        db.session.commit()
        afresh = counted_afresh(monkeypatch)
        assert_exact(Scope(YEAR_END))
    assert afresh == EDGES_ONLY


def test_a_write_while_the_month_is_counted_is_never_lost(app, world, monkeypatch):
    """The tallies carry the version read before counting: a request closed
    between that read and the tallies being kept makes them stale at once."""
    count_all = report_queries.count_all

    def count_then_someone_writes(scope, reply_by):
        counted = count_all(scope, reply_by)
        if scope.date_range.start == JANUARY[0]:
            raw_sql_from_elsewhere(app, EVERYONE)
        return counted

    with app.app_context():
        monkeypatch.setattr(report_queries, "count_all", count_then_someone_writes)
        fast(Scope(YEAR_END), TODAY)  # tallies January while the write happens
        monkeypatch.undo()
        afresh = counted_afresh(monkeypatch)
        assert_exact(Scope(YEAR_END))
    assert JANUARY in afresh


def d(text: str) -> date:
    return date.fromisoformat(text)


@pytest.mark.parametrize(
    ("start", "end", "reply_by", "tallied", "afresh"),
    [
        # A whole month that ended the day before the reply-by day.
        ("2026-01-01", "2026-01-31", "2026-02-01", ["2026-01-01/2026-01-31"], []),
        # Ending on the reply-by day: its last week's piece is counted afresh.
        (
            "2026-01-01",
            "2026-01-31",
            "2026-01-31",
            ["2026-01-01/2026-01-04", "2026-01-05/2026-01-11", "2026-01-12/2026-01-18"]
            + ["2026-01-19/2026-01-25"],
            ["2026-01-26/2026-01-31"],
        ),
        # Starting mid-week (Friday 2 January): to Sunday afresh; the same at the end.
        (
            "2026-01-02",
            "2026-02-04",
            "2026-06-01",
            ["2026-01-05/2026-01-11", "2026-01-12/2026-01-18", "2026-01-19/2026-01-25"]
            + ["2026-01-26/2026-01-31", "2026-02-01/2026-02-01"],
            ["2026-01-02/2026-01-04", "2026-02-02/2026-02-04"],
        ),
        # 29 February closes a leap month; 28 February does not.
        ("2024-02-01", "2024-02-29", "2024-03-01", ["2024-02-01/2024-02-29"], []),
        (
            "2024-02-01",
            "2024-02-28",
            "2024-02-29",
            ["2024-02-01/2024-02-04", "2024-02-05/2024-02-11", "2024-02-12/2024-02-18"]
            + ["2024-02-19/2024-02-25"],
            ["2024-02-26/2024-02-28"],
        ),
        # One day; and everything after the reply-by day.
        ("2026-01-31", "2026-01-31", "2026-03-01", [], ["2026-01-31/2026-01-31"]),
        ("2026-03-01", "2026-03-31", "2026-02-01", [], ["2026-03-01/2026-03-31"]),
    ],
)
def test_blocks_are_whole_months_or_week_pieces_that_ended_before_the_reply_by_day(
    start, end, reply_by, tallied, afresh
):
    got_tallied, got_afresh = report_tallies.blocks(d(start), d(end), d(reply_by))
    assert [report_tallies.block_key(b) for b in got_tallied] == tallied
    assert [report_tallies.block_key(b) for b in got_afresh] == afresh


def test_tallies_that_cannot_be_kept_still_give_the_counts(app, world, monkeypatch):
    """Two reports tallying one month at once: the second's insert fails; its
    report is still exact and nothing half-kept is used later."""
    to_rows = report_tallies.to_rows
    monkeypatch.setattr(report_tallies, "to_rows", lambda counts: to_rows(counts) * 2)
    with app.app_context():
        assert_exact(Scope(YEAR_END))
        kept = db.session.execute(select(ReportTallied.block)).scalars().all()
        monkeypatch.undo()
        afresh = counted_afresh(monkeypatch)
        assert_exact(Scope(YEAR_END))
    assert kept == []
    assert JANUARY in afresh


def test_a_month_whose_version_row_cannot_be_written_is_counted_not_kept(app, world, monkeypatch):
    monkeypatch.setattr(report_tallies, "_ensure_months", lambda months: None)
    with app.app_context():
        assert_exact(Scope(YEAR_END))
        assert db.session.execute(select(ReportTallied.block)).scalars().all() == []


def test_blocks_before_the_first_request_are_kept_empty_without_counting(
    app, make_request, monkeypatch
):
    """A year with requests in January only: the empty months cost no count,
    and a request stored later in one of them is still counted."""
    make_request(created_at=datetime(2026, 1, 10, 12))
    year = Scope(DateRange(date(2025, 3, 1), date(2026, 2, 28), Period.MONTH))
    afresh = counted_afresh(monkeypatch)
    with app.app_context():
        assert fast(year, TODAY)["total"] == 1
    assert afresh == [JANUARY]  # February's blocks and the edge are after the last request
    make_request(created_at=datetime(2025, 6, 15, 12))  # an import into an empty month
    afresh.clear()
    with app.app_context():
        assert fast(year, TODAY)["total"] == 2
    assert afresh == [(date(2025, 6, 1), date(2025, 6, 30))]
