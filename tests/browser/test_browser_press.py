"""A person reads the release and follows the call to action (real Chromium)."""

from urllib.parse import urlsplit

import pytest

from tests.support.browser import assert_focused

pytestmark = pytest.mark.browser


def test_reader_follows_the_call_to_action_without_leaving_the_site(page, seeded):
    page.goto(page.base + "/")
    assert page.title().startswith("Press releases")
    page.get_by_role(
        "link", name="Russian Delegation Visit to Syria Viewed with Skepticism"
    ).click()
    page.wait_for_url("**/press/russian-delegation-visit-to-syria-viewed-with-skepticism")
    assert page.get_by_role("heading", level=1).inner_text() == (
        "Russian Delegation Visit to Syria Viewed with Skepticism"
    )
    cta = page.get_by_role("complementary", name="Seeking asylum?")
    assert cta.is_visible()
    assert "we can help." in cta.inner_text()
    cta.get_by_role("link", name="Ask for free legal help").click()
    page.wait_for_url("**/help?from=*")
    assert urlsplit(page.url).path == "/help"
    own = urlsplit(page.base).netloc
    assert page.requested, "no request was recorded"
    assert {urlsplit(u).netloc for u in page.requested if not u.startswith("data:")} == {own}


def test_release_reflows_at_320px_and_skip_link_works(page, seeded):
    page.set_viewport_size({"width": 320, "height": 640})
    page.goto(page.base + "/press/russian-delegation-visit-to-syria-viewed-with-skepticism")
    scroll_width = page.evaluate("document.documentElement.scrollWidth")
    assert scroll_width <= 320
    page.keyboard.press("Tab")
    focused = page.evaluate("document.activeElement.textContent")
    assert focused == "Skip to main content"
    page.keyboard.press("Enter")
    assert_focused(page, "main")
