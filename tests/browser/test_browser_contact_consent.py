"""The question of how the person may be reached, in a real browser and in
Arabic (right to left): ticked with the keyboard, a wrong number for messages
caught with its error in the summary and focused from it, axe clean, and the
answer on "Check your answers"."""

from datetime import date

import pytest
from playwright.sync_api import expect

from intake import timeutil
from tests.support import ROOT
from tests.support.browser import CONTINUE, answer_shown
from tests.support.form import VALID

pytestmark = pytest.mark.browser

ARTIFACTS = ROOT / "test-artifacts"


@pytest.fixture(autouse=True)
def frozen_today(monkeypatch):
    monkeypatch.setattr(timeutil, "today", lambda: date(2026, 5, 1))


def to_contact_page(page, prefix: str):
    """Answer the first three pages with valid answers."""
    page.goto(f"{page.base}{prefix}/help")
    for _ in range(3):
        answer_shown(page, {k: v for k, v in VALID.items() if k != "phone"})
        with page.expect_navigation():
            page.locator(CONTINUE).click()
    expect(page.locator('input[name="reach_by"][value="text"]')).to_be_visible()


def test_the_ways_to_reach_are_ticked_by_keyboard_checked_and_shown_again(page, app, axe_check):
    to_contact_page(page, "/ar")
    assert page.locator("html").get_attribute("dir") == "rtl"
    page.locator('input[name="phone"]').fill("+1 212 555 0100")
    page.locator('input[name="safe_to_message"][value="yes"]').check()
    text = page.locator('input[name="reach_by"][value="text"]')
    text.focus()
    page.keyboard.press("Space")
    page.keyboard.press("Tab")
    page.keyboard.press("Space")  # the next box: WhatsApp
    expect(text).to_be_checked()
    expect(page.locator('input[name="reach_by"][value="whatsapp"]')).to_be_checked()
    assert page.locator('input[name="reach_by"][value="helper"]').count() == 0
    page.locator('input[name="message_phone"]').fill("+1 555 555 5555")
    axe_check(page)
    page.screenshot(path=str(ARTIFACTS / "contact-consent-ar.png"), full_page=True)
    with page.expect_navigation():
        page.locator(CONTINUE).click()

    summary = page.locator("#error-summary")
    expect(summary).to_be_visible()
    summary.locator('a[href="#message_phone"]').click()
    expect(page.locator('input[name="message_phone"]')).to_be_focused()
    axe_check(page)  # the errors shown

    page.locator('input[name="message_phone"]').fill("+52 55 1234 5678")
    with page.expect_navigation():
        page.locator(CONTINUE).click()
    answer_shown(page, VALID)
    with page.expect_navigation():
        page.locator(CONTINUE).click()
    expect(page.get_by_role("heading", level=1)).to_have_text("راجع إجاباتك")
    answers = page.locator(".answer-row", has=page.locator('button[value="reach_by"]'))
    expect(answers).to_contain_text("رسالة نصية (SMS)")
    expect(answers).to_contain_text("واتساب")
    expect(page.locator("bdi", has_text="+52 55 1234 5678")).to_have_count(1)
    axe_check(page)
