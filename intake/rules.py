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
from calendar import monthrange
from dataclasses import dataclass
from datetime import date, timedelta
from decimal import Decimal
from enum import StrEnum
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
    # Issue 14: a deadline passed at most this many days ago still ranks high; one
    # passed longer ago becomes a flag ("exception needed") instead of flooding the queue.
    passed_deadline_grace_days: int = 30
    # SIJS is critical this many days before the 21st birthday. Generous on purpose:
    # the petition needs a state-court order first, which takes months (8 CFR 204.11(c)).
    sijs_critical_days: int = 180
    # Flag "turning 18" this many days ahead: many state juvenile courts lose
    # jurisdiction at 18, and the SIJS order must come from one.
    turning_18_flag_days: int = 365

    def __post_init__(self) -> None:
        # A misconfiguration must fail at start-up, not quietly mis-rank requests.
        if not 0 <= self.critical_hearing_days <= self.high_hearing_days:
            raise ValueError("need 0 <= critical_hearing_days <= high_hearing_days")
        if not 0 <= self.critical_deadline_days <= self.high_deadline_days:
            raise ValueError("need 0 <= critical_deadline_days <= high_deadline_days")
        if self.income_limit_percent <= 0:
            raise ValueError("income_limit_percent must be positive")
        for name in ("passed_deadline_grace_days", "sijs_critical_days", "turning_18_flag_days"):
            if getattr(self, name) < 0:
                raise ValueError(f"{name} must not be negative")


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

    def latest(self) -> date:
        """The last possible day: used where the later reading is the one that keeps a
        person in front of staff longer (e.g. "may still be under 18")."""
        return date(self.year, self.month, self.day or monthrange(self.year, self.month)[1])


@dataclass(frozen=True)
class Means:
    """Whether the person has, or could pay for, a lawyer: the form's answers the
    screen reads besides the facts."""

    represented: Tri
    can_pay: Tri
    household_size: int
    monthly_income_usd: Decimal | None
    state: str  # two-letter USPS code, e.g. "NY", "AK"; "" if not given

    def __post_init__(self) -> None:
        # Catch a form/rules mismatch at once instead of misreading an answer.
        for name in ("represented", "can_pay"):
            _check_choice(name, getattr(self, name), TRI_VALUES)
        _check_household_size(self.household_size)
        if self.monthly_income_usd is not None and self.monthly_income_usd < 0:
            raise ValueError("monthly_income_usd must not be negative")


# --- outputs ------------------------------------------------------------------


@dataclass(frozen=True)
class ScreenResult:
    screen: Screen
    reasons: tuple[str, ...]
    income_percent: int | None  # annual income as % of the guideline, rounded down
    guideline_year: int


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
    facts: Facts,
    means: Means,
    thresholds: Thresholds = DEFAULT_THRESHOLDS,
    table: GuidelineTable | None = None,
) -> ScreenResult:
    """Represented, then can pay, screen out; any doubt goes to a person; else eligible.

    A protection claim is seen from the facts (fear and harm, through
    ``possible_relief``: the law turns on facts, and a layperson cannot be expected
    to name the legal category); the optional "if you know" checklist is further
    evidence. Only when neither shows any ground is it a doubt for a person.
    Being screened out only changes what the applicant is told: staff still see the
    request and may override the screen.
    """
    table = table or current_guidelines()
    income = means.monthly_income_usd
    figures = {
        "income_percent": None
        if income is None
        else income_percent(income, means.household_size, means.state, table),
        "guideline_year": table.year,
    }
    if means.represented == "yes":
        reason = "Has a lawyer or accredited representative now."
        return ScreenResult(Screen.REPRESENTED, (reason,), **figures)
    if means.can_pay == "yes":
        reason = "Says they could pay a private immigration lawyer."
        return ScreenResult(Screen.CAN_PAY, (reason,), **figures)

    shown, relief = protection_grounds(facts)
    doubts = []
    if means.represented == "not_sure":
        doubts.append("Not sure whether they have a lawyer or accredited representative now.")
    if means.can_pay == "not_sure":
        doubts.append("Not sure whether they could pay a private immigration lawyer.")
    if not shown and not facts.claim_types:
        doubts.append(
            "No fear or harm described and no protection chosen: check what they are seeking."
        )
    elif not shown and facts.claim_types == {"other"}:
        doubts.append('Chose only "other / not sure" as the protection sought: check what it is.')
    over_limit, income_reason = _income_reason(means, thresholds.income_limit_percent, table)
    if doubts or over_limit:  # the income sentence comes last, deciding or not
        return ScreenResult(Screen.NEEDS_REVIEW, (*doubts, income_reason), **figures)
    grounds = []
    if shown:
        grounds.append(
            f"the facts show {', '.join(HARM_FACTS[f] for f in shown)} "
            f"(possibly {_claim_list(relief)})"
        )
    if facts.claim_types:
        grounds.append(f"seeks {_claim_list(facts.claim_types)}")
    fit = f"Has no lawyer, says they cannot pay a private lawyer, and {'; '.join(grounds)}."
    return ScreenResult(Screen.ELIGIBLE, (fit, income_reason), **figures)


def protection_grounds(facts: Facts) -> tuple[tuple[str, ...], frozenset[str]]:
    """The fear and harm facts that point to a form of relief, and those forms:
    ``possible_relief`` read for the reliefs resting on a fact, so the screen and
    the case page's "possibly" list never disagree. The checklist is not a ground."""
    found = [r for r in possible_relief(facts) if r.grounds]
    shown = tuple(f for f in HARM_FACTS if any(f in r.grounds for r in found))
    return shown, frozenset(r.relief for r in found)


def _income_reason(means: Means, limit_percent: int, table: GuidelineTable) -> tuple[bool, str]:
    """Whether income is above the limit, and the sentence that says so."""
    if means.monthly_income_usd is None:
        return False, "Household income not given: relying on their answer about paying."
    region = table.region_for(means.state)
    unknown_state = "" if means.state.strip() else "; state not given"
    guideline = region.annual_usd(means.household_size)
    annual = annual_income(means.monthly_income_usd)
    over = above_income_limit(annual, guideline, limit_percent)
    limit_usd = Decimal(guideline * limit_percent) / 100
    # The reasons are stored in plain text: the amount itself (an encrypted
    # answer, shown to staff on the case page) stays out of the sentence.
    sentence = (
        f"Household income is "
        f"{percent_of_guideline(annual, guideline)}% of the {table.year} HHS poverty "
        f"guideline for {_people(means.household_size)} in {region.label} "
        f"({_usd(guideline)}{unknown_state}), "
        f"{'above' if over else 'within'} the {limit_percent}% limit ({_usd(limit_usd)})"
    )
    if over and means.can_pay == "no":
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


# =============================================================================
# Issue 14: the facts the law turns on, every deadline it sets, and urgency that
# is right on every day without re-running anything.
#
# Each rule below turns `Facts` into *windows*: spans of days during which the
# rule ranks a request critical or high. Urgency on a day is the most urgent
# window covering it, so the whole future of a request is known at submission:
# `escalation_dates` lists the days its band changes, and the app can store them
# and compare with today's date when the queue is read (no job, no decryption).
#
# Dates and the safe side (the law leaves these choices; each takes the reading
# that puts a person in front of staff sooner):
# - A date given as month and year only is read as the 1st of the month for a
#   deadline (it can only come too early) and as the last day of the month for
#   "may still be under 18 / under 21" (a person who may still be a child is
#   treated as one).
# - A deadline falling on a weekend or legal holiday is shown on that day, not
#   on the next business day that 8 CFR 1003.38(b) and 8 CFR 1208.4(a)(2)(ii)
#   would allow (see also Monsalvo Velazquez v. Bondi, 604 U.S. ___ (2025), on
#   the immigration meaning of "days"): staff act on the earlier day.
# - "Not sure" counts as the answer that keeps a deadline running.
#
# The one-year deadline as USCIS counts it, checked for issue 14. The Affirmative
# Asylum Procedures Manual (May 2016) could be found only as its table of
# contents, not its text on the rule; what USCIS tells asylum officers was found
# in its RAIO Asylum Division training lesson "One-Year Filing Deadline" (May 6,
# 2013, at 5-6, as a practitioner's summary quotes it) and in 8 CFR 208.4:
# - The day of last arrival is "day zero"; the last day to file is its
#   anniversary (Minasyan v. Mukasey, 553 F.3d 1224 (9th Cir. 2009), which
#   rejected the reading that ended the year the day before). `one_year_deadline`
#   returns the anniversary; on the anniversary the request is critical ("due
#   today"), the day after it has passed.
# - A last day on a Saturday, Sunday or legal holiday runs to the next business
#   day (8 CFR 208.4(a)(2)(ii), 1208.4(a)(2)(ii), in line with the definition of
#   "day" in 8 CFR 1.1(h), now 1.2: final rule, 65 FR 76121 (2000)); shown on the
#   earlier day all the same (above).
# - Maintained status (8 CFR 208.4(a)(5)(iv)): filing within a "reasonable
#   period" after status ends. Its length is decided case by case (Matter of
#   T-M-H- & S-W-C-), so the outer limit shown is six months after the end and
#   the request is high from the day status ends, not only 90 days before that
#   limit: a shorter period may be the reasonable one.
# =============================================================================

Asker = Literal["self", "family", "detained_person", "organisation"]
ASKER_VALUES: tuple[str, ...] = get_args(Asker)
StatusKind = Literal["tps", "parole", "visa", "daca", "none"]
STATUS_KINDS: tuple[str, ...] = get_args(StatusKind)
# 8 CFR 208.4(a)(5)(iv) names TPS, lawful immigrant or nonimmigrant status and
# parole; deferred action (DACA) is not among them.
MAINTAINED_STATUS_KINDS = frozenset({"tps", "parole", "visa"})
# Fear and harm as facts (issue 14), in the plain words staff read; the form asks
# them in the applicant's words, and ``possible_relief`` maps them to relief.
HARM_FACTS = MappingProxyType(
    {
        "afraid_to_return": "afraid to return",
        "harmed_or_threatened": "harmed or threatened there",
        "crime_victim_in_us": "victim of a crime in the US",
        "forced_labour_or_sex": "made to work or do sex work by force, fraud or coercion",
        "hurt_by_citizen_or_resident_family": "hurt by a US citizen or LPR spouse or parent",
        "abused_by_parent_under_21": "under 21, abused, abandoned or neglected by a parent",
    }
)


@dataclass(frozen=True)
class Facts:
    """What the issue-14 form asks, already parsed. Defaults describe a person who
    answered "no" to everything, so a test states only the facts it is about."""

    asking_for: Asker = "self"
    date_of_birth: PartialDate | None = None
    came_as_unaccompanied_child: bool = False  # came to the US as a child without parent/guardian
    in_us: bool = True
    last_arrival: PartialDate | None = None
    detained: bool = False
    hearing: Tri = "no"
    hearing_date: date | None = None
    judge_decided: Tri = "no"  # an immigration judge decided the case or ordered removal
    decision_date: PartialDate | None = None
    in_absentia: Tri = "no"  # ordered because they missed a hearing
    appeal_filed: Tri = "no"
    removed_before_and_returned: Tri = "no"
    fear_interview_scheduled: bool = False  # credible- or reasonable-fear interview
    fear_interview_date: date | None = None
    appointment_date: date | None = None  # asylum-office interview or ICE check-in
    status_kind: StatusKind = "none"
    status_end: PartialDate | None = None
    i589_filed: Tri = "no"
    afraid_to_return: bool = False
    harmed_or_threatened: bool = False
    crime_victim_in_us: bool = False
    forced_labour_or_sex: bool = False
    hurt_by_citizen_or_resident_family: bool = False  # US citizen or LPR spouse or parent
    abused_by_parent_under_21: bool = False  # under 21 and abused, abandoned or neglected
    claim_types: frozenset[str] = frozenset()  # the optional "if you know" checklist

    def __post_init__(self) -> None:
        # A form/rules mismatch must fail loudly, never be read as some other answer.
        tri = ("hearing", "judge_decided", "in_absentia", "appeal_filed", "i589_filed")
        for name in (*tri, "removed_before_and_returned"):
            _check_choice(name, getattr(self, name), TRI_VALUES)
        _check_choice("asking_for", self.asking_for, ASKER_VALUES)
        _check_choice("status_kind", self.status_kind, STATUS_KINDS)
        object.__setattr__(self, "claim_types", frozenset(self.claim_types))
        unknown = self.claim_types - CLAIM_LABELS.keys()
        if unknown:
            raise ValueError(f"unknown claim types: {sorted(unknown)}")

    @property
    def fears_return(self) -> bool:
        """Fear as facts, or any protection claim ticked: a layperson cannot be expected
        to pick the legal category, and one form (I-589) covers all three."""
        protection = {"asylum", "withholding", "cat"}
        return (
            self.afraid_to_return
            or self.harmed_or_threatened
            or bool(self.claim_types & protection)
        )


def _check_choice(name: str, value: str, allowed: tuple[str, ...]) -> None:
    if value not in allowed:
        raise ValueError(f"{name} must be one of {allowed}")


@dataclass(frozen=True)
class Deadline:
    kind: str  # stable code, e.g. "bia_appeal"; never reworded
    due: date  # the last day, on the safe (earlier) reading
    label: str
    source: str
    note: str = ""


@dataclass(frozen=True)
class Flag:
    text: str
    source: str


@dataclass(frozen=True)
class Reason:
    text: str
    source: str


@dataclass(frozen=True)
class Relief:
    relief: str
    reason: str
    source: str
    # The fear and harm facts (keys of HARM_FACTS) it rests on; empty when it rests
    # on status or place alone (TPS, parole) or only on the checklist.
    grounds: tuple[str, ...] = ()


# --- sources (quoted where the rules rely on the wording) -----------------------

SRC_ONE_YEAR = (
    "INA 208(a)(2)(B); 8 CFR 208.4(a)(2)(ii), 1208.4(a)(2)(ii) "
    "(1 year from the date of last arrival)"
)
SRC_UAC = (
    "INA 208(a)(2)(E) (the one-year limit does not apply to an unaccompanied alien child); "
    "6 U.S.C. 279(g)(2) (definition: under 18, no lawful status, no parent or legal guardian "
    "in the US available to care for them)"
)
SRC_MAINTAINED = (
    "8 CFR 208.4(a)(5)(iv) (maintained TPS, lawful status or parole until a reasonable period "
    "before filing); Matter of T-M-H- & S-W-C-, 25 I&N Dec. 193 (BIA 2010) (reasonable period)"
)
SRC_EXCEPTIONS = (
    "INA 208(a)(2)(D); 8 CFR 208.4(a)(4) (changed) and (a)(5) (extraordinary circumstances)"
)
SRC_BIA_APPEAL = (
    "8 CFR 1003.38(b) (30 calendar days after an oral decision or the mailing of a written one); "
    "Matter of Morales-Morales, 28 I&N Dec. 714 (BIA 2023) (a claim-processing rule: "
    "late appeals only by equitable tolling)"
)
SRC_REOPEN_90 = "INA 240(c)(7)(C)(i); 8 CFR 1003.23(b)(1) (within 90 days of a final order)"
SRC_IN_ABSENTIA = (
    "INA 240(b)(5)(C)(i) (180 days, exceptional circumstances), (C)(ii) (any time: no notice, "
    "or in federal or state custody); 8 CFR 1003.23(b)(4)(ii)"
)
SRC_FINAL_ORDER = (
    "organisation policy (issue 14): a removal order with no appeal pending is never below high"
)
SRC_PETITION_FOR_REVIEW = "INA 242(b)(1) (petition for review within 30 days of the final order)"
SRC_REINSTATEMENT = (
    "INA 241(a)(5) (prior order reinstated, no relief under the Act); 8 CFR 208.31, 1208.31(e) "
    "(reasonable-fear interview; withholding of removal only)"
)
SRC_FEAR_INTERVIEW = (
    "8 CFR 208.30 (credible fear, expedited removal); 8 CFR 208.31(b) "
    "(reasonable fear: decided within 10 days of referral)"
)
SRC_MISSED_HEARING = "INA 240(b)(5)(A) (removal ordered in absentia when a person does not appear)"
SRC_HEARING = "organisation policy (PRODUCT.md): hearing within 14 days critical, 60 days high"
SRC_APPOINTMENT = (
    "8 CFR 208.10 (missing an asylum interview); ICE check-in: organisation policy (issue 14)"
)
SRC_DETENTION = "organisation policy (PRODUCT.md): detention is critical"
SRC_MINOR = "organisation policy (PRODUCT.md): a person under 18 ranks high"
SRC_SIJS = (
    "INA 101(a)(27)(J); 8 CFR 204.11(b) (under 21 at the time of filing); Special Immigrant "
    "Juvenile Petitions final rule, 87 FR 13066 (2022) (no denial for age once filed before 21)"
)
SRC_STATE_COURT = (
    "8 CFR 204.11(c) (a juvenile-court order is required); state law decides how long the "
    "court keeps jurisdiction"
)
SRC_PAROLE = (
    "INA 212(d)(5)(A) (parole for urgent humanitarian reasons); "
    "INA 208(a)(1) (asylum only in the US)"
)


# --- date arithmetic on the safe side ------------------------------------------


def _add_years(day: date, years: int, *, late: bool = False) -> date:
    """The anniversary; 29 February becomes 28 February (the earlier reading), or
    1 March where the later reading is the safe one (``late``)."""
    try:
        return day.replace(year=day.year + years)
    except ValueError:
        return date(day.year + years, 3, 1) if late else date(day.year + years, 2, 28)


def _add_months(day: date, months: int) -> date:
    """Calendar months, clamped to the month's last day (31 August + 6 = 28/29 February)."""
    index = day.month - 1 + months
    year, month = day.year + index // 12, index % 12 + 1
    return date(year, month, min(day.day, monthrange(year, month)[1]))


# --- deadlines ------------------------------------------------------------------

# "April 1, 1997, whichever is later" (8 CFR 208.4(a)(2)(ii)).
ONE_YEAR_RULE_START = date(1997, 4, 1)


def one_year_asylum_deadline(facts: Facts) -> Deadline | None:
    """One year from the last arrival whenever the person fears return, whatever they
    ticked; moved by maintained status (8 CFR 208.4(a)(5)(iv)). None when it does not
    apply: abroad, I-589 filed, arrival unknown, or an unaccompanied child (a flag)."""
    if not (facts.in_us and facts.fears_return) or facts.i589_filed == "yes":
        return None
    if facts.last_arrival is None or facts.came_as_unaccompanied_child:
        return None
    anniversary = one_year_deadline(facts.last_arrival)
    due = max(anniversary, _add_years(ONE_YEAR_RULE_START, 1))
    note = "Withholding of removal and CAT have no filing deadline (8 CFR 208.4(a))."
    note += _month_only_note(facts.last_arrival, "arrival")
    status_end = _maintained_status_end(facts)
    if status_end is not None and status_end >= due:
        # Status lasted past the anniversary: file within a reasonable period after
        # it ends. No fixed period in the rule; T-M-H- reads "reasonable period" with
        # the rule's supplementary information (65 FR 76121 (2000)), and six months is
        # the most practice allows (issue 14). The outer limit is the due date shown;
        # its thresholds rank it high 90 days ahead, so staff see it well before.
        due = _add_months(status_end, 6)
        note = (
            f"Counted from the end of {facts.status_kind.upper()} on {_day(status_end)}: "
            "a reasonable period after status ends, six months at most. "
            + note
            + _month_only_note(facts.status_end, "the end of status")
        )
        return Deadline("one_year", due, "One-year asylum filing deadline", SRC_MAINTAINED, note)
    return Deadline("one_year", due, "One-year asylum filing deadline", SRC_ONE_YEAR, note)


def _month_only_note(when: PartialDate, what: str) -> str:
    if not when.month_only:
        return ""
    return f" Only the month and year of {what} were given: counted from the 1st."


def _maintained_status_end(facts: Facts) -> date | None:
    """The end of a status that 8 CFR 208.4(a)(5)(iv) counts, read as early as given."""
    if facts.status_kind not in MAINTAINED_STATUS_KINDS or facts.status_end is None:
        return None
    return facts.status_end.earliest()


def _has_order(facts: Facts) -> bool:
    return facts.judge_decided == "yes" and facts.decision_date is not None


def _appeal_pending(facts: Facts) -> bool:
    # "Not sure" counts as no appeal: the 30-day window then stays visible.
    return facts.appeal_filed == "yes"


def bia_appeal_deadline(facts: Facts) -> Deadline | None:
    """30 calendar days after the judge's decision (8 CFR 1003.38(b)); none for an
    order in absentia (8 CFR 1240.15) unless the person is not sure it was one."""
    if not _has_order(facts) or _appeal_pending(facts) or facts.in_absentia == "yes":
        return None
    due = facts.decision_date.earliest() + timedelta(days=30)
    note = (
        "The Board must receive the appeal (Form EOIR-26) by this day; a motion to reconsider "
        "is due the same day (8 CFR 1003.23(b)(1))."
    ) + _month_only_note(facts.decision_date, "the decision")
    return Deadline("bia_appeal", due, "BIA appeal", SRC_BIA_APPEAL, note)


def motion_to_reopen_deadline(facts: Facts) -> Deadline | None:
    """90 days (8 CFR 1003.23(b)(1)), counted from the judge's decision: the order
    becomes final up to 30 days later, so this is the earlier reading."""
    if not _has_order(facts) or _appeal_pending(facts):
        return None
    due = facts.decision_date.earliest() + timedelta(days=90)
    note = "No time limit for changed country conditions (INA 240(c)(7)(C)(ii))."
    note += _month_only_note(facts.decision_date, "the decision")
    return Deadline("motion_to_reopen", due, "Motion to reopen", SRC_REOPEN_90, note)


def in_absentia_reopen_deadline(facts: Facts) -> Deadline | None:
    """180 days for exceptional circumstances (INA 240(b)(5)(C)(i)); counted also when
    the person is not sure the order was made in absentia."""
    if not _has_order(facts) or facts.in_absentia == "no":
        return None
    due = facts.decision_date.earliest() + timedelta(days=180)
    note = (
        "At any time if they did not receive notice of the hearing or were in federal or "
        "state custody (INA 240(b)(5)(C)(ii)); filing stays removal. No appeal lies from an "
        "in absentia order (8 CFR 1240.15)."
    ) + _month_only_note(facts.decision_date, "the order")
    label = "Motion to reopen an in absentia order (exceptional circumstances)"
    return Deadline("in_absentia_reopen", due, label, SRC_IN_ABSENTIA, note)


def _sijs_applies(facts: Facts) -> bool:
    """SIJS is for a juvenile "present in the United States" (INA 101(a)(27)(J))."""
    return facts.abused_by_parent_under_21 and facts.in_us and facts.date_of_birth is not None


def sijs_deadline(facts: Facts) -> Deadline | None:
    """The last day to file Form I-360 for SIJS: the day before the 21st birthday on
    the earliest reading of the birth date (8 CFR 204.11(b))."""
    if not _sijs_applies(facts):
        return None
    due = _add_years(facts.date_of_birth.earliest(), 21) - timedelta(days=1)
    note = "Once filed before 21, the petition is not denied for age (age-out protection)."
    note += _month_only_note(facts.date_of_birth, "birth")
    return Deadline("sijs", due, "SIJS petition (before the 21st birthday)", SRC_SIJS, note)


def _sijs_window_end(facts: Facts) -> date:
    """The first day the person is 21 on every reading of the birth date."""
    return _add_years(facts.date_of_birth.latest(), 21, late=True)


_DEADLINE_RULES = (
    one_year_asylum_deadline,
    bia_appeal_deadline,
    motion_to_reopen_deadline,
    in_absentia_reopen_deadline,
    sijs_deadline,
)


def _all_deadlines(facts: Facts) -> list[Deadline]:
    return [d for rule in _DEADLINE_RULES if (d := rule(facts)) is not None]


def deadlines(facts: Facts, today: date) -> list[Deadline]:
    """Every deadline that matters on ``today``, soonest first. Passed deadlines stay
    (staff must see them); SIJS goes once the person is 21 on every reading (a flag
    says so instead)."""
    found = [
        d for d in _all_deadlines(facts) if d.kind != "sijs" or today < _sijs_window_end(facts)
    ]
    return sorted(found, key=lambda d: d.due)


# --- urgency as windows of days ---------------------------------------------------


@dataclass(frozen=True)
class _Window:
    """A span of days during which one rule ranks a request. ``start`` is the first
    day (None: since ever), ``end`` the first day after (None: for ever). ``due`` is
    the date the reason counts towards, so its wording follows the reading day."""

    band: Urgency
    start: date | None
    end: date | None
    reason: str
    source: str
    due: date | None = None
    event: bool = False  # ``due`` is a hearing or appointment: "in 5 days", not "due in 5 days"

    def covers(self, day: date) -> bool:
        return (self.start is None or self.start <= day) and (self.end is None or day < self.end)

    def reason_on(self, day: date) -> Reason:
        if self.due is None:
            return Reason(self.reason, self.source)
        days = (self.due - day).days
        if days < 0:
            when = f"was {'on' if self.event else 'due'} {_day(self.due)}, {_ago(-days)}"
        else:
            when = f"{'' if self.event else 'due '}{_in_days(days)} ({_day(self.due)})"
        return Reason(f"{self.reason} {when}.", self.source)


def _days_before(day: date, n: int) -> date:
    return day - timedelta(days=n)


def _after(day: date) -> date:
    return day + timedelta(days=1)


def _deadline_windows(deadline: Deadline, t: Thresholds) -> list[_Window]:
    """Every computed deadline ranks by the same thresholds as the one-year deadline
    (issue 14): high within ``high_deadline_days``, critical within
    ``critical_deadline_days`` and on the day, high again for the grace days after."""
    due, label, src = deadline.due, deadline.label, deadline.source
    high_from = _days_before(due, t.high_deadline_days)
    critical_from = _days_before(due, t.critical_deadline_days)
    grace_end = _after(due) + timedelta(days=t.passed_deadline_grace_days)
    return [
        _Window(Urgency.HIGH, high_from, critical_from, label, src, due),
        _Window(Urgency.CRITICAL, critical_from, _after(due), label, src, due),
        _Window(Urgency.HIGH, _after(due), grace_end, label, src, due),
    ]


def _computed_deadline_windows(facts: Facts, t: Thresholds) -> list[_Window]:
    windows = []
    for deadline in _all_deadlines(facts):
        if deadline.kind != "sijs":  # SIJS has its own shape, below
            windows += _deadline_windows(deadline, t)
    return windows + _reasonable_period_windows(facts)


def _reasonable_period_windows(facts: Facts) -> list[_Window]:
    """Status kept past the one-year anniversary has ended (or ends): high from that
    day to the six-month limit, because the reasonable period to file after it has
    no fixed length (8 CFR 208.4(a)(5)(iv); Matter of T-M-H- & S-W-C-): staff
    should not wait for the deadline thresholds to notice it."""
    deadline = one_year_asylum_deadline(facts)
    if deadline is None or deadline.source != SRC_MAINTAINED:
        return []
    ended = _maintained_status_end(facts)
    reason = (
        f"{facts.status_kind.upper()} ends or ended on {_day(ended)}: the reasonable period "
        "to file for asylum runs from then, its length decided case by case; file as soon "
        "as possible."
    )
    return [_Window(Urgency.HIGH, ended, deadline.due, reason, SRC_MAINTAINED)]


def _bia_appeal_windows(facts: Facts) -> list[_Window]:
    """Critical for the whole appeal window, whatever the thresholds (issue 14)."""
    appeal = bia_appeal_deadline(facts)
    if appeal is None:
        return []
    start = facts.decision_date.earliest()
    return [
        _Window(
            Urgency.CRITICAL, start, _after(appeal.due), "BIA appeal", appeal.source, appeal.due
        )
    ]


def _removal_order_windows(facts: Facts) -> list[_Window]:
    """A removal order with no appeal pending is never below high; a decision whose
    date is not known may still be inside the 30-day appeal window: critical."""
    if facts.judge_decided == "not_sure":
        reason = "Not sure whether a judge has decided the case or ordered removal: check at once."
        return [_Window(Urgency.HIGH, None, None, reason, SRC_FINAL_ORDER)]
    if facts.judge_decided != "yes" or _appeal_pending(facts):
        return []
    if facts.decision_date is None:
        reason = (
            "A judge decided the case or ordered removal, date not given: "
            "the 30-day BIA appeal window may still be open."
        )
        return [_Window(Urgency.CRITICAL, None, None, reason, SRC_BIA_APPEAL)]
    reason = (
        f"Removal order or decision of {_day(facts.decision_date.earliest())}, no appeal pending."
    )
    return [_Window(Urgency.HIGH, facts.decision_date.earliest(), None, reason, SRC_FINAL_ORDER)]


def _sijs_windows(facts: Facts, t: Thresholds) -> list[_Window]:
    """Under 21 with the parent facts: high, critical near the 21st birthday; the
    window closes once the person is 21 on every reading of the birth date."""
    deadline = sijs_deadline(facts)
    if deadline is None:
        return []
    end = _sijs_window_end(facts)
    critical_from = _days_before(deadline.due, t.sijs_critical_days)
    label, src = deadline.label, deadline.source
    return [
        _Window(Urgency.HIGH, None, end, label, src, deadline.due),
        _Window(Urgency.CRITICAL, critical_from, end, label, src, deadline.due),
    ]


def _detention_windows(facts: Facts) -> list[_Window]:
    if facts.detained or facts.asking_for == "detained_person":
        return [
            _Window(Urgency.CRITICAL, None, None, "In immigration detention now.", SRC_DETENTION)
        ]
    return []


def _fear_interview_windows(facts: Facts) -> list[_Window]:
    """Expedited or reinstated removal: the interview decides whether the person is
    heard at all, and it comes within days (8 CFR 208.30, 208.31(b))."""
    if not (facts.fear_interview_scheduled or facts.fear_interview_date):
        return []
    when = f" on {_day(facts.fear_interview_date)}" if facts.fear_interview_date else ""
    reason = f"Credible- or reasonable-fear interview scheduled{when}."
    return [_Window(Urgency.CRITICAL, None, None, reason, SRC_FEAR_INTERVIEW)]


def _dated_event_windows(on: date, label: str, src: str, t: Thresholds) -> list[_Window]:
    """A hearing or appointment: high within ``high_hearing_days``, critical within
    ``critical_hearing_days`` and on the day itself."""
    critical_from = _days_before(on, t.critical_hearing_days)
    high_from = _days_before(on, t.high_hearing_days)
    return [
        _Window(Urgency.HIGH, high_from, critical_from, label, src, on, event=True),
        _Window(Urgency.CRITICAL, critical_from, _after(on), label, src, on, event=True),
    ]


def _hearing_windows(facts: Facts, t: Thresholds) -> list[_Window]:
    if facts.hearing_date is None:
        if facts.hearing == "no":
            return []
        reason = (
            "Has a court hearing scheduled but gave no date: find out the date."
            if facts.hearing == "yes"
            else "Not sure whether a court hearing is scheduled: needs checking."
        )
        return [_Window(Urgency.HIGH, None, None, reason, SRC_HEARING)]
    windows = _dated_event_windows(facts.hearing_date, "Immigration court hearing", SRC_HEARING, t)
    if facts.judge_decided != "yes":
        # Past the hearing with no decision reported (or "not sure"): it may have been
        # missed, and an order in absentia made.
        reason = (
            f"Court hearing date {_day(facts.hearing_date)} has passed: a missed hearing can "
            "mean a removal order in absentia — check at once."
        )
        windows.append(
            _Window(Urgency.CRITICAL, _after(facts.hearing_date), None, reason, SRC_MISSED_HEARING)
        )
    return windows


def _appointment_windows(facts: Facts, t: Thresholds) -> list[_Window]:
    """An asylum-office interview or ICE check-in ranks like a hearing; for the grace
    days after it, high: missing either can cost the case or lead to arrest."""
    on = facts.appointment_date
    if on is None:
        return []
    label = "Asylum-office interview or ICE check-in"
    reason = f"{label} on {_day(on)} has passed: check that it took place."
    grace_end = _after(on) + timedelta(days=t.passed_deadline_grace_days)
    return [
        *_dated_event_windows(on, label, SRC_APPOINTMENT, t),
        _Window(Urgency.HIGH, _after(on), grace_end, reason, SRC_APPOINTMENT),
    ]


def _minor_windows(facts: Facts) -> list[_Window]:
    """Under 18 on the latest reading of the birth date: high until surely 18."""
    if facts.date_of_birth is None:
        return []
    eighteen = _add_years(facts.date_of_birth.latest(), 18, late=True)
    return [
        _Window(Urgency.HIGH, None, eighteen, "The person seeking help is under 18.", SRC_MINOR)
    ]


def _reinstatement_windows(facts: Facts) -> list[_Window]:
    """A prior order can be reinstated without a hearing (INA 241(a)(5)): like a
    removal order with no appeal, never below high."""
    if facts.removed_before_and_returned == "no":
        return []
    reason = (
        "Removed before and came back: the prior order may be reinstated."
        if facts.removed_before_and_returned == "yes"
        else "Not sure whether they were removed before: a prior order may be reinstated."
    )
    return [_Window(Urgency.HIGH, None, None, reason, SRC_REINSTATEMENT)]


def _windows(facts: Facts, t: Thresholds) -> list[_Window]:
    return [
        *_detention_windows(facts),
        *_fear_interview_windows(facts),
        *_hearing_windows(facts, t),
        *_bia_appeal_windows(facts),
        *_removal_order_windows(facts),
        *_reinstatement_windows(facts),
        *_appointment_windows(facts, t),
        *_computed_deadline_windows(facts, t),
        *_sijs_windows(facts, t),
        *_minor_windows(facts),
    ]


def _band(windows: list[_Window], day: date) -> Urgency:
    return min(
        (w.band for w in windows if w.covers(day)), key=lambda u: u.rank, default=Urgency.NORMAL
    )


def urgency(
    facts: Facts, today: date, thresholds: Thresholds = DEFAULT_THRESHOLDS
) -> tuple[Urgency, tuple[Reason, ...]]:
    """The band on ``today`` and its reasons, most urgent first (rules in the order
    above within a band: detention, fear interview, hearing, order, deadlines...)."""
    covering = [w for w in _windows(facts, thresholds) if w.covers(today)]
    if not covering:
        nothing = (
            "Nothing urgent found: not detained, no fear interview, no court hearing or "
            f"appointment within {thresholds.high_hearing_days} days, no removal order, no "
            f"deadline within {thresholds.high_deadline_days} days, not under 18."
        )
        return Urgency.NORMAL, (Reason(nothing, "organisation policy (PRODUCT.md)"),)
    ordered = sorted(covering, key=lambda w: w.band.rank)  # stable: rule order kept
    reasons = tuple(dict.fromkeys(w.reason_on(today) for w in ordered))
    return ordered[0].band, reasons


@dataclass(frozen=True)
class Escalation:
    """A request's band on every day: ``initial`` until the first change, then each
    ``(day, band)`` from that day on. Built from the facts alone, so the app can
    store it at submission (or after a staff correction) and read the band for
    any day without the personal answers."""

    initial: Urgency
    changes: tuple[tuple[date, Urgency], ...]


def escalation_dates(facts: Facts, thresholds: Thresholds = DEFAULT_THRESHOLDS) -> Escalation:
    """The days the band changes. Between two window edges no window starts or ends,
    so evaluating the band at each edge gives the band on every day: exact by
    construction, and tested day by day against ``urgency``."""
    windows = _windows(facts, thresholds)
    edges = sorted({d for w in windows for d in (w.start, w.end) if d is not None})
    initial = _band(windows, date.min)
    changes: list[tuple[date, Urgency]] = []
    current = initial
    for edge in edges:
        band = _band(windows, edge)
        if band is not current:
            changes.append((edge, band))
            current = band
    return Escalation(initial, tuple(changes))


# --- flags: what staff must look at, beyond the band ------------------------------


def _one_year_flags(facts: Facts, today: date) -> list[Flag]:
    flags = []
    if facts.came_as_unaccompanied_child and facts.in_us and facts.fears_return:
        flags.append(
            Flag(
                "Came as an unaccompanied child: exempt from the one-year asylum deadline; "
                "confirm the unaccompanied-child determination (disputed once they turn 18).",
                SRC_UAC,
            )
        )
    deadline = one_year_asylum_deadline(facts)
    if deadline is not None and deadline.due < today:
        flags.append(
            Flag(
                f"One-year deadline passed on {_day(deadline.due)}: exception needed "
                "(changed or extraordinary circumstances, filed within a reasonable period). "
                "Withholding of removal and CAT have no deadline.",
                SRC_EXCEPTIONS,
            )
        )
    if deadline is not None and facts.status_kind == "daca":
        flags.append(
            Flag(
                "Had DACA: deferred action is not a status named in 8 CFR 208.4(a)(5)(iv); "
                "check whether it supports an extraordinary-circumstances exception.",
                SRC_EXCEPTIONS,
            )
        )
    if (
        deadline is not None
        and facts.status_kind in MAINTAINED_STATUS_KINDS
        and not facts.status_end
    ):
        flags.append(
            Flag(
                "Has or had status but gave no end date: if it lasted past the one-year "
                "deadline, the maintained-status exception may apply.",
                SRC_MAINTAINED,
            )
        )
    return flags


def _order_flags(facts: Facts, today: date) -> list[Flag]:
    flags = []
    if facts.judge_decided == "yes" and _appeal_pending(facts):
        flags.append(
            Flag(
                "Appeal pending at the BIA: once the Board decides, a petition for review is "
                "due within 30 days.",
                SRC_PETITION_FOR_REVIEW,
            )
        )
    if facts.removed_before_and_returned != "no":
        flags.append(
            Flag(
                "Prior removal order may be reinstated: no asylum; withholding of removal or "
                "CAT only, through a reasonable-fear interview.",
                SRC_REINSTATEMENT,
            )
        )
    hearing = facts.hearing_date
    if hearing is not None and hearing < today and facts.judge_decided != "yes":
        flags.append(Flag(PAST_HEARING_FLAG, SRC_MISSED_HEARING))
    return flags


def _youth_flags(facts: Facts, today: date, t: Thresholds) -> list[Flag]:
    if not _sijs_applies(facts):
        return []
    dob = facts.date_of_birth
    if today >= _sijs_window_end(facts):
        text = (
            "Now 21 or older: SIJS needed a petition filed before the 21st birthday — "
            "check whether Form I-360 was filed."
        )
        return [Flag(text, SRC_SIJS)]
    eighteen = _add_years(dob.earliest(), 18)
    if (eighteen - today).days > t.turning_18_flag_days:
        return []
    when = "has turned 18" if eighteen <= today else f"turns 18 on {_day(eighteen)}"
    text = (
        f"SIJS: {when}. Many state juvenile courts lose jurisdiction at 18; the court order "
        "SIJS needs may have to be obtained before then."
    )
    return [Flag(text, SRC_STATE_COURT)]


def _abroad_flags(facts: Facts) -> list[Flag]:
    if facts.in_us:
        return []
    text = (
        "Outside the US: asylum can only be sought in the US or at its border; "
        "humanitarian parole may be the way in."
    )
    return [Flag(text, SRC_PAROLE)]


def flags(facts: Facts, today: date, thresholds: Thresholds = DEFAULT_THRESHOLDS) -> list[Flag]:
    """Points for staff to check that do not change the band by themselves."""
    return [
        *_one_year_flags(facts, today),
        *_order_flags(facts, today),
        *_youth_flags(facts, today, thresholds),
        *_abroad_flags(facts),
    ]


# --- possible relief (staff only, never shown to the applicant as a verdict) ----


def possible_relief(facts: Facts) -> list[Relief]:
    """Forms of relief the facts point to, each with the fact behind it (``grounds``
    names the fear and harm facts among them). A list to check, not an assessment
    of eligibility."""
    found: list[Relief] = []
    fear = facts.fears_return
    feared = _true_facts(facts, ("afraid_to_return", "harmed_or_threatened"))
    if fear and facts.in_us:
        barred = (
            " (a reinstated prior order would bar it)"
            if facts.removed_before_and_returned != "no"
            else ""
        )
        found.append(Relief("asylum", f"Fears return{barred}.", "INA 208(a)(1), 208(b)(1)", feared))
    if fear and facts.in_us:  # both are decided in the US (INA 241(b)(3))
        found.append(
            Relief("withholding", "Fears return; no filing deadline.", "INA 241(b)(3)", feared)
        )
        found.append(
            Relief(
                "cat",
                "Fears harm on return; no filing deadline.",
                "8 CFR 208.16(c), 208.17, 208.18",
                feared,
            )
        )
    if facts.crime_victim_in_us:
        found.append(
            Relief(
                "u_visa",
                "Victim of a crime in the US.",
                "INA 101(a)(15)(U)",
                ("crime_victim_in_us",),
            )
        )
    if facts.forced_labour_or_sex:
        found.append(
            Relief(
                "t_visa",
                "Made to work or do sex work by force, fraud or coercion.",
                "INA 101(a)(15)(T)",
                ("forced_labour_or_sex",),
            )
        )
    if facts.hurt_by_citizen_or_resident_family:
        found.append(
            Relief(
                "vawa",
                "Hurt by a US citizen or permanent resident spouse or parent.",
                "INA 204(a)(1)(A)(iii)-(iv), (B)(ii)-(iii)",
                ("hurt_by_citizen_or_resident_family",),
            )
        )
    if facts.abused_by_parent_under_21 and facts.in_us:
        found.append(
            Relief(
                "sijs",
                "Under 21 and abused, abandoned or neglected by a parent.",
                "INA 101(a)(27)(J); 8 CFR 204.11",
                ("abused_by_parent_under_21",),
            )
        )
    if facts.status_kind == "tps":
        found.append(Relief("tps", "Has or had TPS: re-registration may keep it.", "INA 244"))
    if not facts.in_us or facts.status_kind == "parole":
        why = (
            "Outside the US."
            if not facts.in_us
            else "Has or had parole: re-parole may be possible."
        )
        # Abroad, any harm described is a reason for parole (asylum and SIJS need
        # presence in the US); parole held in the US rests on status alone.
        grounds = _true_facts(facts, tuple(HARM_FACTS)) if not facts.in_us else ()
        found.append(Relief("parole", why, "INA 212(d)(5)(A)", grounds))
    return found


def _true_facts(facts: Facts, names: tuple[str, ...]) -> tuple[str, ...]:
    return tuple(name for name in names if getattr(facts, name))
