"""Dates a person may know only in part, and date arithmetic on the safe side.

A date given as month and year only is read as the 1st of the month for a
deadline (it can only come too early) and as the last day of the month for
"may still be under 18 / under 21" (a person who may still be a child is
treated as one).
"""

from calendar import monthrange
from dataclasses import dataclass
from datetime import date


@dataclass(frozen=True)
class PartialDate:
    """A date whose day may be unknown: the form accepts the month and year of arrival
    because many people do not remember the exact day."""

    year: int
    month: int
    day: int | None = None

    def __post_init__(self) -> None:
        date(self.year, self.month, self.day or 1)  # ValueError for an impossible date

    @property
    def month_only(self) -> bool:
        return self.day is None

    def earliest(self) -> date:
        """The first possible day: a deadline counted from it can only come too early,
        never too late."""
        return date(self.year, self.month, self.day or 1)

    def latest(self) -> date:
        """The last possible day: used where the later reading is the one that keeps a
        person in front of staff longer (e.g. "may still be under 18")."""
        return date(self.year, self.month, self.day or monthrange(self.year, self.month)[1])


def add_years(day: date, years: int, *, late: bool = False) -> date:
    """The anniversary; 29 February becomes 28 February (the earlier reading), or
    1 March where the later reading is the safe one (``late``)."""
    try:
        return day.replace(year=day.year + years)
    except ValueError:
        return date(day.year + years, 3, 1) if late else date(day.year + years, 2, 28)


def surely_aged(birth: PartialDate, years: int) -> date:
    """The first day the person is ``years`` old on every reading of ``birth``: its
    latest day, and a 29 February birthday coming on 1 March."""
    return add_years(birth.latest(), years, late=True)


def add_months(day: date, months: int) -> date:
    """Calendar months, clamped to the month's last day (31 August + 6 = 28/29 February)."""
    index = day.month - 1 + months
    year, month = day.year + index // 12, index % 12 + 1
    return date(year, month, min(day.day, monthrange(year, month)[1]))


_MONTHS = [
    "January",
    "February",
    "March",
    "April",
    "May",
    "June",
    "July",
    "August",
    "September",
    "October",
    "November",
    "December",
]


def long_date(d: date) -> str:
    """ "March 1, 2026": unambiguous to US staff, and independent of the server locale."""
    return f"{_MONTHS[d.month - 1]} {d.day}, {d.year}"


def in_days(days: int) -> str:
    return {0: "today", 1: "tomorrow"}.get(days, f"in {days} days")


def days_ago(days: int) -> str:
    return "1 day ago" if days == 1 else f"{days} days ago"
