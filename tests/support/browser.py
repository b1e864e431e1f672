"""Chromium for the browser tests, and what a person does in it: log in, wait
for focus, fill in the public form with the mouse."""

import os
import re
import time

from playwright.sync_api import expect

from intake.staff.accounts import second_factor

CHROMIUM = os.environ.get("INTAKE_CHROMIUM", "/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]

# A reference as the confirmation page shows it.
REFERENCE = re.compile(r"^[0-9A-Z]{4}-[0-9A-Z]{4}-[0-9A-Z]{2}$")


def browser_login(page, user) -> None:
    """Log ``user`` in through the real login page in Chromium (password + TOTP)."""
    import pyotp

    page.goto(page.base + "/staff/login")
    page.get_by_label("Email").fill(user.email)
    page.get_by_label("Password").fill(user.password)
    page.get_by_label("Code from your authenticator app").fill(pyotp.TOTP(user.totp_secret).now())
    page.get_by_role("button", name="Log in").click()
    page.wait_for_url("**/staff/")


# How long to wait for what the browser does once a page has arrived (parsing
# the rest of it, autofocus, a fragment's focus): generous, for a machine busy
# with other suites.
SETTLE_TIMEOUT_MS = 30_000


def assert_focused(page, element_id: str) -> None:
    """Focus moves after the page loads (autofocus, fragment): wait for it rather
    than reading it once, which races the browser on a busy machine.

    Playwright's ``expect`` polls from outside the page. ``page.wait_for_function``
    would not do: it re-checks from a requestAnimationFrame or timer inside the
    page, which never fires with JavaScript off, so there it checks once and,
    when that check comes before the browser has applied the autofocus, waits
    out its whole timeout."""
    expect(page.locator(f"[id='{element_id}']")).to_be_focused(timeout=SETTLE_TIMEOUT_MS)


def wait_until(page, expression: str, timeout_ms: int = SETTLE_TIMEOUT_MS) -> None:
    """Poll ``expression`` from outside the page until it is true.

    ``page.wait_for_function`` compiles its predicate inside the page when it
    has to poll, which our Content-Security-Policy (no 'unsafe-eval') forbids:
    on a busy machine its first check comes too early and the poll fails."""
    deadline = time.monotonic() + timeout_ms / 1000
    while not page.evaluate(expression):
        if time.monotonic() > deadline:
            raise AssertionError(f"still false after {timeout_ms} ms: {expression}")
        time.sleep(0.05)


def choose(page, question: str, answer: str):
    """Tick one answer of the radio group (fieldset) whose legend contains ``question``."""
    group = page.get_by_role("group", name=re.compile(re.escape(question)))
    group.get_by_label(answer, exact=True).check()


# The Continue button of a form page, in any language.
CONTINUE = "#help-form .step-buttons button.button:not(.secondary)"


def next_page(page):
    """Continue to the next page of the form and wait until it is there."""
    step = page.locator("input[name=step]")
    number = int(step.input_value())
    page.get_by_role("button", name="Continue", exact=True).click()
    expect(step).to_have_value(str(number + 1), timeout=SETTLE_TIMEOUT_MS)


def fill_with_pointer(page, also=None):
    """Answer every page the ordinary way (mouse and typing), continuing from
    each to the next; the last page is left for the caller to send on.
    ``also(page, number)`` may answer more on each page before it is left."""

    def leave(number):
        if also:
            also(page, number)
        next_page(page)

    choose(page, "Who is this request for?", "Me")
    choose(page, "immigration detention", "No")
    choose(page, "in the United States now", "Yes")
    choose(page, "court hearing scheduled", "Yes")
    page.locator("#hearing_day").fill("10")
    page.locator("#hearing_month").select_option(label="May")  # months are chosen by name
    page.locator("#hearing_year").fill("2026")
    choose(page, "decided the case", "No")
    leave(1)
    page.locator("#arrival_month").select_option(label="August")
    page.locator("#arrival_year").fill("2025")
    choose(page, "Form I-589", "No")
    leave(2)
    page.locator("#birth_month").select_option("4")
    page.locator("#birth_year").fill("1990")
    page.get_by_label("Asylum", exact=True).check()
    page.get_by_label("What name should we use for you?").fill("Mariam")
    page.get_by_label("Country of nationality").select_option("AF")
    page.get_by_label("Which language do you prefer?").select_option("prs")
    page.get_by_label("Which US state or territory do you live in?").select_option("CA")
    leave(3)
    page.get_by_label("Phone number", exact=True).fill("+1 415 555 0100")
    choose(page, "voicemail", "Not sure")
    leave(4)
    choose(page, "lawyer or accredited representative", "No")
    choose(page, "Could you pay a private immigration lawyer?", "No")
    page.get_by_label("How many people live in your household").fill("2")
    choose(page, "another free legal organisation", "No")
    page.get_by_label("I have read the privacy notice above").check()
    if also:
        also(page, 5)


def answer_shown(page, answers: dict) -> None:
    """Answer, by name and value (the same in every language), each question of
    ``answers`` that this page shows; the others wait for their page."""
    for name, value in answers.items():
        shown = page.locator(f'[name="{name}"]:not([type=hidden])')
        if not shown.count():
            continue
        kind = shown.first.evaluate("e => e.tagName === 'SELECT' ? 'select' : e.type")
        if kind in ("radio", "checkbox"):
            for one in value if isinstance(value, list) else [value]:
                page.locator(f'input[name="{name}"][value="{one}"]').check()
        elif kind == "select":
            shown.select_option(value)
        else:
            shown.fill(value)


def walk_pages(page, answers: dict, on_each=None) -> None:
    """Answer every page of the form from the one shown, continuing to the next,
    until "Check your answers"; ``on_each(page)`` runs on each page once answered."""
    step = page.locator("input[name=step]")
    while step.count():
        answer_shown(page, answers)
        if on_each:
            on_each(page)
        # Wait for the next page to load: between the click and the new page the
        # old one may already be gone, and "no step field" would end the walk.
        with page.expect_navigation(timeout=SETTLE_TIMEOUT_MS):
            page.locator(CONTINUE).click()


def log_in(page, user) -> None:
    """The real login page, with the code for the frozen clock's time step."""
    page.goto(page.base + "/staff/login")
    page.get_by_label("Email").fill(user.email)
    page.get_by_label("Password").fill(user.password)
    code = second_factor.code_for(user.totp_secret, second_factor.current_step())
    page.get_by_label("Code from your authenticator app").fill(code)
    page.get_by_role("button", name="Log in").click()
    page.wait_for_url("**/staff/")
