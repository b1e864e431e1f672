"""Attack suite, XSS: payloads typed into the real public form (and by staff into
notes and releases) come back inert everywhere they are shown: the form's own
pages, the queue, the case page, the CSV export, the notification email, the
press pages. A payload in a field with a strict shape is refused, and the error
page is inert too."""

import csv
import io
import re

import pytest

from intake.db import db
from intake.models import HelpRequest, Release
from tests.support.attack_payloads import FORMULAS, XSS, assert_inert, shown_as_text, visible_text
from tests.support.form import only_request, submit_answers
from tests.support.smtp_sink import NOTIFY
from tests.support.tokens import csrf_token

FREE_TEXT = ("name", "detention_facility", "summary")


def page(response) -> str:
    assert response.status_code == 200, response.status_code
    return response.get_data(as_text=True)


@pytest.mark.parametrize("payload", XSS)
def test_payload_in_every_free_text_field_is_inert_wherever_it_is_shown(
    app, mail_client, sink, make_staff, login_as, payload
):
    client = mail_client
    # Detained: the facility is asked and stored, and the request is critical (mailed).
    check, done = submit_answers(
        client, detained="yes", **{"from": payload}, **dict.fromkeys(FREE_TEXT, payload)
    )
    for response in (check, done):
        assert_inert(page(response))
    assert shown_as_text(page(check), payload)  # on the check-answers page, as typed
    row = only_request(app)
    assert [getattr(row, f) for f in FREE_TEXT] == [payload.strip()] * 3
    assert row.urgency == "critical"

    login_as(client, make_staff("reviewer"))
    assert_inert(page(client.get("/staff/")))
    case_url = f"/staff/cases/{row.reference}"
    case = page(client.get(case_url))
    token = csrf_token(case)
    note = client.post(f"{case_url}/notes", data={"csrf_token": token, "text": payload})
    assert note.status_code == 302
    # A reason is shown in the case history: the payload goes there too.
    version = re.search(r'name="version"[^>]*value="(\d+)"', page(client.get(case_url))).group(1)
    screen = client.post(
        f"{case_url}/screen",
        data={"csrf_token": token, "version": version, "screen": "needs_review", "reason": payload},
    )
    assert screen.status_code == 302
    case = page(client.get(case_url))
    assert_inert(case)
    # Every answer, the note and the reason are there as text: escaped, not dropped
    # and not evaluated ({{7*7}} is not 49); 3 answers + note + reason at least.
    assert visible_text(case).count(payload) >= 5

    export = client.get("/staff/export.csv")
    assert export.status_code == 200
    assert payload not in export.get_data(as_text=True)  # no free text in the export

    (message,) = sink.messages
    assert message["to"] == [NOTIFY]
    assert payload.encode() not in message["data"]


STRICT = (
    "household_size",
    "monthly_income",
    "phone",
    "email",
    "hearing_day",
    "arrival_month",
    "nationality",
    "preferred_language",
    "state",
    "claim_types",
    "represented",
    "detained",
)


@pytest.mark.parametrize("payload", XSS)
def test_payload_in_a_strict_field_is_refused_and_the_error_page_is_inert(app, client, payload):
    from intake.public.screening.form import step_of

    # Each page shows the errors of its own questions: one submission per page
    # that asks strict questions, each with the payload in all of them.
    by_page = {}
    for name in STRICT:
        by_page.setdefault(step_of(name), []).append(name)
    for names in by_page.values():
        hearing = {
            "hearing": "yes",
            "hearing_day": "3",
            "hearing_month": "5",
            "hearing_year": "2027",
        }
        check, done = submit_answers(client, **{**hearing, **dict.fromkeys(names, payload)})
        for response in (check, done):
            body = page(response)
            assert_inert(body)
            for name in names:
                # A date's error sits on its first input (the day).
                error_id = re.sub(r"_(month|year)$", "_day", name)
                assert f'id="{error_id}-error"' in body, name
    with app.app_context():
        assert db.session.execute(db.select(HelpRequest)).first() is None


def test_export_cells_that_a_spreadsheet_would_run_are_text(
    client, make_staff, login_as, make_request
):
    """Only rows written around the form can hold such values (the form allows
    none in exported columns): every one still leaves as text."""
    login_as(client, make_staff("reviewer"))
    for formula in FORMULAS:
        make_request(preferred_language=formula)
    rows = list(csv.reader(io.StringIO(client.get("/staff/export.csv").get_data(as_text=True))))
    cells = [row[7] for row in rows[1:]]
    assert len(cells) == len(FORMULAS)
    for cell in cells:
        assert cell.startswith("'") and cell[1:] in FORMULAS


RELEASE_BODY = (
    "".join(XSS) + '<p><a href="javascript:alert(1)">x</a><a href=" JaVaScRiPt:alert(1)">y</a>'
)


@pytest.mark.parametrize("payload", XSS)
def test_release_title_and_body_from_an_editor_are_clean_on_the_press_pages(
    app, client, make_staff, login_as, payload
):
    login_as(client, make_staff("editor"))
    form = page(client.get("/staff/releases/new"))
    saved = client.post(
        "/staff/releases/new",
        data={
            "csrf_token": csrf_token(form),
            "title": payload,
            "section": payload[:60],
            "published_on": "2026-01-02",
            "body_html": payload + RELEASE_BODY,
            "show_call_to_action": "y",
            "save": "1",
        },
    )
    assert saved.status_code == 302
    with app.app_context():
        release = db.session.execute(db.select(Release)).scalar_one()
        release_id, slug = release.id, release.slug
    assert_inert(page(client.get(saved.location)))  # the edit page shows the stored body
    listing = page(client.get("/staff/releases/"))
    token = csrf_token(listing)
    assert (
        client.post(f"/staff/releases/{release_id}/publish", data={"csrf_token": token}).status_code
        == 302
    )
    for url in (f"/press/{slug}", "/", "/es/"):
        body = page(client.get(url))
        assert_inert(body)
        assert shown_as_text(body, payload.strip()), url  # the title, as typed
