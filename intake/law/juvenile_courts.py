"""How long each state's juvenile courts can make the findings SIJS needs.

SIJS needs an order of a state juvenile court first (INA 101(a)(27)(J)(i);
8 CFR 204.11(c)), and many states' courts lose jurisdiction at 18 although the
federal petition may be filed until 21. The ages, with the source of each, are
data (``data/juvenile_court_ages.json``): the age a person must still be under
for the court to make the findings in a new case. Where no source was found the
age is unknown, and the rules count on the safe side: 18.
"""

import json
from functools import cache
from pathlib import Path

AGES_PATH = Path(__file__).resolve().parent / "data" / "juvenile_court_ages.json"
SAFE_AGE = 18  # no state was found whose courts stop before 18


@cache
def _table() -> dict[str, dict]:
    return {row["state"]: row for row in json.loads(AGES_PATH.read_text(encoding="utf-8"))}


def age_limit(state: str | None) -> int | None:
    """The state's age limit, or None when not known (no state, or no source found)."""
    row = _table().get(state or "")
    return row["age_limit"] if row else None


def counted_age(state: str | None) -> int:
    """The age the rules count to: the state's, or 18 when it is unknown."""
    return age_limit(state) or SAFE_AGE


def source(state: str | None) -> str:
    row = _table().get(state or "")
    if row is None or row["age_limit"] is None:
        return "No source found for this state's juvenile-court age limit: counted as 18."
    return row["source"]
