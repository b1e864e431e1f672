"""Partial dates in intake.law.dates."""

from datetime import date

import pytest

from intake.law.dates import PartialDate


def test_partial_date_rejects_an_impossible_date():
    with pytest.raises(ValueError):
        PartialDate(2025, 2, 30)
    with pytest.raises(ValueError):
        PartialDate(2025, 13)


def test_partial_date_earliest_is_first_of_month_when_day_unknown():
    assert PartialDate(2025, 4).earliest() == date(2025, 4, 1)
    assert PartialDate(2025, 4, 17).earliest() == date(2025, 4, 17)
