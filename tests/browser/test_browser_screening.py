"""A person asks for help through the screening form (real Chromium)."""

import re
from datetime import date
from urllib.parse import urlsplit

import pytest
from playwright.sync_api import expect

from intake import timeutil
from intake.cases.help_requests import format_reference
from tests.support.a11y import assert_no_axe_violations
from tests.support.browser import (
    REFERENCE,
    SETTLE_TIMEOUT_MS,
    assert_focused,
    fill_with_pointer,
)
from tests.support.form import requests_in

pytestmark = pytest.mark.browser


@pytest.fixture(autouse=True)
def frozen_today(monkeypatch):
    monkeypatch.setattr(timeutil, "today", lambda: date(2026, 5, 1))


def assert_stayed_on_site(page):
    own = urlsplit(page.base).netloc
    assert page.requested
    assert {urlsplit(u).netloc for u in page.requested if not u.startswith("data:")} == {own}


def change_name_and_send(page, app):
    """On "check your answers": change the name, continue, send; return the reference."""
    expect(page.get_by_role("heading", level=1)).to_have_text(
        "Check your answers", timeout=SETTLE_TIMEOUT_MS
    )
    page.get_by_role("button", name="Change What name should we use for you?").click()
    name = page.get_by_label("What name should we use for you?")
    assert name.input_value() == "Mariam"
    assert_focused(page, "name")
    # Nothing to retype: the other pages' answers ride along.
    assert page.locator("input[name=arrival_year]").input_value() == "2025"
    name.fill("Mariam K.")
    page.get_by_role("button", name="Continue").click()
    expect(page.locator("main")).to_contain_text("Mariam K.", timeout=SETTLE_TIMEOUT_MS)
    page.get_by_role("button", name="Send my request").click()
    reference = page.locator(".reference").inner_text()
    assert REFERENCE.match(reference)
    rows = requests_in(app)
    assert len(rows) == 1 and rows[0].name == "Mariam K."
    assert format_reference(rows[0].reference) == reference
    assert rows[0].urgency == "critical"  # the hearing is 9 days away
    return reference


def test_with_javascript_off_a_person_fills_reviews_changes_and_sends(chromium, live_server, app):
    context = chromium.new_context(java_script_enabled=False)
    page = context.new_page()
    page.requested = []
    page.on("request", lambda request: page.requested.append(request.url))
    page.base = live_server.url
    try:
        page.goto(page.base + "/help")
        page.get_by_role("button", name="Continue").click()
        # The click returns once the answer page is committed, maybe not yet
        # parsed: wait for what is read rather than reading it once.
        expect(page).to_have_title(re.compile(r"^Error: "), timeout=SETTLE_TIMEOUT_MS)
        expect(page.get_by_role("alert")).to_be_visible(timeout=SETTLE_TIMEOUT_MS)
        assert_focused(page, "error-summary")
        page.get_by_role("link", name="Say who you are asking for.").click()
        expect(page).to_have_url(re.compile(r"#asker$"), timeout=SETTLE_TIMEOUT_MS)
        fill_with_pointer(page)
        page.get_by_role("button", name="Continue").click()
        change_name_and_send(page, app)
        assert_stayed_on_site(page)
    finally:
        context.close()


def tab_until(page, condition: str, limit: int = 120):
    """Press Tab until the focused element satisfies a JS ``condition`` on ``el``."""
    for _ in range(limit):
        page.keyboard.press("Tab")
        if page.evaluate(f"(el => {condition})(document.activeElement)"):
            return
    raise AssertionError(f"Tab never reached {condition}")


def tab_to(page, element_id: str):
    tab_until(page, f"el.id === {element_id!r}")


def continue_by_keyboard(page, number: int):
    """Tab to Continue, press Enter, wait for page ``number``."""
    tab_until(page, "el.textContent === 'Continue'")
    page.keyboard.press("Enter")
    expect(page.locator("input[name=step]")).to_have_value(str(number), timeout=SETTLE_TIMEOUT_MS)


def test_keyboard_only_a_person_fills_reviews_changes_and_sends(page, app):
    page.goto(page.base + "/help")
    tab_to(page, "asker")  # first radio of the group; Space chooses it, arrows move and choose
    page.keyboard.press("Space")  # Me
    tab_to(page, "detained")
    page.keyboard.press("ArrowRight")  # No (two answers side by side)
    tab_to(page, "in_us")
    page.keyboard.press("Space")  # Yes
    tab_to(page, "hearing")
    page.keyboard.press("Space")  # Yes: the date follows in the tab order
    tab_to(page, "hearing_day")
    page.keyboard.type("10")
    page.keyboard.press("Tab")
    page.keyboard.type("May")  # the month is a list of names: typing picks one
    page.keyboard.press("Tab")
    page.keyboard.type("2026")
    tab_to(page, "decided")
    page.keyboard.press("ArrowDown")  # No
    continue_by_keyboard(page, 2)
    tab_to(page, "arrival_month")
    page.keyboard.type("August")
    page.keyboard.press("Tab")
    page.keyboard.type("2025")
    tab_to(page, "i589_filed")
    page.keyboard.press("ArrowDown")
    continue_by_keyboard(page, 3)
    tab_to(page, "birth_month")
    page.keyboard.type("April")
    page.keyboard.press("Tab")
    page.keyboard.type("1990")
    tab_to(page, "claim_types")
    page.keyboard.press("Space")  # Asylum
    tab_to(page, "name")
    page.keyboard.type("Mariam")
    tab_to(page, "nationality")
    page.keyboard.press("ArrowDown")  # Afghanistan, first after "Choose one"
    page.keyboard.press("Tab")
    for _ in range(7):  # English, Spanish, French, Haitian Creole, Portuguese, Arabic, Dari
        page.keyboard.press("ArrowDown")
    page.keyboard.press("Tab")
    page.keyboard.type("California")
    continue_by_keyboard(page, 4)
    tab_to(page, "phone")
    page.keyboard.type("+1 415 555 0100")
    # Enter in a text box is Continue, never a language button: the voicemail
    # question is still unanswered, so this page comes back with its error.
    page.keyboard.press("Enter")
    expect(page.locator("#error-summary")).to_be_visible(timeout=SETTLE_TIMEOUT_MS)
    assert page.locator("input[name=step]").input_value() == "4"
    assert page.locator("html").get_attribute("lang") == "en"
    tab_to(page, "safe_to_message")
    page.keyboard.press("ArrowDown")
    page.keyboard.press("ArrowDown")  # Not sure
    continue_by_keyboard(page, 5)
    tab_to(page, "represented")
    page.keyboard.press("ArrowDown")  # No
    tab_to(page, "can_pay")
    page.keyboard.press("ArrowDown")
    tab_to(page, "household_size")
    page.keyboard.type("2")
    tab_to(page, "share_consent")
    page.keyboard.press("ArrowRight")  # No
    tab_to(page, "consent")
    page.keyboard.press("Space")
    tab_until(page, "el.textContent === 'Continue'")
    page.keyboard.press("Enter")
    page.wait_for_selector("text=Check your answers")
    assert "Dari" in page.locator("main").inner_text()

    tab_until(page, "el.name === 'change' && el.value === 'name'")
    page.keyboard.press("Enter")
    page.wait_for_url("**/help#name")
    assert_focused(page, "name")
    page.keyboard.press("Control+A")
    page.keyboard.type("Mariam K.")
    tab_until(page, "el.textContent === 'Continue'")
    page.keyboard.press("Enter")
    page.wait_for_selector("text=Check your answers")
    tab_until(page, "el.textContent === 'Send my request'")
    page.keyboard.press("Enter")
    page.wait_for_selector(".reference")
    rows = requests_in(app)
    assert len(rows) == 1
    row = rows[0]
    assert (row.name, row.nationality, row.preferred_language, row.state) == (
        "Mariam K.",
        "AF",
        "prs",
        "CA",
    )
    assert row.safe_to_message == "not_sure" and row.claim_types == " asylum "
    assert page.locator(".reference").inner_text() == format_reference(row.reference)
    assert_stayed_on_site(page)


@pytest.mark.races
def test_a_double_click_on_send_makes_one_request(page, app, monkeypatch):
    """The second click lands while the first request is still being stored (a slow
    server), so both reach the server and race; one row, one reference."""
    import time

    from intake.public.screening import views as screening

    real_create = screening.create_request
    running = []

    def slow_create(*args, **kwargs):
        running.append(1)
        try:
            time.sleep(0.5)
            return real_create(*args, **kwargs)
        finally:
            running.pop()

    monkeypatch.setattr(screening, "create_request", slow_create)
    page.goto(page.base + "/help")
    page.get_by_role("button", name="Continue").click()
    assert_no_axe_violations(page)  # the form with every error showing
    fill_with_pointer(page)
    page.get_by_role("button", name="Continue").click()
    assert_no_axe_violations(page)  # check your answers
    # The first request is on its way (and slow) when the impatient second click lands.
    page.evaluate(
        """() => {
            const send = [...document.querySelectorAll("button")]
                .find(b => b.textContent.trim() === "Send my request");
            send.click();
            setTimeout(() => send.click(), 150);
        }"""
    )
    page.wait_for_selector(".reference")
    assert sum(url.endswith("/help/submit") for url in page.requested) == 2  # both were sent
    for _ in range(50):  # the browser dropped the first response; let the server finish it
        if not running:
            break
        time.sleep(0.1)
    rows = requests_in(app)
    assert len(rows) == 1
    assert page.locator(".reference").inner_text() == format_reference(rows[0].reference)
    assert_no_axe_violations(page)
    assert_stayed_on_site(page)


def test_escape_twice_leaves_the_site_without_a_way_back(page, app):
    app.config["QUICK_EXIT_URL"] = page.base + "/healthz"  # neutral, and on our server
    page.goto(page.base + "/help")
    page.wait_for_load_state("load")
    entries = page.evaluate("history.length")
    page.keyboard.press("Escape")
    page.keyboard.press("Escape")
    page.wait_for_url("**/healthz")
    assert page.evaluate("history.length") == entries  # replaced, not pushed
