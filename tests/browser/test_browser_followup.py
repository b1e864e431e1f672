"""After the queue, in real Chromium: staff open a case whose applicant said
messages are not safe, see the warning beside the contact details, log two failed
attempts (the second, "left a message", refused without an override reason),
book a callback that shows in "my callbacks today", and refer the person with
their consent to a matching organisation from the directory; the queue's overdue
filter lists an uncontacted request whose working days have passed. axe-core
finds no violation on any of these pages, nor on the referral directory."""

import re
from datetime import date, datetime

import pytest

from intake import timeutil
from intake.cases.help_requests import format_reference
from intake.db import db
from intake.models import Callback, ContactAttempt, HelpRequest, Referral, StaffUser
from intake.staff.followup import referrals
from intake.staff.followup.referrals import OrganisationFields
from tests.support.browser import log_in

pytestmark = pytest.mark.browser

# Wednesday 9 December 2026, 10:00 in New York (the office's time zone).
NOW = datetime(2026, 12, 9, 15, 0)


@pytest.fixture
def frozen(monkeypatch):
    monkeypatch.setattr(timeutil, "utcnow", lambda: NOW)


def add_organisations(app, admin) -> None:
    with app.app_context():
        actor = db.session.get(StaffUser, admin.id)
        for fields in (
            OrganisationFields(
                name="Far Away Legal", states=("CA",), how_to_refer="+1 415 555 0100"
            ),
            OrganisationFields(
                name="Matching Legal Aid",
                languages=("es",),
                states=("NY",),
                reliefs=("asylum",),
                refer_by="email",
                how_to_refer="intake@matching.example.org",
            ),
        ):
            referrals.create_organisation(fields, actor)


def test_staff_reach_the_person_safely_book_a_callback_and_refer_with_consent(
    page, app, frozen, make_staff, make_request, axe_check
):
    reviewer, admin = make_staff("reviewer"), make_staff("admin")
    add_organisations(app, admin)
    case = make_request(
        name="Rosa Browser-Test",
        phone="+1 212 555 0142",
        safe_to_message="no",
        state="NY",
        preferred_language="es",
        claim_types=" asylum ",
        created_at=datetime(2026, 12, 9, 14, 0),
    )
    waiting = make_request(created_at=datetime(2026, 12, 1, 15, 0))  # Tuesday last week
    recent = make_request(created_at=datetime(2026, 12, 8, 15, 0))  # yesterday
    log_in(page, reviewer)

    page.goto(page.base + f"/staff/cases/{case.reference}")
    card = page.locator(".contact-card")
    assert "(212) 555-0142" in card.inner_text()  # national format
    assert "Do not leave a message" in card.locator("#unsafe-message").inner_text()
    attempt_form = page.locator("form", has=page.get_by_role("group", name="Log a contact attempt"))
    assert "Messages are not safe" in attempt_form.inner_text()
    axe_check(page)

    # First attempt: nobody answered.
    attempt_form.get_by_label("How").select_option("phone")
    attempt_form.get_by_label("No answer").check()
    attempt_form.get_by_role("button", name="Log attempt").click()
    page.wait_for_url(
        re.compile(rf"/staff/cases/{case.reference}(#[\w-]+)?$")
    )  # at the section saved
    assert "Attempt logged." in page.content()

    # Second: a message, refused without a reason, then logged with one.
    attempt_form.get_by_label("How").select_option("phone")
    attempt_form.get_by_label("Left a message").check()
    attempt_form.get_by_role("button", name="Log attempt").click()
    summary = page.get_by_role("alert")
    assert "did not say it is safe" in summary.inner_text()
    axe_check(page)
    summary.get_by_role("link").first.click()
    reason = attempt_form.get_by_label("Why write or leave a message anyway")
    reason.fill("Her hearing is tomorrow; her brother answered and said she asked for this.")
    attempt_form.get_by_label("Left a message").check()
    attempt_form.get_by_role("button", name="Log attempt").click()
    page.wait_for_url(
        re.compile(rf"/staff/cases/{case.reference}(#[\w-]+)?$")
    )  # at the section saved
    assert "Attempt logged." in page.content()
    table = page.get_by_role("table", name="Contact attempts, oldest first (office time)")
    assert table.get_by_role("row").count() == 3
    assert "Written or left against the safe-contact answer" in table.inner_text()

    # A callback this afternoon, for me.
    callback_form = page.locator(
        "form", has=page.get_by_role("group", name="Book a callback or appointment")
    )
    callback_form.get_by_label("Date").fill("2026-12-09")
    callback_form.get_by_label("Time (office time, 24-hour)").fill("16:30")
    callback_form.get_by_role("button", name="Book").click()
    page.wait_for_url(
        re.compile(rf"/staff/cases/{case.reference}(#[\w-]+)?$")
    )  # at the section saved
    page.get_by_role("link", name="My callbacks").click()
    page.wait_for_url("**/staff/callbacks")
    row = page.get_by_role("row").nth(1)
    assert "16:30" in row.inner_text() and format_reference(case.reference) in row.inner_text()
    axe_check(page)
    row.get_by_role("link").click()
    page.wait_for_url(
        re.compile(rf"/staff/cases/{case.reference}(#[\w-]+)?$")
    )  # at the section saved

    # Refer, with consent: the matching organisation is suggested first.
    suggestions = page.locator("ol.suggestions > li")
    assert "Matching Legal Aid" in suggestions.first.inner_text()
    referral_form = page.locator("form", has=page.get_by_role("group", name="Refer the person"))
    referral_form.get_by_label("Organisation", exact=True).select_option(label="Matching Legal Aid")
    referral_form.get_by_label("How").select_option("email")
    referral_form.get_by_role("button", name="Record referral").click()
    assert "not agreed to share" in page.get_by_role("alert").inner_text()
    referral_form.get_by_label("The applicant told me they agree").check()
    referral_form.get_by_role("button", name="Record referral").click()
    page.wait_for_url(
        re.compile(rf"/staff/cases/{case.reference}(#[\w-]+)?$")
    )  # at the section saved
    assert "Referral recorded." in page.content()
    axe_check(page)

    # The overdue filter: last week's untouched request, not yesterday's.
    page.get_by_role("link", name="Queue", exact=True).click()
    page.get_by_label("Only overdue").check()
    page.get_by_role("button", name="Show").click()
    listed = page.get_by_role("table").inner_text()
    assert format_reference(waiting.reference) in listed
    assert format_reference(recent.reference) not in listed
    assert format_reference(case.reference) not in listed  # a message was left
    assert "overdue" in listed
    axe_check(page)

    with app.app_context():
        assert [a.outcome for a in db.session.execute(db.select(ContactAttempt)).scalars()] == [
            "no_answer",
            "left_message",
        ]
        (callback,) = db.session.execute(db.select(Callback)).scalars()
        assert (callback.owner_id, callback.due_at) == (reviewer.id, datetime(2026, 12, 9, 21, 30))
        (referral,) = db.session.execute(db.select(Referral)).scalars()
        assert (referral.consent, referral.made_on) == ("told_staff", date(2026, 12, 9))
        assert db.session.get(HelpRequest, case.id).contacted is True


def test_the_referral_directory_pages_pass_axe(page, app, frozen, make_staff, axe_check):
    admin = make_staff("admin")
    add_organisations(app, admin)
    log_in(page, admin)
    page.get_by_role("link", name="Referral directory").click()
    page.wait_for_url("**/staff/referrals")
    axe_check(page)
    page.get_by_role("link", name="Matching Legal Aid").click()
    axe_check(page)
    page.get_by_label("Number, email address or web form").fill("not an address")
    page.get_by_role("button", name="Save").click()
    assert "email address" in page.get_by_role("alert").inner_text()
    axe_check(page)
