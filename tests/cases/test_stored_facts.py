"""The new facts the law turns on, from the form's answers to the rules: each is
stored and read back, and a missing answer is read on the side that keeps a
deadline in front of staff."""

from datetime import date

from intake.cases import stored_facts
from intake.law.dates import PartialDate
from tests.support.form import dated, form_with

TODAY = date(2026, 3, 10)


def test_the_forms_new_answers_reach_the_rules(app, monkeypatch):
    from intake import timeutil

    monkeypatch.setattr(timeutil, "today", lambda: TODAY)
    form = form_with(
        app,
        hearing="yes",
        hearing_kind="final",
        moved="yes",
        fear_interview="yes",
        fear_result="negative",
        decided="yes",
        appealed="yes",
        board_decided="yes",
        departure="yes",
        departure_days="120",
        status_kind="tps",
        **dated("hearing", date(2026, 6, 1)),
        **dated("decision", date(2025, 6, 1)),
        **dated("fear_result", date(2026, 3, 7)),
        **dated("board_decision", date(2026, 3, 2)),
        **dated("departure", date(2026, 3, 2)),
        **dated("status_start", date(2020, 6, 1)),
    )
    assert not form.errors, form.errors
    with app.test_request_context():
        stored = stored_facts.from_form(form)
    facts = stored_facts.to_rules(stored)
    assert facts.hearing_kind == "final" and facts.moved == "yes"
    assert (facts.fear_result, facts.fear_result_date) == ("negative", date(2026, 3, 7))
    assert (facts.board_decided, facts.board_decision_date) == ("yes", PartialDate(2026, 3, 2))
    assert facts.voluntary_departure == "yes"
    assert (facts.voluntary_departure_date, facts.voluntary_departure_days) == (
        date(2026, 3, 2),
        120,
    )
    assert facts.status_start == PartialDate(2020, 6, 1)
    assert facts.state == stored["state"]


def test_a_future_result_date_is_refused(app, monkeypatch):
    from intake import timeutil

    monkeypatch.setattr(timeutil, "today", lambda: TODAY)
    form = form_with(app, fear_result="negative", **dated("fear_result", date(2026, 3, 11)))
    assert "today or in the past" in str(
        form.fear_result_month.errors + form.fear_result_day.errors
    )


def test_missing_answers_read_on_the_safe_side():
    facts = stored_facts.to_rules({"appeal_filed": "yes", "fear_interview": "not_sure"})
    assert facts.board_decided == "not_sure"  # the Board may have decided: check
    assert facts.fear_interview_unsure  # "not sure" whether an interview is coming
    assert facts.voluntary_departure == "no" and facts.moved == "no"  # never asked: no
    assert facts.hearing_kind == "not_sure"  # counted as a final hearing (30 days)
    assert (
        stored_facts.to_rules({"voluntary_departure_days": "not_sure"}).voluntary_departure_days
        is None
    )
