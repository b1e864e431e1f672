"""The form's pages in Chromium: the quick exit that leaves nothing behind, the
whole form with JavaScript off in Arabic with a language switch half-way, a
sister asking for her detained brother, and each page's height on a phone."""

from datetime import date

import pytest
from playwright.sync_api import expect

from intake import timeutil
from tests.support.browser import CONTINUE, SETTLE_TIMEOUT_MS, answer_shown, walk_pages
from tests.support.form import VALID, requests_in

pytestmark = pytest.mark.browser

PHONE = {"width": 390, "height": 844}


@pytest.fixture(autouse=True)
def frozen_today(monkeypatch):
    monkeypatch.setattr(timeutil, "today", lambda: date(2026, 5, 1))


def typed_values(page) -> list[str]:
    """Every value a person could see in the page's fields (hidden ones included:
    Back must not bring answers back in any form)."""
    return page.evaluate(
        """() => [...document.querySelectorAll("input, select, textarea")]
            .filter(e => !["submit", "button"].includes(e.type))
            .filter(e => !["csrf_token", "from", "step", "website"].includes(e.name))
            .map(e => e.type === "radio" || e.type === "checkbox"
                ? (e.checked ? e.name + "=" + e.value : "")
                : e.tagName === "SELECT" ? (e.selectedIndex > 0 ? e.name + "=" + e.value : "")
                : e.value)
            .filter(Boolean)"""
    )


def continue_to(page, number: int):
    page.locator(CONTINUE).click()
    expect(page.locator("input[name=step]")).to_have_value(str(number), timeout=SETTLE_TIMEOUT_MS)
    page.wait_for_load_state("load")  # and its scripts (the quick exit's) have run


def test_the_quick_exit_leaves_no_form_page_and_no_answer_behind(page, app):
    app.config["QUICK_EXIT_URL"] = page.base + "/healthz"  # neutral, and on our server
    page.goto(page.base + "/")  # where the person came from
    page.goto(page.base + "/help")
    answer_shown(page, {**VALID, "detained": "yes"})
    page.fill("#detention_facility", "Somewhere")  # a follow-up, typed
    continue_to(page, 2)
    answer_shown(page, VALID)
    continue_to(page, 3)
    page.fill("#name", "Amal typed this")
    page.get_by_role("link", name="Leave this site").click()
    page.wait_for_url("**/healthz")
    page.go_back()
    page.wait_for_load_state("load")
    # Back leads to the page before the form, never to a page of it.
    assert "/help" not in page.url
    assert page.locator("#help-form").count() == 0
    assert typed_values(page) == []
    for _ in range(3):  # and nothing further back is a form page either
        if page.go_back() is None:
            break
        page.wait_for_load_state("load")
        assert page.locator("#help-form").count() == 0 or typed_values(page) == []


def test_shift_three_times_leaves_too(page, app):
    app.config["QUICK_EXIT_URL"] = page.base + "/healthz"
    page.goto(page.base + "/help")
    page.wait_for_load_state("load")
    for _ in range(3):
        page.keyboard.press("Shift")
    page.wait_for_url("**/healthz")


def test_a_page_restored_by_back_shows_no_answer(page, app):
    """The form pages ask not to be stored; if a browser restores one anyway
    (back-forward cache), its fields are emptied on arrival."""
    page.goto(page.base + "/help")
    answer_shown(page, VALID)
    continue_to(page, 2)
    headers = page.evaluate("() => document.querySelector('#help-form').autocomplete")
    assert headers == "off"
    page.evaluate("window.dispatchEvent(new PageTransitionEvent('pageshow', {persisted: true}))")
    assert typed_values(page) == []


def test_the_exit_stays_in_view_at_every_scroll_position_on_a_phone(page, app):
    page.set_viewport_size(PHONE)
    for path in ("/help", "/ar/help", "/es/"):
        page.goto(page.base + path)
        exit_link = page.locator(".quick-exit")
        height = page.evaluate("document.documentElement.scrollHeight")
        for y in range(0, height, 300):
            page.evaluate(f"window.scrollTo(0, {y})")
            box = exit_link.bounding_box()
            assert box and box["y"] >= 0 and box["y"] + box["height"] <= PHONE["height"], (path, y)
            assert box["x"] >= 0 and box["x"] + box["width"] <= PHONE["width"], (path, y)


def test_arabic_with_javascript_off_and_a_language_switch_half_way(chromium, live_server, app):
    context = chromium.new_context(java_script_enabled=False)
    page = context.new_page()
    try:
        page.goto(live_server.url + "/ar/help")
        assert page.locator("html").get_attribute("dir") == "rtl"
        answer_shown(page, VALID)
        continue_to(page, 2)
        answer_shown(page, VALID)
        continue_to(page, 3)
        answer_shown(page, {**VALID, "name": "مريم"})
        # Half-way, switch to Spanish: the same page, every answer still there.
        page.get_by_role("button", name="Español").click()
        expect(page.locator("html")).to_have_attribute("lang", "es", timeout=SETTLE_TIMEOUT_MS)
        assert page.locator("input[name=step]").input_value() == "3"
        assert page.locator("#name").input_value() == "مريم"
        assert page.locator("input[name=arrival_year]").input_value() == "2025"
        # and back to Arabic, as the person prefers.
        page.get_by_role("button", name="العربية").click()
        expect(page.locator("html")).to_have_attribute("lang", "ar", timeout=SETTLE_TIMEOUT_MS)
        assert page.locator("#name").input_value() == "مريم"
        walk_pages(page, {**VALID, "name": "مريم"})
        expect(page.locator("h1")).to_have_text("راجع إجاباتك", timeout=SETTLE_TIMEOUT_MS)
        page.locator("#help-form button.button").first.click()
        page.wait_for_selector(".reference")
        (row,) = requests_in(app)
        assert row.name == "مريم" and row.interface_language == "ar"
    finally:
        context.close()


def test_a_sister_asks_for_her_detained_brother_with_only_her_phone(page, app):
    page.goto(page.base + "/help")
    page.get_by_role("group", name="Who is this request for?").get_by_label(
        "A family member or friend"
    ).check()
    page.get_by_label("Your name", exact=True).fill("Rosa")
    page.get_by_label("How are you related").fill("sister")
    page.get_by_label("Your phone or email address").fill("+1 512 555 0100")
    answer_shown(page, {**VALID, "asker": "family", "detained": "yes"})
    continue_to(page, 2)
    # From now on the questions speak of the person.
    expect(
        page.get_by_text("When did the person last arrive in the United States?")
    ).to_be_visible()
    answer_shown(page, VALID)
    continue_to(page, 3)
    page.get_by_label("What name should we use for the person?").fill("Karim")
    answer_shown(page, {k: v for k, v in VALID.items() if k != "name"})
    continue_to(page, 4)
    expect(page.get_by_text("Give the person's phone number or email address")).to_be_visible()
    assert page.get_by_label("The person's phone number").input_value() == ""
    page.get_by_role("group", name="voicemail").get_by_label("No", exact=True).check()
    continue_to(page, 5)  # no phone or email of his: hers is enough
    answer_shown(page, VALID)
    page.get_by_role("button", name="Continue", exact=True).click()
    expect(page.locator("h1")).to_have_text("Check your answers", timeout=SETTLE_TIMEOUT_MS)
    page.get_by_role("button", name="Send my request").click()
    page.wait_for_selector(".reference")
    (row,) = requests_in(app)
    assert (row.name, row.phone, row.email, row.asker) == ("Karim", None, None, "family")


@pytest.mark.parametrize("prefix", ["", "/ar"])
def test_page_heights_on_a_phone(page, app, prefix, capsys):
    """Printed for the record: each page's height at 390 px."""
    page.set_viewport_size(PHONE)
    page.goto(f"{page.base}{prefix}/help")
    heights = []
    walk_pages(
        page,
        VALID,
        on_each=lambda p: heights.append(p.evaluate("document.documentElement.scrollHeight")),
    )
    heights.append(page.evaluate("document.documentElement.scrollHeight"))
    with capsys.disabled():
        print(f"\n{prefix or '/en'} page heights at 390 px (steps 1-5, check):", heights)
    assert len(heights) == 6 and max(heights[:5]) < 3_000
