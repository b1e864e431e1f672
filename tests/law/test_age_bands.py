"""Age bands at submission (intake.law.age_bands), at each band's edge."""

from datetime import date

import pytest

from intake.law import age_bands
from intake.law.dates import PartialDate

ON = date(2026, 6, 15)


@pytest.mark.parametrize(
    ("born", "band"),
    [
        (PartialDate(2012, 6, 16), "under_14"),  # 14 tomorrow
        (PartialDate(2012, 6, 15), "14_17"),  # 14 today
        (PartialDate(2008, 6, 16), "14_17"),  # 18 tomorrow: still a child
        (PartialDate(2008, 6, 15), "18_20"),  # 18 today
        (PartialDate(2005, 6, 16), "18_20"),  # 21 tomorrow: can still file for SIJS
        (PartialDate(2005, 6, 15), "21_64"),  # 21 today
        (PartialDate(1961, 6, 16), "21_64"),
        (PartialDate(1961, 6, 15), "65_plus"),
        (PartialDate(2026, 6, 15), "under_14"),  # born today
    ],
)
def test_each_band_starts_on_the_birthday(born, band):
    assert age_bands.band(born, ON) == band


def test_a_month_only_date_reads_as_the_younger_age():
    # June 2008: 18 on 15 June if born by then, but perhaps born on 30 June.
    assert age_bands.band(PartialDate(2008, 6, None), ON) == "14_17"
    assert age_bands.band(PartialDate(2008, 6, None), date(2026, 6, 30)) == "18_20"
    assert age_bands.band(PartialDate(2008, 12, None), date(2026, 12, 31)) == "18_20"


def test_29_february_birthday_comes_on_1_march():
    born = PartialDate(2008, 2, 29)
    assert age_bands.band(born, date(2026, 2, 28)) == "14_17"
    assert age_bands.band(born, date(2026, 3, 1)) == "18_20"


def test_no_date_or_a_future_one_has_no_band():
    assert age_bands.band(None, ON) is None
    assert age_bands.band(PartialDate(2026, 6, 16), ON) is None
    assert age_bands.label(None) == "Not given"
    assert age_bands.label("18_20") == "18 to 20"


@pytest.mark.parametrize(
    ("birth", "minor"),
    [
        (PartialDate(2008, 5, 1), False),  # 18 today
        (PartialDate(2008, 5, 2), True),  # 18 tomorrow
        (PartialDate(2008, 5), True),  # may be born on 31 May: still a child
        (PartialDate(2008, 4), False),
        (None, False),
    ],
)
def test_under_18_takes_the_latest_reading(birth, minor):
    assert age_bands.under_18(birth, date(2026, 5, 1)) is minor
