"""The screening form in a real browser, in English, Spanish and Arabic: axe-core
(WCAG 2.0/2.1/2.2 A and AA) on every step, reflow at 320 px, and what visitors
type keeping its own direction."""

from datetime import date

import pytest

from intake import timeutil
from tests.support import ROOT

pytestmark = pytest.mark.browser

ARTIFACTS = ROOT / "test-artifacts"


@pytest.fixture(autouse=True)
def frozen_today(monkeypatch):
    monkeypatch.setattr(timeutil, "today", lambda: date(2026, 5, 1))


def pick(page, name: str, value: str):
    page.locator(f'input[name="{name}"][value="{value}"]').check()


def fill_by_name(page, person: str):
    """Every question answered through names and values, not labels, so the same
    steps work in any language."""
    for name, value in (
        ("represented", "no"),
        ("can_pay", "no"),
        ("claim_types", "asylum"),
        ("detained", "no"),
        ("hearing", "no"),
        ("i589_filed", "no"),
        ("minor", "no"),
        ("safe_to_message", "no"),
    ):
        pick(page, name, value)
    page.fill("#household_size", "2")
    page.fill("#monthly_income", "900")
    page.fill("#arrival_month", "8")
    page.fill("#arrival_year", "2025")
    page.fill("#name", person)
    page.select_option("#nationality", "AF")
    page.select_option("#preferred_language", "prs")
    page.select_option("#state", "CA")
    page.fill("#email", "mariam@example.org")
    page.check("#consent")


def no_horizontal_scroll(page) -> bool:
    return page.evaluate(
        "document.documentElement.scrollWidth <= document.documentElement.clientWidth"
    )


@pytest.mark.parametrize(("prefix", "person"), [("", "Mariam"), ("/es", "María"), ("/ar", "مريم")])
def test_every_step_of_the_form_has_no_axe_violations(page, app, axe_check, prefix, person):
    page.goto(f"{page.base}{prefix}/help")
    axe_check(page)  # blank
    page.locator("form.help-form button[type=submit]").click()
    page.wait_for_selector("#error-summary")
    axe_check(page)  # after a failed submit, errors shown
    fill_by_name(page, person)
    page.locator("form.help-form button[type=submit]").click()
    page.wait_for_url(f"**{prefix}/help/check")
    assert page.locator(f"bdi:text-is('{person}')").count() == 1
    axe_check(page)  # check your answers
    page.locator("main form > p > button.button").click()
    page.wait_for_selector(".reference")
    axe_check(page)  # confirmation


@pytest.mark.parametrize("prefix", ["", "/ar"])
def test_form_reflows_at_320px(page, app, prefix):
    page.set_viewport_size({"width": 320, "height": 640})
    page.goto(f"{page.base}{prefix}/help")
    assert no_horizontal_scroll(page)
    page.locator("form.help-form button[type=submit]").click()
    page.wait_for_selector("#error-summary")
    assert no_horizontal_scroll(page)
    if prefix == "/ar":
        assert page.evaluate("getComputedStyle(document.body).direction") == "rtl"
        ARTIFACTS.mkdir(exist_ok=True)
        page.screenshot(path=str(ARTIFACTS / "form-ar-320-errors.png"), full_page=True)
        page.goto(f"{page.base}{prefix}/help")
        page.fill("#name", "Mariam")
        page.screenshot(path=str(ARTIFACTS / "form-ar-320.png"), full_page=True)


def test_typed_text_takes_its_own_direction(page, app):
    """dir="auto": an Arabic name typed on the English form runs right to left,
    a Latin name on the Arabic form left to right; phone and email always ltr."""
    page.goto(f"{page.base}/help")
    page.fill("#name", "مريم")
    assert page.eval_on_selector("#name", "e => getComputedStyle(e).direction") == "rtl"
    page.goto(f"{page.base}/ar/help")
    page.fill("#name", "Mariam")
    assert page.eval_on_selector("#name", "e => getComputedStyle(e).direction") == "ltr"
    page.fill("#summary", "أحتاج مساعدة")
    assert page.eval_on_selector("#summary", "e => getComputedStyle(e).direction") == "rtl"
    assert page.eval_on_selector("#phone", "e => getComputedStyle(e).direction") == "ltr"
