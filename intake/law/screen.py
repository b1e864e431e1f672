"""Whether a request fits the service: the screen, with its reasons in plain
English, because staff must see why a request was screened as it was before
they act on it or override it. A doubtful answer sends the request to a person
("needs review") rather than screening it out.
"""

from dataclasses import dataclass
from decimal import Decimal

from intake.law.facts import Facts
from intake.law.income import (
    GuidelineTable,
    above_income_limit,
    annual_income,
    check_household_size,
    current_guidelines,
    income_percent,
    percent_of_guideline,
)
from intake.law.relief import protection_grounds
from intake.law.urgency import DEFAULT_THRESHOLDS, Thresholds
from intake.law.vocabulary import HARM_FACTS, TRI_VALUES, Screen, Tri, check_choice, claim_list


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
            check_choice(name, getattr(self, name), TRI_VALUES)
        check_household_size(self.household_size)
        if self.monthly_income_usd is not None and self.monthly_income_usd < 0:
            raise ValueError("monthly_income_usd must not be negative")


@dataclass(frozen=True)
class ScreenResult:
    screen: Screen
    reasons: tuple[str, ...]
    income_percent: int | None  # annual income as % of the guideline, rounded down
    guideline_year: int


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
            f"(possibly {claim_list(relief)})"
        )
    if facts.claim_types:
        grounds.append(f"seeks {claim_list(facts.claim_types)}")
    fit = f"Has no lawyer, says they cannot pay a private lawyer, and {'; '.join(grounds)}."
    return ScreenResult(Screen.ELIGIBLE, (fit, income_reason), **figures)


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


def _people(n: int) -> str:
    return "1 person" if n == 1 else f"{n} people"


def _usd(amount: Decimal | int) -> str:
    amount = Decimal(amount)
    return f"${amount:,.0f}" if amount == amount.to_integral_value() else f"${amount:,.2f}"
