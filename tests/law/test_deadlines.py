"""Deadlines, urgency, flags and relief in intake.law, at every edge, with a frozen date.

Each deadline is read the day before, on and after its edges; each exception of the
one-year rule has its own test; the band on every day of long sweeps is checked
against the stored escalation dates; and a table of scenarios written from the
sources (each row naming the one it comes from) is checked as a whole.
"""

from datetime import date, timedelta

import pytest

from intake.law.dates import PartialDate
from intake.law.days import roll
from intake.law.deadlines import deadlines, one_year_deadline
from intake.law.facts import Facts
from intake.law.flags import PAST_HEARING_FLAG, flags
from intake.law.relief import possible_relief
from intake.law.urgency import (
    DEFAULT_THRESHOLDS,
    Escalation,
    Thresholds,
    escalation_dates,
    urgency,
    urgency_and_escalation,
)
from intake.law.vocabulary import Urgency

TODAY = date(2026, 3, 10)  # a Tuesday
CRITICAL, HIGH, NORMAL = Urgency.CRITICAL, Urgency.HIGH, Urgency.NORMAL


def day(n: int) -> date:
    """``n`` days from TODAY (negative: ago)."""
    return TODAY + timedelta(days=n)


def partial(d: date) -> PartialDate:
    return PartialDate(d.year, d.month, d.day)


def band(facts: Facts, on: date = TODAY, thresholds: Thresholds = DEFAULT_THRESHOLDS) -> Urgency:
    return urgency(facts, on, thresholds)[0]


def reason_texts(facts: Facts, on: date = TODAY) -> list[str]:
    return [r.text for r in urgency(facts, on)[1]]


def due_dates(facts: Facts, on: date = TODAY) -> dict[str, date]:
    return {d.kind: d.due for d in deadlines(facts, on)}


def band_on(stored: Escalation, on: date) -> Urgency:
    """The band on ``on`` read from the stored changes alone, as the app reads them."""
    return next((b for d, b in reversed(stored.changes) if d <= on), stored.initial)


def flag_texts(facts: Facts, on: date = TODAY) -> str:
    return " | ".join(f.text for f in flags(facts, on))


def afraid(**overrides) -> Facts:
    """Fears return, arrived long ago enough to matter only when a test says so."""
    return Facts(afraid_to_return=True, **overrides)


def arrived_for_one_year_due(due: date, **overrides) -> Facts:
    return afraid(last_arrival=PartialDate(due.year - 1, due.month, due.day), **overrides)


def ordered(on: date, **overrides) -> Facts:
    return Facts(judge_decided="yes", decision_date=partial(on), **overrides)


# --- the one-year asylum deadline ---------------------------------------------


def test_one_year_counts_from_the_anniversary_of_last_arrival():
    # INA 208(a)(2)(B): "within 1 year after the date of the alien's arrival";
    # Minasyan v. Mukasey (9th Cir. 2009): arrival April 9, 2001, timely on April 9, 2002.
    facts = afraid(last_arrival=PartialDate(2001, 4, 9))
    assert due_dates(facts)["one_year"] == date(2002, 4, 9)


def test_one_year_from_a_month_only_arrival_counts_from_the_first_and_says_so():
    (deadline,) = deadlines(afraid(last_arrival=PartialDate(2025, 6)), TODAY)
    assert deadline.due == date(2026, 6, 1)
    assert deadline.latest == date(2026, 6, 30)
    assert "between June 1, 2026 and June 30, 2026" in deadline.note
    (exact,) = deadlines(afraid(last_arrival=PartialDate(2025, 6, 1)), TODAY)
    assert "Only the month" not in exact.note


def test_one_year_from_29_february_is_28_february():
    facts = afraid(last_arrival=PartialDate(2024, 2, 29))
    assert due_dates(facts)["one_year"] == date(2025, 2, 28)


def test_one_year_never_before_1_april_1998():
    # 8 CFR 208.4(a)(2)(ii): from last arrival "or April 1, 1997, whichever is later".
    facts = afraid(last_arrival=PartialDate(1995, 7, 4))
    assert due_dates(facts)["one_year"] == date(1998, 4, 1)


def test_one_year_on_a_saturday_runs_to_monday_and_says_so():
    # 8 CFR 208.4(a)(2)(ii): a last day on a Saturday runs to the next business day.
    saturday = date(2026, 3, 14)
    assert saturday.weekday() == 5
    (deadline,) = deadlines(arrived_for_one_year_due(saturday), TODAY)
    assert (deadline.computed, deadline.due) == (saturday, date(2026, 3, 16))
    assert "March 14, 2026 (Saturday)" in deadline.note and "March 16, 2026" in deadline.note


@pytest.mark.parametrize(
    "fear",
    [
        {"afraid_to_return": True},
        {"harmed_or_threatened": True},
        {"claim_types": {"withholding"}},
        {"claim_types": {"cat"}},
        {"claim_types": {"asylum"}},
        {"claim_types": {"other"}, "afraid_to_return": True},
    ],
)
def test_one_year_applies_whenever_the_person_fears_return_whatever_was_ticked(fear):
    facts = Facts(last_arrival=PartialDate(2025, 12, 1), **fear)
    assert due_dates(facts)["one_year"] == date(2026, 12, 1)


def test_one_year_notes_that_withholding_and_cat_have_no_deadline():
    (deadline,) = deadlines(afraid(last_arrival=PartialDate(2025, 12, 1)), TODAY)
    assert "Withholding of removal and CAT have no filing deadline" in deadline.note
    assert "INA 208(a)(2)(B)" in deadline.source


@pytest.mark.parametrize(
    "facts",
    [
        Facts(last_arrival=PartialDate(2025, 12, 1), claim_types={"tps"}),  # no fear
        afraid(last_arrival=PartialDate(2025, 12, 1), i589_filed="yes"),
        afraid(last_arrival=None),
        afraid(last_arrival=PartialDate(2025, 12, 1), in_us=False),
    ],
    ids=["no fear", "I-589 filed", "arrival unknown", "abroad"],
)
def test_one_year_does_not_apply(facts):
    assert "one_year" not in due_dates(facts)


def test_i589_not_sure_keeps_the_deadline_running():
    facts = afraid(last_arrival=PartialDate(2025, 12, 1), i589_filed="not_sure")
    assert "one_year" in due_dates(facts)


@pytest.mark.parametrize(
    ("days_left", "expected"),
    [
        (91, NORMAL),
        (90, HIGH),
        (31, HIGH),
        (30, CRITICAL),
        (1, CRITICAL),
        (0, CRITICAL),
        (-1, HIGH),  # passed yesterday: within the 30-day grace, still high
        (-30, HIGH),
        (-31, NORMAL),  # passed longer ago: a flag, not high
        (-3650, NORMAL),
    ],
)
def test_one_year_ranks_by_days_left(days_left, expected):
    due = roll(day(days_left))  # the deadline as rolled; read ``days_left`` before it
    facts = arrived_for_one_year_due(due)
    assert band(facts, due - timedelta(days=days_left)) is expected


@pytest.mark.parametrize(("days_left", "flagged"), [(0, False), (-1, True), (-31, True)])
def test_one_year_passed_is_flagged_exception_needed(days_left, flagged):
    text = flag_texts(arrived_for_one_year_due(day(days_left)))
    assert ("one-year deadline passed" in text.lower()) is flagged
    if flagged:
        assert "exception needed" in text


def test_one_year_reason_reads_with_the_day_it_is_read():
    facts = arrived_for_one_year_due(day(10))
    assert reason_texts(facts) == [
        "One-year asylum filing deadline due in 10 days (March 20, 2026)."
    ]
    assert reason_texts(facts, day(12)) == [
        "One-year asylum filing deadline was due March 20, 2026, 2 days ago."
    ]


def test_grace_days_are_configurable():
    facts = arrived_for_one_year_due(day(-7))  # Tuesday March 3, 2026
    assert band(facts) is HIGH
    assert band(facts, thresholds=Thresholds(passed_deadline_grace_days=6)) is NORMAL


# --- the one-year exceptions ---------------------------------------------------


def test_unaccompanied_child_has_no_one_year_deadline_and_is_flagged():
    facts = afraid(last_arrival=PartialDate(2020, 1, 1), came_as_unaccompanied_child=True)
    assert "one_year" not in due_dates(facts)
    (flag,) = flags(facts, TODAY)
    assert "unaccompanied child" in flag.text and flag.source.startswith("INA 208(a)(2)(E)")
    assert band(facts) is NORMAL


TPS_END = PartialDate(2026, 1, 31)


def _tps(start: PartialDate | None) -> Facts:
    return afraid(
        last_arrival=PartialDate(2020, 1, 10),
        status_kind="tps",
        status_start=start,
        status_end=TPS_END,
    )


def test_maintained_status_held_within_the_year_is_file_as_soon_as_possible_not_a_date():
    # 8 CFR 208.4(a)(5)(iv): an exception, with "a reasonable period" judged case by case.
    facts = _tps(PartialDate(2020, 6, 1))
    (deadline,) = deadlines(facts, TODAY)
    assert deadline.kind == "reasonable_period" and deadline.asap
    assert deadline.due == date(2026, 1, 31)  # the day status ended, not months after
    assert "file as soon as possible" in deadline.label
    assert "judged case by case" in deadline.label
    assert "8 CFR 208.4(a)(5)(iv)" in deadline.source
    assert "changed circumstances" in deadline.source  # T-M-H- cited for what it is
    assert not deadline.passed(date(2030, 1, 1))


def test_maintained_status_begun_after_the_year_needs_its_own_exception():
    facts = _tps(PartialDate(2021, 3, 1))
    assert set(due_dates(facts)) == {"one_year"}
    assert "began more than a year after" in flag_texts(facts)


def test_maintained_status_without_a_start_shows_both_and_asks():
    facts = _tps(None)
    assert set(due_dates(facts)) == {"one_year", "reasonable_period"}
    assert "when the status began" in flag_texts(facts).lower()


@pytest.mark.parametrize(
    ("on", "expected"),
    [
        (date(2025, 11, 1), NORMAL),  # 91 days before status ends
        (date(2025, 11, 2), HIGH),  # 90 days before
        (date(2026, 1, 1), CRITICAL),  # 30 days before
        (date(2026, 1, 31), CRITICAL),  # the day it ends
        (date(2026, 7, 31), CRITICAL),  # six months on: still critical
        (date(2026, 8, 2), HIGH),  # after the practice guidance: high, never lower
        (date(2030, 1, 1), HIGH),
    ],
)
def test_maintained_status_is_critical_from_the_day_it_ends(on, expected):
    assert band(_tps(PartialDate(2020, 6, 1)), on) is expected


def test_status_ending_before_the_anniversary_adds_no_reasonable_period():
    facts = afraid(
        last_arrival=PartialDate(2025, 12, 1),
        status_kind="visa",
        status_end=PartialDate(2026, 2, 1),
    )
    assert due_dates(facts)["one_year"] == date(2026, 12, 1)
    assert band(facts) is NORMAL  # the anniversary is 266 days away


def test_daca_is_not_a_maintained_status_but_is_flagged():
    facts = afraid(
        last_arrival=PartialDate(2015, 1, 1), status_kind="daca", status_end=PartialDate(2026, 1, 1)
    )
    assert due_dates(facts)["one_year"] == date(2016, 1, 4)  # New Year's Day, a Friday
    assert "DACA" in flag_texts(facts)


def test_status_without_an_end_date_is_flagged():
    facts = afraid(last_arrival=PartialDate(2015, 1, 1), status_kind="tps")
    assert "no end date" in flag_texts(facts)


def test_long_passed_deadline_names_both_exceptions():
    (flag,) = flags(afraid(last_arrival=PartialDate(2015, 1, 1)), TODAY)
    assert "changed or extraordinary circumstances" in flag.text
    assert "8 CFR 208.4(a)(4)" in flag.source and "(a)(5)" in flag.source


# --- a judge's decision or removal order ---------------------------------------


def test_removal_order_20_days_ago_is_critical_with_the_bia_appeal_due_in_10_days():
    facts = ordered(day(-20), asking_for="family", detained=True)
    level, reasons = urgency(facts, TODAY)
    assert level is CRITICAL
    bia = [r for r in reasons if "BIA appeal due in 10 days" in r.text]
    assert bia and "8 CFR 1003.38(b)" in bia[0].source
    assert due_dates(facts)["bia_appeal"] == day(10)


def test_bia_appeal_is_30_calendar_days_after_the_decision():
    # Matter of Morales-Morales: decision December 13, 2021, appeal due January 12, 2022.
    facts = ordered(date(2021, 12, 13))
    assert due_dates(facts, date(2021, 12, 14))["bia_appeal"] == date(2022, 1, 12)


def test_bia_appeal_on_a_saturday_runs_to_monday():
    # 8 CFR 1003.38(b): "extended to the next business day".
    facts = ordered(date(2026, 2, 12))
    (appeal,) = [d for d in deadlines(facts, TODAY) if d.kind == "bia_appeal"]
    assert (appeal.computed, appeal.due) == (date(2026, 3, 14), date(2026, 3, 16))
    assert band(facts, date(2026, 3, 16)) is CRITICAL
    assert band(facts, date(2026, 3, 17)) is HIGH


@pytest.mark.parametrize(
    ("after_decision", "expected"),
    [(0, CRITICAL), (1, CRITICAL), (29, CRITICAL), (30, CRITICAL), (31, HIGH), (59, HIGH)],
)
def test_bia_appeal_window_is_critical_throughout_then_the_order_keeps_it_high(
    after_decision, expected
):
    facts = ordered(TODAY)
    assert band(facts, day(after_decision)) is expected


def test_bia_appeal_window_is_critical_even_with_a_short_critical_threshold():
    facts = ordered(TODAY)
    short = Thresholds(critical_deadline_days=5)
    assert band(facts, day(1), short) is CRITICAL


@pytest.mark.parametrize(
    ("after_decision", "expected"),
    [(59, HIGH), (60, CRITICAL), (89, CRITICAL), (90, CRITICAL), (91, HIGH), (2000, HIGH)],
)
def test_motion_to_reopen_90_days_ranks_by_the_deadline_thresholds(after_decision, expected):
    facts = ordered(TODAY)
    assert due_dates(facts)["motion_to_reopen"] == day(90)  # a Monday
    assert band(facts, day(after_decision)) is expected


def test_month_only_decision_date_counts_from_the_first_and_says_so():
    facts = Facts(judge_decided="yes", decision_date=PartialDate(2026, 2), in_absentia="not_sure")
    found = deadlines(facts, TODAY)
    assert {d.kind: (d.due, d.latest) for d in found} == {
        "bia_appeal": (date(2026, 3, 3), date(2026, 3, 30)),
        "motion_to_reopen": (date(2026, 5, 4), date(2026, 5, 29)),  # May 2 is a Saturday
        "in_absentia_reopen": (date(2026, 7, 31), date(2026, 8, 27)),
    }
    assert all("Only the month was given" in d.note for d in found)


def test_in_absentia_order_has_no_bia_appeal_but_180_days_to_reopen():
    facts = ordered(TODAY, in_absentia="yes")
    found = {d.kind: d for d in deadlines(facts, TODAY)}
    assert "bia_appeal" not in found and "motion_to_reopen" in found
    reopen = found["in_absentia_reopen"]
    assert reopen.due == roll(day(180))
    assert "INA 240(b)(5)(C)(i)" in reopen.source
    assert "any time" in reopen.note and "did not receive notice" in reopen.note
    assert "8 CFR 1240.15" in reopen.note


@pytest.mark.parametrize(
    ("after_order", "expected"),
    [(0, CRITICAL), (149, CRITICAL), (182, CRITICAL), (183, HIGH), (1000, HIGH)],
)
def test_in_absentia_edges(after_order, expected):
    """Confirmed in absentia: critical for the whole 180 days (to Monday September 7,
    2026, Labor Day rolled to the 8th), never lower than a suspected one."""
    facts = ordered(TODAY, in_absentia="yes")
    assert band(facts, day(after_order)) is expected


def test_not_sure_whether_in_absentia_keeps_both_routes():
    kinds = due_dates(ordered(TODAY, in_absentia="not_sure"))
    assert {"bia_appeal", "motion_to_reopen", "in_absentia_reopen"} <= kinds.keys()


def test_appeal_pending_stops_the_order_deadlines_and_flags_the_petition_for_review():
    facts = ordered(day(-10), appeal_filed="yes")
    assert due_dates(facts) == {}
    assert band(facts) is NORMAL
    assert "petition for review" in flag_texts(facts)


def test_appeal_not_sure_counts_as_no_appeal():
    assert band(ordered(day(-10), appeal_filed="not_sure")) is CRITICAL


def test_order_without_a_date_is_critical_and_not_sure_is_high():
    assert band(Facts(judge_decided="yes")) is CRITICAL
    assert band(Facts(judge_decided="not_sure")) is HIGH


def test_order_never_drops_below_high_years_later():
    assert band(ordered(day(-4000))) is HIGH


# --- reinstatement, fear interviews, detention, hearings ------------------------


@pytest.mark.parametrize("answer", ["yes", "not_sure"])
def test_removed_before_is_high_and_flagged_withholding_or_cat_only(answer):
    facts = Facts(removed_before_and_returned=answer)
    assert band(facts) is HIGH
    flag = next(f for f in flags(facts, TODAY) if "reasonable-fear interview" in f.text)
    assert "INA 241(a)(5)" in flag.source and "1208.31" in flag.source


def test_fear_interview_scheduled_is_critical_with_or_without_a_date():
    assert band(Facts(fear_interview_scheduled=True)) is CRITICAL
    level, reasons = urgency(Facts(fear_interview_date=day(3)), TODAY)
    assert level is CRITICAL and "8 CFR 208.30" in reasons[0].source


@pytest.mark.parametrize(
    "facts", [Facts(detained=True), Facts(asking_for="detained_person")], ids=["detained", "asker"]
)
def test_detention_is_critical(facts):
    assert band(facts) is CRITICAL


@pytest.mark.parametrize(
    ("days_left", "expected"),
    [
        (61, NORMAL),
        (60, HIGH),
        (15, HIGH),
        (14, CRITICAL),
        (1, CRITICAL),
        (0, CRITICAL),
        (-1, CRITICAL),
    ],
)
def test_hearing_edges(days_left, expected):
    # Detained: the court sets the filing deadlines, so only the hearing ranks it;
    # read through the hearing windows alone by a detained person's other reasons.
    facts = Facts(hearing="yes", hearing_date=day(days_left), hearing_kind="first")
    hearing_only = [r for r in urgency(facts, TODAY)[1] if "court hearing" in r.text.lower()]
    assert bool(hearing_only) is (expected is not NORMAL)


def test_hearing_130_days_out_rises_normal_high_critical_with_no_job_run():
    # A final hearing: filings due 30 days before it (EOIR Policy Manual, Appendix C).
    facts = Facts(hearing="yes", hearing_date=day(130), hearing_kind="final")
    assert due_dates(facts)["hearing_filings"] == day(100)
    stored = escalation_dates(facts)  # kept at submission
    assert [band(facts, day(n)) for n in (0, 25, 70)] == [NORMAL, HIGH, CRITICAL]
    assert [band_on(stored, day(n)) for n in (0, 25, 70)] == [NORMAL, HIGH, CRITICAL]
    assert stored.changes == (
        (day(10), HIGH),
        (day(70), CRITICAL),
        (day(101), HIGH),  # the filing day passed: high for the grace days
        (day(116), CRITICAL),  # 14 days before the hearing itself
    )


def test_passed_hearing_without_a_decision_is_critical_and_flagged():
    facts = Facts(hearing="yes", hearing_date=day(-3))
    assert band(facts) is CRITICAL
    assert PAST_HEARING_FLAG in flag_texts(facts)


def test_passed_hearing_not_sure_whether_decided_is_critical_and_flagged():
    facts = Facts(hearing="yes", hearing_date=day(-3), judge_decided="not_sure")
    assert band(facts) is CRITICAL
    assert PAST_HEARING_FLAG in flag_texts(facts)


def test_passed_hearing_with_a_decision_follows_the_order_instead():
    facts = ordered(day(-100), hearing="yes", hearing_date=day(-100))
    assert band(facts) is HIGH
    assert PAST_HEARING_FLAG not in flag_texts(facts)


@pytest.mark.parametrize(
    ("hearing", "expected"), [("yes", HIGH), ("not_sure", HIGH), ("no", NORMAL)]
)
def test_hearing_without_a_date(hearing, expected):
    assert band(Facts(hearing=hearing)) is expected


@pytest.mark.parametrize(
    ("days_left", "expected"),
    [
        (61, NORMAL),
        (60, HIGH),
        (15, HIGH),
        (14, CRITICAL),
        (1, CRITICAL),
        (0, CRITICAL),
        (-1, HIGH),
        (-30, HIGH),
        (-31, NORMAL),
    ],
)
def test_asylum_interview_or_ice_check_in_edges(days_left, expected):
    assert band(Facts(appointment_date=day(days_left))) is expected


# --- age: minors and SIJS -------------------------------------------------------


def test_under_18_is_high_until_18_on_the_latest_reading():
    facts = Facts(date_of_birth=PartialDate(2008, 3))  # 18 between March 1 and 31, 2026
    assert band(facts, date(2026, 3, 30)) is HIGH
    assert band(facts, date(2026, 3, 31)) is NORMAL


def _sijs(dob: PartialDate) -> Facts:
    return Facts(date_of_birth=dob, abused_by_parent_under_21=True)


def test_sijs_deadline_is_the_day_before_the_21st_birthday():
    facts = _sijs(PartialDate(2006, 9, 15))
    assert due_dates(facts)["sijs"] == date(2027, 9, 14)
    (deadline,) = [d for d in deadlines(facts, TODAY) if d.kind == "sijs"]
    assert "8 CFR 204.11(b)" in deadline.source and "age-out" in deadline.note


def test_sijs_from_a_month_only_birth_date_counts_from_the_first():
    (deadline,) = [d for d in deadlines(_sijs(PartialDate(2006, 9)), TODAY) if d.kind == "sijs"]
    assert (deadline.due, deadline.latest) == (date(2027, 8, 31), date(2027, 9, 29))
    assert "Only the month was given" in deadline.note


def test_sijs_for_a_29_february_birthday_is_27_february():
    assert due_dates(_sijs(PartialDate(2008, 2, 29)), date(2028, 1, 1))["sijs"] == date(2029, 2, 27)


@pytest.mark.parametrize(
    ("days_to_due", "expected"),
    [(400, HIGH), (181, HIGH), (180, CRITICAL), (1, CRITICAL), (0, CRITICAL), (-1, NORMAL)],
)
def test_sijs_is_high_then_critical_near_21_then_over(days_to_due, expected):
    due = date(2027, 9, 14)
    facts = _sijs(PartialDate(2006, 9, 15))
    assert band(facts, due - timedelta(days=days_to_due)) is expected


def test_sijs_near_21_days_are_configurable():
    facts = _sijs(PartialDate(2006, 9, 15))
    on = date(2027, 9, 14) - timedelta(days=100)
    assert band(facts, on) is CRITICAL
    assert band(facts, on, Thresholds(sijs_critical_days=99)) is HIGH


def test_sijs_month_only_stays_critical_until_21_on_every_reading():
    facts = _sijs(PartialDate(2006, 9))  # due August 31, 2027; surely 21 on September 30
    assert band(facts, date(2027, 9, 29)) is CRITICAL
    assert band(facts, date(2027, 9, 30)) is NORMAL
    assert "sijs" in due_dates(facts, date(2027, 9, 29))
    assert "sijs" not in due_dates(facts, date(2027, 9, 30))
    assert "I-360" in flag_texts(facts, date(2027, 9, 30))


def test_sijs_needs_the_parent_facts_and_presence_in_the_us():
    assert "sijs" not in due_dates(Facts(date_of_birth=PartialDate(2006, 9, 15)))
    abroad = Facts(
        date_of_birth=PartialDate(2006, 9, 15), abused_by_parent_under_21=True, in_us=False
    )
    assert "sijs" not in due_dates(abroad)
    assert "sijs" not in {r.relief for r in possible_relief(abroad)}


@pytest.mark.parametrize(
    ("days_to_18", "flagged"), [(366, False), (365, True), (0, True), (-200, True)]
)
def test_turning_18_is_flagged_for_state_court_jurisdiction(days_to_18, flagged):
    birthday_18 = day(days_to_18)
    facts = _sijs(PartialDate(birthday_18.year - 18, birthday_18.month, birthday_18.day))
    assert ("counted as 18" in flag_texts(facts)) is flagged  # no state: the safe 18


@pytest.mark.parametrize(("state", "age"), [("TX", 18), ("NY", 21), ("AL", 19), ("OH", 18)])
def test_sijs_state_court_deadline_follows_the_states_age_limit(state, age):
    facts = Facts(
        date_of_birth=PartialDate(2008, 9, 1), abused_by_parent_under_21=True, state=state
    )
    (court,) = [d for d in deadlines(facts, TODAY) if d.kind == "sijs_state_court"]
    assert court.due == date(2008 + age, 8, 31)
    assert "juvenile" in court.source and "8 CFR 204.11(c)" in court.source
    text = flag_texts(facts, date(2026, 3, 10))
    if state == "OH":
        assert "not found in the sources" in court.note and "counted as 18" in text
    if age == 18:
        assert band(facts) is CRITICAL  # 174 days before the court loses jurisdiction


def test_every_state_in_the_table_has_an_age_or_says_unknown_with_its_source():
    from intake.law import juvenile_courts

    rows = juvenile_courts._table()
    assert len(rows) == 51
    for state, row in rows.items():
        assert row["age_limit"] in (18, 19, 21, None), state
        assert row["source"].strip(), state
        assert juvenile_courts.counted_age(state) == (row["age_limit"] or 18)


# --- abroad, relief ---------------------------------------------------------------


def test_abroad_is_flagged_for_humanitarian_parole():
    facts = afraid(in_us=False)
    (flag,) = flags(facts, TODAY)
    assert "humanitarian parole" in flag.text and "INA 212(d)(5)(A)" in flag.source
    assert [r.relief for r in possible_relief(facts)] == ["parole"]


@pytest.mark.parametrize(
    ("fact", "relief", "source"),
    [
        ({"afraid_to_return": True}, "asylum", "INA 208"),
        ({"afraid_to_return": True}, "withholding", "INA 241(b)(3)"),
        ({"harmed_or_threatened": True}, "cat", "8 CFR 208.16(c)"),
        ({"crime_victim_in_us": True}, "u_visa", "INA 101(a)(15)(U)"),
        ({"forced_labour_or_sex": True}, "t_visa", "INA 101(a)(15)(T)"),
        ({"hurt_by_citizen_or_resident_family": True}, "vawa", "INA 204(a)(1)(A)(iii)"),
        ({"abused_by_parent_under_21": True}, "sijs", "8 CFR 204.11"),
        ({"status_kind": "tps"}, "tps", "INA 244"),
        ({"status_kind": "parole"}, "parole", "INA 212(d)(5)(A)"),
        ({"in_us": False}, "parole", "INA 212(d)(5)(A)"),
    ],
)
def test_possible_relief_each_with_its_reason_and_source(fact, relief, source):
    found = {r.relief: r for r in possible_relief(Facts(**fact))}
    assert relief in found
    assert source in found[relief].source and found[relief].reason


def test_no_facts_no_relief():
    assert possible_relief(Facts()) == []


def test_reinstatement_notes_the_asylum_bar_in_the_relief_list():
    found = {r.relief: r for r in possible_relief(afraid(removed_before_and_returned="yes"))}
    assert "reinstated" in found["asylum"].reason


# --- inputs ------------------------------------------------------------------------


@pytest.mark.parametrize(
    "bad",
    [
        {"hearing": "maybe"},
        {"judge_decided": "y"},
        {"in_absentia": ""},
        {"appeal_filed": "true"},
        {"removed_before_and_returned": "1"},
        {"asking_for": "friend"},
        {"status_kind": "green card"},
        {"claim_types": {"asylum", "visa"}},
    ],
)
def test_facts_reject_unknown_answers(bad):
    with pytest.raises(ValueError):
        Facts(**bad)


@pytest.mark.parametrize(
    "bad",
    [{"passed_deadline_grace_days": -1}, {"sijs_critical_days": -1}, {"turning_18_flag_days": -1}],
)
def test_thresholds_reject_negative_new_settings(bad):
    with pytest.raises(ValueError):
        Thresholds(**bad)


def test_partial_date_latest():
    assert PartialDate(2024, 2).latest() == date(2024, 2, 29)
    assert PartialDate(2025, 2).latest() == date(2025, 2, 28)
    assert PartialDate(2025, 12, 3).latest() == date(2025, 12, 3)


# --- a table of legal scenarios, each from its source -------------------------------

SCENARIOS = [
    # (source, facts, read on, band, deadline kinds due on that day)
    (
        "8 CFR 1003.38(b): decided 20 days ago, appeal window open",
        ordered(day(-20)),
        TODAY,
        CRITICAL,
        {"bia_appeal": day(10), "motion_to_reopen": day(70)},
    ),
    (
        "8 CFR 1003.38(b): day 31 after the decision, window closed; order, no appeal",
        ordered(day(-31)),
        TODAY,
        HIGH,
        {"bia_appeal": day(-1), "motion_to_reopen": day(59)},
    ),
    (
        "8 CFR 1240.15 + INA 240(b)(5)(C)(i): in absentia 100 days ago",
        ordered(day(-100), in_absentia="yes"),
        TODAY,
        CRITICAL,  # only a motion stops removal: critical for the whole 180 days
        {"motion_to_reopen": date(2026, 3, 2), "in_absentia_reopen": day(80)},  # Feb 28: Sat
    ),
    (
        "INA 208(a)(2)(B): arrived 11 months ago, afraid, nothing filed",
        afraid(last_arrival=partial(day(-340))),
        TODAY,
        CRITICAL,
        {"one_year": date(2026, 4, 6)},  # April 4 is a Saturday
    ),
    (
        "INA 208(a)(2)(E): unaccompanied child, arrived 3 years ago",
        afraid(last_arrival=PartialDate(2023, 3, 1), came_as_unaccompanied_child=True),
        TODAY,
        NORMAL,
        {},
    ),
    (
        "8 CFR 208.4(a)(5)(iv): parole ended 2 months ago, arrived 3 years ago, when it "
        "began not given: both the anniversary and 'as soon as possible', critical",
        afraid(
            last_arrival=PartialDate(2023, 1, 5),
            status_kind="parole",
            status_end=PartialDate(2026, 1, 10),
        ),
        TODAY,
        CRITICAL,
        {"one_year": date(2024, 1, 5), "reasonable_period": date(2026, 1, 10)},
    ),
    (
        "8 CFR 208.4(a)(5)(iv): visa held from arrival, ended 5 months ago: file as soon as "
        "possible, critical",
        afraid(
            last_arrival=PartialDate(2021, 9, 1),
            status_kind="visa",
            status_start=PartialDate(2021, 9, 1),
            status_end=PartialDate(2025, 10, 1),
        ),
        TODAY,
        CRITICAL,
        {"reasonable_period": date(2025, 10, 1)},
    ),
    (
        "INA 208(a)(2)(D): deadline passed 5 years ago: flag, not high",
        afraid(last_arrival=PartialDate(2020, 3, 1)),
        TODAY,
        NORMAL,
        {"one_year": date(2021, 3, 1)},
    ),
    (
        "INA 241(a)(5): removed before, came back, afraid: withholding/CAT only",
        afraid(removed_before_and_returned="yes"),
        TODAY,
        HIGH,
        {},
    ),
    (
        "8 CFR 204.11(b): 20 years 9 months old, abused by a parent",
        _sijs(PartialDate(2005, 6, 10)),
        TODAY,
        CRITICAL,
        {"sijs": date(2026, 6, 9), "sijs_state_court": date(2023, 6, 9)},
    ),
    (
        "8 CFR 208.30: credible-fear interview on Friday",
        afraid(fear_interview_date=day(3)),
        TODAY,
        CRITICAL,
        {},
    ),
    (
        "INA 240(b)(5)(C)(ii): in absentia 3 years ago, never got notice: any time, still high",
        ordered(day(-1095), in_absentia="yes"),
        TODAY,
        HIGH,
        {"motion_to_reopen": day(-1005), "in_absentia_reopen": day(-915)},
    ),
    (
        "8 CFR 208.31: reinstated order, reasonable-fear interview scheduled",
        afraid(removed_before_and_returned="yes", fear_interview_scheduled=True),
        TODAY,
        CRITICAL,
        {},
    ),
    (
        "Minasyan v. Mukasey (9th Cir. 2009): arrived a year ago today: last day to file",
        afraid(last_arrival=PartialDate(2025, 3, 10)),
        TODAY,
        CRITICAL,
        {"one_year": TODAY},
    ),
    (
        "INA 212(d)(5)(A): abroad and afraid",
        afraid(in_us=False, last_arrival=PartialDate(2025, 1, 1)),
        TODAY,
        NORMAL,
        {},
    ),
]


@pytest.mark.parametrize(
    ("source", "facts", "on", "expected", "due"), SCENARIOS, ids=[s[0] for s in SCENARIOS]
)
def test_legal_scenarios(source, facts, on, expected, due):
    assert band(facts, on) is expected
    assert due_dates(facts, on) == due


# --- stored escalation dates agree with the rules on every day ------------------------

SWEEP_FACTS = [row[1] for row in SCENARIOS] + [
    Facts(hearing="yes", hearing_date=day(80)),
    Facts(appointment_date=day(40), date_of_birth=PartialDate(2009, 7)),
    ordered(day(5), in_absentia="not_sure", hearing="yes", hearing_date=day(5)),
    afraid(
        last_arrival=PartialDate(2025, 5),
        hearing="yes",
        hearing_date=day(45),
        date_of_birth=PartialDate(2006, 2, 28),
        abused_by_parent_under_21=True,
    ),
    afraid(
        last_arrival=PartialDate(2024, 2, 29), status_kind="tps", status_end=PartialDate(2026, 8)
    ),
    Facts(hearing="yes", hearing_date=day(-2), judge_decided="not_sure"),
    Facts(),
]
SWEEP_THRESHOLDS = [
    DEFAULT_THRESHOLDS,
    Thresholds(
        critical_hearing_days=0,
        high_hearing_days=0,
        critical_deadline_days=0,
        high_deadline_days=0,
        passed_deadline_grace_days=0,
        sijs_critical_days=0,
    ),
    Thresholds(
        critical_hearing_days=30,
        high_hearing_days=120,
        critical_deadline_days=60,
        high_deadline_days=200,
        passed_deadline_grace_days=90,
        sijs_critical_days=400,
    ),
]


@pytest.mark.parametrize("thresholds", SWEEP_THRESHOLDS, ids=["default", "zeros", "wide"])
@pytest.mark.parametrize("facts", SWEEP_FACTS)
def test_stored_escalation_gives_the_band_of_every_day(facts, thresholds):
    stored = escalation_dates(facts, thresholds)
    for n in range(-400, 1200):
        on = day(n)
        assert band_on(stored, on) is band(facts, on, thresholds), on


@pytest.mark.parametrize("facts", SWEEP_FACTS)
def test_escalation_changes_are_real_changes(facts):
    stored = escalation_dates(facts)
    bands = [stored.initial, *(b for _, b in stored.changes)]
    assert all(a is not b for a, b in zip(bands, bands[1:], strict=False))
    days = [d for d, _ in stored.changes]
    assert days == sorted(days)
    for change_day, changed in stored.changes:
        assert band(facts, change_day) is changed
        assert band(facts, change_day - timedelta(days=1)) is not changed


def test_nothing_urgent_says_so():
    level, (reason,) = urgency(Facts(), TODAY)
    assert level is NORMAL and reason.text.startswith("Nothing urgent found")


def test_reasons_most_urgent_first_each_with_a_source():
    facts = Facts(
        detained=True, hearing="yes", hearing_date=day(30), removed_before_and_returned="yes"
    )
    level, reasons = urgency(facts, TODAY)
    assert level is CRITICAL
    assert [r.text for r in reasons] == [
        "In immigration detention now.",
        "Immigration court hearing in 30 days (April 9, 2026).",
        "Removed before and came back: the prior order may be reinstated.",
    ]
    assert all(r.source for r in reasons)


def test_appointment_reads_today_then_passed():
    assert reason_texts(Facts(appointment_date=TODAY)) == [
        "Asylum-office interview or ICE check-in today (March 10, 2026)."
    ]
    assert reason_texts(Facts(appointment_date=day(-2))) == [
        "Asylum-office interview or ICE check-in on March 8, 2026 has passed: "
        "check that it took place."
    ]


# --- the one-year anniversary and the thresholds from configuration ------------------


@pytest.mark.parametrize(
    ("arrival", "deadline"),
    [
        (PartialDate(2025, 3, 10), date(2026, 3, 10)),
        (PartialDate(2024, 2, 29), date(2025, 2, 28)),  # leap day: the earlier date
        (PartialDate(2023, 2, 28), date(2024, 2, 28)),
        (PartialDate(2024, 12, 31), date(2025, 12, 31)),
        (PartialDate(2025, 4), date(2026, 4, 1)),  # month only: from the 1st
    ],
)
def test_one_year_deadline(arrival, deadline):
    assert one_year_deadline(arrival) == deadline


@pytest.mark.parametrize(
    "kwargs",
    [
        {"critical_hearing_days": 61},
        {"critical_deadline_days": 91},
        {"critical_hearing_days": -1},
        {"income_limit_percent": 0},
    ],
)
def test_thresholds_reject_nonsense(kwargs):
    with pytest.raises(ValueError):
        Thresholds(**kwargs)


def hearing_in(days: int) -> Facts:
    """An appointment ranks by the hearing thresholds, without the filing deadlines
    a hearing brings."""
    return Facts(appointment_date=day(days))


def one_year_due_in(days: int) -> Facts:
    due = day(days)
    return Facts(afraid_to_return=True, last_arrival=PartialDate(due.year - 1, due.month, due.day))


@pytest.mark.parametrize(
    ("thresholds", "facts", "default", "changed"),
    [
        (Thresholds(critical_hearing_days=20), hearing_in(15), Urgency.HIGH, Urgency.CRITICAL),
        (Thresholds(high_hearing_days=30), hearing_in(45), Urgency.HIGH, Urgency.NORMAL),
        (
            Thresholds(critical_deadline_days=40),
            one_year_due_in(35),
            Urgency.HIGH,
            Urgency.CRITICAL,
        ),
        (Thresholds(high_deadline_days=120), one_year_due_in(100), Urgency.NORMAL, Urgency.HIGH),
    ],
)
def test_urgency_thresholds_change_the_band(thresholds, facts, default, changed):
    assert urgency(facts, TODAY)[0] is default
    assert urgency(facts, TODAY, thresholds)[0] is changed


def test_after_a_reinstated_order_the_board_decision_is_not_the_final_order():
    # Riley v. Bondi (2025): in withholding-only proceedings the 30 days run from the order.
    facts = Facts(
        judge_decided="yes",
        decision_date=PartialDate(2025, 6, 1),
        appeal_filed="yes",
        board_decided="yes",
        board_decision_date=PartialDate(2026, 3, 2),
        removed_before_and_returned="yes",
    )
    (review,) = [d for d in deadlines(facts, TODAY) if d.kind == "petition_for_review"]
    assert "not from the Board's decision" in review.note and "Riley" in review.source


@pytest.mark.parametrize(
    "facts",
    [
        Facts(),
        Facts(hearing="yes", hearing_date=day(130), hearing_kind="final"),
        Facts(hearing="yes", hearing_date=day(-3)),
        Facts(detained="yes"),
    ],
)
def test_urgency_and_escalation_together_say_what_each_says_alone(facts):
    """What a new request is ranked by: both from one reading of the rules."""
    assert urgency_and_escalation(facts, TODAY) == (urgency(facts, TODAY), escalation_dates(facts))
