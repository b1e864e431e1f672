"""A relative asks for a detained person whose credible-fear finding was negative
3 days ago: staff find the request critical at the top of the queue, and its case
page says "Ask for review by an immigration judge — 7 days" with its source
(INA 235(b)(1)(B)(iii)(III)), in a real browser."""

import re
from datetime import date, datetime, timedelta

import pytest

from intake import timeutil
from intake.cases.help_requests import format_reference
from intake.db import db
from intake.models import HelpRequest
from tests.support.browser import browser_login
from tests.support.form import dated, submit_answers

pytestmark = pytest.mark.browser

TODAY = date(2026, 5, 1)
FINDING = TODAY - timedelta(days=3)


@pytest.fixture(autouse=True)
def frozen_today(monkeypatch):
    monkeypatch.setattr(timeutil, "today", lambda: TODAY)


def test_negative_credible_fear_three_days_ago_is_critical_with_the_review_deadline(
    page, app, make_staff, make_request, axe_check
):
    # Others already waiting: an older high one and a normal one.
    make_request(urgency="high", created_at=datetime(2026, 4, 1))
    make_request(urgency="normal", created_at=datetime(2026, 3, 1))
    submit_answers(
        app.test_client(),
        asker="family",
        helper_name="Rosa",
        helper_relationship="sister",
        detained="yes",
        fear_interview="yes",
        fear_result="negative",
        **dated("fear_result", FINDING),
    )
    with app.app_context():
        newest = db.select(HelpRequest.reference).order_by(HelpRequest.id.desc()).limit(1)
        reference = format_reference(db.session.execute(newest).scalar_one())

    browser_login(page, make_staff("reviewer"))
    table = page.get_by_role("table", name=re.compile("most urgent first"))
    first_row = table.get_by_role("row").nth(1)
    assert reference in first_row.inner_text()
    assert "Critical" in first_row.inner_text()
    first_row.get_by_role("link", name=reference).click()
    deadline = page.locator("ul.deadlines li", has_text="Ask for review by an immigration judge")
    assert "Ask for review by an immigration judge — 7 days due in 4 days" in deadline.inner_text()
    assert "INA 235(b)(1)(B)(iii)(III)" in deadline.locator(".source").inner_text()
    assert "2026-05-05" in deadline.inner_text()
    assert page.get_by_text("result: negative, on 2026-04-28").is_visible()
    axe_check(page)
