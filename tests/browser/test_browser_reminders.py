"""The reminders section of the case page in a real browser: the reminders sent
listed, stopped by keyboard, axe clean before and after."""

import json
from datetime import date, datetime

import pytest
from playwright.sync_api import expect

from intake.db import db
from intake.models import Reminder
from tests.support.browser import log_in

pytestmark = pytest.mark.browser


def test_staff_read_and_stop_the_reminders_of_a_case(
    page, app, make_request, make_staff, axe_check
):
    case = make_request(
        phone="+12125550147",
        safe_to_message="yes",
        preferred_language="es",
        facts=json.dumps({"reach_by": ["text"], "hearing": "yes", "hearing_date": "2026-05-09"}),
    )
    with app.app_context():
        db.session.add(
            Reminder(
                request_id=case.id,
                kind="hearing",
                event_on=date(2026, 5, 9),
                days_before=7,
                outcome="queued",
                language="es",
                created_at=datetime(2026, 5, 2, 4, 0),
            )
        )
        db.session.commit()
    log_in(page, make_staff("reviewer"))
    page.goto(page.base + f"/staff/cases/{case.reference}")
    section = page.locator("section", has=page.locator("h2#reminders"))
    expect(section.locator("table")).to_contain_text("Court hearing")
    expect(section.locator("table")).to_contain_text("2026-05-09")
    axe_check(page)
    stop = section.get_by_role("button", name="Stop reminders for this case")
    stop.focus()
    with page.expect_navigation():
        page.keyboard.press("Enter")
    expect(section).to_contain_text("Stopped for this case.")
    expect(section.get_by_role("button", name="Restart reminders")).to_be_visible()
    axe_check(page)
