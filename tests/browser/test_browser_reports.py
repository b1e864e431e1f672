"""The reports in Chromium on seed-demo data: the charts render as inline SVG,
nothing breaks the CSP, axe finds nothing, and the page reads at 320 px, in
forced colours and in print."""

from urllib.parse import urlsplit

import pytest

from intake.db import db
from intake.models import Funder
from intake.ops.demo import seed_demo
from tests.support.a11y import assert_accessible
from tests.support.browser import browser_login

pytestmark = pytest.mark.browser

# Collects every CSP violation the page reports (an init script runs before the
# page's own and is not subject to its CSP).
WATCH_CSP = """
window.__csp = [];
document.addEventListener('securitypolicyviolation',
  e => window.__csp.push(e.violatedDirective + ' ' + e.blockedURI));
"""


def charts_drawn(page) -> int:
    """Inline charts with a visible size and at least one drawn shape."""
    return page.evaluate(
        """() => [...document.querySelectorAll('.chart svg')].filter(svg => {
             const box = svg.getBoundingClientRect();
             return box.width > 100 && box.height > 50 && svg.querySelector('rect, path');
           }).length"""
    )


@pytest.fixture
def demo(app):
    with app.app_context():
        seed_demo(app, 400)
        return db.session.execute(db.select(Funder.id).order_by(Funder.id)).scalars().first()


def test_reports_render_on_demo_data(app, page, make_staff, demo):
    problems = []
    page.on("console", lambda m: m.type == "error" and problems.append(m.text))
    page.add_init_script(WATCH_CSP)
    analyst = make_staff("analyst")
    page.goto(page.base + "/staff/login")
    page.get_by_label("Email").fill(analyst.email)
    page.get_by_label("Password").fill(analyst.password)
    import pyotp

    page.get_by_label("Code from your authenticator app").fill(
        pyotp.TOTP(analyst.totp_secret).now()
    )
    page.get_by_role("button", name="Log in").click()
    page.wait_for_url("**/staff/reports/")
    tables = page.locator("table").count()
    assert charts_drawn(page) >= 10 and charts_drawn(page) == page.locator(".chart svg").count()
    assert tables >= 10
    assert page.get_by_role("img", name="Dispositions. Chart; the numbers are in the table.")
    # The figures casework made possible, each a drawn chart beside its table.
    for chart in (
        "Hours from request to first contact and closing",
        "Age when the request was sent",
        "Referral outcomes by organisation: Demo: Riverside Immigrant Legal Clinic",
    ):
        name = f"{chart}. Chart; the numbers are in the table."
        assert page.get_by_role("img", name=name).count() == 1, chart
    for caption in (
        "Time from request to first contact attempt and to closing",
        "Referral outcomes by organisation",
        "Age when the request was sent",
    ):
        assert page.get_by_role("table", name=caption).count() == 1, caption
    assert page.get_by_text("not recorded yet").count() == 0
    assert_accessible(page)

    page.get_by_label("Group by").select_option("week")
    page.get_by_role("button", name="Show").click()
    page.wait_for_url("**by=week**")
    assert charts_drawn(page) >= 10
    assert_accessible(page)

    page.goto(page.base + f"/staff/reports/funders/{demo}")
    assert page.get_by_role("heading", level=1).inner_text().startswith("Report for Demo:")
    assert charts_drawn(page) >= 10
    assert_accessible(page)

    # 320 px wide: nothing wider than the screen but the tables' own scrolling region.
    page.set_viewport_size({"width": 320, "height": 800})
    page.goto(page.base + "/staff/reports/")
    assert page.evaluate("document.documentElement.scrollWidth") <= 320
    assert charts_drawn(page) >= 10
    assert_accessible(page)

    # Forced colours (Windows high contrast) and print: the charts are still drawn.
    page.emulate_media(forced_colors="active")
    assert charts_drawn(page) >= 10
    page.emulate_media(forced_colors="none", media="print")
    assert page.locator(".report-filters").is_hidden()
    assert charts_drawn(page) >= 10

    assert page.evaluate("window.__csp") == []
    assert problems == []
    own = urlsplit(page.base).netloc
    assert {urlsplit(u).netloc for u in page.requested if not u.startswith("data:")} == {own}


def test_browser_login_helper_still_lands_staff_on_the_queue(page, make_staff):
    browser_login(page, make_staff("admin"))
    assert page.get_by_role("link", name="Reports").is_visible()
