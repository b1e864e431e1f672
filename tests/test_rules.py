"""Every eligibility and urgency rule in intake.rules, at its edges. Pure: no Flask."""

from datetime import date, timedelta
from decimal import Decimal

import pytest

from intake.rules import (
    CLAIM_TYPES,
    DEFAULT_THRESHOLDS,
    HARM_FACTS,
    MINOR_EXEMPTION_FLAG,
    PAST_HEARING_FLAG,
    Answers,
    Facts,
    PartialDate,
    Screen,
    Thresholds,
    Urgency,
    above_income_limit,
    assess,
    current_guidelines,
    income_percent,
    one_year_deadline,
    percent_of_guideline,
    poverty_guideline,
    screen_request,
)

TODAY = date(2026, 3, 10)
FAR_ARRIVAL = PartialDate(2025, 12, 1)  # deadline December 1, 2026: 266 days away

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


def make_answers(**overrides) -> Answers:
    """Eligible and not urgent unless a test says otherwise."""
    fields = {
        "represented": "no",
        "can_pay": "no",
        "household_size": 1,
        "monthly_income_usd": None,
        "state": "NY",
        "claim_types": frozenset({"asylum"}),
        "detained": False,
        "hearing": "no",
        "hearing_date": None,
        "last_arrival": FAR_ARRIVAL,
        "i589_filed": "no",
        "minor": False,
    }
    fields.update(overrides)
    return Answers(**fields)


def facts_for(answers: Answers, *harms: str, **other) -> Facts:
    """The same request's facts: its checklist, and the fear and harm facts named."""
    return Facts(claim_types=answers.claim_types, **dict.fromkeys(harms, True), **other)


def assess_with(thresholds: Thresholds = DEFAULT_THRESHOLDS, harms=(), **overrides):
    answers = make_answers(**overrides)
    return assess(answers, TODAY, thresholds, facts=facts_for(answers, *harms))


def in_days(n: int) -> date:
    return TODAY + timedelta(days=n)


def arrival_for_deadline_in(days: int) -> PartialDate:
    d = in_days(days)
    return PartialDate(d.year - 1, d.month, d.day)


def hearing_in(days: int) -> dict:
    """A hearing on its own: no asylum claim, so no filing deadline interferes."""
    return {"hearing": "yes", "hearing_date": in_days(days), "claim_types": {"withholding"}}


def deadline_in(days: int) -> dict:
    return {"last_arrival": arrival_for_deadline_in(days)}


def has_reason(result, text: str) -> bool:
    return any(text in reason for reason in result.reasons)


# --- vocabulary -----------------------------------------------------------------


def test_urgency_rank_orders_most_urgent_first():
    assert [u.rank for u in (Urgency.CRITICAL, Urgency.HIGH, Urgency.NORMAL)] == [0, 1, 2]
    assert sorted(Urgency, key=lambda u: u.rank, reverse=True)[0] is Urgency.NORMAL


def test_claim_types_codes_in_form_order():
    assert [code for code, _ in CLAIM_TYPES] == [
        "asylum",
        "withholding",
        "cat",
        "tps",
        "sijs",
        "t_visa",
        "u_visa",
        "vawa",
        "parole",
        "other",
    ]
    assert dict(CLAIM_TYPES)["cat"] == "protection under the Convention Against Torture"


@pytest.mark.parametrize(
    "overrides",
    [
        {"represented": "maybe"},
        {"i589_filed": ""},
        {"claim_types": {"asylum", "refugee"}},
        {"household_size": 0},
        {"monthly_income_usd": Decimal("-1")},
    ],
)
def test_answers_reject_what_the_form_cannot_send(overrides):
    with pytest.raises(ValueError):
        make_answers(**overrides)


@pytest.mark.parametrize(
    "kwargs",
    [
        {"critical_hearing_days": 61},
        {"critical_deadline_days": 91},
        {"critical_hearing_days": -1},
        {"income_limit_percent": 0},
    ],
)
def test_thresholds_reject_nonsense(kwargs):
    with pytest.raises(ValueError):
        Thresholds(**kwargs)


def test_partial_date_rejects_an_impossible_date():
    with pytest.raises(ValueError):
        PartialDate(2025, 2, 30)
    with pytest.raises(ValueError):
        PartialDate(2025, 13)


def test_partial_date_earliest_is_first_of_month_when_day_unknown():
    assert PartialDate(2025, 4).earliest() == date(2025, 4, 1)
    assert PartialDate(2025, 4, 17).earliest() == date(2025, 4, 17)


# --- poverty guideline and income -------------------------------------------------


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


@pytest.mark.parametrize(("state", "size"), TOP_ELIGIBLE_MONTHLY)
def test_screen_at_the_income_limit_and_one_cent_over(state, size):
    top = TOP_ELIGIBLE_MONTHLY[state, size]
    at = assess_with(state=state, household_size=size, monthly_income_usd=top)
    over = assess_with(state=state, household_size=size, monthly_income_usd=top + Decimal("0.01"))
    assert at.screen is Screen.ELIGIBLE
    assert over.screen is Screen.NEEDS_REVIEW
    assert at.guideline_usd == GUIDELINE[state, size]
    assert at.income_percent == (200 if top % 1 == 0 else 199)  # rounded down
    assert over.income_percent == 200


def test_income_percent_from_monthly_income():
    assert income_percent(Decimal("2750"), 4, "NY") == 100  # 33,000 a year
    assert income_percent(Decimal("0"), 4, "NY") == 0


def test_income_not_given():
    result = assess_with(monthly_income_usd=None)
    assert result.screen is Screen.ELIGIBLE
    assert result.income_percent is None
    assert has_reason(result, "Household income not given")
    assert result.guideline_year == 2026


def test_income_reason_names_the_figures_but_not_the_income():
    # 3 people in NY: guideline 27,320; 245% is 66,934 a year. The reasons are
    # stored in plain text, so the (encrypted) amount is not repeated in them.
    result = assess_with(household_size=3, monthly_income_usd=Decimal("5577.84"))
    assert result.screen is Screen.NEEDS_REVIEW
    assert result.income_percent == 245
    assert result.reasons[0] == (
        "Household income is 245% of the 2026 HHS poverty guideline "
        "for 3 people in the 48 contiguous states and DC ($27,320), above the 200% limit "
        "($54,640), but says they cannot pay."
    )


def test_income_reason_says_when_the_state_was_not_given():
    result = assess_with(state="", monthly_income_usd=Decimal("1000"))
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
    assert assess_with(**overrides).screen is screen


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
    assert reason in assess_with(**overrides).reasons[0]


def test_review_lists_every_doubt_in_order():
    result = assess_with(
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


# --- screen on facts, not the legal checklist (issue 14) ----------------------------

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
    result = assess_with(claim_types=set(), harms=(fact,))
    assert result.screen is Screen.ELIGIBLE
    reason = result.reasons[0]
    assert reason.startswith(
        "Has no lawyer, says they cannot pay a private lawyer, and the facts show "
        f"{HARM_FACTS[fact]} (possibly {relief}"
    )
    assert reason.endswith(").") and "seeks" not in reason  # nothing was ticked


def test_no_fact_and_no_checklist_needs_a_person():
    result = assess_with(claim_types=set())
    assert result.screen is Screen.NEEDS_REVIEW
    assert result.reasons[0] == (
        "No fear or harm described and no protection chosen: check what they are seeking."
    )


def test_the_checklist_alone_still_makes_a_claim():
    result = assess_with(claim_types={"asylum"})
    assert result.screen is Screen.ELIGIBLE
    assert result.reasons[0] == (
        "Has no lawyer, says they cannot pay a private lawyer, and seeks asylum."
    )


def test_facts_and_checklist_both_named():
    result = assess_with(claim_types={"u_visa"}, harms=("crime_victim_in_us",))
    assert result.reasons[0] == (
        "Has no lawyer, says they cannot pay a private lawyer, and the facts show victim of "
        "a crime in the US (possibly U visa (crime survivor)); seeks U visa (crime survivor)."
    )


def test_facts_outweigh_an_unsure_checklist():
    """Choosing only "other / not sure" is a doubt only when no fact shows a ground."""
    assert assess_with(claim_types={"other"}).screen is Screen.NEEDS_REVIEW
    result = assess_with(claim_types={"other"}, harms=("afraid_to_return",))
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
    result = assess_with(claim_types=set(), harms=tuple(HARM_FACTS), **overrides)
    assert result.screen is screen
    assert len(result.reasons) >= 1 and "facts show" not in result.reasons[0]


def test_doubts_about_a_lawyer_or_paying_still_go_to_a_person_with_facts():
    result = assess_with(claim_types=set(), harms=("afraid_to_return",), can_pay="not_sure")
    assert result.screen is Screen.NEEDS_REVIEW
    assert result.reasons[0].startswith("Not sure whether they could pay")
    assert not any("No fear or harm" in r for r in result.reasons)


def test_abroad_and_afraid_is_a_claim_for_parole():
    answers = make_answers(claim_types=frozenset(), last_arrival=None)
    facts = facts_for(answers, "afraid_to_return", in_us=False)
    result = screen_request(answers, facts)
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
    answers = make_answers(claim_types=frozenset())
    result = screen_request(answers, facts_for(answers, **other))
    assert result.screen is Screen.NEEDS_REVIEW
    assert result.reasons[0].startswith("No fear or harm described")


def test_screen_refuses_facts_of_another_request():
    answers = make_answers(claim_types=frozenset({"asylum"}))
    with pytest.raises(ValueError, match="same checklist"):
        screen_request(answers, Facts())


# --- one-year deadline ------------------------------------------------------------


@pytest.mark.parametrize(
    ("arrival", "deadline"),
    [
        (PartialDate(2025, 3, 10), date(2026, 3, 10)),
        (PartialDate(2024, 2, 29), date(2025, 2, 28)),  # leap day: the earlier date
        (PartialDate(2023, 2, 28), date(2024, 2, 28)),
        (PartialDate(2024, 12, 31), date(2025, 12, 31)),
        (PartialDate(2025, 4), date(2026, 4, 1)),  # month only: from the 1st
    ],
)
def test_one_year_deadline(arrival, deadline):
    assert one_year_deadline(arrival) == deadline


@pytest.mark.parametrize(
    ("days", "urgency"),
    [
        (0, Urgency.CRITICAL),
        (30, Urgency.CRITICAL),
        (31, Urgency.HIGH),
        (90, Urgency.HIGH),
        (91, Urgency.NORMAL),
        (-1, Urgency.HIGH),
    ],
)
def test_deadline_urgency_edges(days, urgency):
    result = assess_with(**deadline_in(days))
    assert result.urgency is urgency
    assert result.filing_deadline == in_days(days)
    assert result.deadline_days_left == days
    assert result.deadline_passed is (days < 0)


def test_arrival_exactly_one_year_ago_is_due_today():
    result = assess_with(last_arrival=PartialDate(2025, 3, 10))
    assert (result.deadline_days_left, result.deadline_passed) == (0, False)
    assert result.urgency is Urgency.CRITICAL
    assert has_reason(result, "One-year asylum filing deadline is March 10, 2026, today")


def test_arrival_one_year_and_a_day_ago_is_flagged_not_hidden():
    result = assess_with(last_arrival=PartialDate(2025, 3, 9))
    assert (result.deadline_days_left, result.deadline_passed) == (-1, True)
    assert result.urgency is Urgency.HIGH
    assert result.flags == ("deadline passed 1 day ago — check exceptions",)
    assert has_reason(result, "check the exceptions")


def test_leap_day_arrival_is_due_on_february_28():
    answers = make_answers(last_arrival=PartialDate(2024, 2, 29))
    due = assess(answers, date(2025, 2, 28), facts=facts_for(answers))
    late = assess(answers, date(2025, 3, 1), facts=facts_for(answers))
    assert (due.deadline_days_left, due.urgency) == (0, Urgency.CRITICAL)
    assert (late.deadline_days_left, late.deadline_passed) == (-1, True)


def test_month_only_arrival_counts_from_the_first_and_says_so():
    # From April 1, 2025 the deadline is 22 days away (critical); from April 30 it
    # would be 51 days (only high).
    result = assess_with(last_arrival=PartialDate(2025, 4))
    assert (result.filing_deadline, result.deadline_days_left) == (date(2026, 4, 1), 22)
    assert result.urgency is Urgency.CRITICAL
    assert has_reason(result, "only the month and year of arrival were given")
    assert has_reason(result, "April 1, 2025")


@pytest.mark.parametrize(
    "overrides",
    [
        {"i589_filed": "yes"},
        {"claim_types": {"withholding"}},
        {"claim_types": {"cat"}},
        {"claim_types": {"withholding", "cat"}},
        {"claim_types": {"other"}},
    ],
)
def test_no_deadline_without_an_unfiled_asylum_claim(overrides):
    result = assess_with(last_arrival=PartialDate(2023, 1, 1), **overrides)
    assert result.filing_deadline is None
    assert result.deadline_days_left is None
    assert result.deadline_passed is False
    assert result.urgency is Urgency.NORMAL
    assert result.flags == ()


def test_i589_filed_is_given_as_a_reason():
    assert has_reason(assess_with(i589_filed="yes"), "Form I-589 already filed")


def test_arrival_not_given():
    result = assess_with(last_arrival=None)
    assert result.filing_deadline is None
    assert result.urgency is Urgency.NORMAL
    assert result.screen is Screen.ELIGIBLE
    assert has_reason(result, "Arrival date not given: the one-year deadline cannot be worked out")


def test_future_arrival_is_an_error():
    with pytest.raises(ValueError):
        assess_with(last_arrival=PartialDate(2026, 3, 11))


def test_arrival_this_month_given_as_month_only_is_not_in_the_future():
    assert assess_with(last_arrival=PartialDate(2026, 3)).deadline_days_left == 356


# --- hearing ----------------------------------------------------------------------


@pytest.mark.parametrize(
    ("days", "urgency"),
    [
        (-1, Urgency.CRITICAL),
        (0, Urgency.CRITICAL),
        (14, Urgency.CRITICAL),
        (15, Urgency.HIGH),
        (60, Urgency.HIGH),
        (61, Urgency.NORMAL),
    ],
)
def test_hearing_urgency_edges(days, urgency):
    result = assess_with(**hearing_in(days))
    assert result.urgency is urgency
    assert result.hearing_days_left == days


@pytest.mark.parametrize("days", [-1, -30])
def test_past_hearing_warns_of_a_removal_order_in_absentia(days):
    result = assess_with(**hearing_in(days))
    assert has_reason(result, "removal order in absentia — check at once")
    assert result.flags == (PAST_HEARING_FLAG,)


@pytest.mark.parametrize(
    ("overrides", "reason"),
    [
        ({"hearing": "not_sure"}, "Not sure whether a court hearing is scheduled"),
        ({"hearing": "yes", "hearing_date": None}, "gave no date"),
        ({"i589_filed": "not_sure"}, "Not sure whether an asylum application (Form I-589)"),
    ],
)
def test_not_sure_about_hearing_or_i589_is_high(overrides, reason):
    result = assess_with(**overrides)
    assert result.urgency is Urgency.HIGH
    assert has_reason(result, reason)


def test_i589_not_sure_keeps_the_deadline():
    result = assess_with(i589_filed="not_sure", **deadline_in(10))
    assert (result.urgency, result.deadline_days_left) == (Urgency.CRITICAL, 10)


def test_i589_not_sure_without_asylum_is_not_urgent():
    assert assess_with(i589_filed="not_sure", claim_types={"cat"}).urgency is Urgency.NORMAL


# --- minor, detention, ordering ------------------------------------------------------


def test_minor_seeking_asylum_is_high_and_flagged_exempt():
    result = assess_with(minor=True)
    assert result.urgency is Urgency.HIGH
    assert result.flags == (MINOR_EXEMPTION_FLAG,)
    assert result.filing_deadline == date(2026, 12, 1)  # still worked out


def test_minor_without_asylum_is_high_without_the_exemption_flag():
    result = assess_with(minor=True, claim_types={"sijs"})
    assert result.urgency is Urgency.HIGH
    assert result.flags == ()
    assert has_reason(result, "under 18")


def test_minor_does_not_lower_a_critical_deadline():
    result = assess_with(minor=True, **deadline_in(10))
    assert result.urgency is Urgency.CRITICAL
    assert MINOR_EXEMPTION_FLAG in result.flags


def test_minor_with_a_passed_deadline_has_both_flags():
    result = assess_with(minor=True, **deadline_in(-40))
    assert result.flags == ("deadline passed 40 days ago — check exceptions", MINOR_EXEMPTION_FLAG)


@pytest.mark.parametrize(
    "overrides",
    [{}, hearing_in(200), {"represented": "yes"}, {"can_pay": "yes"}, deadline_in(-400)],
)
def test_detention_is_critical_whatever_else(overrides):
    result = assess_with(detained=True, **overrides)
    assert result.urgency is Urgency.CRITICAL
    assert "In immigration detention now." in result.reasons


def test_screen_does_not_depend_on_urgency():
    result = assess_with(detained=True, represented="yes")
    assert (result.screen, result.urgency) == (Screen.REPRESENTED, Urgency.CRITICAL)


def test_reasons_in_order_detention_hearing_deadline_minor_others():
    result = assess_with(
        detained=True,
        hearing="not_sure",
        hearing_date=in_days(40),
        minor=True,
        **deadline_in(50),
    )
    starts = [
        "Has no lawyer",  # the screen
        "Household income not given",
        "In immigration detention now.",
        "Immigration court hearing on April 19, 2026, in 40 days: within 60 days.",
        "One-year asylum filing deadline is April 29, 2026, in 50 days: within 90 days.",
        "The person seeking help is under 18",
        "Not sure whether a court hearing is scheduled",
    ]
    assert len(result.reasons) == len(starts)
    for reason, start in zip(result.reasons, starts, strict=True):
        assert reason.startswith(start)


def test_hearing_comes_before_the_deadline_at_the_same_urgency():
    result = assess_with(hearing="yes", hearing_date=in_days(10), **deadline_in(5))
    urgency_reasons = result.reasons[2:]
    assert urgency_reasons[0].startswith("Immigration court hearing")
    assert urgency_reasons[1].startswith("One-year asylum filing deadline")


def test_a_more_urgent_reason_comes_first():
    result = assess_with(hearing="yes", hearing_date=in_days(40), **deadline_in(5))
    assert result.urgency is Urgency.CRITICAL
    assert result.reasons[2].startswith("One-year asylum filing deadline")
    assert result.reasons[3].startswith("Immigration court hearing")


def test_normal_urgency_says_why():
    result = assess_with()
    assert result.urgency is Urgency.NORMAL
    assert result.reasons[2] == (
        "Nothing urgent found: not detained, no court hearing within 60 days, "
        "no known filing deadline within 90 days, not under 18."
    )
    assert has_reason(result, "One-year asylum filing deadline is December 1, 2026, in 266 days.")
    assert result.flags == ()


# --- thresholds from configuration ----------------------------------------------------


@pytest.mark.parametrize(
    ("thresholds", "overrides", "default", "changed"),
    [
        (Thresholds(critical_hearing_days=20), hearing_in(15), Urgency.HIGH, Urgency.CRITICAL),
        (Thresholds(high_hearing_days=30), hearing_in(45), Urgency.HIGH, Urgency.NORMAL),
        (Thresholds(critical_deadline_days=40), deadline_in(35), Urgency.HIGH, Urgency.CRITICAL),
        (Thresholds(high_deadline_days=120), deadline_in(100), Urgency.NORMAL, Urgency.HIGH),
        (
            Thresholds(income_limit_percent=150),
            {"monthly_income_usd": Decimal("2394")},  # 180% for 1 person in NY
            Screen.ELIGIBLE,
            Screen.NEEDS_REVIEW,
        ),
    ],
)
def test_thresholds_change_the_result(thresholds, overrides, default, changed):
    def outcome(result):
        return result.screen if isinstance(default, Screen) else result.urgency

    assert outcome(assess_with(**overrides)) is default
    assert outcome(assess_with(thresholds, **overrides)) is changed
