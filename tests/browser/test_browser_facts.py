"""The facts in a real browser: a family member asks for a detained relative with a
removal order from 20 days ago, picking months by name; staff find the request
critical at the top of the queue, and its case page says "BIA appeal due in 10
days" with its legal source."""

import re
from datetime import date, timedelta

import pytest
from playwright.sync_api import expect

from intake import timeutil
from tests.support.browser import SETTLE_TIMEOUT_MS, browser_login, choose, next_page

pytestmark = pytest.mark.browser

TODAY = date(2026, 5, 1)
ORDER = TODAY - timedelta(days=20)  # 11 April 2026


@pytest.fixture(autouse=True)
def frozen_today(monkeypatch):
    monkeypatch.setattr(timeutil, "today", lambda: TODAY)


def fill_date(page, legend: str, day: str, month_name: str, year: str):
    """A date question: the month is picked by its name, never typed as a number."""
    group = page.get_by_role("group", name=re.compile(re.escape(legend)))
    if day:
        group.get_by_label(re.compile("^Day")).fill(day)
    group.get_by_label("Month").select_option(label=month_name)
    group.get_by_label("Year").fill(year)


def ask_for_a_detained_relative(page):
    page.goto(page.base + "/help")
    choose(page, "Who is this request for?", "A family member or friend")
    page.get_by_label("Your name", exact=True).fill("Rosa")
    page.get_by_label("How are you related").fill("sister")
    choose(page, "immigration detention", "Yes")
    choose(page, "in the United States now", "Yes")
    choose(page, "court hearing scheduled", "No")
    choose(page, "decided your case or ordered you removed", "Yes")
    fill_date(page, "on what date did the judge decide", str(ORDER.day), "April", str(ORDER.year))
    choose(page, "missed a hearing", "No")
    choose(page, "appeal against the decision", "No")
    next_page(page)
    # From here the questions speak of the person she asks for.
    fill_date(page, "did the person last arrive in the United States", "", "March", "2025")
    choose(page, "Form I-589", "No")
    next_page(page)
    fill_date(page, "Date of birth", "", "July", "1994")
    page.get_by_label("I am afraid to go back to my country").check()
    page.get_by_label("What name should we use for the person?").fill("Karim")
    page.get_by_label("Country of nationality").select_option("HN")
    page.get_by_label("Which language does the person prefer?").select_option("es")
    page.get_by_label("Which US state or territory does the person live in?").select_option("TX")
    next_page(page)
    page.get_by_label("The person's phone number").fill("+1 512 555 0100")
    choose(page, "voicemail", "No")
    next_page(page)
    choose(page, "lawyer or accredited representative", "No")
    choose(page, "Could the person pay a private immigration lawyer?", "No")
    page.get_by_label("How many people live in the person's household").fill("1")
    choose(page, "another free legal organisation", "No")
    page.get_by_label("I have read the privacy notice above").check()
    page.get_by_role("button", name="Continue", exact=True).click()
    expect(page.get_by_role("heading", level=1)).to_have_text(
        "Check your answers", timeout=SETTLE_TIMEOUT_MS
    )
    assert "April 11, 2026" in page.content()  # the month as chosen, by name
    page.get_by_role("button", name="Send my request").click()
    page.wait_for_selector(".reference")
    return page.locator(".reference").inner_text()


def test_family_member_asks_for_detained_relative_and_staff_see_the_appeal_deadline(
    page, app, make_staff, make_request, axe_check
):
    from datetime import datetime

    # Others already waiting: an older high one and a normal one.
    make_request(urgency="high", created_at=datetime(2026, 4, 1))
    make_request(urgency="normal", created_at=datetime(2026, 3, 1))
    reference = ask_for_a_detained_relative(page)
    assert "does not make us your lawyer" in page.content()

    browser_login(page, make_staff("reviewer"))
    table = page.get_by_role("table", name=re.compile("most urgent first"))
    first_row = table.get_by_role("row").nth(1)
    assert reference in first_row.inner_text()
    assert "Critical" in first_row.inner_text()
    first_row.get_by_role("link", name=reference).click()
    deadline = page.locator("ul.deadlines li", has_text="BIA appeal")
    assert "BIA appeal due in 10 days" in deadline.inner_text()
    assert "8 CFR 1003.38(b)" in deadline.locator(".source").inner_text()
    assert "Rosa" in page.content() and "sister" in page.content()
    axe_check(page)
