"""Day counting: a last day on a Saturday, Sunday or federal legal holiday runs to
the next business day (8 CFR 1003.38(b); 8 CFR 208.4(a)(2)(ii); Monsalvo Velazquez
v. Bondi (2025); 5 U.S.C. 6103). Tested over whole years, not examples."""

from datetime import date, timedelta

import pytest

from intake.law.dates import PartialDate
from intake.law.days import add_business_days, holiday_name, is_business_day, last_day, roll
from intake.law.deadlines import deadlines
from intake.law.facts import Facts
from intake.law.flags import flags
from intake.law.urgency import urgency
from intake.law.vocabulary import Urgency

YEARS = (2025, 2026, 2027, 2028)

# 5 U.S.C. 6103(a), as observed (the Friday before a Saturday holiday, the Monday
# after a Sunday one), written out by hand for 2026 and 2027.
HOLIDAYS_2026 = {
    date(2026, 1, 1),  # New Year's Day
    date(2026, 1, 19),  # Martin Luther King, Jr.: third Monday in January
    date(2026, 2, 16),  # Washington's Birthday: third Monday in February
    date(2026, 5, 25),  # Memorial Day: last Monday in May
    date(2026, 6, 19),  # Juneteenth (a Friday)
    date(2026, 7, 3),  # Independence Day observed (July 4 is a Saturday)
    date(2026, 9, 7),  # Labor Day
    date(2026, 10, 12),  # Columbus Day
    date(2026, 11, 11),  # Veterans Day
    date(2026, 11, 26),  # Thanksgiving: fourth Thursday in November
    date(2026, 12, 25),  # Christmas Day
}
HOLIDAYS_2027 = {
    date(2027, 1, 1),
    date(2027, 1, 18),
    date(2027, 2, 15),
    date(2027, 5, 31),
    date(2027, 6, 18),  # Juneteenth observed (June 19 is a Saturday)
    date(2027, 7, 5),  # Independence Day observed (July 4 is a Sunday)
    date(2027, 9, 6),
    date(2027, 10, 11),
    date(2027, 11, 11),
    date(2027, 11, 25),
    date(2027, 12, 24),  # Christmas observed (December 25 is a Saturday)
    date(2027, 12, 31),  # New Year's Day 2028 observed (a Saturday)
}


def every_day(year: int):
    day = date(year, 1, 1)
    while day.year == year:
        yield day
        day += timedelta(days=1)


@pytest.mark.parametrize("year", YEARS)
def test_every_weekday_that_is_no_holiday_is_a_business_day_and_stays(year):
    for day in every_day(year):
        if day.weekday() < 5 and holiday_name(day) is None:
            assert is_business_day(day) and roll(day) == day


@pytest.mark.parametrize("year", YEARS)
def test_every_saturday_sunday_and_holiday_rolls_to_the_next_business_day(year):
    for day in every_day(year):
        if is_business_day(day):
            continue
        rolled = roll(day)
        assert rolled > day and is_business_day(rolled)
        # nothing in between is a business day: the *next* one
        between = day + timedelta(days=1)
        while between < rolled:
            assert not is_business_day(between)
            between += timedelta(days=1)


@pytest.mark.parametrize(("year", "expected"), [(2026, HOLIDAYS_2026), (2027, HOLIDAYS_2027)])
def test_the_weekday_holidays_are_exactly_those_of_5_usc_6103(year, expected):
    weekday_holidays = {d for d in every_day(year) if d.weekday() < 5 and holiday_name(d)}
    assert weekday_holidays == expected


def test_juneteenth_and_observed_days():
    assert roll(date(2026, 6, 19)) == date(2026, 6, 22)  # Friday Juneteenth -> Monday
    assert roll(date(2027, 6, 18)) == date(2027, 6, 21)  # Friday observed -> Monday
    assert roll(date(2027, 7, 4)) == date(2027, 7, 6)  # Sunday, Monday observed -> Tuesday
    assert roll(date(2026, 7, 3)) == date(2026, 7, 6)  # Friday observed -> Monday


def test_inauguration_day_is_not_a_general_legal_holiday():
    # 5 U.S.C. 6103(c): a holiday only for federal employees around Washington, D.C.
    assert is_business_day(date(2033, 1, 20))  # a Thursday
    assert holiday_name(date(2029, 1, 20)) is None  # a Saturday, but no holiday


def test_business_days_skip_weekends_and_holidays():
    assert add_business_days(date(2026, 6, 15), 5) == date(2026, 6, 23)  # over Juneteenth
    assert add_business_days(date(2026, 3, 13), 1) == date(2026, 3, 16)  # Friday -> Monday


def bia(decided: date) -> Facts:
    return Facts(
        judge_decided="yes", decision_date=PartialDate(decided.year, decided.month, decided.day)
    )


@pytest.mark.parametrize("year", [2026, 2027])
def test_every_appeal_ending_on_a_closed_day_is_open_until_the_rolled_day_ends(year):
    """For every day of the year on which a 30-day appeal would end: critical on
    every day up to and including the rolled last day, high the day after, and the
    day before it is due never reads as passed."""
    for last in every_day(year):
        decided = last - timedelta(days=30)
        facts = bia(decided)
        (appeal,) = [d for d in deadlines(facts, decided) if d.kind == "bia_appeal"]
        assert appeal.computed == last and appeal.due == roll(last)
        if appeal.due == last:
            continue
        for on in (last - timedelta(days=1), last, appeal.due):
            assert urgency(facts, on)[0] is Urgency.CRITICAL, on
            assert not appeal.passed(on)
        assert urgency(facts, appeal.due + timedelta(days=1))[0] is Urgency.HIGH
        assert appeal.passed(appeal.due + timedelta(days=1))


@pytest.mark.parametrize("year", [2026, 2027])
def test_every_one_year_deadline_on_a_closed_day_is_flagged_passed_only_after_the_roll(year):
    for last in every_day(year):
        if is_business_day(last):
            continue
        arrival = (
            PartialDate(last.year - 1, last.month, last.day)
            if (last.month, last.day) != (2, 29)
            else None
        )
        if arrival is None:
            continue
        facts = Facts(afraid_to_return=True, last_arrival=arrival)
        due = roll(last)
        passed = [f for f in flags(facts, due) if "One-year deadline passed" in f.text]
        assert not passed
        passed = [f for f in flags(facts, due + timedelta(days=1)) if "passed" in f.text]
        assert passed


@pytest.mark.parametrize("month", range(1, 13))
def test_a_month_only_start_is_a_range_from_the_first_to_the_last_day(month):
    last = last_day(PartialDate(2025, month), lambda d: d + timedelta(days=30))
    first = date(2025, month, 1) + timedelta(days=30)
    assert last.computed == first and last.due == roll(first)
    end = PartialDate(2025, month).latest() + timedelta(days=30)
    assert last.latest == roll(end)
    assert not last.passed(last.latest) and last.passed(last.latest + timedelta(days=1))


@pytest.mark.parametrize("month", range(1, 13))
def test_a_month_only_arrival_is_critical_through_the_range_never_passed_early(month):
    facts = Facts(afraid_to_return=True, last_arrival=PartialDate(2025, month))
    (deadline,) = deadlines(facts, date(2026, 1, 1))
    on = deadline.due
    while on <= deadline.last_possible:
        assert urgency(facts, on)[0] is Urgency.CRITICAL
        assert not any("passed" in f.text for f in flags(facts, on))
        on += timedelta(days=1)
    assert any("passed" in f.text for f in flags(facts, on))
