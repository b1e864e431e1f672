"""Counting days to a legal deadline: the last day, rolled past weekends and holidays.

A period counted in days whose last day is a Saturday, a Sunday or a legal
holiday runs until the end of the next day that is none of these (``roll``):
- BIA appeals: 8 CFR 1003.38(b), "If the final date for filing falls on a
  Saturday, Sunday, or legal holiday, this appeal time shall be extended to the
  next business day";
- the one-year asylum deadline: 8 CFR 208.4(a)(2)(ii), 1208.4(a)(2)(ii) ("When
  the last day of the period so computed falls on a Saturday, Sunday, or ...");
- voluntary departure and the other "days" of the immigration statute:
  Monsalvo Velazquez v. Bondi, 604 U.S. ___ (2025) (the immigration
  regulations' "day", 8 CFR 1.1(h) since the 1950s, with Saturdays added by
  52 FR 2935 (1987));
- the BIA's general rule: Matter of Escobar, 18 I&N Dec. 412 (BIA 1983) ("the
  period runs until the end of the next day which is not a Saturday, a Sunday,
  or a legal holiday"); the immigration courts: EOIR Policy Manual, Part II, 3.1.

Legal holidays are the federal ones of 5 U.S.C. 6103(a) (Juneteenth included
since 2021), with the Friday before a Saturday holiday and the Monday after a
Sunday one, when federal offices close (5 U.S.C. 6103(b); Executive Order
11582). Inauguration Day is a holiday only for federal employees around
Washington, D.C. (5 U.S.C. 6103(c)), not a day courts stay closed nationwide,
so it does not move a deadline. The calendar is the ``holidays`` package's US
public calendar, which lists exactly these days.

A deadline has passed only once its rolled last day has ended in the office's
time zone: ``today`` is always the office's date (``intake.timeutil.today``).
"""

from dataclasses import dataclass
from datetime import date, timedelta
from functools import cache

import holidays

from intake.law.dates import PartialDate, long_date

SATURDAY = 5


@cache
def _federal_holidays() -> holidays.HolidayBase:
    # The US calendar's "public" category: 5 U.S.C. 6103(a) and the observed days.
    return holidays.US(observed=True)


def holiday_name(day: date) -> str | None:
    return _federal_holidays().get(day)


def is_business_day(day: date) -> bool:
    return day.weekday() < SATURDAY and holiday_name(day) is None


def roll(day: date) -> date:
    """The last day itself, or the next business day after it."""
    while not is_business_day(day):
        day += timedelta(days=1)
    return day


def add_business_days(day: date, count: int) -> date:
    """``count`` business days after ``day`` (``day`` itself not counted)."""
    while count:
        day += timedelta(days=1)
        count -= is_business_day(day)
    return day


def why_not_business_day(day: date) -> str:
    return holiday_name(day) or day.strftime("%A")


@dataclass(frozen=True)
class LastDay:
    """The last day to act on a deadline counted from a date a person may know only
    in part: from the earliest reading (``computed``, then rolled: ``due``) to the
    latest one (``latest``, rolled). Equal when the date is exact."""

    computed: date
    due: date
    latest: date

    @property
    def is_range(self) -> bool:
        return self.latest != self.due

    def passed(self, today: date) -> bool:
        """Only once the last possible day has ended."""
        return today > self.latest

    def rolled_note(self) -> str:
        """What staff read when the count ended on a day that does not count."""
        if self.computed == self.due:
            return ""
        return (
            f" Counted, the last day is {long_date(self.computed)} "
            f"({why_not_business_day(self.computed)}); it runs to the next business day, "
            f"{long_date(self.due)}."
        )


def last_day(start: PartialDate, count, *, rolls: bool = True) -> LastDay:
    """``count`` (a function of a day) from both readings of ``start``; each result
    rolled to a business day unless the rule has no stored source for it."""
    computed = count(start.earliest())
    latest = count(start.latest())
    if not rolls:
        return LastDay(computed, computed, latest)
    return LastDay(computed, roll(computed), roll(latest))


def exact(day: date, *, rolls: bool = True) -> LastDay:
    return LastDay(day, roll(day) if rolls else day, roll(day) if rolls else day)
