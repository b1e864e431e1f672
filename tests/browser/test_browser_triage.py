"""A reviewer logs in, finds the newest critical request at the top of the
queue, opens it, adds a note, and accepts it with a reason (real Chromium)."""

import re
from datetime import timedelta
from urllib.parse import urlsplit

import pytest

from intake.cases.help_requests import format_reference
from intake.db import db
from intake.models import AuditEvent, HelpRequest
from intake.timeutil import utcnow
from tests.support.browser import assert_focused, browser_login

pytestmark = pytest.mark.browser


def test_reviewer_finds_opens_notes_and_accepts_a_request(page, app, make_staff, make_request):
    problems = []
    page.on("console", lambda m: m.type == "error" and problems.append(m.text))
    make_request(urgency="high", created_at=utcnow() - timedelta(days=3))
    make_request(urgency="normal", created_at=utcnow() - timedelta(days=9))
    wanted = make_request(
        urgency="critical",
        name="Amina Browser-Test",
        detained=True,
        reasons='["Detained now."]',
        created_at=utcnow() - timedelta(minutes=5),
    )
    reviewer = make_staff("reviewer")

    browser_login(page, reviewer)

    table = page.get_by_role("table", name=re.compile("Cases, most urgent first"))
    first_row = table.get_by_role("row").nth(1)
    assert format_reference(wanted.reference) in first_row.inner_text()
    assert "Critical" in first_row.inner_text()
    assert "Amina" not in page.content()  # no names in the queue
    first_row.get_by_role("link", name=format_reference(wanted.reference)).click()
    page.wait_for_url(
        re.compile(rf"/staff/cases/{wanted.reference}(#[\w-]+)?$")
    )  # at the section saved
    assert "Amina Browser-Test" in page.content()
    assert page.get_by_text("Detained now.").is_visible()

    page.get_by_label("Add a note").fill("Called the family, see https://example.org/guide")
    page.get_by_role("button", name="Add note").click()
    page.wait_for_url(
        re.compile(rf"/staff/cases/{wanted.reference}(#[\w-]+)?$")
    )  # at the section saved
    link = page.get_by_role("link", name="https://example.org/guide")
    assert link.get_attribute("rel") == "noopener noreferrer nofollow"

    page.get_by_label("New status").select_option("in_review")
    page.get_by_role("button", name="Change status").click()
    page.wait_for_url(
        re.compile(rf"/staff/cases/{wanted.reference}(#[\w-]+)?$")
    )  # at the section saved
    # Accepting needs how it ended and a reason: without them the page says so
    # next to each field.
    page.get_by_label("New status").select_option("accepted")
    page.get_by_role("button", name="Change status").click()
    summary = page.get_by_role("alert")
    summary.get_by_role("link", name="Choose how the request ended").click()
    assert_focused(page, "status-disposition")
    page.get_by_label("How the request ended").select_option("accepted")
    page.get_by_role("button", name="Change status").click()
    assert page.get_by_role("alert").get_by_role("link", name="Give a reason").is_visible()
    page.get_by_label("Reason", exact=True).fill("Eligible; detained; we have capacity.")
    page.get_by_role("button", name="Change status").click()
    page.wait_for_url(
        re.compile(rf"/staff/cases/{wanted.reference}(#[\w-]+)?$")
    )  # at the section saved
    assert "Status changed." in page.content()
    assert "Eligible; detained; we have capacity." in page.content()

    with app.app_context():
        stored = db.session.execute(
            db.select(HelpRequest).filter_by(reference=wanted.reference)
        ).scalar_one()
        assert stored.status == "accepted"
        trail = [
            (e.action, e.detail)
            for e in db.session.execute(
                db.select(AuditEvent).filter_by(target=wanted.reference).order_by(AuditEvent.id)
            ).scalars()
            if e.action not in ("case.view", "case.conflict_check")
        ]
        views = db.session.execute(
            db.select(db.func.count()).where(
                AuditEvent.action == "case.view", AuditEvent.target == wanted.reference
            )
        ).scalar_one()
    assert [a for a, _ in trail] == ["case.note", "case.status", "case.status"]
    assert [d for a, d in trail if a == "case.status"] == [
        "new->in_review",
        "in_review->accepted disposition=accepted",
    ]
    assert views >= 4
    own = urlsplit(page.base).netloc
    assert {urlsplit(u).netloc for u in page.requested if not u.startswith("data:")} == {own}
    # The one expected "error": the page refusing the missing reason answers 400.
    assert [p for p in problems if "status of 400" not in p] == []
