"""Working through the queue from the case page: the way back keeps the filters,
a saved form comes back at its section, "and open the next case" moves on in the
same filtered queue, and closing asks how it ended once, from any open status."""

import html
import re
from datetime import timedelta
from urllib.parse import quote

import pytest

from intake.db import db
from intake.models import HelpRequest
from intake.timeutil import utcnow
from tests.support.staff import events, post_case

FRENCH = "?queue=" + quote("language=French")


@pytest.fixture
def reviewer(make_staff, login_as, client):
    user = make_staff(role="reviewer")
    login_as(client, user)
    return user


def french_cases(make_request, n=3):
    """``n`` French requests in queue order (oldest first), and a Dari one between."""
    made = []
    for i in range(n):
        made.append(
            make_request(preferred_language="French", created_at=utcnow() - timedelta(days=9 - i))
        )
        make_request(
            preferred_language="Dari", created_at=utcnow() - timedelta(days=9 - i, hours=1)
        )
    return made


def link(page: str, text: str) -> str:
    found = re.search(rf'<a href="([^"]*)"[^>]*>{text}</a>', page)
    return html.unescape(found.group(1)) if found else ""


def test_the_queue_links_each_case_with_its_filters_and_the_case_leads_back(
    client, reviewer, make_request
):
    first, second, _ = french_cases(make_request)
    queue = client.get("/staff/?language=French").get_data(as_text=True)
    assert f'href="/staff/cases/{first.reference}?queue=language%3DFrench"' in queue

    page = client.get(f"/staff/cases/{first.reference}{FRENCH}").get_data(as_text=True)
    assert link(page, "Back to the queue") == "/staff/?language=French"
    # Next and previous within the same filtered queue (the Dari request is skipped).
    assert link(page, "Next case") == f"/staff/cases/{second.reference}?queue=language%3DFrench"
    assert link(page, "Previous case") == ""
    later = client.get(f"/staff/cases/{second.reference}{FRENCH}").get_data(as_text=True)
    assert link(later, "Previous case").startswith(f"/staff/cases/{first.reference}?")


@pytest.mark.parametrize(
    "forged",
    [
        "https://evil.example/",
        "//evil.example/x",
        "language=French&next=https://evil.example",
        "status=bogus&screen=nope",
        "%00%ff" * 50,
    ],
)
def test_the_way_back_keeps_only_known_filters(client, reviewer, make_request, forged):
    case = make_request(preferred_language="French")
    page = client.get(f"/staff/cases/{case.reference}?queue={quote(forged)}")
    back = link(page.get_data(as_text=True), "Back to the queue")
    assert back.startswith("/staff/") and "evil" not in back and "next=" not in back
    assert "bogus" not in back and "nope" not in back


@pytest.mark.parametrize(
    ("action", "data", "section"),
    [
        ("notes", {"text": "Called the shelter."}, "notes"),
        ("status", {"status": "in_review"}, "status"),
        ("contacts", {"channel": "phone", "outcome": "reached"}, "reaching"),
    ],
)
def test_a_saved_form_comes_back_at_its_section_with_the_filters(
    client, reviewer, make_request, action, data, section
):
    case = make_request(preferred_language="French", safe_to_message="yes")
    response = post_case(client, case.reference, action, query=FRENCH, **data)
    assert response.status_code == 302, response.get_data(as_text=True)[:2000]
    assert response.location == (f"/staff/cases/{case.reference}?queue=language%3DFrench#{section}")


def test_save_and_open_the_next_case_in_the_same_filtered_queue(
    app, client, reviewer, make_request
):
    first, second, third = french_cases(make_request)
    response = post_case(
        client, first.reference, "notes", query=FRENCH, text="Left for Monday.", then="next"
    )
    assert response.location == f"/staff/cases/{second.reference}?queue=language%3DFrench"
    # Closed meanwhile, the case still knows its place: the next is the one after it.
    closed = post_case(
        client,
        second.reference,
        "close",
        query=FRENCH,
        disposition="duplicate",
        reason="Same person as another request.",
        then="next",
    )
    assert closed.location == f"/staff/cases/{third.reference}?queue=language%3DFrench"
    last = post_case(client, third.reference, "notes", query=FRENCH, text="x", then="next")
    assert last.location == "/staff/?language=French"


@pytest.mark.parametrize("start", ["new", "in_review"])
def test_closing_asks_how_it_ended_once_from_any_open_status(
    app, client, reviewer, make_request, start
):
    case = make_request(status=start)
    page = client.get(f"/staff/cases/{case.reference}").get_data(as_text=True)
    assert "How did it end?" in page
    response = post_case(
        client,
        case.reference,
        "close",
        disposition="declined_outside_area",
        reason="Lives in another state.",
    )
    assert response.status_code == 302
    assert response.location.endswith("#status")
    with app.app_context():
        row = db.session.execute(
            db.select(HelpRequest).filter_by(reference=case.reference)
        ).scalar_one()
        assert (row.status, row.disposition) == ("declined", "declined_outside_area")
        assert row.closed_at is not None
    assert [e.detail for e in events(app, "case.status")] == [
        f"{start}->declined disposition=declined_outside_area"
    ]
    # Closed: nothing to close any more.
    assert "How did it end?" not in client.get(f"/staff/cases/{case.reference}").get_data(
        as_text=True
    )


def test_closing_needs_a_disposition_and_a_reason(app, client, reviewer, make_request):
    case = make_request()
    response = post_case(client, case.reference, "close", disposition="", reason="")
    assert response.status_code == 400
    text = response.get_data(as_text=True)
    assert "Choose how the request ended." in text and "Give a reason for closing." in text


def test_the_case_page_labels_the_assessment_made_at_submission(client, reviewer, make_request):
    from datetime import datetime

    case = make_request(created_at=datetime(2026, 4, 9, 10, 0), reasons='["Deadline in 247 days."]')
    text = " ".join(client.get(f"/staff/cases/{case.reference}").get_data(as_text=True).split())
    assert 'As assessed at submission, <time datetime="2026-04-09">9 April 2026</time>' in text


def test_the_action_bar_lists_the_actions_and_their_keys(client, reviewer, make_request):
    case = make_request()
    page = client.get(f"/staff/cases/{case.reference}").get_data(as_text=True)
    bar = re.search(r'<nav class="case-actions".*?</nav>', page, re.S).group(0)
    for key, label in [("c", "Log a call"), ("b", "Book a callback"), ("l", "Write a letter")]:
        assert f'data-key="{key}">{label}</a>' in bar
        assert f"<kbd>{key}</kbd> {label.lower()}" in bar
    assert 'data-key="x">Close</a>' in bar
    assert 'src="/static/js/shortcuts.js' in page
