"""HHS poverty guidelines and income arithmetic in intake.law.income, at the line."""

from datetime import date
from decimal import Decimal

import pytest

from intake.law.income import (
    above_income_limit,
    current_guidelines,
    income_percent,
    percent_of_guideline,
    poverty_guideline,
)

# Annual 2026 guidelines worked out by hand: 15,960 + 5,680 per further person in
# the 48 states and DC; Alaska 19,950 + 7,100; Hawaii 18,360 + 6,530.
GUIDELINE = {
    ("NY", 1): 15960,
    ("NY", 4): 33000,
    ("NY", 9): 61400,
    ("AK", 1): 19950,
    ("AK", 4): 41250,
    ("AK", 9): 76750,
    ("HI", 1): 18360,
    ("HI", 4): 37950,
    ("HI", 9): 70600,
}


def test_guideline_table_is_2026_data_with_its_source():
    table = current_guidelines()
    assert table.year == 2026
    assert table.effective == date(2026, 1, 13)
    assert table.source == "HHS Poverty Guidelines, Federal Register, effective 2026-01-13"
    assert table.url == "https://aspe.hhs.gov/topics/poverty-economic-mobility/poverty-guidelines"


@pytest.mark.parametrize(("state", "size"), GUIDELINE)
def test_poverty_guideline(state, size):
    assert poverty_guideline(size, state) == GUIDELINE[state, size]


@pytest.mark.parametrize("state", ["DC", "CA", "", "PR", "ny"])
def test_everywhere_but_alaska_and_hawaii_uses_the_48_state_figures(state):
    assert poverty_guideline(4, state) == 33000


def test_state_code_case_does_not_matter():
    assert poverty_guideline(1, "ak") == 19950
    assert poverty_guideline(1, " hi ") == 18360


def test_household_size_below_one_is_an_error():
    with pytest.raises(ValueError):
        poverty_guideline(0, "NY")


@pytest.mark.parametrize(("state", "size"), GUIDELINE)
@pytest.mark.parametrize("percent", [100, 200])
def test_income_at_and_one_dollar_around_the_line(state, size, percent):
    guideline = GUIDELINE[state, size]
    at = Decimal(guideline * percent // 100)
    assert percent_of_guideline(at, guideline) == percent
    assert percent_of_guideline(at - 1, guideline) == percent - 1
    assert percent_of_guideline(at + 1, guideline) == percent  # rounded down
    assert not above_income_limit(at, guideline, percent)
    assert above_income_limit(at + 1, guideline, percent)


def test_income_percent_from_monthly_income():
    assert income_percent(Decimal("2750"), 4, "NY") == 100  # 33,000 a year
    assert income_percent(Decimal("0"), 4, "NY") == 0
