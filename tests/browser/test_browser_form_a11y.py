"""The screening form in a real browser, in English, Spanish and Arabic: axe-core
(WCAG 2.0/2.1/2.2 A and AA) on every step, reflow at 320 px, and what visitors
type keeping its own direction."""

from datetime import date

import pytest
from playwright.sync_api import expect

from intake import timeutil
from tests.support import ROOT
from tests.support.browser import CONTINUE, answer_shown, walk_pages

pytestmark = pytest.mark.browser

ARTIFACTS = ROOT / "test-artifacts"


@pytest.fixture(autouse=True)
def frozen_today(monkeypatch):
    monkeypatch.setattr(timeutil, "today", lambda: date(2026, 5, 1))


def answers_of(person: str) -> dict:
    """Every question answered through names and values, not labels, so the same
    steps work in any language: someone asking for a relative with an order."""
    return {
        "asker": "family",
        "helper_name": "Rosa",
        "detained": "no",
        "in_us": "yes",
        "hearing": "no",
        "decided": "yes",
        "decision_month": "3",  # months are chosen by name, posted as numbers
        "decision_year": "2026",
        "in_absentia": "no",
        "appealed": "not_sure",
        "fear_interview": "no",
        "arrival_month": "8",
        "arrival_year": "2025",
        "i589_filed": "no",
        "status_kind": "none",
        "birth_month": "2",
        "birth_year": "1996",
        "came_as_child_alone": "no",
        "harms": "afraid_to_return",
        "claim_types": "asylum",
        "name": person,
        "nationality": "AF",
        "preferred_language": "prs",
        "state": "CA",
        "email": "mariam@example.org",
        "safe_to_message": "no",
        "represented": "no",
        "can_pay": "no",
        "household_size": "2",
        "monthly_income": "900",
        "share_consent": "no",
        "consent": "y",
    }


def no_horizontal_scroll(page) -> bool:
    return page.evaluate(
        "document.documentElement.scrollWidth <= document.documentElement.clientWidth"
    )


@pytest.mark.parametrize(("prefix", "person"), [("", "Mariam"), ("/es", "María"), ("/ar", "مريم")])
def test_every_step_of_the_form_has_no_axe_violations(page, app, axe_check, prefix, person):
    page.goto(f"{page.base}{prefix}/help")
    axe_check(page)  # blank
    page.locator(CONTINUE).click()
    page.wait_for_selector("#error-summary")
    axe_check(page)  # after a failed continue, errors shown
    walk_pages(page, answers_of(person), on_each=axe_check)  # every page, answered
    page.wait_for_url(f"**{prefix}/help")
    assert page.locator(f"bdi:text-is('{person}')").count() == 1
    axe_check(page)  # check your answers
    page.locator("#help-form > p > button.button").click()
    page.wait_for_selector(".reference")
    axe_check(page)  # confirmation


@pytest.mark.parametrize("prefix", ["", "/ar"])
def test_a_confirmation_no_longer_kept_has_no_axe_violations(page, app, axe_check, prefix):
    response = page.goto(f"{page.base}{prefix}/help/sent/{'x' * 43}")
    assert response.status == 404 and page.get_by_role("heading").count() >= 1
    axe_check(page)


@pytest.mark.parametrize("prefix", ["", "/ar"])
def test_form_reflows_at_320px(page, app, prefix):
    page.set_viewport_size({"width": 320, "height": 640})
    page.goto(f"{page.base}{prefix}/help")
    assert no_horizontal_scroll(page)
    page.locator(CONTINUE).click()
    page.wait_for_selector("#error-summary")
    assert no_horizontal_scroll(page)
    if prefix == "/ar":
        assert page.evaluate("getComputedStyle(document.body).direction") == "rtl"
        ARTIFACTS.mkdir(exist_ok=True)
        page.screenshot(path=str(ARTIFACTS / "form-ar-320-errors.png"), full_page=True)
        page.goto(f"{page.base}{prefix}/help")
        page.check("input[name=asker][value=family]")  # the helper's questions open
        page.fill("#helper_name", "Mariam")
        assert no_horizontal_scroll(page)
        page.screenshot(path=str(ARTIFACTS / "form-ar-320.png"), full_page=True)


def test_typed_text_takes_its_own_direction(page, app):
    """dir="auto": an Arabic name typed on the English form runs right to left,
    a Latin name on the Arabic form left to right; phone and email always ltr."""
    page.goto(f"{page.base}/help")
    walk_until(page, 3)
    page.fill("#name", "مريم")
    assert page.eval_on_selector("#name", "e => getComputedStyle(e).direction") == "rtl"
    page.goto(f"{page.base}/ar/help")
    walk_until(page, 3)
    page.fill("#name", "Mariam")
    assert page.eval_on_selector("#name", "e => getComputedStyle(e).direction") == "ltr"
    walk_until(page, 4)
    page.fill("#summary", "أحتاج مساعدة")
    assert page.eval_on_selector("#summary", "e => getComputedStyle(e).direction") == "rtl"
    assert page.eval_on_selector("#phone", "e => getComputedStyle(e).direction") == "ltr"


def walk_until(page, number: int):
    """Answer the pages before page ``number`` and continue to it."""
    step = page.locator("input[name=step]")
    while int(step.input_value()) < number:
        here = step.input_value()
        answer_shown(page, answers_of("Mariam"))
        page.locator(CONTINUE).click()
        expect(page.locator(f"input[name=step][value='{here}']")).to_have_count(0)
