"""A paralegal at 1280 px works through the queue (real Chromium): the queue fits
with its reasons and assignees, the case's action bar stays in view, keys move
between cases and open the case's forms (never while typing), and a saved form
comes back at its section with the queue's filters kept."""

import re
from datetime import date, timedelta

import pytest
from playwright.sync_api import expect

from intake.timeutil import utcnow
from tests.support.a11y import assert_accessible
from tests.support.browser import browser_login, wait_until

pytestmark = pytest.mark.browser

LONG_EMAIL = "a.very-long-staff-address.for-the-queue@legal-help-organisation.example.org"


@pytest.fixture
def at_1280(page):
    page.set_viewport_size({"width": 1280, "height": 800})
    return page


def made_queue(make_request, make_staff, assignee_email=LONG_EMAIL):
    """Three French requests (a detained one, a hearing in 20 days, a high one
    with no date) and a Dari one, all assigned to someone with a long address."""
    colleague = make_staff("reviewer", email=assignee_email)
    soon = date.today() + timedelta(days=20)
    french = dict(preferred_language="French", assignee_id=colleague.id)
    high = make_request(urgency="high", created_at=utcnow() - timedelta(days=30), **french)
    hearing = make_request(
        urgency="high",
        hearing="yes",
        hearing_date=soon,
        dated_events=f'[["{soon.isoformat()}", "hearing"]]',
        next_event_on=soon,
        **french,
    )
    detained = make_request(urgency="critical", detained=True, **french)
    make_request(preferred_language="Dari", urgency="critical")
    return detained, hearing, high


def test_the_queue_fits_1280_with_reasons_and_assignees(
    at_1280, make_staff, make_request, tmp_path
):
    page = at_1280
    detained, hearing, high = made_queue(make_request, make_staff)
    browser_login(page, make_staff("reviewer"))
    page.goto(page.url.split("/staff")[0] + "/staff/?language=French")
    table = page.get_by_role("table", name=re.compile("nearest hearing or deadline"))
    rows = table.locator("tbody tr")
    expect(rows).to_have_count(3)
    assert rows.nth(0).locator("td.why").inner_text() == "Detained"
    assert rows.nth(1).locator("td.why").inner_text() == "Hearing in 20 d"
    # Nothing scrolls sideways and the assignee's whole address is in view.
    scroller = page.locator(".table-scroll").first
    assert scroller.evaluate("e => e.scrollWidth <= e.clientWidth"), "the table scrolls sideways"
    cell = rows.nth(0).locator("td").last
    box = cell.bounding_box()
    assert box["x"] + box["width"] <= 1280
    assert cell.evaluate("e => e.scrollWidth <= e.clientWidth")
    assert LONG_EMAIL.replace("-", "") in cell.inner_text().replace("\n", "").replace("-", "")
    page.screenshot(path=str(tmp_path / "queue-1280.png"), full_page=True)
    assert_accessible(page)


def test_keys_and_the_action_bar_on_a_case(at_1280, make_staff, make_request):
    page = at_1280
    detained, hearing, high = made_queue(make_request, make_staff)
    browser_login(page, make_staff("reviewer"))
    base = page.url.split("/staff")[0]
    page.goto(base + "/staff/?language=French")
    expect(page.get_by_text("j next case in the table")).to_be_visible()

    # j moves to the first case of the table, Enter opens it.
    page.keyboard.press("j")
    page.keyboard.press("Enter")
    page.wait_for_url(re.compile(rf"/staff/cases/{detained.reference}\?queue=language%3DFrench$"))
    bar = page.get_by_role("navigation", name="Case actions")
    expect(bar.get_by_text("j next case, k previous case")).to_be_visible()
    assert_accessible(page)

    # The bar stays at the top of the window however far the page scrolls.
    page.mouse.wheel(0, 4000)
    wait_until(page, "window.scrollY > 1000")
    top = bar.bounding_box()["y"]
    assert -1 <= top <= 1, top
    expect(bar.get_by_role("link", name="Write a letter")).to_be_in_viewport()

    # c opens "Log a contact attempt" ready to fill in; a key pressed in a field
    # is the field's (n does not jump to the note from the channel list).
    page.keyboard.press("c")
    expect(page.locator("#contact-channel")).to_be_focused()
    page.keyboard.press("n")
    expect(page.locator("#contact-channel")).to_be_focused()
    page.locator("#contact-channel").blur()
    page.keyboard.press("n")
    expect(page.locator("#note-text")).to_be_focused()
    page.keyboard.type("jk")
    expect(page.locator("#note-text")).to_have_value("jk")
    assert detained.reference in page.url  # no case change while typing

    # j (outside a field) goes to the next case of the same filtered queue.
    page.locator("#note-text").blur()
    page.keyboard.press("j")
    page.wait_for_url(re.compile(rf"/staff/cases/{hearing.reference}\?queue="))
    page.keyboard.press("k")
    page.wait_for_url(re.compile(rf"/staff/cases/{detained.reference}\?queue="))
    page.keyboard.press("u")
    page.wait_for_url(re.compile(r"/staff/\?language=French$"))


def test_a_saved_form_comes_back_at_its_section(at_1280, make_staff, make_request):
    page = at_1280
    detained, hearing, high = made_queue(make_request, make_staff)
    browser_login(page, make_staff("reviewer"))
    base = page.url.split("/staff")[0]
    page.goto(base + f"/staff/cases/{hearing.reference}?queue=language%3DFrench")
    page.get_by_label("Add a note").fill("Hearing notice seen.")
    page.get_by_role("button", name="Add note", exact=True).click()
    page.wait_for_url(
        re.compile(rf"/staff/cases/{hearing.reference}\?queue=language%3DFrench#notes$")
    )
    expect(page.get_by_text("Note added.")).to_be_attached()
    heading = page.get_by_role("heading", name="Internal notes")
    expect(heading).to_be_in_viewport()
    # Not hidden under the sticky bar.
    bar = page.get_by_role("navigation", name="Case actions").bounding_box()
    assert heading.bounding_box()["y"] >= bar["y"] + bar["height"] - 1

    # Save and open the next case of the same filtered queue.
    page.get_by_label("Add a note").fill("Next one.")
    page.get_by_role("button", name="Add and open the next case").click()
    page.wait_for_url(re.compile(rf"/staff/cases/{high.reference}\?queue=language%3DFrench$"))
    page.get_by_role("link", name="Back to the queue").click()
    page.wait_for_url(re.compile(r"/staff/\?language=French$"))
