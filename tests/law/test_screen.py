"""The screen in intake.law.screen, at its edges. Pure: no Flask."""

from datetime import date, timedelta
from decimal import Decimal

import pytest

from intake.law.facts import Facts
from intake.law.screen import Means, screen_request
from intake.law.urgency import DEFAULT_THRESHOLDS, Thresholds
from intake.law.vocabulary import HARM_FACTS, Screen

TODAY = date(2026, 3, 10)

# The highest monthly income (whole cents) at or below 200% of the guideline.
TOP_ELIGIBLE_MONTHLY = {
    ("NY", 1): Decimal("2660"),  # 31,920 / 12
    ("NY", 4): Decimal("5500"),  # 66,000 / 12
    ("NY", 9): Decimal("10233.33"),  # 122,800 / 12 = 10,233.333...
    ("AK", 1): Decimal("3325"),  # 39,900 / 12
    ("AK", 4): Decimal("6875"),  # 82,500 / 12
    ("AK", 9): Decimal("12791.66"),  # 153,500 / 12 = 12,791.666...
    ("HI", 1): Decimal("3060"),  # 36,720 / 12
    ("HI", 4): Decimal("6325"),  # 75,900 / 12
    ("HI", 9): Decimal("11766.66"),  # 141,200 / 12 = 11,766.666...
}


def make_means(**overrides) -> Means:
    """No lawyer, cannot pay, income not given, unless a test says otherwise."""
    fields = {
        "represented": "no",
        "can_pay": "no",
        "household_size": 1,
        "monthly_income_usd": None,
        "state": "NY",
    }
    fields.update(overrides)
    return Means(**fields)


def screen_with(thresholds: Thresholds = DEFAULT_THRESHOLDS, harms=(), facts=None, **overrides):
    """The screen of a request seeking asylum unless ``claim_types`` says otherwise."""
    claims = frozenset(overrides.pop("claim_types", {"asylum"}))
    facts = facts or Facts(claim_types=claims, **dict.fromkeys(harms, True))
    return screen_request(facts, make_means(**overrides), thresholds)


def in_days(n: int) -> date:
    return TODAY + timedelta(days=n)


def has_reason(result, text: str) -> bool:
    return any(text in reason for reason in result.reasons)


# --- vocabulary -----------------------------------------------------------------


@pytest.mark.parametrize(
    "overrides",
    [
        {"represented": "maybe"},
        {"can_pay": ""},
        {"household_size": 0},
        {"monthly_income_usd": Decimal("-1")},
    ],
)
def test_means_reject_what_the_form_cannot_send(overrides):
    with pytest.raises(ValueError):
        make_means(**overrides)


# --- poverty guideline and income -------------------------------------------------


@pytest.mark.parametrize(("state", "size"), TOP_ELIGIBLE_MONTHLY)
def test_screen_at_the_income_limit_and_one_cent_over(state, size):
    top = TOP_ELIGIBLE_MONTHLY[state, size]
    at = screen_with(state=state, household_size=size, monthly_income_usd=top)
    over = screen_with(state=state, household_size=size, monthly_income_usd=top + Decimal("0.01"))
    assert at.screen is Screen.ELIGIBLE
    assert over.screen is Screen.NEEDS_REVIEW
    assert at.income_percent == (200 if top % 1 == 0 else 199)  # rounded down
    assert over.income_percent == 200


def test_income_not_given():
    result = screen_with(monthly_income_usd=None)
    assert result.screen is Screen.ELIGIBLE
    assert result.income_percent is None
    assert has_reason(result, "Household income not given")
    assert result.guideline_year == 2026


def test_income_reason_names_the_figures_but_not_the_income():
    # 3 people in NY: guideline 27,320; 245% is 66,934 a year. The reasons are
    # stored in plain text, so the (encrypted) amount is not repeated in them.
    result = screen_with(household_size=3, monthly_income_usd=Decimal("5577.84"))
    assert result.screen is Screen.NEEDS_REVIEW
    assert result.income_percent == 245
    assert result.reasons[0] == (
        "Household income is 245% of the 2026 HHS poverty guideline "
        "for 3 people in the 48 contiguous states and DC ($27,320), above the 200% limit "
        "($54,640), but says they cannot pay."
    )


def test_income_reason_says_when_the_state_was_not_given():
    result = screen_with(state="", monthly_income_usd=Decimal("1000"))
    assert has_reason(result, "in the 48 contiguous states and DC ($15,960; state not given)")


# --- screen -----------------------------------------------------------------------


@pytest.mark.parametrize(
    ("overrides", "screen"),
    [
        ({"represented": "yes", "can_pay": "yes"}, Screen.REPRESENTED),
        ({"represented": "yes", "can_pay": "not_sure", "claim_types": set()}, Screen.REPRESENTED),
        ({"represented": "not_sure", "can_pay": "yes"}, Screen.CAN_PAY),
        ({"can_pay": "yes", "monthly_income_usd": Decimal("0")}, Screen.CAN_PAY),
        ({"represented": "not_sure"}, Screen.NEEDS_REVIEW),
        ({"can_pay": "not_sure"}, Screen.NEEDS_REVIEW),
        ({"claim_types": set()}, Screen.NEEDS_REVIEW),
        ({"claim_types": {"other"}}, Screen.NEEDS_REVIEW),
        ({"monthly_income_usd": Decimal("9999")}, Screen.NEEDS_REVIEW),
        ({"claim_types": {"other", "tps"}}, Screen.ELIGIBLE),
        ({"claim_types": {"cat"}}, Screen.ELIGIBLE),
        ({"monthly_income_usd": Decimal("1000")}, Screen.ELIGIBLE),
    ],
)
def test_screen_precedence(overrides, screen):
    assert screen_with(**overrides).screen is screen


@pytest.mark.parametrize(
    ("overrides", "reason"),
    [
        ({"represented": "yes"}, "Has a lawyer or accredited representative now."),
        ({"can_pay": "yes"}, "Says they could pay a private immigration lawyer."),
        ({"represented": "not_sure"}, "Not sure whether they have a lawyer"),
        ({"can_pay": "not_sure"}, "Not sure whether they could pay"),
        ({"claim_types": set()}, "No fear or harm described and no protection chosen"),
        ({"claim_types": {"other"}}, 'Chose only "other / not sure"'),
        ({"claim_types": {"withholding", "cat"}}, "seeks withholding of removal, protection"),
    ],
)
def test_screen_reason_comes_first(overrides, reason):
    assert reason in screen_with(**overrides).reasons[0]


def test_review_lists_every_doubt_in_order():
    result = screen_with(
        represented="not_sure",
        can_pay="not_sure",
        claim_types={"other"},
        monthly_income_usd=Decimal("9999"),
    )
    assert [r.split(" ")[0:3] for r in result.reasons[:4]] == [
        ["Not", "sure", "whether"],
        ["Not", "sure", "whether"],
        ["Chose", "only", '"other'],
        ["Household", "income", "is"],
    ]
    assert "above the 200% limit" in result.reasons[3]
    assert "but says they cannot pay" not in result.reasons[3]  # they said "not sure"


# --- screen on facts, not the legal checklist ---------------------------------------

# Each fear or harm fact alone, with the checklist left empty: the forms of relief
# the reason must name, in the staff labels (CLAIM_LABELS).
FACT_ALONE = [
    ("afraid_to_return", "asylum, withholding of removal, protection under the Convention"),
    ("harmed_or_threatened", "asylum, withholding of removal, protection under the Convention"),
    ("crime_victim_in_us", "U visa (crime survivor)"),
    ("forced_labour_or_sex", "T visa (trafficking survivor)"),
    ("hurt_by_citizen_or_resident_family", "VAWA self-petition"),
    ("abused_by_parent_under_21", "Special Immigrant Juvenile Status"),
]


def test_every_fear_and_harm_fact_is_in_the_table():
    assert {fact for fact, _ in FACT_ALONE} == set(HARM_FACTS)


@pytest.mark.parametrize(("fact", "relief"), FACT_ALONE, ids=[f for f, _ in FACT_ALONE])
def test_each_fact_alone_makes_a_protection_claim(fact, relief):
    result = screen_with(claim_types=set(), harms=(fact,))
    assert result.screen is Screen.ELIGIBLE
    reason = result.reasons[0]
    assert reason.startswith(
        "Has no lawyer, says they cannot pay a private lawyer, and the facts show "
        f"{HARM_FACTS[fact]} (possibly {relief}"
    )
    assert reason.endswith(").") and "seeks" not in reason  # nothing was ticked


def test_no_fact_and_no_checklist_needs_a_person():
    result = screen_with(claim_types=set())
    assert result.screen is Screen.NEEDS_REVIEW
    assert result.reasons[0] == (
        "No fear or harm described and no protection chosen: check what they are seeking."
    )


def test_the_checklist_alone_still_makes_a_claim():
    result = screen_with(claim_types={"asylum"})
    assert result.screen is Screen.ELIGIBLE
    assert result.reasons[0] == (
        "Has no lawyer, says they cannot pay a private lawyer, and seeks asylum."
    )


def test_facts_and_checklist_both_named():
    result = screen_with(claim_types={"u_visa"}, harms=("crime_victim_in_us",))
    assert result.reasons[0] == (
        "Has no lawyer, says they cannot pay a private lawyer, and the facts show victim of "
        "a crime in the US (possibly U visa (crime survivor)); seeks U visa (crime survivor)."
    )


def test_facts_outweigh_an_unsure_checklist():
    """Choosing only "other / not sure" is a doubt only when no fact shows a ground."""
    assert screen_with(claim_types={"other"}).screen is Screen.NEEDS_REVIEW
    result = screen_with(claim_types={"other"}, harms=("afraid_to_return",))
    assert result.screen is Screen.ELIGIBLE
    assert "seeks other / not sure" in result.reasons[0]


@pytest.mark.parametrize(
    ("overrides", "screen"),
    [
        ({"represented": "yes"}, Screen.REPRESENTED),
        ({"can_pay": "yes"}, Screen.CAN_PAY),
        ({"represented": "yes", "can_pay": "yes"}, Screen.REPRESENTED),
    ],
)
def test_represented_and_can_pay_screen_out_before_the_facts(overrides, screen):
    result = screen_with(claim_types=set(), harms=tuple(HARM_FACTS), **overrides)
    assert result.screen is screen
    assert len(result.reasons) >= 1 and "facts show" not in result.reasons[0]


def test_doubts_about_a_lawyer_or_paying_still_go_to_a_person_with_facts():
    result = screen_with(claim_types=set(), harms=("afraid_to_return",), can_pay="not_sure")
    assert result.screen is Screen.NEEDS_REVIEW
    assert result.reasons[0].startswith("Not sure whether they could pay")
    assert not any("No fear or harm" in r for r in result.reasons)


def test_abroad_and_afraid_is_a_claim_for_parole():
    result = screen_with(facts=Facts(afraid_to_return=True, in_us=False))
    assert result.screen is Screen.ELIGIBLE
    assert "the facts show afraid to return (possibly humanitarian parole)" in result.reasons[0]


@pytest.mark.parametrize(
    "other",
    [{"status_kind": "tps"}, {"status_kind": "parole"}, {"in_us": False}],
    ids=["tps", "parole", "abroad"],
)
def test_status_or_place_alone_is_no_protection_ground(other):
    """TPS or parole held, or being abroad, with no fear or harm described and
    nothing ticked: a person checks what they are seeking."""
    result = screen_with(facts=Facts(**other))
    assert result.screen is Screen.NEEDS_REVIEW
    assert result.reasons[0].startswith("No fear or harm described")


# --- one-year deadline ------------------------------------------------------------


def test_screen_gives_the_income_figures_whatever_the_screen():
    result = screen_with(represented="yes", household_size=4, monthly_income_usd=Decimal("2750"))
    assert result.screen is Screen.REPRESENTED
    assert (result.income_percent, result.guideline_year) == (100, 2026)
    assert result.reasons == ("Has a lawyer or accredited representative now.",)


# --- thresholds from configuration ----------------------------------------------------


def test_income_limit_changes_the_screen():
    income = {"monthly_income_usd": Decimal("2394")}  # 180% for 1 person in NY
    assert screen_with(**income).screen is Screen.ELIGIBLE
    assert screen_with(Thresholds(income_limit_percent=150), **income).screen is (
        Screen.NEEDS_REVIEW
    )
