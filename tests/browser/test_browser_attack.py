"""Attack suite in a real browser: a case page whose every answer, and a note
added through the page, hold XSS payloads runs no script, opens no dialog,
loads nothing the payloads name and reports no CSP violation."""

import pytest

from tests.support.attack_payloads import XSS
from tests.support.browser import browser_login

pytestmark = pytest.mark.browser

# Payloads that would leave a mark of their own if they ran, besides alert(1).
MARKING = (
    '"><img src=x onerror="window.__xss=1">',
    "<svg><style><img src=x onerror=window.__xss=1></style></svg>",
    "<math><mtext><table><mglyph><style><img src=x onerror=window.__xss=1>",
    '<a href="javascript:window.__xss=1" id="xss-link">javascript:window.__xss=1</a>',
)
ALL = " ".join((*XSS, *MARKING))

WATCH = """
window.__csp = [];
document.addEventListener('securitypolicyviolation', e => {
  window.__csp.push(e.violatedDirective + ' ' + e.blockedURI);
});
"""


def test_case_page_with_payloads_runs_nothing(page, make_staff, make_request):
    case = make_request(
        name=ALL,
        nationality=ALL,
        phone=ALL,
        email=ALL,
        monthly_income=ALL,
        detention_facility=ALL,
        summary=ALL,
        source=ALL[:160],
        preferred_language=ALL[:40],
        reasons='["<img src=x onerror=window.__xss=1>"]',
        urgency="critical",
    )
    reviewer = make_staff("reviewer")
    dialogs, console = [], []
    page.on("dialog", lambda dialog: (dialogs.append(dialog.message), dialog.dismiss()))
    page.on("console", lambda message: console.append(message.text))
    page.add_init_script(WATCH)

    browser_login(page, reviewer)

    case_url = f"{page.base}/staff/cases/{case.reference}"
    page.goto(case_url)
    page.get_by_label("Add a note").fill(ALL)
    page.get_by_role("button", name="Add note").click()
    page.wait_for_url(case_url + "#notes")
    page.wait_for_load_state("load")
    assert page.get_by_text("window.__xss=1").first.is_visible()  # shown as text
    page.goto(page.base + "/staff/")
    page.goto(case_url)
    page.wait_for_timeout(300)  # let any handler or violation report fire

    assert dialogs == []
    assert page.evaluate("window.__xss") is None
    assert page.evaluate("window.__csp") == []
    assert [m for m in console if "Content Security Policy" in m] == []
    assert page.locator("#xss-link, img[src=x], svg style, mglyph").count() == 0
    assert all(url.startswith(page.base) for url in page.requested)
    assert not [url for url in page.requested if url.rstrip("/").endswith("/x")]
