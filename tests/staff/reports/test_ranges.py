"""The rules every published figure follows: whole weeks or months, rounding and
suppression, percentile ranks, and the dispositions and outcomes lists."""

from datetime import date, datetime

import pytest

from intake.models import Disposition, Outcome
from intake.models.outcome import dispositions_for
from intake.staff.reports.ranges import (
    DateRange,
    Duration,
    Period,
    Publishing,
    nearest_rank,
    percentile_hours,
    period_start,
    periods,
    suppress,
    top_n,
    total_cell,
    working_days_before,
)

TODAY = date(2026, 11, 29)  # a Sunday
EXACT = Publishing(threshold=5, base=1)  # suppression alone


# --- ranges and periods ------------------------------------------------------------


def test_default_range_is_the_last_twelve_whole_months():
    default = DateRange.from_args({}, TODAY)
    end = date(2026, 11, 30)
    assert (default.start, default.end, default.by) == (date(2025, 12, 1), end, Period.MONTH)
    assert default.errors == ()


def test_range_edges_include_both_days():
    r = DateRange.from_args({"from": "2026-01", "to": "2026-01", "by": "month"}, TODAY)
    assert r.since == datetime(2026, 1, 1, 0, 0)
    assert r.before == datetime(2026, 2, 1, 0, 0)  # compared with <: all of the 31st is in
    assert r.errors == ()


@pytest.mark.parametrize(
    ("args", "start", "end"),
    [
        # Days are widened to the months around them: a range a day shorter is
        # the same range, so the two reports cannot be told apart.
        ({"from": "2026-01-01", "to": "2026-01-30"}, "2026-01-01", "2026-01-31"),
        ({"from": "2026-01-02", "to": "2026-01-31"}, "2026-01-01", "2026-01-31"),
        ({"from": "2026-02-10", "to": "2026-02-10"}, "2026-02-01", "2026-02-28"),
        # Weeks run Monday to Sunday; 1 January 2026 is a Thursday.
        ({"from": "2026-01-01", "to": "2026-01-01", "by": "week"}, "2025-12-29", "2026-01-04"),
        ({"from": "2026-01", "to": "2026-01", "by": "week"}, "2025-12-29", "2026-02-01"),
    ],
)
def test_other_days_are_widened_to_whole_periods_and_said_so(args, start, end):
    r = DateRange.from_args({"by": "month", **args}, TODAY)
    assert (r.start.isoformat(), r.end.isoformat()) == (start, end)
    assert any("widened" in e for e in r.errors)


def test_whole_months_and_iso_weeks_are_read_as_given():
    months = DateRange.from_args({"from": "2024-02", "to": "2024-02"}, TODAY)
    assert (months.start, months.end, months.errors) == (date(2024, 2, 1), date(2024, 2, 29), ())
    weeks = DateRange.from_args({"from": "2026-W01", "to": "2026-W02", "by": "week"}, TODAY)
    assert (weeks.start, weeks.end, weeks.errors) == (date(2025, 12, 29), date(2026, 1, 11), ())
    assert weeks.as_form() == {"from": "2026-W01", "to": "2026-W02"}
    assert months.as_form() == {"from": "2024-02", "to": "2024-02"}
    assert DateRange.from_args(months.as_args(), TODAY) == months


@pytest.mark.parametrize(
    ("args", "message"),
    [
        ({"from": "2026-02-30"}, "is not a month"),
        ({"from": "yesterday"}, "is not a month"),
        ({"to": "2026-1-5"}, "is not a month"),
        ({"to": "2026-13"}, "is not a month"),
        ({"to": "2026-W54", "by": "week"}, "is not a month"),
        ({"to": "9999-12-31"}, "is not a month"),  # no whole month after it to widen to
        ({"from": "0001-01-01", "by": "week"}, "is not a month"),
        ({"to": "2026-+3"}, "is not a month"),
        ({"by": "day"}, "week or month"),
        ({"from": "2026-05", "to": "2026-04"}, "swapped"),
        ({"from": "1990-01-01", "to": "2026-01-01"}, "ten years"),
    ],
)
def test_unreadable_range_falls_back_and_says_so(args, message):
    r = DateRange.from_args(args, TODAY)
    assert any(message in e for e in r.errors)
    assert r.start <= r.end


def test_swapped_dates_are_swapped_back():
    r = DateRange.from_args({"from": "2026-05", "to": "2026-04"}, TODAY)
    assert (r.start, r.end) == (date(2026, 4, 1), date(2026, 5, 31))


def test_weeks_start_on_monday_and_months_on_the_first():
    assert period_start(date(2026, 11, 29), Period.WEEK) == date(2026, 11, 23)  # Sunday
    assert period_start(date(2026, 11, 23), Period.WEEK) == date(2026, 11, 23)  # Monday
    assert period_start(date(2026, 11, 29), Period.MONTH) == date(2026, 11, 1)


def test_periods_cover_the_range_across_a_year_end():
    r = DateRange(date(2025, 11, 15), date(2026, 2, 1), Period.MONTH)
    assert periods(r) == [date(2025, 11, 1), date(2025, 12, 1), date(2026, 1, 1), date(2026, 2, 1)]
    weeks = periods(DateRange(date(2026, 11, 29), date(2026, 11, 30), Period.WEEK))
    assert weeks == [date(2026, 11, 23), date(2026, 11, 30)]


def test_working_days_skip_weekends():
    assert working_days_before(date(2026, 11, 30), 1) == date(2026, 11, 27)  # Mon → Fri
    assert working_days_before(date(2026, 11, 27), 5) == date(2026, 11, 20)
    assert working_days_before(date(2026, 11, 27), 0) == date(2026, 11, 27)


# --- suppression ---------------------------------------------------------------------


def counts(*numbers):
    return [(f"k{i}", f"Label {i}", n) for i, n in enumerate(numbers)]


@pytest.mark.parametrize("small", [1, 2, 3, 4])
def test_counts_under_the_threshold_are_never_shown(small):
    cells = suppress(counts(small, 50, 60, 70), EXACT)
    assert cells[0].count is None and cells[0].text == "fewer than 5"
    assert cells[0].plotted == 0
    assert all(str(small) != c.text for c in cells)


def test_the_threshold_itself_and_zero_are_shown():
    cells = suppress(counts(5, 0, 12), EXACT, total_shown=False)
    assert [c.text for c in cells] == ["5", "0", "12"]


def test_one_hidden_cell_with_a_total_hides_the_next_smallest_too():
    # 3 + 8 + 40 = 51: with the total and 8 and 40 shown, 3 could be worked out.
    cells = suppress(counts(3, 8, 40), EXACT)
    assert [c.suppressed for c in cells] == [True, True, False]


def test_two_hidden_cells_need_no_more():
    cells = suppress(counts(3, 2, 40, 9), EXACT)
    assert [c.suppressed for c in cells] == [True, True, False, False]


def test_without_a_total_only_small_cells_are_hidden():
    cells = suppress(counts(3, 8, 40), EXACT, total_shown=False)
    assert [c.suppressed for c in cells] == [True, False, False]


def test_a_configured_threshold_is_used_in_the_text():
    ten = Publishing(threshold=10, base=1)
    cells = suppress(counts(9, 10, 30), ten)
    assert cells[0].text == "fewer than 10"
    assert total_cell("Total", 7, ten).text == "fewer than 10"
    assert total_cell("Total", 1234, ten).text == "1,234"


def test_top_n_sums_the_rest_as_other_before_suppression():
    rows = top_n(counts(1, 50, 2, 30, 2), n=2)
    assert rows == [("k1", "Label 1", 50), ("k3", "Label 3", 30), ("other_rest", "Other", 5)]
    assert [c.text for c in suppress(rows, EXACT)] == ["50", "30", "5"]
    assert top_n(counts(4, 3), n=5) == [("k0", "Label 0", 4), ("k1", "Label 1", 3)]


@pytest.mark.parametrize(
    ("count", "shown"),
    [(0, "0"), (1, "fewer than 5"), (4, "fewer than 5"), (5, "5"), (7, "5"), (8, "10")]
    + [(12, "10"), (13, "15"), (1234, "1,235")],
)
def test_every_published_count_is_rounded_to_a_multiple_of_five(count, shown):
    assert total_cell("Total", count, Publishing()).text == shown
    assert suppress(counts(count, 100, 200), Publishing(), total_shown=False)[0].text == shown


# --- percentiles ---------------------------------------------------------------------


@pytest.mark.parametrize(
    ("a", "b", "n", "rank"),
    [(1, 2, 1, 1), (1, 2, 2, 1), (1, 2, 3, 2), (1, 2, 10, 5), (9, 10, 10, 9), (9, 10, 11, 10)],
)
def test_nearest_rank(a, b, n, rank):
    assert nearest_rank(a, b, n) == rank


def test_percentile_from_hour_counts():
    histogram = [(1, 4), (2, 1), (7, 4), (30, 1)]  # ten requests
    assert percentile_hours(histogram, 1, 2) == 2.0  # the 5th
    assert percentile_hours(histogram, 9, 10) == 7.0  # the 9th
    assert percentile_hours([(3, 1)], 9, 10) == 3.0
    assert percentile_hours([], 1, 2) is None


def test_durations_under_the_threshold_are_hidden():
    few = Duration("Closing", 3, 10.0, 20.0, EXACT)
    assert few.text(few.median_hours) == "fewer than 5 requests"
    enough = Duration("Closing", 5, 10.0, 72.0, EXACT)
    assert enough.text(enough.median_hours) == "10.0 hours"
    assert enough.text(enough.p90_hours) == "3.0 days"
    assert Duration("Closing", 0, None, None, 5).text(None) == "no requests"


# --- dispositions and outcomes -----------------------------------------------------


def test_every_disposition_has_a_label_and_closes_with_one_status():
    assert {d.value for d in Disposition} == {
        "accepted",
        "referred",
        "declined_outside_area",
        "declined_over_income",
        "declined_represented",
        "declined_no_claim",
        "declined_capacity",
        "not_reached",
        "withdrawn",
        "duplicate",
    }
    for d in Disposition:
        assert d.label and d.status in {
            "accepted",
            "referred",
            "declined",
            "withdrawn",
            "could_not_reach",
        }
    assert dispositions_for("accepted") == (Disposition.ACCEPTED,)
    assert dispositions_for("could_not_reach") == (Disposition.NOT_REACHED,)
    assert Disposition.NOT_REACHED not in dispositions_for("declined")
    assert dispositions_for("new") == ()


def test_every_outcome_has_a_label():
    assert [o.value for o in Outcome] == [
        "filed",
        "granted",
        "denied",
        "appealed",
        "transferred",
        "withdrawn",
    ]
    assert all(o.label for o in Outcome)
