"""The rules every published figure follows: which requests a report covers
(whole weeks or whole months), and which counts it may show.

Pure functions, no Flask and no database, so each rule is tested on its own.

A report covers whole calendar weeks (Monday to Sunday) or whole calendar
months, never any start and end day: were it otherwise, a range minus the range
one day shorter would count the requests of that one day, and the breakdowns
would say who sent them. Other days asked for are widened to the whole periods
around them, and the page says so.

Every published count is rounded to a multiple of ``base`` (5 by default), and a
count from 1 to ``threshold - 1`` is shown as "fewer than 5" (for the default
threshold of 5) in charts, tables and CSV alike, so no chart can single out a
person ("the one Tigrinya speaker detained in Alaska"), and no difference of two
reports (overlapping ranges, one funder's requests against all) gives an exact
small count. Zero is shown: it identifies nobody. When a group's total is shown
and exactly one cell of it is suppressed, the next smallest cell is suppressed
too (secondary suppression, as statistical offices do).
"""

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field, replace
from datetime import date, datetime, time, timedelta
from enum import StrEnum

DEFAULT_THRESHOLD = 5
DEFAULT_BASE = 5
MAX_RANGE_DAYS = 10 * 366  # ten years: weekly periods stay a readable table
YEARS = range(1900, 3000)  # widening a day near date.min or date.max would overflow
OTHER = "Other"


class Period(StrEnum):
    WEEK = "week"
    MONTH = "month"


# --- the range --------------------------------------------------------------


@dataclass(frozen=True)
class DateRange:
    """Requests received from ``start`` to ``end``, both days included (UTC)."""

    start: date
    end: date
    by: Period = Period.MONTH
    errors: tuple[str, ...] = field(default=(), compare=False)

    @property
    def since(self) -> datetime:
        return datetime.combine(self.start, time.min)

    @property
    def before(self) -> datetime:
        """The first moment after the range: comparisons are ``< before``."""
        return datetime.combine(self.end + timedelta(days=1), time.min)

    @classmethod
    def default(cls, today: date) -> "DateRange":
        """The last twelve months, by month, this month included (whole)."""
        return cls.whole(add_months(first_of_month(today), -11), today, Period.MONTH)

    @classmethod
    def from_args(cls, args: Mapping[str, str], today: date) -> "DateRange":
        """From ``by`` (week or month) and ``from`` and ``to``, each a month
        (YYYY-MM), an ISO week (YYYY-Www) or a day (YYYY-MM-DD), widened to the
        whole periods they fall in. Anything unreadable is replaced by the
        default; every change is named in ``errors``."""
        default = cls.default(today)
        errors = []
        by_text = (args.get("by") or Period.MONTH).strip()
        if by_text not in {p.value for p in Period}:
            errors.append("Group by week or month: month is used.")
            by_text = Period.MONTH
        by = Period(by_text)

        def read(name: str, fallback: date, last: bool) -> date:
            text = (args.get(name) or "").strip()
            if not text:
                return fallback
            try:
                return parse_day(text, last)
            except ValueError:
                errors.append(
                    f"“{name}” is not a month (YYYY-MM), a week (YYYY-Www) or a day "
                    "(YYYY-MM-DD): the default is used."
                )
                return fallback

        start, end = read("from", default.start, False), read("to", default.end, True)
        if end < start:
            errors.append("The range ends before it starts: the dates were swapped.")
            start, end = end, start
        if (end - start).days > MAX_RANGE_DAYS:
            errors.append("The range is longer than ten years: it was shortened.")
            start = end - timedelta(days=MAX_RANGE_DAYS)
        whole = cls.whole(start, end, by)
        if (whole.start, whole.end) != (start, end):
            unit = "weeks (Monday to Sunday)" if by is Period.WEEK else "calendar months"
            errors.append(
                f"Reports cover whole {unit} only, so that no one day can be told "
                f"apart: the range was widened to {whole.start:%-d %B %Y} to "
                f"{whole.end:%-d %B %Y}."
            )
        return replace(whole, errors=tuple(errors))

    @classmethod
    def whole(cls, start: date, end: date, by: Period) -> "DateRange":
        """The whole periods from the one ``start`` falls in to ``end``'s."""
        return cls(period_start(start, by), period_end(end, by), by)

    def as_args(self) -> dict[str, str]:
        return {"from": self.start.isoformat(), "to": self.end.isoformat(), "by": self.by.value}

    def as_form(self) -> dict[str, str]:
        """``from`` and ``to`` as the form shows them: months or ISO weeks."""
        if self.by is Period.WEEK:
            return {"from": iso_week(self.start), "to": iso_week(self.end)}
        return {"from": f"{self.start:%Y-%m}", "to": f"{self.end:%Y-%m}"}


def parse_day(text: str, last: bool) -> date:
    """A day from "2026-03-02", a month's first or ``last`` day from "2026-03",
    an ISO week's Monday or ``last`` its Sunday from "2026-W10"."""
    if not text[:4].isdigit() or int(text[:4]) not in YEARS:
        raise ValueError(text)
    if len(text) == 10:
        return date.fromisoformat(text)
    if len(text) == 7 and text[4] == "-" and text[5:].isdigit():
        first = date(int(text[:4]), int(text[5:]), 1)
        return add_months(first, 1) - timedelta(days=1) if last else first
    if len(text) == 8 and text[4:6].upper() == "-W" and text[6:].isdigit():
        return date.fromisocalendar(int(text[:4]), int(text[6:]), 7 if last else 1)
    raise ValueError(text)


def iso_week(day: date) -> str:
    year, week, _weekday = day.isocalendar()
    return f"{year}-W{week:02d}"


def first_of_month(day: date) -> date:
    return day.replace(day=1)


def add_months(day: date, months: int) -> date:
    """The first of the month ``months`` away from ``day``'s month."""
    index = day.year * 12 + day.month - 1 + months
    return date(index // 12, index % 12 + 1, 1)


def period_start(day: date, by: Period) -> date:
    """Weeks start on Monday (ISO 8601); months on the first."""
    if by is Period.WEEK:
        return day - timedelta(days=day.weekday())
    return first_of_month(day)


def period_end(day: date, by: Period) -> date:
    """The last day of the week (Sunday) or month ``day`` falls in."""
    if by is Period.WEEK:
        return period_start(day, by) + timedelta(days=6)
    return add_months(day, 1) - timedelta(days=1)


def periods(date_range: DateRange) -> list[date]:
    """The start of every period the range touches, in order."""
    current = period_start(date_range.start, date_range.by)
    starts = []
    while current <= date_range.end:
        starts.append(current)
        if date_range.by is Period.WEEK:
            current += timedelta(days=7)
        else:
            current = add_months(current, 1)
    return starts


def period_label(start: date, by: Period) -> str:
    if by is Period.WEEK:
        return f"Week of {start.day} {start:%b %Y}"
    return f"{start:%b %Y}"


# --- working days -------------------------------------------------------------


def working_days_before(day: date, days: int) -> date:
    """The date ``days`` working days (Monday to Friday) before ``day``."""
    current = day
    while days > 0:
        current -= timedelta(days=1)
        if current.weekday() < 5:
            days -= 1
    return current


# --- suppression --------------------------------------------------------------


@dataclass(frozen=True)
class Publishing:
    """How counts are published: rounded to a multiple of ``base``, and those
    from 1 to ``threshold - 1`` hidden. Threshold 1 and base 1 publish every
    count exactly (the exactness tests use that)."""

    threshold: int = DEFAULT_THRESHOLD
    base: int = DEFAULT_BASE

    def count(self, n: int) -> int | None:
        """``n`` as published: None when hidden, else the nearest multiple of
        the base (halves up)."""
        if is_small(n, self.threshold):
            return None
        return (n + self.base // 2) // self.base * self.base


@dataclass(frozen=True)
class Cell:
    """One published figure: its label and its published count (rounded), or
    None when suppressed."""

    key: str
    label: str
    count: int | None
    threshold: int

    @property
    def suppressed(self) -> bool:
        return self.count is None

    @property
    def text(self) -> str:
        return f"fewer than {self.threshold}" if self.count is None else f"{self.count:,}"

    @property
    def plotted(self) -> int:
        """What a chart draws: nothing for a suppressed count, so a bar's length
        cannot tell what the table hides."""
        return 0 if self.count is None else self.count


def is_small(count: int, threshold: int) -> bool:
    return 0 < count < threshold


def suppress(
    counts: Iterable[tuple[str, str, int]], rules: Publishing, total_shown: bool = True
) -> list[Cell]:
    """Cells from (key, label, count), rounded and small counts hidden; see the
    module's docstring for the secondary suppression applied when the total is
    shown."""
    items = list(counts)
    hidden = {key for key, _label, n in items if is_small(n, rules.threshold)}
    if total_shown and len(hidden) == 1:
        others = [(n, key) for key, _label, n in items if key not in hidden and n > 0]
        if others:
            hidden.add(min(others)[1])
    return [
        Cell(key, label, None if key in hidden else rules.count(n), rules.threshold)
        for key, label, n in items
    ]


def total_cell(label: str, count: int, rules: Publishing) -> Cell:
    return Cell("total", label, rules.count(count), rules.threshold)


def top_n(
    counts: Iterable[tuple[str, str, int]], n: int, other_label: str = OTHER
) -> list[tuple[str, str, int]]:
    """The ``n`` largest (ties by label), then everything else summed as one
    "Other" row (left out when there is nothing else)."""
    ordered = sorted(counts, key=lambda item: (-item[2], item[1]))
    head, rest = ordered[:n], ordered[n:]
    remainder = sum(count for _key, _label, count in rest)
    return head + ([("other_rest", other_label, remainder)] if rest else [])


# --- percentiles --------------------------------------------------------------


def nearest_rank(numerator: int, denominator: int, n: int) -> int:
    """The 1-based rank of the p-th percentile (p = numerator/denominator) of n
    sorted values by the nearest-rank method: ceil(p * n), at least 1."""
    return max(1, (numerator * n + denominator - 1) // denominator)


def percentile_hours(histogram: list[tuple[int, int]], numerator: int, denominator: int):
    """The p-th percentile (p = numerator/denominator) by nearest rank from
    (hours, requests) pairs sorted by hours; None when there are none."""
    n = sum(count for _hours, count in histogram)
    if n == 0:
        return None
    rank, seen = nearest_rank(numerator, denominator, n), 0
    for hours, count in histogram:
        seen += count
        if seen >= rank:
            return float(hours)
    return float(histogram[-1][0])


@dataclass(frozen=True)
class Duration:
    """A median and a 90th percentile in hours, over ``count`` requests; hidden
    when fewer than the threshold (a median of three is nearly a person)."""

    label: str
    count: int
    median_hours: float | None
    p90_hours: float | None
    rules: Publishing

    @property
    def threshold(self) -> int:
        return self.rules.threshold

    @property
    def suppressed(self) -> bool:
        return self.count < self.threshold

    @property
    def requests(self) -> Cell:
        """How many requests it is over, as published."""
        return total_cell(self.label, self.count, self.rules)

    def text(self, hours: float | None) -> str:
        if self.count == 0:
            return "no requests"
        if self.suppressed:
            return f"fewer than {self.threshold} requests"
        return describe_hours(hours)


def describe_hours(hours: float | None) -> str:
    if hours is None:
        return "—"
    if hours < 48:
        return f"{hours:.1f} hours"
    return f"{hours / 24:.1f} days"
