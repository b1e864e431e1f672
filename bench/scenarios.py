"""Check intake.law against the table of legal scenarios in legal_scenarios.toml.

python -m bench.scenarios [TABLE]   # one line per scenario; exits 1 on any mismatch

The table is written from the sources (INA, CFR, BIA, USCIS), dates counted by
hand, so it checks the rules from outside the test suite; the suite also runs
this command (tests/test_legal_scenarios.py) so it cannot rot.
"""

import sys
import tomllib
from dataclasses import fields
from datetime import date, datetime
from pathlib import Path
from zoneinfo import ZoneInfo

from intake.law.dates import PartialDate
from intake.law.deadlines import deadlines
from intake.law.facts import Facts
from intake.law.flags import flags
from intake.law.relief import possible_relief
from intake.law.screen import Means, screen_request
from intake.law.urgency import urgency
from intake.law.working_days import office_date

TABLE = Path(__file__).resolve().parent / "legal_scenarios.toml"
PARTIAL_DATES = {
    "date_of_birth",
    "last_arrival",
    "decision_date",
    "status_start",
    "status_end",
    "board_decision_date",
}
FULL_DATES = {
    "hearing_date",
    "fear_interview_date",
    "appointment_date",
    "fear_result_date",
    "voluntary_departure_date",
}
OFFICE_ZONE = "America/New_York"  # the app's default OFFICE_TIMEZONE
FACT_NAMES = {f.name for f in fields(Facts)}
EXPECTATIONS = {
    "band",
    "deadlines",
    "latest",
    "computed",
    "reason",
    "no_flag",
    "flag",
    "relief",
    "screen",
    "answers",
}
KNOWN_KEYS = {"name", "source", "today", "now", "zone", "facts"} | EXPECTATIONS


def _partial(text: str) -> PartialDate:
    parts = [int(p) for p in text.split("-")]
    return PartialDate(parts[0], parts[1], parts[2] if len(parts) > 2 else None)


def facts_of(raw: dict) -> Facts:
    unknown = raw.keys() - FACT_NAMES
    if unknown:
        raise ValueError(f"unknown facts: {sorted(unknown)}")
    values = {}
    for name, value in raw.items():
        if name in PARTIAL_DATES:
            value = _partial(value)
        elif name in FULL_DATES:
            value = date.fromisoformat(value)
        elif name == "claim_types":
            value = frozenset(value)
        values[name] = value
    return Facts(**values)


def today_of(scenario: dict) -> date:
    """``today``, or the office's date at the moment ``now`` (a UTC time): the day
    the office reads a request is its own, not UTC's."""
    if "now" not in scenario:
        return scenario["today"]
    now: datetime = scenario["now"]
    return office_date(now.replace(tzinfo=None), ZoneInfo(scenario.get("zone", OFFICE_ZONE)))


def means_for(overrides: dict) -> Means:
    """The screen's other answers: no lawyer, cannot pay, unless the scenario says."""
    values = {
        "represented": "no",
        "can_pay": "no",
        "household_size": 1,
        "monthly_income_usd": None,
        "state": "NY",
    }
    return Means(**{**values, **overrides})


def check(scenario: dict) -> list[str]:
    """What the rules say differently from the scenario (empty: it agrees)."""
    unknown = scenario.keys() - KNOWN_KEYS
    if unknown:
        return [f"unknown keys {sorted(unknown)}"]
    today, facts = today_of(scenario), facts_of(scenario.get("facts", {}))
    problems = []
    band, reasons = urgency(facts, today)
    if "band" in scenario and band.value != scenario["band"]:
        problems.append(f"band {band.value}, expected {scenario['band']}")
    if "deadlines" in scenario:
        found = {d.kind: d.due for d in deadlines(facts, today)}
        if found != scenario["deadlines"]:
            problems.append(f"deadlines {found}, expected {scenario['deadlines']}")
    for key in ("latest", "computed"):
        if key in scenario:
            found = {d.kind: getattr(d, key) for d in deadlines(facts, today)}
            found = {k: v for k, v in found.items() if k in scenario[key]}
            if found != scenario[key]:
                problems.append(f"{key} {found}, expected {scenario[key]}")
    if "reason" in scenario and not any(scenario["reason"] in r.text for r in reasons):
        problems.append(f"no reason with {scenario['reason']!r}: {[r.text for r in reasons]}")
    flagged = [f.text for f in flags(facts, today)]
    if "flag" in scenario and not any(scenario["flag"] in text for text in flagged):
        problems.append(f"no flag with {scenario['flag']!r}: {flagged}")
    if "no_flag" in scenario and any(scenario["no_flag"] in text for text in flagged):
        problems.append(f"a flag with {scenario['no_flag']!r}: {flagged}")
    if "relief" in scenario:
        relief = {r.relief for r in possible_relief(facts)}
        if relief != set(scenario["relief"]):
            problems.append(f"relief {sorted(relief)}, expected {sorted(scenario['relief'])}")
    if "screen" in scenario:
        means = means_for(scenario.get("answers", {}))
        screen = screen_request(facts, means).screen.value
        if screen != scenario["screen"]:
            problems.append(f"screen {screen}, expected {scenario['screen']}")
    if not EXPECTATIONS & scenario.keys():
        problems.append("expects nothing")
    return problems


def main(argv: list[str] | None = None) -> int:
    argv = sys.argv[1:] if argv is None else argv
    path = Path(argv[0]) if argv else TABLE
    scenarios = tomllib.loads(path.read_text(encoding="utf-8"))["scenario"]
    failed = 0
    for scenario in scenarios:
        try:
            problems = check(scenario)
        except (KeyError, TypeError, ValueError) as exc:
            problems = [f"cannot read: {exc!r}"]
        failed += bool(problems)
        status = "FAIL" if problems else "ok  "
        print(f"{status} {scenario.get('name', '?')}  [{scenario.get('source', 'no source')}]")
        for problem in problems:
            print(f"       {problem}")
    print(f"{len(scenarios) - failed} passed, {failed} failed")
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
