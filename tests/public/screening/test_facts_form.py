"""The form's questions (who is asking, date of birth, in the US,
a judge's decision, interviews, status, fear and harm, A-number), dates with
named months, the facts stored (encrypted) on submit, and the helpline that
production needs."""

import json
from datetime import date, timedelta

import pytest

from intake import timeutil
from intake.cases import stored_facts as facts
from intake.db import db
from intake.public.screening.form import HelpForm
from tests.support.form import dated, form_with, store_answers

TODAY = date(2026, 5, 1)


@pytest.fixture(autouse=True)
def frozen_today(monkeypatch):
    monkeypatch.setattr(timeutil, "today", lambda: TODAY)


def errors_of(app, **changes) -> dict:
    return {
        name: [str(m) for m in messages]
        for name, messages in form_with(app, **changes).errors.items()
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
    assert form_with(app, a_number="A 012-345-678").a_number.data == "012345678"


def test_facts_are_stored_encrypted_with_the_helper(app):
    with app.app_context():
        row = store_answers(
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
        row = store_answers(app, helper_name="Rosa")
        assert facts.loads(row.facts)["helper_name"] is None


def test_removal_order_20_days_ago_is_critical_with_appeal_deadline(app):
    order = TODAY - timedelta(days=20)
    with app.app_context():
        row = store_answers(
            app,
            asker="family",
            helper_name="Rosa",
            detained="yes",
            decided="yes",
            appealed="no",
            in_absentia="no",
            **dated("decision", order),
        )
        assert row.urgency == "critical"
        assert (order + timedelta(days=30)).isoformat() in json.loads(row.deadline_dates)


# --- the helpline ----------------------------------------------------------------


def test_production_refuses_to_start_without_a_helpline(app_factory):
    with pytest.raises(RuntimeError, match="INTAKE_HELPLINE_PHONE"):
        app_factory(PRODUCTION=True, HELPLINE_PHONE=None)
    with pytest.raises(RuntimeError, match="INTAKE_HELPLINE_PHONE"):
        app_factory(PRODUCTION=True, HELPLINE_PHONE="  ")
    assert app_factory(PRODUCTION=True, HELPLINE_PHONE="none").config["HELPLINE_PHONE"] is None
    kept = app_factory(PRODUCTION=True, HELPLINE_PHONE="+1 212 555 0199")
    assert kept.config["HELPLINE_PHONE"] == "+1 212 555 0199"
