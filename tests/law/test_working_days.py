"""The office calendar: working days, and when the promised reply runs out."""

from datetime import date, datetime, time
from zoneinfo import ZoneInfo

import pytest

from intake.law import working_days as wd

FRIDAY = date(2026, 12, 4)
NEW_YORK = ZoneInfo("America/New_York")


def test_weekends_do_not_count():
    assert not wd.is_working_day(date(2026, 12, 5)) and not wd.is_working_day(date(2026, 12, 6))
    assert wd.reply_due(FRIDAY, 1) == date(2026, 12, 7)  # Sat, Sun, then Monday


def test_a_friday_request_is_due_the_friday_after_with_five_days():
    assert wd.reply_due(FRIDAY, 5) == date(2026, 12, 11)


@pytest.mark.parametrize(
    ("today", "overdue"),
    [
        (date(2026, 12, 9), False),  # the next Wednesday: 3 working days
        (date(2026, 12, 10), False),  # Thursday: 4
        (date(2026, 12, 11), True),  # the Friday after: the 5th, the last promised day
        (date(2026, 12, 14), True),
    ],
)
def test_overdue_in_working_days(today, overdue):
    assert wd.is_overdue(FRIDAY, today, 5) is overdue


def test_a_closed_day_moves_the_promise():
    closed = {date(2026, 12, 8)}
    assert wd.reply_due(FRIDAY, 5, closed) == date(2026, 12, 14)
    assert wd.is_overdue(FRIDAY, date(2026, 12, 11), 5, closed) is False


@pytest.mark.parametrize("days", [1, 3, 5, 10])
@pytest.mark.parametrize("today", [date(2026, 12, d) for d in range(7, 21)])
def test_latest_overdue_day_agrees_with_is_overdue(days, today):
    last = wd.latest_overdue_day(today, days)
    assert wd.is_overdue(last, today, days)
    assert not wd.is_overdue(date.fromordinal(last.toordinal() + 1), today, days)


def test_a_weekend_request_counts_from_monday():
    saturday = date(2026, 12, 5)
    assert wd.reply_due(saturday, 5) == date(2026, 12, 11)


def test_closed_days_parse_from_a_list_or_a_string():
    assert wd.parse_closed_days("2026-12-25, 2027-01-01") == {date(2026, 12, 25), date(2027, 1, 1)}
    assert wd.parse_closed_days(["2026-12-25"]) == {date(2026, 12, 25)}
    assert wd.parse_closed_days(None) == frozenset()
    with pytest.raises(ValueError):
        wd.parse_closed_days("25/12/2026")


def test_office_time_converts_both_ways():
    stored = wd.from_office(FRIDAY, time(9, 30), NEW_YORK)
    assert stored == datetime(2026, 12, 4, 14, 30)  # EST is UTC-5
    assert wd.to_office(stored, NEW_YORK) == datetime(2026, 12, 4, 9, 30)
    # 03:00 UTC on Saturday is still Friday evening in New York.
    assert wd.office_date(datetime(2026, 12, 5, 3, 0), NEW_YORK) == FRIDAY
    start, end = wd.office_day_bounds(FRIDAY, NEW_YORK)
    assert (start, end) == (datetime(2026, 12, 4, 5, 0), datetime(2026, 12, 5, 5, 0))
