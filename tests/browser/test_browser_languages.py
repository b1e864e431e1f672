"""Right to left and reflow in a real browser: the Arabic release at 320 px, and
changing language with the keyboard keeps the visitor on the same page."""

import pytest

from tests.support import ROOT

pytestmark = pytest.mark.browser

SLUG = "russian-delegation-visit-to-syria-viewed-with-skepticism"
ARTIFACTS = ROOT / "test-artifacts"


def no_horizontal_scroll(page) -> bool:
    return page.evaluate(
        "document.documentElement.scrollWidth <= document.documentElement.clientWidth"
    )


@pytest.mark.parametrize("prefix", ["", "/ar"])
def test_release_reflows_at_320px(page, seeded, prefix):
    page.set_viewport_size({"width": 320, "height": 640})
    page.goto(f"{page.base}{prefix}/press/{SLUG}")
    assert no_horizontal_scroll(page)
    if prefix == "/ar":
        assert page.evaluate("getComputedStyle(document.body).direction") == "rtl"
        # The English body keeps its own direction inside the Arabic page.
        assert (
            page.evaluate("getComputedStyle(document.querySelector('.release-body')).direction")
            == "ltr"
        )
        # Right to left: the call to action's bar is on the right-hand side.
        cta = page.locator(".cta")
        assert cta.evaluate("e => getComputedStyle(e).borderRightWidth") == "6px"
        ARTIFACTS.mkdir(exist_ok=True)
        page.screenshot(path=str(ARTIFACTS / "release-ar-320.png"), full_page=True)


def test_keyboard_user_switches_language_and_stays_on_the_page(page, seeded):
    page.goto(f"{page.base}/press/{SLUG}")
    link = page.locator('nav.languages a[lang="ar"]')
    link.focus()
    page.keyboard.press("Enter")
    page.wait_for_url(f"**/ar/press/{SLUG}")
    assert page.locator("html").get_attribute("dir") == "rtl"
    assert page.locator('nav.languages a[aria-current="true"]').inner_text() == "العربية"
    assert page.get_by_role("heading", level=1).inner_text() == (
        "Russian Delegation Visit to Syria Viewed with Skepticism"
    )
