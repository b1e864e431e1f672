"""The facts on the staff side, through HTTP: the case page's deadlines with their
sources, correcting a fact or the urgency (reason required, audited, right role),
and the queue's "rose" marker."""

from datetime import date, datetime, timedelta

import pytest

from intake import timeutil
from intake.db import db
from intake.models import AuditEvent, HelpRequest
from tests.support.form import dated, submit_answers
from tests.support.staff import post_case

TODAY = date(2026, 5, 1)
ORDER = TODAY - timedelta(days=20)


@pytest.fixture(autouse=True)
def frozen_today(monkeypatch):
    monkeypatch.setattr(timeutil, "today", lambda: TODAY)


@pytest.fixture
def ordered(app):
    """A request whose removal order was made 20 days ago, sent through the form."""
    client = app.test_client()
    submit_answers(
        client,
        decided="yes",
        **dated("decision", ORDER),
        in_absentia="no",
        appealed="no",
    )
    with app.app_context():
        return db.session.execute(db.select(HelpRequest.reference)).scalar_one()


def correct_decision_date(client, reference, day: str):
    return post_case(
        client,
        reference,
        "fact",
        fact="decision_date",
        month="4",
        day=day,
        year="2026",
        reason=f"Order says {day} April",
    )


def test_case_page_shows_each_deadline_with_days_left_and_source(
    app, client, make_staff, login_as, ordered
):
    login_as(client, make_staff("reviewer"))
    page = client.get(f"/staff/cases/{ordered}").get_data(as_text=True)
    assert "BIA appeal due in 10 days" in page
    assert "8 CFR 1003.38(b)" in page
    assert "Motion to reopen due in 70 days" in page
    assert "Possibly" in page and "Withholding of removal" in page


def test_correcting_the_order_date_needs_a_reason_and_moves_the_deadline(
    app, client, make_staff, login_as, ordered
):
    login_as(client, make_staff("reviewer"))
    refused = post_case(
        client, ordered, "fact", fact="decision_date", month="4", day="1", year="2026", reason=""
    )
    assert refused.status_code == 400 and "Give a reason for correcting the fact." in refused.text
    done = correct_decision_date(client, ordered, "1")
    assert done.status_code == 302
    page = client.get(f"/staff/cases/{ordered}").get_data(as_text=True)
    assert "BIA appeal passed" not in page and "BIA appeal due today" in page
    with app.app_context():
        event = db.session.execute(db.select(AuditEvent).filter_by(action="case.fact")).scalar_one()
        assert event.detail.startswith("decision_date->") and "2026" not in event.detail


def test_a_bad_corrected_date_is_refused_with_a_clear_error(client, make_staff, login_as, ordered):
    login_as(client, make_staff("reviewer"))
    refused = post_case(
        client, ordered, "fact", fact="date_of_birth", month="2", day="30", year="2000", reason="x"
    )
    assert refused.status_code == 400 and "Enter a real date." in refused.text


def test_setting_the_urgency_by_hand_is_audited(app, client, make_staff, login_as, ordered):
    login_as(client, make_staff("reviewer"))
    assert post_case(client, ordered, "urgency", urgency="normal", reason="").status_code == 400
    assert (
        post_case(
            client, ordered, "urgency", urgency="normal", reason="Appeal filed today"
        ).status_code
        == 302
    )
    with app.app_context():
        row = db.session.execute(db.select(HelpRequest).filter_by(reference=ordered)).scalar_one()
        assert (row.urgency, row.urgency_set_by_staff) == ("normal", True)
        assert db.session.execute(
            db.select(AuditEvent).filter_by(action="case.urgency")
        ).scalar_one()


@pytest.mark.parametrize("action", ["fact", "urgency"])
def test_a_volunteer_cannot_correct(app, client, make_staff, login_as, ordered, action):
    volunteer = make_staff("volunteer")
    with app.app_context():
        db.session.execute(db.update(HelpRequest).values(assignee_id=volunteer.id))
        db.session.commit()
    login_as(client, volunteer)
    response = post_case(
        client, ordered, action, fact="date_of_birth", urgency="normal", reason="x"
    )
    assert response.status_code == 403


def test_queue_marks_urgency_that_rose_since_you_last_looked(
    app, client, make_staff, login_as, monkeypatch
):
    def set_day(day):
        monkeypatch.setattr(timeutil, "today", lambda: day)
        monkeypatch.setattr(timeutil, "utcnow", lambda: datetime(day.year, day.month, day.day, 9))

    set_day(TODAY)
    hearing = TODAY + timedelta(days=80)
    submit_answers(
        app.test_client(),
        appointment="asylum_office",  # ranks like a hearing, without filings due
        i589_filed="yes",
        **dated("appointment", hearing),
    )
    reviewer = make_staff("reviewer")
    login_as(client, reviewer)
    with app.app_context():
        reference = db.session.execute(db.select(HelpRequest.reference)).scalar_one()
    client.get(f"/staff/cases/{reference}")  # seen while normal
    queue = client.get("/staff/").get_data(as_text=True)
    assert "rose since you last saw it" not in queue
    assert 'class="urgency-normal"' in queue
    set_day(TODAY + timedelta(days=25))  # high since day 20 (60 days before): no job run
    client = app.test_client()
    login_as(client, reviewer)
    assert 'class="urgency-high"' in client.get("/staff/").get_data(as_text=True)
    set_day(TODAY + timedelta(days=70))  # critical since day 66; a new day, a new login
    client = app.test_client()
    login_as(client, reviewer)
    queue = client.get("/staff/").get_data(as_text=True)
    assert 'class="urgency-critical"' in queue
    assert "Critical" in queue and "rose since you last saw it" in queue
    client.get(f"/staff/cases/{reference}")
    assert "rose since you last saw it" not in client.get("/staff/").get_data(as_text=True)


def test_correcting_the_date_of_birth_sets_the_age_band_at_submission(
    app, client, make_staff, login_as, ordered
):
    login_as(client, make_staff("reviewer"))
    with app.app_context():
        row = db.session.execute(db.select(HelpRequest)).scalar_one()
        assert row.age_band == "21_64"  # the form's April 1990
        after = row.created_at.date() + timedelta(days=1)
    # 18 the day after the request was sent: a child when it was sent, whatever today is.
    done = post_case(
        client,
        ordered,
        "fact",
        fact="date_of_birth",
        month=str(after.month),
        day=str(after.day),
        year=str(after.year - 18),
        reason="Passport",
    )
    assert done.status_code == 302
    with app.app_context():
        assert db.session.execute(db.select(HelpRequest.age_band)).scalar_one() == "14_17"


def test_case_page_shows_the_counted_and_the_rolled_day_with_the_rule(
    app, client, make_staff, login_as, ordered
):
    login_as(client, make_staff("reviewer"))
    done = correct_decision_date(client, ordered, "3")  # + 30 days = Sunday May 3, 2026
    assert done.status_code == 302
    page = client.get(f"/staff/cases/{ordered}").get_data(as_text=True)
    assert "BIA appeal due in 3 days" in page  # Monday May 4
    assert 'counted <time datetime="2026-05-03">' in page
    assert "day counting: 8 CFR 1003.38(b)" in page and "5 U.S.C. 6103" in page


def test_a_negative_fear_finding_from_the_form_is_shown_with_its_review_deadline(
    app, client, make_staff, login_as
):
    submit_answers(
        app.test_client(),
        asker="family",
        helper_name="Rosa",
        detained="yes",
        fear_interview="yes",
        fear_result="negative",
        **dated("fear_result", TODAY - timedelta(days=3)),
    )
    with app.app_context():
        row = db.session.execute(db.select(HelpRequest)).scalar_one()
        assert row.urgency == "critical"
        reference = row.reference
    login_as(client, make_staff("reviewer"))
    page = client.get(f"/staff/cases/{reference}").get_data(as_text=True)
    assert "Ask for review by an immigration judge — 7 days due in 4 days" in page
    assert "INA 235(b)(1)(B)(iii)(III)" in page
    assert "result: negative, on 2026-04-28" in page


def test_correcting_an_answer_reranks_the_case_and_is_audited(
    app, client, make_staff, login_as, ordered
):
    login_as(client, make_staff("reviewer"))
    refused = post_case(client, ordered, "answer", answer="moved=maybe", reason="Called")
    assert refused.status_code == 400
    done = post_case(client, ordered, "answer", answer="moved=yes", reason="Called them")
    assert done.status_code == 302
    page = client.get(f"/staff/cases/{ordered}").get_data(as_text=True)
    assert "Form EOIR-33 within 5 days" in page
    assert "Moved since the court last had the address</dt><dd>yes" in page
    with app.app_context():
        event = (
            db.session.execute(
                db.select(AuditEvent).filter_by(action="case.fact").order_by(AuditEvent.id.desc())
            )
            .scalars()
            .first()
        )
        assert event.detail.startswith("moved->")
