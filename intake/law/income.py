"""Household income against the HHS poverty guidelines.

The guideline figures are data (``data/poverty_guidelines_<year>.json``), so next
year's table is a data change, not a code change.
"""

import json
from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from functools import cache
from pathlib import Path

GUIDELINES_PATH = Path(__file__).resolve().parent / "data" / "poverty_guidelines_2026.json"


@dataclass(frozen=True)
class GuidelineRegion:
    name: str
    label: str  # reads after "in", e.g. "Alaska", "the 48 contiguous states and DC"
    states: frozenset[str]
    first_person_usd: int
    each_additional_person_usd: int

    def annual_usd(self, household_size: int) -> int:
        check_household_size(household_size)
        return self.first_person_usd + (household_size - 1) * self.each_additional_person_usd


@dataclass(frozen=True)
class GuidelineTable:
    year: int
    effective: date
    source: str
    url: str
    regions: tuple[GuidelineRegion, ...]
    default_region: str

    def region_for(self, state: str) -> GuidelineRegion:
        """The region listing the state; otherwise the default (the 48 contiguous
        states and DC), which also covers an unknown state: it is the lowest figure,
        so doubt pushes a request towards review rather than towards "eligible"."""
        code = state.strip().upper()
        for region in self.regions:
            if code in region.states:
                return region
        return next(r for r in self.regions if r.name == self.default_region)


def load_guidelines(path: Path = GUIDELINES_PATH) -> GuidelineTable:
    """Read a guideline table from JSON, so next year's figures are a data change."""
    raw = json.loads(path.read_text(encoding="utf-8"))
    regions = tuple(
        GuidelineRegion(
            name=r["name"],
            label=r["label"],
            states=frozenset(s.upper() for s in r["states"]),
            first_person_usd=int(r["first_person_usd"]),
            each_additional_person_usd=int(r["each_additional_person_usd"]),
        )
        for r in raw["regions"]
    )
    if raw["default_region"] not in {r.name for r in regions}:
        raise ValueError(f"{path}: default_region is not one of the regions")
    if any(r.first_person_usd <= 0 or r.each_additional_person_usd < 0 for r in regions):
        raise ValueError(f"{path}: guideline amounts must be positive")
    return GuidelineTable(
        year=int(raw["year"]),
        effective=date.fromisoformat(raw["effective"]),
        source=raw["source"],
        url=raw["url"],
        regions=regions,
        default_region=raw["default_region"],
    )


@cache
def current_guidelines() -> GuidelineTable:
    """The bundled table, read once per process."""
    return load_guidelines()


def poverty_guideline(household_size: int, state: str, table: GuidelineTable | None = None) -> int:
    """Annual HHS poverty guideline in USD for a household of this size in this state."""
    return (table or current_guidelines()).region_for(state).annual_usd(household_size)


def annual_income(monthly_income: Decimal) -> Decimal:
    return Decimal(monthly_income) * 12


def percent_of_guideline(annual_income_usd: Decimal, guideline_usd: int) -> int:
    """Rounded down, for display: 200.04% shows as 200%. Limits are checked on the
    exact amounts (`above_income_limit`), so rounding never decides a screen."""
    return int(Decimal(annual_income_usd) * 100 // guideline_usd)


def income_percent(
    monthly_income: Decimal, household_size: int, state: str, table: GuidelineTable | None = None
) -> int:
    """Annualised income as a percentage of the guideline, rounded down."""
    guideline = poverty_guideline(household_size, state, table)
    return percent_of_guideline(annual_income(monthly_income), guideline)


def above_income_limit(annual_income_usd: Decimal, guideline_usd: int, limit_percent: int) -> bool:
    """True when income is over the limit by any amount, even a cent: "at or below
    the limit" is the rule, and a rounded percentage would hide the difference."""
    return Decimal(annual_income_usd) * 100 > guideline_usd * limit_percent


def check_household_size(household_size: int) -> None:
    if isinstance(household_size, bool) or household_size < 1:
        raise ValueError("household_size must be at least 1")
