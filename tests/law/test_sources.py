"""Sources staff read beside each rule: the law by section, the organisation's own
policy through a marker the page words as the settings say."""

from datetime import date

import pytest

from intake.law import sources
from intake.law.dates import PartialDate
from intake.law.facts import Facts
from intake.law.sources import POLICY, cite
from intake.law.urgency import urgency

SOURCES = {name: value for name, value in vars(sources).items() if name.startswith("SRC_")}


@pytest.mark.parametrize(
    "name", ["SRC_DETENTION", "SRC_HEARING", "SRC_MINOR", "SRC_FINAL_ORDER", "SRC_APPOINTMENT"]
)
def test_policy_rules_cite_the_organisations_policy(name):
    assert POLICY in SOURCES[name]
    worded = cite(SOURCES[name], "Riverside intake policy, section 3")
    assert POLICY not in worded and "Riverside intake policy, section 3" in worded


def test_the_law_is_cited_as_it_is():
    assert POLICY not in sources.SRC_BIA_APPEAL
    assert cite(sources.SRC_BIA_APPEAL, "ours") == sources.SRC_BIA_APPEAL


def test_no_source_names_a_design_note_or_an_issue():
    for name, text in SOURCES.items():
        assert "PRODUCT.md" not in text and "issue" not in text.lower(), name


@pytest.mark.parametrize(
    "facts",
    [Facts(), Facts(detained=True), Facts(date_of_birth=PartialDate(2015, 1))],
)
def test_policy_reasons_carry_the_marker(facts):
    _band, reasons = urgency(facts, date(2026, 3, 10))
    assert POLICY in reasons[0].source


def test_sources_say_what_they_hold():
    # Matter of T-M-H- concerns the reasonable period after changed circumstances.
    assert "changed circumstances" in sources.SRC_MAINTAINED
    assert "within one year" in sources.SRC_MAINTAINED
    # 8 CFR 208.31(b)'s 10 days are the officer's interview, not the judge's review.
    assert "asylum officer's interview" in sources.SRC_FEAR_INTERVIEW
    assert "not verified" in sources.SRC_REASONABLE_FEAR_REVIEW
    assert "7 days" in sources.SRC_CREDIBLE_FEAR_REVIEW
    for cite_ in ("8 CFR 1003.38(b)", "1208.4(a)(2)(ii)", "Monsalvo", "Escobar", "5 U.S.C. 6103"):
        assert cite_ in sources.SRC_DAY_COUNT
    assert "clause (i) or (ii)" in sources.SRC_IN_ABSENTIA_STAY
    assert "jurisdiction" in sources.SRC_UAC_TURNING_18
