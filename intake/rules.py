"""Eligibility and urgency of a request for free asylum legal help.

Pure functions over the screening-form answers (standard library only: no Flask,
no database), so every rule can be tested at the edges of its dates and amounts
and re-run whenever staff open a case. Every outcome carries reasons in plain
English, because staff must see why a request was screened or ranked as it was
before they act on it or override it.

Where the law leaves a choice, the rules take the safe side: a deadline is counted
from the earliest possible day, and a doubtful answer sends the request to a person
("needs review") or up the queue rather than screening it out.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from enum import IntEnum, StrEnum
from functools import cache
from pathlib import Path
from types import MappingProxyType
from typing import Literal, get_args

# --- vocabulary -------------------------------------------------------------


class Screen(StrEnum):
    """Whether the request fits the service; stored, so the values never change."""

    ELIGIBLE = "eligible"
    NEEDS_REVIEW = "needs_review"
    REPRESENTED = "screened_out_represented"
    CAN_PAY = "screened_out_can_pay"


class Urgency(StrEnum):
    """How soon staff must act; stored, so the values never change."""

    CRITICAL = "critical"
    HIGH = "high"
    NORMAL = "normal"

    @property
    def rank(self) -> int:
        """0 for critical, 1 for high, 2 for normal: sort ascending, most urgent first."""
        return URGENCY_RANK[self]


URGENCY_RANK = MappingProxyType({Urgency.CRITICAL: 0, Urgency.HIGH: 1, Urgency.NORMAL: 2})

Tri = Literal["yes", "no", "not_sure"]
TRI_VALUES: tuple[str, ...] = get_args(Tri)


def _l(text: str) -> str:
    """Marks the visitor's wording for pybabel (``-k _l``); the form translates it
    when it renders, so these rules stay free of Flask."""
    return text


# The claim types, defined once: (code stored on a request, the label staff read,
# the visitor's wording on the form).
CLAIMS: tuple[tuple[str, str, str], ...] = (
    ("asylum", "asylum", _l("Asylum")),
    ("withholding", "withholding of removal", _l("Withholding of removal")),
    (
        "cat",
        "protection under the Convention Against Torture",
        _l("Protection under the Convention Against Torture (CAT)"),
    ),
    ("tps", "Temporary Protected Status", _l("Temporary Protected Status (TPS)")),
    (
        "sijs",
        "Special Immigrant Juvenile Status",
        _l("Special Immigrant Juvenile Status (for children)"),
    ),
    ("t_visa", "T visa (trafficking survivor)", _l("T visa (for survivors of trafficking)")),
    ("u_visa", "U visa (crime survivor)", _l("U visa (for survivors of some crimes)")),
    (
        "vawa",
        "VAWA self-petition",
        _l("VAWA self-petition (for survivors of domestic violence)"),
    ),
    ("parole", "humanitarian parole", _l("Humanitarian parole")),
    ("other", "other / not sure", _l("Something else, or I am not sure")),
)
CLAIM_TYPES: tuple[tuple[str, str], ...] = tuple((code, label) for code, label, _ in CLAIMS)
CLAIM_LABELS = MappingProxyType(dict(CLAIM_TYPES))
CLAIM_WORDING: tuple[tuple[str, str], ...] = tuple((code, words) for code, _, words in CLAIMS)

MINOR_EXEMPTION_FLAG = "Under 18: an unaccompanied child is exempt from the one-year deadline"
PAST_HEARING_FLAG = "hearing date passed — check for a removal order in absentia"


# --- inputs -------------------------------------------------------------------


@dataclass(frozen=True)
class Thresholds:
    """Day counts and the income limit, from app configuration, so staff policy can
    change without touching the rules. A count is "within" when days left <= it."""

    critical_hearing_days: int = 14
    high_hearing_days: int = 60
    critical_deadline_days: int = 30
    high_deadline_days: int = 90
    income_limit_percent: int = 200  # at or below this % of the guideline: cannot pay

    def __post_init__(self) -> None:
        # A misconfiguration must fail at start-up, not quietly mis-rank requests.
        if not 0 <= self.critical_hearing_days <= self.high_hearing_days:
            raise ValueError("need 0 <= critical_hearing_days <= high_hearing_days")
        if not 0 <= self.critical_deadline_days <= self.high_deadline_days:
            raise ValueError("need 0 <= critical_deadline_days <= high_deadline_days")
        if self.income_limit_percent <= 0:
            raise ValueError("income_limit_percent must be positive")


DEFAULT_THRESHOLDS = Thresholds()


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


@dataclass(frozen=True)
class Answers:
    """The screening-form answers the rules need, already parsed by the form."""

    represented: Tri
    can_pay: Tri
    household_size: int
    monthly_income_usd: Decimal | None
    state: str  # two-letter USPS code, e.g. "NY", "AK"; "" if not given
    claim_types: frozenset[str]
    detained: bool
    hearing: Tri
    hearing_date: date | None
    last_arrival: PartialDate | None
    i589_filed: Tri
    minor: bool

    def __post_init__(self) -> None:
        # Catch a form/rules mismatch at once instead of misreading an answer.
        for name in ("represented", "can_pay", "hearing", "i589_filed"):
            if getattr(self, name) not in TRI_VALUES:
                raise ValueError(f"{name} must be one of {TRI_VALUES}")
        _check_household_size(self.household_size)
        if self.monthly_income_usd is not None and self.monthly_income_usd < 0:
            raise ValueError("monthly_income_usd must not be negative")
        object.__setattr__(self, "claim_types", frozenset(self.claim_types))
        unknown = self.claim_types - CLAIM_LABELS.keys()
        if unknown:
            raise ValueError(f"unknown claim types: {sorted(unknown)}")


# --- outputs ------------------------------------------------------------------


@dataclass(frozen=True)
class ScreenResult:
    screen: Screen
    reasons: tuple[str, ...]


@dataclass(frozen=True)
class UrgencyResult:
    urgency: Urgency
    reasons: tuple[str, ...]  # most urgent first
    flags: tuple[str, ...]


@dataclass(frozen=True)
class Assessment:
    """Everything staff see about a request's screen and urgency, with the reasons."""

    screen: Screen
    urgency: Urgency
    reasons: tuple[str, ...]  # screen reasons, then urgency reasons, most important first
    income_percent: int | None  # annual income as % of the guideline, rounded down
    guideline_usd: int | None
    guideline_year: int | None
    filing_deadline: date | None  # one-year asylum deadline; None when it does not apply
    deadline_days_left: int | None  # negative when passed
    deadline_passed: bool
    hearing_days_left: int | None  # negative when the date has passed
    flags: tuple[str, ...]


# --- HHS poverty guidelines (data, not code) ----------------------------------

GUIDELINES_PATH = Path(__file__).resolve().parent / "data" / "poverty_guidelines_2026.json"


@dataclass(frozen=True)
class GuidelineRegion:
    name: str
    label: str  # reads after "in", e.g. "Alaska", "the 48 contiguous states and DC"
    states: frozenset[str]
    first_person_usd: int
    each_additional_person_usd: int

    def annual_usd(self, household_size: int) -> int:
        _check_household_size(household_size)
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


# --- income -------------------------------------------------------------------


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


# --- screen -------------------------------------------------------------------


def screen_request(
    answers: Answers,
    thresholds: Thresholds = DEFAULT_THRESHOLDS,
    table: GuidelineTable | None = None,
) -> ScreenResult:
    """Represented, then can pay, screen out; any doubt goes to a person; else eligible.

    Being screened out only changes what the applicant is told: staff still see the
    request and may override the screen.
    """
    if answers.represented == "yes":
        return ScreenResult(Screen.REPRESENTED, ("Has a lawyer or accredited representative now.",))
    if answers.can_pay == "yes":
        return ScreenResult(Screen.CAN_PAY, ("Says they could pay a private immigration lawyer.",))

    doubts = []
    if answers.represented == "not_sure":
        doubts.append("Not sure whether they have a lawyer or accredited representative now.")
    if answers.can_pay == "not_sure":
        doubts.append("Not sure whether they could pay a private immigration lawyer.")
    if not answers.claim_types:
        doubts.append("No protection chosen: check what they are seeking.")
    elif answers.claim_types == {"other"}:
        doubts.append('Chose only "other / not sure" as the protection sought: check what it is.')
    over_limit, income_reason = _income_reason(answers, thresholds.income_limit_percent, table)
    if doubts or over_limit:  # the income sentence comes last, deciding or not
        return ScreenResult(Screen.NEEDS_REVIEW, (*doubts, income_reason))
    fit = (
        "Has no lawyer, says they cannot pay a private lawyer, and seeks "
        f"{_claim_list(answers.claim_types)}."
    )
    return ScreenResult(Screen.ELIGIBLE, (fit, income_reason))


def _income_reason(
    answers: Answers, limit_percent: int, table: GuidelineTable | None
) -> tuple[bool, str]:
    """Whether income is above the limit, and the sentence that says so."""
    if answers.monthly_income_usd is None:
        return False, "Household income not given: relying on their answer about paying."
    table = table or current_guidelines()
    region = table.region_for(answers.state)
    unknown_state = "" if answers.state.strip() else "; state not given"
    guideline = region.annual_usd(answers.household_size)
    annual = annual_income(answers.monthly_income_usd)
    over = above_income_limit(annual, guideline, limit_percent)
    limit_usd = Decimal(guideline * limit_percent) / 100
    # The reasons are stored in plain text: the amount itself (an encrypted
    # answer, shown to staff on the case page) stays out of the sentence.
    sentence = (
        f"Household income is "
        f"{percent_of_guideline(annual, guideline)}% of the {table.year} HHS poverty "
        f"guideline for {_people(answers.household_size)} in {region.label} "
        f"({_usd(guideline)}{unknown_state}), "
        f"{'above' if over else 'within'} the {limit_percent}% limit ({_usd(limit_usd)})"
    )
    if over and answers.can_pay == "no":
        sentence += ", but says they cannot pay"
    return over, sentence + "."


# --- dates --------------------------------------------------------------------


def one_year_deadline(last_arrival: PartialDate) -> date:
    """The one-year asylum filing deadline: the anniversary of the last arrival.

    A 29 February arrival has no anniversary; the deadline is then 28 February, the
    earlier of the two candidate days, so it is never shown later than it may be.
    A month-and-year arrival counts from the first of the month, for the same reason.
    Weekend and holiday extensions are deliberately not applied.
    """
    start = last_arrival.earliest()
    try:
        return start.replace(year=start.year + 1)
    except ValueError:  # 29 February
        return date(start.year + 1, 2, 28)


def deadline_applies(claim_types: frozenset[str], i589_filed: Tri) -> bool:
    """Only asylum has the one-year deadline (not withholding of removal or CAT), and
    it stops mattering once Form I-589 is filed; "not sure" counts as not filed."""
    return "asylum" in claim_types and i589_filed != "yes"


def filing_deadline(answers: Answers) -> date | None:
    if answers.last_arrival is None or not deadline_applies(
        answers.claim_types, answers.i589_filed
    ):
        return None
    return one_year_deadline(answers.last_arrival)


def hearing_days_left(answers: Answers, today: date) -> int | None:
    """Days until the hearing date, negative once passed. A date is used whatever the
    yes/no answer says: ignoring a date someone typed could hide a hearing."""
    return None if answers.hearing_date is None else (answers.hearing_date - today).days


def check_arrival(last_arrival: PartialDate | None, today: date) -> None:
    """The form rejects future arrival dates; reaching here with one is a bug."""
    if last_arrival is not None and last_arrival.earliest() > today:
        raise ValueError("last arrival is in the future")


# --- urgency ------------------------------------------------------------------


class _Topic(IntEnum):
    """Order of reasons at the same urgency: detention outranks everything, and a
    missed hearing (removal order in absentia) outranks the filing deadline."""

    DETENTION = 0
    HEARING = 1
    DEADLINE = 2
    MINOR = 3
    OTHER = 4


@dataclass(frozen=True)
class _Finding:
    urgency: Urgency
    topic: _Topic
    reason: str
    flag: str | None = None


def urgency_for(
    answers: Answers, today: date, thresholds: Thresholds = DEFAULT_THRESHOLDS
) -> UrgencyResult:
    """The most urgent of the findings; reasons most urgent first, then by topic."""
    check_arrival(answers.last_arrival, today)
    findings = [
        *_detention_findings(answers),
        *_hearing_findings(answers, today, thresholds),
        *_deadline_findings(answers, today, thresholds),
        *_minor_findings(answers),
        *_unsure_findings(answers),
    ]
    findings.sort(key=lambda f: (f.urgency.rank, f.topic))
    urgency = findings[0].urgency if findings else Urgency.NORMAL
    reasons = [f.reason for f in findings]
    if urgency is Urgency.NORMAL:
        reasons.insert(
            0,
            "Nothing urgent found: not detained, no court hearing within "
            f"{thresholds.high_hearing_days} days, no known filing deadline within "
            f"{thresholds.high_deadline_days} days, not under 18.",
        )
    flags = tuple(f.flag for f in findings if f.flag)
    return UrgencyResult(urgency, tuple(reasons), flags)


def _detention_findings(answers: Answers) -> list[_Finding]:
    if not answers.detained:
        return []
    return [_Finding(Urgency.CRITICAL, _Topic.DETENTION, "In immigration detention now.")]


def _hearing_findings(answers: Answers, today: date, t: Thresholds) -> list[_Finding]:
    days = hearing_days_left(answers, today)
    if days is None:
        if answers.hearing != "yes":
            return []
        reason = "Has a court hearing scheduled but gave no date: find out the date."
        return [_Finding(Urgency.HIGH, _Topic.HEARING, reason)]
    on = _day(answers.hearing_date)
    if days < 0:
        reason = (
            f"Court hearing date {on}, has passed ({_ago(-days)}): a missed hearing can mean "
            "a removal order in absentia — check at once."
        )
        return [_Finding(Urgency.CRITICAL, _Topic.HEARING, reason, PAST_HEARING_FLAG)]
    urgency, within = _by_days(days, t.critical_hearing_days, t.high_hearing_days)
    reason = f"Immigration court hearing on {on}, {_in_days(days)}{within}."
    return [_Finding(urgency, _Topic.HEARING, reason)]


def _deadline_findings(answers: Answers, today: date, t: Thresholds) -> list[_Finding]:
    if not deadline_applies(answers.claim_types, answers.i589_filed):
        if "asylum" not in answers.claim_types:
            return []
        reason = "Form I-589 already filed: the one-year filing deadline is not counted."
        return [_Finding(Urgency.NORMAL, _Topic.DEADLINE, reason)]
    arrival = answers.last_arrival
    if arrival is None:
        reason = "Arrival date not given: the one-year deadline cannot be worked out."
        return [_Finding(Urgency.NORMAL, _Topic.DEADLINE, reason)]
    deadline = one_year_deadline(arrival)
    days = (deadline - today).days
    basis = (
        f" (only the month and year of arrival were given, so counted from "
        f"{_day(arrival.earliest())}, the earliest possible day)"
        if arrival.month_only
        else ""
    )
    if days < 0:
        reason = (
            f"One-year asylum filing deadline passed on {_day(deadline)}, {_ago(-days)}{basis}: "
            "check the exceptions (changed or extraordinary circumstances)."
        )
        flag = f"deadline passed {_ago(-days)} — check exceptions"
        return [_Finding(Urgency.HIGH, _Topic.DEADLINE, reason, flag)]
    urgency, within = _by_days(days, t.critical_deadline_days, t.high_deadline_days)
    reason = (
        f"One-year asylum filing deadline is {_day(deadline)}, {_in_days(days)}{within}{basis}."
    )
    return [_Finding(urgency, _Topic.DEADLINE, reason)]


def _minor_findings(answers: Answers) -> list[_Finding]:
    if not answers.minor:
        return []
    if deadline_applies(answers.claim_types, answers.i589_filed):
        reason = (
            "The person seeking help is under 18; if unaccompanied, they are exempt from "
            "the one-year filing deadline."
        )
        return [_Finding(Urgency.HIGH, _Topic.MINOR, reason, MINOR_EXEMPTION_FLAG)]
    return [_Finding(Urgency.HIGH, _Topic.MINOR, "The person seeking help is under 18.")]


def _unsure_findings(answers: Answers) -> list[_Finding]:
    findings = []
    if answers.hearing == "not_sure":
        reason = "Not sure whether a court hearing is scheduled: needs checking."
        findings.append(_Finding(Urgency.HIGH, _Topic.OTHER, reason))
    if answers.i589_filed == "not_sure" and "asylum" in answers.claim_types:
        reason = (
            "Not sure whether an asylum application (Form I-589) has been filed: needs "
            "checking, as the one-year deadline may apply."
        )
        findings.append(_Finding(Urgency.HIGH, _Topic.OTHER, reason))
    return findings


def _by_days(days: int, critical_days: int, high_days: int) -> tuple[Urgency, str]:
    """Urgency for a future date, with the "within N days" clause that explains it."""
    if days <= critical_days:
        return Urgency.CRITICAL, f": within {critical_days} days"
    if days <= high_days:
        return Urgency.HIGH, f": within {high_days} days"
    return Urgency.NORMAL, ""


# --- the whole assessment -----------------------------------------------------


def assess(
    answers: Answers,
    today: date,
    thresholds: Thresholds = DEFAULT_THRESHOLDS,
    *,
    table: GuidelineTable | None = None,
) -> Assessment:
    """Screen, income ratio, deadline and urgency of one request, computed on submit.

    Raises ValueError for an arrival date after ``today`` (the form rejects those).
    """
    table = table or current_guidelines()
    screened = screen_request(answers, thresholds, table)
    ranked = urgency_for(answers, today, thresholds)
    deadline = filing_deadline(answers)
    days_left = None if deadline is None else (deadline - today).days
    income = answers.monthly_income_usd
    return Assessment(
        screen=screened.screen,
        urgency=ranked.urgency,
        reasons=screened.reasons + ranked.reasons,
        income_percent=None
        if income is None
        else income_percent(income, answers.household_size, answers.state, table),
        guideline_usd=poverty_guideline(answers.household_size, answers.state, table),
        guideline_year=table.year,
        filing_deadline=deadline,
        deadline_days_left=days_left,
        deadline_passed=days_left is not None and days_left < 0,
        hearing_days_left=hearing_days_left(answers, today),
        flags=ranked.flags,
    )


# --- wording ------------------------------------------------------------------

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


def _day(d: date) -> str:
    """ "March 1, 2026": unambiguous to US staff, and independent of the server locale."""
    return f"{_MONTHS[d.month - 1]} {d.day}, {d.year}"


def _in_days(days: int) -> str:
    return {0: "today", 1: "tomorrow"}.get(days, f"in {days} days")


def _ago(days: int) -> str:
    return "1 day ago" if days == 1 else f"{days} days ago"


def _people(n: int) -> str:
    return "1 person" if n == 1 else f"{n} people"


def _usd(amount: Decimal | int) -> str:
    amount = Decimal(amount)
    return f"${amount:,.0f}" if amount == amount.to_integral_value() else f"${amount:,.2f}"


def _claim_list(codes: frozenset[str]) -> str:
    return ", ".join(label for code, label in CLAIM_TYPES if code in codes)


def _check_household_size(household_size: int) -> None:
    if isinstance(household_size, bool) or household_size < 1:
        raise ValueError("household_size must be at least 1")
