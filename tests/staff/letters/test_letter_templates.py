"""Editors word the letters: their text replaces the catalogue's for one kind
and language, with only the placeholders we fill."""

from datetime import date

import pytest
from sqlalchemy import select

from intake.db import db
from intake.letters import drafts as letters
from intake.models import AuditEvent, LetterTemplate
from tests.support.attack_payloads import XSS, assert_inert, shown_as_text
from tests.support.form import visible_words
from tests.support.tokens import csrf_token

TODAY = date(2026, 12, 1)
PATH = "/staff/letter-templates/non_engagement/es"


def save(client, body):
    token = csrf_token(client.get(PATH).text)
    return client.post(PATH, data={"csrf_token": token, "body": body})


@pytest.fixture
def editor(app, make_staff, login_as):
    client = app.test_client()
    login_as(client, make_staff("editor"))
    return client


def test_an_editors_wording_replaces_the_catalogued_one(app, editor, make_request):
    wording = "{date}\n\nEstimado/a {name}:\n\nNo somos sus abogados.\n\n{deadline}\n\n{where_else}"
    assert save(editor, wording).status_code == 302
    case = make_request(interface_language="es", filing_deadline=date(2027, 3, 14), name="Ana")
    with app.test_request_context():
        draft = letters.draft(case, letters.NON_ENGAGEMENT, TODAY)
        other = letters.draft(case, letters.RECEIVED, TODAY)
        event = db.session.execute(
            select(AuditEvent).filter_by(action="letter.template")
        ).scalar_one()
    assert draft.body.startswith("1 de diciembre de 2026\n\nEstimado/a Ana:")
    assert "14 de marzo de 2027" in draft.body and letters.EOIR_PRO_BONO in draft.body
    assert "Recibimos su solicitud" in other.body  # other letters keep the catalogue's
    assert event.target == "non_engagement/es"
    assert save(editor, "").status_code == 302  # emptied: the catalogue's again
    with app.app_context():
        assert db.session.execute(select(LetterTemplate)).first() is None


@pytest.mark.parametrize(
    "wording", ["{name.__class__}", "{name[0]}", "{date:%Y}", "{secret}", "a { b", "{name!r}"]
)
def test_only_plain_known_placeholders_are_accepted(app, editor, wording):
    refused = save(editor, "Hola " + wording)
    assert refused.status_code == 400
    assert "Not a placeholder we fill" in visible_words(refused)
    with app.app_context():
        assert db.session.execute(select(LetterTemplate)).first() is None


def test_payloads_in_the_wording_or_the_name_are_inert(
    app, editor, make_request, login_as, make_staff
):
    assert save(editor, "\n\n".join(XSS[:3]) + "\n\n{name}").status_code == 302
    case = make_request(interface_language="es", name="{reference} " + XSS[1])
    with app.test_request_context():
        draft = letters.draft(case, letters.NON_ENGAGEMENT, TODAY)
    assert draft.body.endswith("{reference} " + XSS[1])  # a value is never read as a placeholder
    reviewer = app.test_client()
    login_as(reviewer, make_staff("reviewer"))
    page = reviewer.get(f"/staff/cases/{case.reference}/letters/non_engagement").text
    assert_inert(page)
    assert shown_as_text(page, XSS[0])


def test_the_index_shows_which_are_edited_and_passes_for_editors_only(
    app, editor, make_staff, login_as
):
    save(editor, "Hola {name}")
    index = editor.get("/staff/letter-templates")
    assert index.status_code == 200 and "Edited" in index.text
    reviewer = app.test_client()
    login_as(reviewer, make_staff("reviewer"))
    assert reviewer.get("/staff/letter-templates").status_code == 403
    assert editor.get("/staff/letter-templates/nonsense/es").status_code == 404
    assert editor.get("/staff/letter-templates/received/xx").status_code == 404
