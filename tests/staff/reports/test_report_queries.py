"""The reports' figures, counted by the database (SQLite here, PostgreSQL when
INTAKE_TEST_DATABASE_URI names one), and the funders' coverage."""

from datetime import date, datetime, timedelta

import pytest
from sqlalchemy import event, select

from intake.cases import funding
from intake.db import db
from intake.models import CaseOutcome, Disposition, Funder, HelpRequest, Outcome, request_funder
from intake.staff.reports import queries
from intake.staff.reports.figures import build_report
from intake.staff.reports.queries import Scope
from intake.staff.reports.ranges import DateRange, Period, Publishing

JAN = DateRange(date(2026, 1, 1), date(2026, 1, 31), Period.MONTH)


def at(day: int, hour: int = 12, month: int = 1) -> datetime:
    return datetime(2026, month, day, hour)


def report(app, scope=None, threshold=5, top=10, today=date(2026, 2, 1), base=1):
    """The report; counts exact (``base`` 1) unless a test is about rounding."""
    with app.app_context():
        return build_report(
            scope or Scope(JAN),
            rules=Publishing(threshold, base),
            top=top,
            today=today,
            reply_within_days=5,
        )


def figure(rep, slug):
    return {c.key: c for c in next(f for f in rep.figures if f.slug == slug).cells}


def test_range_edges_count_the_first_and_last_day_only(app, make_request):
    make_request(created_at=datetime(2025, 12, 31, 23, 59, 59))
    make_request(created_at=datetime(2026, 1, 1, 0, 0, 0))
    make_request(created_at=datetime(2026, 1, 31, 23, 59, 59))
    make_request(created_at=datetime(2026, 2, 1, 0, 0, 0))
    with app.app_context():
        days = queries.count_days(Scope(JAN))
    assert sorted(days) == [date(2026, 1, 1), date(2026, 1, 31)]
    assert report(app, threshold=1).total.count == 2


def test_every_disposition_is_counted(app, make_request):
    for d in Disposition:
        for _ in range(5):
            make_request(created_at=at(3), status=d.status, disposition=d.value, closed_at=at(9))
    for _ in range(6):
        make_request(created_at=at(4), status="declined")  # closed before dispositions
    for _ in range(7):
        make_request(created_at=at(4))
    cells = figure(report(app), "disposition")
    for d in Disposition:
        assert cells[d.value].count == 5, d
    assert cells["not_recorded"].count == 6
    assert cells["open"].count == 7


def test_every_outcome_is_counted_once_per_case(app, make_request):
    ids = []
    for _ in range(5):
        ids.append(make_request(created_at=at(2), status="accepted", disposition="accepted").id)
    with app.app_context():
        for request_id in ids:
            for o in Outcome:
                db.session.add(
                    CaseOutcome(request_id=request_id, kind=o, happened_on=date(2026, 3, 1))
                )
            # Recorded twice: the case still counts once.
            db.session.add(
                CaseOutcome(request_id=request_id, kind="filed", happened_on=date(2026, 3, 2))
            )
        db.session.commit()
    cells = figure(report(app), "outcome")
    assert {k: c.count for k, c in cells.items()} == {o.value: 5 for o in Outcome}


def test_small_counts_never_appear_in_the_report(app, make_request):
    for _ in range(3):
        make_request(created_at=at(5), preferred_language="ti", detained=True, state="AK")
    for _ in range(40):
        make_request(created_at=at(6), preferred_language="es", state="NY")
    rep = report(app)
    language = figure(rep, "language")
    assert language["ti"].suppressed and language["ti"].text == "fewer than 5"
    assert figure(rep, "detention")["detained"].suppressed
    # 3 detained of 43: "not detained 40" and the total would give the 3 away.
    assert figure(rep, "detention")["not_detained"].suppressed
    assert figure(rep, "state")["AK"].suppressed
    every = [c for f in rep.figures for c in f.cells] + [c for r in rep.received for c in r.cells]
    assert all(c.count != 3 for c in every)


def test_received_by_week_and_urgency(app, make_request):
    for _ in range(6):
        make_request(created_at=at(5), urgency="critical")  # Monday 5 January
    for _ in range(5):
        make_request(created_at=at(11, 23), urgency="high")  # Sunday 11 January, late
    for _ in range(5):
        make_request(created_at=at(12, 0), urgency="high")  # Monday 12 January, midnight
    weekly = DateRange(date(2026, 1, 1), date(2026, 1, 31), Period.WEEK)
    rows = report(app, Scope(weekly)).received
    assert [r.start for r in rows][:3] == [date(2025, 12, 29), date(2026, 1, 5), date(2026, 1, 12)]
    by_start = {r.start: {c.key: c.count for c in r.cells} for r in rows}
    assert by_start[date(2026, 1, 5)] == {"critical": 6, "high": 5, "normal": 0}
    assert by_start[date(2026, 1, 12)]["high"] == 5
    assert by_start[date(2025, 12, 29)] == {"critical": 0, "high": 0, "normal": 0}


def test_nationality_top_n_and_other(app, make_request):
    for code, n in (("VE", 9), ("HT", 8), ("AF", 7), ("ER", 2), ("SY", 3)):
        for _ in range(n):
            make_request(created_at=at(7), nationality=code, nationality_code=code)
    cells = figure(report(app, top=3), "nationality")
    assert list(cells) == ["VE", "HT", "AF", "other_rest"]
    assert cells["VE"].label == "Venezuela" and cells["other_rest"].count == 5


def test_time_to_closing_median_and_90th_percentile(app, make_request):
    for hours in range(1, 11):  # 1 … 10 hours
        make_request(created_at=at(8), status="declined", closed_at=at(8) + timedelta(hours=hours))
    make_request(created_at=at(8))  # open: not counted
    rep = report(app)
    assert rep.closing.count == 10
    assert rep.closing.median_hours == pytest.approx(5.0, abs=0.01)
    assert rep.closing.p90_hours == pytest.approx(9.0, abs=0.01)


def test_overdue_counts_open_requests_past_the_promised_reply(app, make_request):
    # Today Monday 2 February; five working days back is Monday 26 January.
    for _ in range(5):
        make_request(created_at=at(25, 23))  # open, before the 26th: overdue
    for _ in range(5):
        make_request(created_at=at(26, 0))  # open, on the 26th: not yet
    for _ in range(5):
        make_request(created_at=at(20), status="accepted")  # closed: not overdue
    rep = report(app, today=date(2026, 2, 2))
    assert rep.overdue.count == 5


@pytest.mark.parametrize("requests", [6, 60])
def test_reports_read_no_encrypted_column(app, make_request, requests):
    for n in range(requests):
        make_request(created_at=at(1 + n % 28), status="referred", closed_at=at(29))
    statements = []

    def remember(conn, cursor, statement, *args):
        statements.append(statement)

    with app.app_context():
        event.listen(db.engine, "before_cursor_execute", remember)
        try:
            build_report(
                Scope(JAN),
                rules=Publishing(),
                top=10,
                today=date(2026, 2, 1),
                reply_within_days=5,
            )
        finally:
            event.remove(db.engine, "before_cursor_execute", remember)
    joined = "\n".join(statements)
    for column in ("name", "phone", "email", "summary", "nationality,", "monthly_income"):
        assert f"help_request.{column}" not in joined
    # Aggregates, not a query per row: as many statements for 6 requests as for 60,
    # one GROUP BY per figure and two to name partners and organisations.
    assert len(statements) <= 13


# --- funders -------------------------------------------------------------------------


def add_funder(app, **fields):
    values = {
        "name": "Fund",
        "active_from": None,
        "active_until": None,
        "states": [],
        "claim_types": [],
        "languages": [],
        "allowed_states": frozenset({"NY", "CA", "TX"}),
        "allowed_languages": frozenset({"es", "ht", "fr"}),
        "actor_id": None,
        **fields,
    }
    with app.app_context():
        funder = funding.save_funder(None, **values)
        return funder.id


def funded(app, funder_id):
    with app.app_context():
        query = select(request_funder.c.request_id).where(request_funder.c.funder_id == funder_id)
        return set(db.session.execute(query).scalars())


def test_funder_covers_by_dates_state_relief_and_language(app, make_request):
    inside = make_request(
        created_at=at(10), state="NY", claim_types=" asylum cat ", preferred_language="es"
    )
    first_day = make_request(
        created_at=datetime(2026, 1, 5), state="CA", claim_types=" cat ", preferred_language="es"
    )
    last_day = make_request(
        created_at=datetime(2026, 1, 20, 23, 59),
        state="NY",
        claim_types=" cat ",
        preferred_language="es",
    )
    make_request(
        created_at=datetime(2026, 1, 21), state="NY", claim_types=" cat ", preferred_language="es"
    )
    make_request(created_at=at(10), state="TX", claim_types=" cat ", preferred_language="es")
    make_request(created_at=at(10), state="NY", claim_types=" tps ", preferred_language="es")
    make_request(created_at=at(10), state="NY", claim_types=" cat ", preferred_language="ht")
    fund = add_funder(
        app,
        active_from=date(2026, 1, 5),
        active_until=date(2026, 1, 20),
        states=["NY", "CA"],
        claim_types=["cat", "withholding"],
        languages=["es"],
    )
    assert funded(app, fund) == {inside.id, first_day.id, last_day.id}


def test_empty_lists_cover_everything_in_the_dates(app, make_request):
    a = make_request(created_at=at(10), state="TX", preferred_language="fr")
    make_request(created_at=datetime(2025, 12, 31))
    fund = add_funder(app, active_from=date(2026, 1, 1))
    assert funded(app, fund) == {a.id}


def test_python_and_sql_coverage_agree_for_a_new_request(app, make_request):
    fund = add_funder(app, active_from=date(2026, 1, 1), states=["NY"], languages=["es"])
    covered = make_request(created_at=at(10), state="NY", preferred_language="es")
    missed = make_request(created_at=at(10), state="CA", preferred_language="es")
    with app.app_context():
        for row_id in (covered.id, missed.id):
            funding.link_new_request(db.session.get(HelpRequest, row_id))
        db.session.commit()
        python_side = funded(app, fund)
        funder = db.session.get(Funder, fund)
        funding.apply_funder(funder)
        db.session.commit()
    assert python_side == funded(app, fund) == {covered.id}


def test_funder_report_counts_only_its_requests(app, make_request):
    for _ in range(6):
        make_request(created_at=at(10), state="NY")
    for _ in range(9):
        make_request(created_at=at(10), state="CA")
    fund = add_funder(app, active_from=date(2026, 1, 1), states=["NY"])
    assert report(app, Scope(JAN, fund)).total.count == 6
    assert report(app).total.count == 15


@pytest.mark.parametrize(
    ("fields", "message"),
    [
        ({"name": " "}, "name"),
        ({"active_from": None}, "starts"),
        ({"active_until": date(2025, 1, 1)}, "cannot end before"),
        ({"states": ["ZZ"]}, "Unknown state"),
        ({"claim_types": ["% OR 1=1"]}, "Unknown relief"),
        ({"languages": ["xx"]}, "Unknown language"),
    ],
)
def test_funder_mistakes_are_refused(app, fields, message):
    base = {"name": "Fund", "active_from": date(2026, 1, 1)}
    with pytest.raises(funding.FundingError, match=message):
        add_funder(app, **{**base, **fields})


def test_two_funders_cannot_share_a_name(app):
    add_funder(app, active_from=date(2026, 1, 1))
    with pytest.raises(funding.FundingError, match="already"):
        add_funder(app, active_from=date(2026, 1, 1))
