"""Issue 14: the form's new questions (who is asking, date of birth, in the US,
a judge's decision, interviews, status, fear and harm, A-number), dates with
named months, and the facts and live-urgency steps stored on submit."""

import json
from datetime import date, datetime, timedelta

import pytest
from werkzeug.datastructures import MultiDict

from intake import facts, live_urgency, timeutil
from intake.db import db
from intake.help_requests import create_request, under_18
from intake.models import HelpRequest
from intake.rules import PartialDate
from intake.screening_form import HelpForm

TODAY = date(2026, 5, 1)
TODAY_NOON = datetime(2026, 5, 1, 12)

ANSWERS = {
    "asker": "self",
    "detained": "no",
    "in_us": "yes",
    "hearing": "no",
    "decided": "no",
    "arrival_month": "6",
    "arrival_year": "2025",
    "i589_filed": "no",
    "represented": "no",
    "can_pay": "no",
    "household_size": "3",
    "monthly_income": "1,200",
    "birth_month": "4",
    "birth_year": "1990",
    "harms": ["afraid_to_return"],
    "name": "Amal",
    "nationality": "SY",
    "preferred_language": "ar",
    "state": "NY",
    "phone": "+1 (212) 555-0100",
    "safe_to_message": "yes",
    "share_consent": "no",
    "consent": "y",
}


@pytest.fixture(autouse=True)
def frozen_today(monkeypatch):
    monkeypatch.setattr(timeutil, "today", lambda: TODAY)


def form_of(app, **changes) -> HelpForm:
    answers = {**ANSWERS, **changes}
    answers = {k: v for k, v in answers.items() if v is not None}
    data = MultiDict(
        [(k, x) for k, v in answers.items() for x in (v if isinstance(v, list) else [v])]
    )
    with app.test_request_context("/help"):
        form = HelpForm(data)
        form.validate()
    return form


def errors_of(app, **changes) -> dict:
    return {
        name: [str(m) for m in messages]
        for name, messages in form_of(app, **changes).errors.items()
    }


def test_valid_answers_pass(app):
    assert errors_of(app) == {}


@pytest.mark.parametrize(("path", "march"), [("/help", "March"), ("/es/help", "marzo")])
def test_months_are_named_choices_in_the_visitors_language(app, path, march):
    with app.test_request_context(path):
        app.preprocess_request()  # the language comes from the URL
        months = [(c.value, str(c.label)) for c in HelpForm().hearing_month.choices]
    assert len(months) == 13 and months[0][0] == ""
    assert months[3] == ("3", march)


@pytest.mark.parametrize(
    ("changes", "field", "message"),
    [
        ({"asker": "family"}, "helper_name", "Enter your name"),
        ({"asker": "nobody"}, "asker", "Say who you are asking for"),
        ({"in_us": None}, "in_us", "United States now"),
        ({"decided": None}, "decided", "decided your case"),
        ({"birth_month": None, "birth_year": None}, "birth_month", "month and year of birth"),
        ({"birth_month": "5", "birth_year": "2026", "birth_day": "2"}, "birth_day", "past"),
        ({"birth_month": "13"}, "birth_month", "Choose the month from the list"),
        ({"decision_month": "6", "decision_year": "2026"}, "decision_month", "decision must be"),
        ({"decision_year": "2026"}, "decision_month", "Choose the month"),
        (
            {
                "fear_interview_day": "31",
                "fear_interview_month": "4",
                "fear_interview_year": "2026",
            },
            "fear_interview_day",
            "real date",
        ),
        ({"a_number": "12345"}, "a_number", "8 or 9 digits"),
        ({"harms": ["afraid_to_return", "rich"]}, "harms", "Choose from the list"),
        ({"status_kind": "citizen"}, "status_kind", "Choose from the list"),
        ({"state": ""}, "state", "Choose the state"),
        ({"share_consent": None}, "share_consent", "another legal organisation"),
    ],
)
def test_errors_name_the_field(app, changes, field, message):
    errors = errors_of(app, **changes)
    assert field in errors, errors
    assert message in errors[field][0]


def test_someone_abroad_needs_no_arrival_date_nor_state(app):
    assert errors_of(app, in_us="no", arrival_month=None, arrival_year=None, state="") == {}


def test_claim_checklist_is_optional_if_you_know(app):
    assert errors_of(app, claim_types=None) == {}


def test_a_number_keeps_digits_only(app):
    assert form_of(app, a_number="A 012-345-678").a_number.data == "012345678"


@pytest.mark.parametrize(
    ("birth", "minor"),
    [
        (PartialDate(2008, 5, 1), False),  # 18 today
        (PartialDate(2008, 5, 2), True),  # 18 tomorrow
        (PartialDate(2008, 5), True),  # may be born on 31 May: still a child
        (PartialDate(2008, 4), False),
        (None, False),
    ],
)
def test_under_18_takes_the_latest_reading(birth, minor):
    assert under_18(birth, TODAY) is minor


def store(app, **changes) -> HelpRequest:
    form = form_of(app, **changes)
    assert not form.errors, form.errors
    with app.test_request_context("/help"):
        row = create_request(
            form, submission_key=f"k{id(form)}", source="help", language="en", app=app
        )
        return db.session.get(HelpRequest, row.id)


def test_facts_are_stored_encrypted_with_the_helper(app):
    with app.app_context():
        row = store(
            app,
            asker="family",
            helper_name="Rosa",
            helper_relationship="sister",
            helper_contact="rosa@example.org",
            a_number="012345678",
            birth_day="9",
        )
        stored = facts.loads(row.facts)
        raw = db.session.execute(
            db.text("SELECT facts FROM help_request WHERE id = :i"), {"i": row.id}
        ).scalar_one()
    assert stored["helper_name"] == "Rosa" and stored["a_number"] == "012345678"
    assert stored["date_of_birth"] == "1990-04-09" and stored["last_arrival"] == "2025-06"
    assert row.asker == "family" and row.share_consent is False
    assert "Rosa" not in raw and "1990" not in raw and "012345678" not in raw


def test_helper_answers_are_dropped_when_asking_for_oneself(app):
    with app.app_context():
        row = store(app, helper_name="Rosa")
        assert facts.loads(row.facts)["helper_name"] is None


def test_hearing_80_days_out_rises_on_its_own(app, monkeypatch):
    """Normal at submission, high 25 days later, critical 70 days later: no job."""
    hearing = TODAY + timedelta(days=80)
    with app.app_context():
        row = store(
            app,
            hearing="yes",
            i589_filed="yes",  # no one-year deadline in the way
            hearing_day=str(hearing.day),
            hearing_month=str(hearing.month),
            hearing_year=str(hearing.year),
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


def test_removal_order_20_days_ago_is_critical_with_appeal_deadline(app):
    order = TODAY - timedelta(days=20)
    with app.app_context():
        row = store(
            app,
            asker="family",
            helper_name="Rosa",
            detained="yes",
            decided="yes",
            appealed="no",
            in_absentia="no",
            decision_day=str(order.day),
            decision_month=str(order.month),
            decision_year=str(order.year),
        )
        assert row.urgency == "critical"
        assert (order + timedelta(days=30)).isoformat() in json.loads(row.deadline_dates)


# --- staff corrections (intake.case_facts) -------------------------------------


def test_correcting_the_hearing_date_re_ranks_at_once_and_is_audited(app, make_staff):
    from intake import case_facts
    from intake.casework import CaseworkError
    from intake.models import AuditEvent, StatusChange

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
    from intake import case_facts
    from intake.casework import CaseworkError, StaleCase

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
    from intake import case_facts

    staff = make_staff("reviewer")
    hearing = TODAY + timedelta(days=80)
    with app.app_context():
        row = store(
            app,
            hearing="yes",
            i589_filed="yes",
            hearing_day=str(hearing.day),
            hearing_month=str(hearing.month),
            hearing_year=str(hearing.year),
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
    from intake import case_facts

    order = TODAY - timedelta(days=20)
    with app.app_context():
        row = store(
            app,
            decided="yes",
            appealed="no",
            in_absentia="no",
            decision_day=str(order.day),
            decision_month=str(order.month),
            decision_year=str(order.year),
        )
        case = case_facts.read(row)
    appeal = next(d for d in case.ranked.deadlines if d.kind == "bia_appeal")
    assert case.days_to(appeal.due) == 10 and "1003.38" in appeal.source
    assert case.band is live_urgency.Urgency.CRITICAL
    assert all(r.source for r in case.ranked.reasons)
    assert {r.relief for r in case.relief} >= {"asylum", "withholding", "cat"}


# --- the daily digest ----------------------------------------------------------


def test_digest_counts_per_band_without_personal_data(app, monkeypatch):
    from intake import digest

    app.config["STAFF_NOTIFY_EMAIL"] = "team@org.example"
    hearing = TODAY + timedelta(days=5)
    far = TODAY + timedelta(days=40)
    with app.app_context():
        store(
            app,
            hearing="yes",
            hearing_day=str(hearing.day),
            hearing_month=str(hearing.month),
            hearing_year=str(hearing.year),
        )
        store(
            app,
            hearing="yes",
            hearing_day=str(far.day),
            hearing_month=str(far.month),
            hearing_year=str(far.year),
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


# --- the helpline ----------------------------------------------------------------


def test_production_refuses_to_start_without_a_helpline(app_factory):
    with pytest.raises(RuntimeError, match="INTAKE_HELPLINE_PHONE"):
        app_factory(PRODUCTION=True, HELPLINE_PHONE=None)
    with pytest.raises(RuntimeError, match="INTAKE_HELPLINE_PHONE"):
        app_factory(PRODUCTION=True, HELPLINE_PHONE="  ")
    assert app_factory(PRODUCTION=True, HELPLINE_PHONE="none").config["HELPLINE_PHONE"] is None
    kept = app_factory(PRODUCTION=True, HELPLINE_PHONE="+1 212 555 0199")
    assert kept.config["HELPLINE_PHONE"] == "+1 212 555 0199"


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
        due = db.session.execute(
            db.select(
                HelpRequest.id,
                HelpRequest.urgency_rank,
                HelpRequest.urgency_steps,
                HelpRequest.urgency_changes_on,
                HelpRequest.urgency_rose_on,
                HelpRequest.urgency_set_by_staff,
            ).filter_by(id=row.id)
        ).one()
        db.session.execute(
            db.update(HelpRequest).filter_by(id=row.id).values(urgency_changes_on=None)
        )
        monkeypatch.setattr(timeutil, "today", lambda: TODAY + timedelta(days=70))
        assert live_urgency._apply_steps(due, timeutil.today()) == 0


def test_rose_marker_follows_what_this_staff_member_saw(app, make_staff, monkeypatch):
    from intake import audit

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
    from intake import outbox

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
