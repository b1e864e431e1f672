"""An admin invites a reviewer; the reviewer enrols with the secret shown as
text and logs in (real Chromium, codes computed with pyotp like an app would)."""

import time
from urllib.parse import urlsplit

import pyotp
import pytest

from tests.support.a11y import assert_no_axe_violations

pytestmark = pytest.mark.browser


def log_in(page, email, password, code):
    page.goto(page.base + "/staff/login")
    page.get_by_label("Email").fill(email)
    page.get_by_label("Password").fill(password)
    page.get_by_label("Code from your authenticator app").fill(code)
    page.get_by_role("button", name="Log in").click()


def test_admin_invites_reviewer_who_enrols_and_logs_in(page, chromium, make_staff):
    problems = []
    page.on("console", lambda message: message.type == "error" and problems.append(message.text))
    admin = make_staff("admin")
    log_in(page, admin.email, admin.password, pyotp.TOTP(admin.totp_secret).now())
    page.wait_for_url(lambda url: "/staff/login" not in url)

    page.goto(page.base + "/staff/users")
    page.get_by_role("link", name="Invite a person").click()
    page.get_by_label("Email").fill("reviewer.new@staff.example")
    page.get_by_label("Role").select_option("reviewer")
    page.get_by_role("button", name="Create the link").click()
    link = page.get_by_label("Enrolment link").input_value()
    assert link.startswith(page.base + "/staff/enrol/")

    reviewer_context = chromium.new_context()
    try:
        reviewer = reviewer_context.new_page()
        reviewer.base = page.base
        reviewer.on("console", lambda m: m.type == "error" and problems.append(m.text))
        reviewer.goto(link)
        assert reviewer.get_by_role(
            "img", name="QR code holding the setup key shown below"
        ).is_visible()
        assert_no_axe_violations(reviewer)
        secret = reviewer.locator("#totp-secret").inner_text().replace(" ", "")
        totp = pyotp.TOTP(secret)
        passphrase = "three little words and more"
        reviewer.get_by_label("New password", exact=True).fill(passphrase)
        reviewer.get_by_label("New password again").fill(passphrase)
        reviewer.get_by_label("Code from your authenticator app").fill(totp.now())
        reviewer.get_by_role("button", name="Finish setup").click()
        reviewer.wait_for_url("**/staff/login")
        assert "Your account is ready" in reviewer.content()
        log_in(reviewer, "reviewer.new@staff.example", "a wrong passphrase", "000000")
        assert reviewer.get_by_role("alert").is_visible()  # the error summary
        assert_no_axe_violations(reviewer)

        # The code used for enrolment is spent; the next one (still in the window) works.
        log_in(reviewer, "reviewer.new@staff.example", passphrase, totp.at(time.time() + 30))
        reviewer.wait_for_url(lambda url: "/staff/login" not in url)
        assert urlsplit(reviewer.url).path in {"/staff/", "/staff/account"}
        assert reviewer.get_by_role("button", name="Log out").is_visible()
        reviewer.get_by_role("button", name="Log out").click()
        reviewer.wait_for_url("**/staff/login")
    finally:
        reviewer_context.close()
    own = urlsplit(page.base).netloc
    assert {urlsplit(u).netloc for u in page.requested if not u.startswith("data:")} == {own}
    assert problems == []  # no CSP violations or script errors
