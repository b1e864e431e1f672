"""The figures casework made possible: time from request to first contact
attempt, referral outcomes by organisation, and age bands — counted right at
the range's edges, small counts suppressed everywhere, nothing personal shown."""

import re
from datetime import date, datetime, timedelta

import pytest

from intake import timeutil
from intake.db import db
from intake.models import HelpRequest, Referral, ReferralOrganisation, StaffUser
from intake.staff.followup import outreach
from intake.staff.reports.figures import build_report
from intake.staff.reports.queries import Scope
from intake.staff.reports.ranges import DateRange, Period, Publishing
from intake.timeutil import utcnow

JAN = DateRange(date(2026, 1, 1), date(2026, 1, 31), Period.MONTH)


def report(app, scope=None):
    with app.app_context():
        return build_report(
            scope or Scope(JAN),
            rules=Publishing(threshold=5, base=1),  # exact: the counting is under test
            top=10,
            today=date(2026, 2, 2),
            reply_within_days=5,
        )


def figure(rep, slug):
    return {c.key: c for c in next(f for f in rep.figures if f.slug == slug).cells}


def attempt(app, request_id, at, monkeypatch, outcome="no_answer"):
    """A contact attempt recorded as staff record one, at ``at``."""
    monkeypatch.setattr(timeutil, "utcnow", lambda: at)
    with app.app_context():
        row = db.session.get(HelpRequest, request_id)
        actor = db.session.execute(db.select(StaffUser)).scalars().first()
        outreach.record_contact_attempt(row, actor, channel="phone", outcome=outcome)


def test_the_first_attempt_sets_first_contact_once(app, make_request, make_staff, monkeypatch):
    make_staff(role="reviewer")
    made = make_request(created_at=datetime(2026, 1, 5, 9, 0))
    attempt(app, made.id, datetime(2026, 1, 5, 12, 59, 59), monkeypatch)
    attempt(app, made.id, datetime(2026, 1, 6, 9, 0), monkeypatch, outcome="reached")
    with app.app_context():
        row = db.session.get(HelpRequest, made.id)
        assert row.first_contact_at == datetime(2026, 1, 5, 12, 59, 59)
        assert row.hours_to_first_contact == 3  # 3 h 59 min 59 s: whole hours, rounded down


def test_time_to_first_contact_median_and_90th_percentile(app, make_request):
    start = datetime(2026, 1, 8, 10, 0)
    for hours in range(1, 11):  # 1 … 10 hours
        make_request(created_at=start, first_contact_at=start + timedelta(hours=hours))
    make_request(created_at=start)  # nobody tried yet: not counted
    # Received the day before the range, reached inside it: not this range's request.
    make_request(
        created_at=datetime(2025, 12, 31, 23, 59, 59),
        first_contact_at=datetime(2026, 1, 1, 0, 30),
    )
    # Received on the range's last instant: counted.
    make_request(
        created_at=datetime(2026, 1, 31, 23, 59, 59),
        first_contact_at=datetime(2026, 2, 1, 10, 59, 59),
    )
    rep = report(app)
    assert rep.first_contact.count == 11
    assert rep.first_contact.median_hours == 6.0  # nearest rank: the 6th of 11
    assert rep.first_contact.p90_hours == 10.0  # the 10th of 11


def test_too_few_first_contacts_are_not_described(app, make_request):
    start = datetime(2026, 1, 8, 10, 0)
    for hours in (1, 2, 3):
        make_request(created_at=start, first_contact_at=start + timedelta(hours=hours))
    rep = report(app)
    assert rep.first_contact.count == 3
    assert rep.first_contact.text(rep.first_contact.median_hours) == "fewer than 5 requests"


@pytest.fixture
def referrals(app, make_request):
    """Six referrals to one organisation accepted, three to another declined,
    one outside the range; each note holds a marker that must never show."""
    with app.app_context():
        orgs = [ReferralOrganisation(name=n) for n in ("Harbor Legal", "Mesa Defenders")]
        db.session.add_all(orgs)
        db.session.commit()
        harbor, mesa = (o.id for o in orgs)
    now = utcnow()
    plan = [(harbor, "accepted", 3)] * 6 + [(mesa, "declined", 3)] * 3 + [(mesa, None, 500)]
    for org, outcome, days_ago in plan:
        made = make_request(
            created_at=now - timedelta(days=days_ago), name="Zorblat Quenwick", status="referred"
        )
        with app.app_context():
            db.session.add(
                Referral(
                    request_id=made.id,
                    organisation_id=org,
                    made_on=now.date(),
                    method="phone",
                    consent="form",
                    outcome=outcome,
                    note="Marker referral note",
                )
            )
            db.session.commit()


def test_referral_outcomes_by_organisation_are_counted_in_the_range(app, referrals):
    today = utcnow().date()
    scope = Scope(DateRange(today - timedelta(days=30), today, Period.MONTH))
    with app.app_context():
        rules = Publishing(threshold=2, base=1)
        rep = build_report(scope, rules=rules, top=10, today=today, reply_within_days=5)
    cells = figure(rep, "referral")
    assert {k: c.count for k, c in cells.items()} == {
        "Harbor Legal|accepted": 6,
        "Mesa Defenders|declined": 3,  # the one made 500 days ago is outside the range
    }
    assert cells["Harbor Legal|accepted"].label == "Accepted: Harbor Legal"


def test_a_referral_cell_of_three_never_appears(client, make_staff, login_as, referrals):
    login_as(client, make_staff(role="analyst"))
    page = client.get("/staff/reports/").get_data(as_text=True)
    csv = client.get("/staff/reports/export.csv").get_data(as_text=True)
    # Organisation × outcome: accepted, declined, no answer, awaiting an answer.
    harbor = re.search(r'<th scope="row">Harbor Legal</th>(.*?)</tr>', page, re.S).group(1)
    assert re.findall(r"<td>(.*?)</td>", harbor) == ["5", "0", "0", "0"]  # 6, rounded
    mesa = re.search(r'<th scope="row">Mesa Defenders</th>(.*?)</tr>', page, re.S).group(1)
    assert re.findall(r"<td>(.*?)</td>", mesa) == [
        "0",
        '<span class="suppressed">fewer than 5</span>',
        "0",
        "0",
    ]
    assert "Declined (&lt;5)" in page  # Mesa's chart: its bar drawn as nothing
    assert "Referral outcomes by organisation,Declined: Mesa Defenders,fewer than 5" in csv
    assert "Referral outcomes by organisation,Accepted: Harbor Legal,5" in csv
    for line in csv.splitlines():
        assert not line.endswith(",3"), line
    for text in (page, csv):
        assert "Zorblat" not in text and "Marker referral note" not in text


def test_first_contact_is_in_the_page_table_chart_and_csv(
    client, make_staff, login_as, make_request
):
    now = utcnow()
    for hours in range(1, 7):
        made_at = now - timedelta(days=2)
        make_request(created_at=made_at, first_contact_at=made_at + timedelta(hours=hours))
    login_as(client, make_staff(role="admin"))
    page = client.get("/staff/reports/").get_data(as_text=True)
    csv = client.get("/staff/reports/export.csv").get_data(as_text=True)
    assert '<th scope="row">first contact attempt</th>' in page
    assert "Time from request to first contact attempt,median,3.0 hours" in csv
    assert "Time from request to first contact attempt,90th percentile,6.0 hours" in csv
    durations = page[page.index('id="fig-durations"') :]
    assert "<svg" in durations[: durations.index("</section>")]
    assert "not recorded yet" not in page


def test_age_bands_are_reported_with_not_given(app, make_request):
    for band, n in (("under_14", 6), ("14_17", 3), ("21_64", 8), (None, 5)):
        for _ in range(n):
            make_request(created_at=datetime(2026, 1, 9), age_band=band)
    cells = figure(report(app), "age")
    assert [c.label for c in cells.values()] == [
        "Under 14",
        "14 to 17",
        "18 to 20",
        "21 to 64",
        "65 or older",
        "Not given",
    ]
    counts = {k: c.count for k, c in cells.items()}
    # 14 to 17 is 3: hidden, and so is the next smallest (the total would give it away).
    assert counts == {
        "under_14": 6,
        "14_17": None,
        "18_20": 0,
        "21_64": 8,
        "65_plus": 0,
        "": None,
    }
