"""What a partner's page learns from our frames' height messages: nothing of the
answers. The host page (another origin) records every message the frame posts;
two people answering differently, and a right and a wrong status lookup, must
produce the very same messages."""

from datetime import date

import pytest

from intake import timeutil
from intake.cases import status_codes
from intake.public import embed
from intake.public.screening.form import STEP_COUNT
from tests.support.browser import REFERENCE, choose, fill_with_pointer

pytestmark = pytest.mark.browser

RECORDER = (
    "<script>window.received = [];"
    " addEventListener('message', function (e) {"
    "  var frame = document.querySelector('iframe');"
    "  if (frame && e.source === frame.contentWindow) received.push(JSON.stringify(e.data));"
    " });</script>"
)
QUIET = 600  # ms to wait for any message a change might still post


@pytest.fixture(autouse=True)
def frozen_today(monkeypatch):
    """The answers of fill_with_pointer (a hearing on 10 May 2026) need this date."""
    monkeypatch.setattr(timeutil, "today", lambda: date(2026, 5, 1))


def messages_after(page, count: int) -> list[str]:
    page.wait_for_function(f"received.length >= {count}")
    page.wait_for_timeout(QUIET)
    return page.evaluate("received")


def the_form_answered(browser, app, our_site, host, partner, answer) -> list[str]:
    """Every message the frame posts while one person fills and sends the form."""
    with app.test_request_context(base_url=our_site.url):
        host.show(RECORDER + embed.snippets(partner, "en")["script"])
    context = browser.new_context(viewport={"width": 390, "height": 800})
    try:
        page = context.new_page()
        page.goto(host.url)
        page.get_by_role("link", name="Ask for free legal help").click()
        frame = page.frame_locator("iframe.intake-frame")
        frame.get_by_role("heading", name="Ask for free legal help").wait_for()
        on_load = messages_after(page, 1)
        # Follow-ups appear and vanish, and each page answers a post: the frame
        # is only ever told to keep its height.
        answer(frame)
        frame.get_by_role("button", name="Continue", exact=True).click()
        frame.get_by_role("heading", name="Check your answers").wait_for()
        frame.get_by_role("button", name="Send my request").click()
        assert REFERENCE.match(frame.locator(".reference").inner_text())
        return messages_after(page, len(on_load) + STEP_COUNT)
    finally:
        context.close()


def briefly(frame):
    fill_with_pointer(frame)


def at_length(frame):
    """Answers that show more: detention with its facility (critical: the hotline
    lines on the confirmation), and a long summary."""

    def more(page, number):
        if number == 1:
            choose(page, "immigration detention", "Yes")
            page.locator("#detention_facility").fill("Adelanto ICE Processing Center")
        if number == 4:
            page.locator("#summary").fill("I need help with my hearing and my papers. " * 8)

    fill_with_pointer(frame, more)


def test_the_form_and_confirmation_post_the_same_heights_whatever_is_answered(
    cookieless_chromium, app, our_site, host, make_partner
):
    partner = make_partner(name="Partner", origins=(host.url,))
    brief = the_form_answered(cookieless_chromium, app, our_site, host, partner, briefly)
    long = the_form_answered(cookieless_chromium, app, our_site, host, partner, at_length)
    assert brief == long
    # One rounded height for the empty form, then "keep the frame as it is".
    assert brief[0].startswith('{"type":"intake:height","height":')
    assert int(brief[0].split('"height":')[1].split(",")[0]) % 400 == 0
    assert brief[1:] == ['{"type":"intake:height","keep":true,"page":true}'] * STEP_COUNT


CODE = "7QM4XPD2"


def the_status_looked_up(browser, our_site, host, partner, reference, code) -> list[str]:
    src = f"{our_site.url}/embed/status?partner={partner.key}"
    host.show(RECORDER + f'<iframe title="Status" src="{src}" width="600" height="900"></iframe>')
    context = browser.new_context()
    try:
        page = context.new_page()
        page.goto(host.url)
        frame = page.frame_locator("iframe")
        on_load = messages_after(page, 1)
        frame.get_by_label("Your reference").fill(reference)
        frame.get_by_label("Your status code").fill(code)
        frame.get_by_role("button", name="Check").click()
        return messages_after(page, len(on_load) + 1)
    finally:
        context.close()


def test_the_status_page_posts_the_same_heights_whether_the_code_is_right_or_not(
    cookieless_chromium, app, our_site, host, make_partner, make_request
):
    partner = make_partner(name="Partner", origins=(host.url,))
    reference = "K7QM4XPD2H"
    with app.app_context():
        hashed = status_codes.code_hash(reference, CODE)
    make_request(reference=reference, status="in_review", status_code_hash=hashed)
    looked_up = [
        the_status_looked_up(cookieless_chromium, our_site, host, partner, reference, code)
        for code in (CODE, "ZZZZZZZZ")
    ]
    assert looked_up[0] == looked_up[1]
    assert looked_up[0][-1] == '{"type":"intake:height","keep":true,"page":true}'
