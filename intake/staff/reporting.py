"""The rules every published figure follows: which requests a report covers (a
date range, cut into weeks or months), and which counts it may show.

Pure functions, no Flask and no database, so each rule is tested on its own.

Small counts are suppressed: a count from 1 to ``threshold - 1`` is shown as
"fewer than 5" (for the default threshold of 5) in charts, tables and CSV alike,
so no chart can single out a person ("the one Tigrinya speaker detained in
Alaska"). Zero is shown: it identifies nobody. When a group's total is shown
and exactly one cell of it is suppressed, the total minus the others would give
that cell away, so the next smallest cell is suppressed too (secondary
suppression, as statistical offices do).
"""

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta
from enum import StrEnum

DEFAULT_THRESHOLD = 5
MAX_RANGE_DAYS = 10 * 366  # ten years: weekly periods stay a readable table
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
        """The last twelve months, by month, this month included."""
        return cls(add_months(first_of_month(today), -11), today, Period.MONTH)

    @classmethod
    def from_args(cls, args: Mapping[str, str], today: date) -> "DateRange":
        """From ``from``, ``to`` (ISO dates) and ``by``; anything unreadable is
        replaced by the default and named in ``errors``."""
        default = cls.default(today)
        errors = []

        def read(name: str, fallback: date) -> date:
            text = (args.get(name) or "").strip()
            if not text:
                return fallback
            try:
                if len(text) != 10:
                    raise ValueError(text)
                return date.fromisoformat(text)
            except ValueError:
                errors.append(f"“{name}” is not a date (use YYYY-MM-DD): the default is used.")
                return fallback

        start, end = read("from", default.start), read("to", default.end)
        if end < start:
            errors.append("The range ends before it starts: the dates were swapped.")
            start, end = end, start
        if (end - start).days > MAX_RANGE_DAYS:
            errors.append("The range is longer than ten years: it was shortened.")
            start = end - timedelta(days=MAX_RANGE_DAYS)
        by_text = (args.get("by") or Period.MONTH).strip()
        if by_text not in {p.value for p in Period}:
            errors.append("Group by week or month: month is used.")
            by_text = Period.MONTH
        return cls(start, end, Period(by_text), tuple(errors))

    def as_args(self) -> dict[str, str]:
        return {"from": self.start.isoformat(), "to": self.end.isoformat(), "by": self.by.value}


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
class Cell:
    """One published figure: its label and count, or None when suppressed."""

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
    counts: Iterable[tuple[str, str, int]], threshold: int, total_shown: bool = True
) -> list[Cell]:
    """Cells from (key, label, count), small counts hidden; see the module's
    docstring for the secondary suppression applied when the total is shown."""
    items = list(counts)
    hidden = {key for key, _label, n in items if is_small(n, threshold)}
    if total_shown and len(hidden) == 1:
        others = [(n, key) for key, _label, n in items if key not in hidden and n > 0]
        if others:
            hidden.add(min(others)[1])
    return [Cell(key, label, None if key in hidden else n, threshold) for key, label, n in items]


def total_cell(label: str, count: int, threshold: int) -> Cell:
    return Cell("total", label, None if is_small(count, threshold) else count, threshold)


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
    threshold: int

    @property
    def suppressed(self) -> bool:
        return self.count < self.threshold

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
