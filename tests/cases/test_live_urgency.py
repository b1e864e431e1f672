"""The staff side of urgency: a band that follows the calendar with no job
(the read-time refresh, the "rose" marker), staff corrections and urgency set by
hand, the case page's reading of the facts, and the daily digest."""

import json
from datetime import date, datetime, timedelta

import pytest

from intake import timeutil
from intake.cases import live_urgency
from intake.cases import stored_facts as facts
from intake.db import db
from intake.law.dates import PartialDate
from intake.models import HelpRequest
from tests.support.form import dated, store_answers

TODAY = date(2026, 5, 1)
TODAY_NOON = datetime(2026, 5, 1, 12)


@pytest.fixture(autouse=True)
def frozen_today(monkeypatch):
    monkeypatch.setattr(timeutil, "today", lambda: TODAY)


def store(app, **changes) -> HelpRequest:
    return store_answers(app, **changes)


def test_interview_80_days_out_rises_on_its_own(app, monkeypatch):
    """Normal at submission, high 25 days later, critical 70 days later: no job."""
    hearing = TODAY + timedelta(days=80)
    with app.app_context():
        row = store(
            app,
            # An asylum-office interview ranks by the hearing thresholds; a court
            # hearing would also bring its filing deadline, 30 days before it.
            appointment="asylum_office",
            i589_filed="yes",  # no one-year deadline in the way
            **dated("appointment", hearing),
        )
        assert (row.urgency, row.urgency_rose_on) == ("normal", None)
        steps = json.loads(row.urgency_steps)
        assert steps[0] == [(hearing - timedelta(days=60)).isoformat(), 1]
        reference = row.reference
        for later, band in ((25, "high"), (70, "critical")):
            day = TODAY + timedelta(days=later)
            monkeypatch.setattr(timeutil, "today", lambda day=day: day)
            live_urgency.bring_up_to_date()
            db.session.expire_all()
            row = db.session.execute(
                db.select(HelpRequest).filter_by(reference=reference)
            ).scalar_one()
            assert row.urgency == band
            assert row.urgency_rank == {"high": 1, "critical": 0}[band]
        assert row.urgency_rose_on == hearing - timedelta(days=14)
        assert live_urgency.bring_up_to_date() == 0  # nothing more is due today


# --- staff corrections (intake.case_facts) -------------------------------------


def test_correcting_the_hearing_date_re_ranks_at_once_and_is_audited(app, make_staff):
    from intake.models import AuditEvent, StatusChange
    from intake.staff.cases import facts as case_facts
    from intake.staff.cases.casework import CaseworkError

    staff = make_staff("reviewer")
    with app.app_context():
        row = store(app, i589_filed="yes")
        assert row.urgency == "normal"
        with pytest.raises(CaseworkError, match="reason"):
            case_facts.correct_fact(
                row, "hearing_date", PartialDate(2026, 5, 8), " ", staff, row.version
            )
        db.session.rollback()
        row = db.session.get(HelpRequest, row.id)
        case_facts.correct_fact(
            row, "hearing_date", PartialDate(2026, 5, 8), "Notice shows 8 May", staff, row.version
        )
        row = db.session.get(HelpRequest, row.id)
        assert (row.urgency, row.hearing_date) == ("critical", date(2026, 5, 8))
        assert facts.loads(row.facts)["hearing"] == "yes"
        change = db.session.execute(
            db.select(StatusChange).filter_by(request_id=row.id)
        ).scalar_one()
        assert (change.kind, change.from_value, change.reason) == (
            "fact",
            "hearing_date",
            "Notice shows 8 May",
        )
        event = db.session.execute(db.select(AuditEvent).filter_by(action="case.fact")).scalar_one()
        assert "hearing_date" in event.detail and "2026" not in event.detail


def test_correcting_an_unknown_fact_or_a_stale_version_is_refused(app, make_staff):
    from intake.staff.cases import facts as case_facts
    from intake.staff.cases.casework import CaseworkError, StaleCase

    staff = make_staff("reviewer")
    with app.app_context():
        row = store(app)
        with pytest.raises(CaseworkError):
            case_facts.correct_fact(row, "name", None, "why", staff, row.version)
        with pytest.raises(StaleCase):
            case_facts.correct_fact(row, "date_of_birth", None, "why", staff, row.version - 1)


@pytest.mark.parametrize(
    ("by_hand", "at_the_high_step"), [("normal", "high"), ("critical", "critical")]
)
def test_urgency_set_by_hand_is_raised_by_the_rules_never_lowered(
    app, make_staff, monkeypatch, by_hand, at_the_high_step
):
    from intake.staff.cases import facts as case_facts

    staff = make_staff("reviewer")
    hearing = TODAY + timedelta(days=80)
    with app.app_context():
        row = store(
            app,
            appointment="asylum_office",  # ranks like a hearing, without filings due
            i589_filed="yes",
            **dated("appointment", hearing),
        )
        case_facts.set_urgency(row, by_hand, "Called them", staff, row.version)
        row = db.session.get(HelpRequest, row.id)
        assert (row.urgency, row.urgency_set_by_staff) == (by_hand, True)
        with pytest.raises(case_facts.CaseworkError):
            case_facts.set_urgency(row, "urgent!", "x", staff, row.version)
        db.session.rollback()
        day = TODAY + timedelta(days=25)  # the rules' step to high has come
        monkeypatch.setattr(timeutil, "today", lambda: day)
        live_urgency.bring_up_to_date()
        db.session.expire_all()
        row = db.session.get(HelpRequest, row.id)
        assert (row.urgency, row.urgency_set_by_staff) == (at_the_high_step, by_hand == "critical")


def test_case_page_facts_carry_reasons_and_sources(app):
    from intake.staff.cases import facts as case_facts

    order = TODAY - timedelta(days=20)
    with app.app_context():
        row = store(
            app,
            decided="yes",
            appealed="no",
            in_absentia="no",
            **dated("decision", order),
        )
        case = case_facts.read(row)
    appeal = next(d for d in case.ranked.deadlines if d.kind == "bia_appeal")
    assert case.days_to(appeal.due) == 10 and "1003.38" in appeal.source
    assert case.band is live_urgency.Urgency.CRITICAL
    assert all(r.source for r in case.ranked.reasons)
    assert {r.relief for r in case.relief} >= {"asylum", "withholding", "cat"}


# --- the daily digest ----------------------------------------------------------


def test_digest_counts_per_band_without_personal_data(app, monkeypatch):
    from intake.mail import digest

    app.config["STAFF_NOTIFY_EMAIL"] = "team@org.example"
    hearing = TODAY + timedelta(days=5)
    far = TODAY + timedelta(days=40)
    with app.app_context():
        store(
            app,
            hearing="yes",
            **dated("hearing", hearing),
        )
        store(
            app,
            hearing="yes",
            **dated("hearing", far),
            name="Other",
        )
        found = digest.counts(TODAY, 7)
        mail = digest.message("from@org.example", "team@org.example", "https://x/staff/", TODAY, 7)
        assert digest.queue_digest(timeutil.utcnow()) is not None
        assert digest.queue_digest(timeutil.utcnow()) is None  # one a day
    assert found[live_urgency.Urgency.CRITICAL] == 1 and sum(found.values()) == 1
    body = mail.get_content()
    assert "critical: 1" in body and "https://x/staff/" in body
    assert "Amal" not in body and "5550100" not in body.replace(" ", "")


# --- live urgency: the read-time refresh and the "rose" marker -----------------


def hearing_in(days: int) -> dict:
    day = TODAY + timedelta(days=days)
    return {
        "hearing": "yes",
        "i589_filed": "yes",
        "hearing_day": str(day.day),
        "hearing_month": str(day.month),
        "hearing_year": str(day.year),
    }


def test_a_correction_made_meanwhile_is_not_overwritten_by_the_refresh(app, monkeypatch):
    """The refresh writes a row only if its next step is still the one it read."""
    with app.app_context():
        row = store(app, **hearing_in(80))
        due = db.session.execute(db.select(*live_urgency.STEP_COLUMNS).filter_by(id=row.id)).one()
        db.session.execute(
            db.update(HelpRequest).filter_by(id=row.id).values(urgency_changes_on=None)
        )
        monkeypatch.setattr(timeutil, "today", lambda: TODAY + timedelta(days=70))
        assert live_urgency._apply_steps(due, timeutil.today()) == 0


def test_rose_marker_follows_what_this_staff_member_saw(app, make_staff, monkeypatch):
    from intake.cases import audit

    seen_by, other = make_staff("reviewer"), make_staff("reviewer")
    monkeypatch.setattr(timeutil, "utcnow", lambda: TODAY_NOON)
    with app.app_context():
        row = store(app, **hearing_in(80))
        reference = row.reference
        with app.test_request_context():
            audit.record("case.view", "request", reference, actor_id=seen_by.id)
        db.session.commit()
        rows = [db.session.get(HelpRequest, row.id)]
        assert live_urgency.rose_since_seen(rows, seen_by.id) == set()  # nothing rose yet
        monkeypatch.setattr(timeutil, "today", lambda: TODAY + timedelta(days=25))
        monkeypatch.setattr(timeutil, "utcnow", lambda: TODAY_NOON + timedelta(days=25))
        live_urgency.bring_up_to_date()
        db.session.expire_all()
        rows = [db.session.get(HelpRequest, row.id)]
        assert live_urgency.rose_since_seen(rows, seen_by.id) == {reference}
        assert live_urgency.rose_since_seen(rows, other.id) == {reference}  # never opened it
        with app.test_request_context():
            audit.record("case.view", "request", reference, actor_id=seen_by.id)
        db.session.commit()
        assert live_urgency.rose_since_seen(rows, seen_by.id) == set()


def test_send_digest_command_mails_once_a_day(app, runner, monkeypatch):
    from intake.mail import outbox

    sent = []
    monkeypatch.setattr(outbox, "smtp_send", sent.append)
    app.config.update(STAFF_NOTIFY_EMAIL="team@org.example", PUBLIC_BASE_URL="https://x.example")
    with app.app_context():
        store(app, **hearing_in(3))
    first = runner.invoke(args=["send-digest"])
    again = runner.invoke(args=["send-digest"])
    assert first.exit_code == 0 and "queued" in first.output
    assert "not queued" in again.output
    digests = [m for m in sent if m["Subject"].startswith("Daily digest")]
    assert len(digests) == 1
    body = digests[0].get_content()
    assert "critical: 1" in body and "https://x.example/staff/" in body and "Amal" not in body


def test_digest_counts_requests_that_became_critical_since_the_last_digest(app, monkeypatch):
    """A request that turns critical as its hearing comes near sends no mail then
    (only a request arriving critical does): the next digest counts it, once."""
    from intake.mail import digest

    app.config["STAFF_NOTIFY_EMAIL"] = "team@org.example"

    def read_on(days_later: int) -> date:
        day = TODAY + timedelta(days=days_later)
        monkeypatch.setattr(timeutil, "today", lambda: day)
        monkeypatch.setattr(timeutil, "utcnow", lambda: TODAY_NOON + timedelta(days=days_later))
        return day

    with app.app_context():
        rising = store(app, **hearing_in(80))  # normal; critical from day 66 (14 days before)
        store(app, **hearing_in(3), name="Other")  # critical on arrival: mailed then
        assert digest.became_critical(read_on(65), 7) == 0  # high on day 65, not critical
        digest.queue_digest(timeutil.utcnow())
        day = read_on(66)
        assert digest.became_critical(day, 7) == 1
        body = digest.message("f@org.example", "t@org.example", "https://x/staff/", day, 7)
        text = body.get_content()
        assert "became critical since the last digest" in text and "did): 1\n" in text
        assert rising.reference not in text and "Amal" not in text
        digest.queue_digest(timeutil.utcnow())
        assert digest.became_critical(read_on(67), 7) == 0  # told yesterday
        # Without an earlier digest, the last `days` days count (today and 6 before).
        db.session.execute(db.delete(digest.OutgoingMail))
        assert digest.became_critical(read_on(72), 7) == 1
        assert digest.became_critical(read_on(73), 7) == 0
        # A band staff set by hand is theirs, not a rise the rules made.
        db.session.execute(
            db.update(HelpRequest).filter_by(id=rising.id).values(urgency_set_by_staff=True)
        )
        assert digest.became_critical(read_on(72), 7) == 0
