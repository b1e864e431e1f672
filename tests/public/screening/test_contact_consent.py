"""The contact page of the form: phone numbers checked and stored in E.164, and
how the person agreed to be reached (the consent every message is sent under),
carried through the steps, shown on "Check your answers", stored in the facts
and shown to staff."""

import html
from datetime import date

import pytest

from intake import settings, timeutil
from intake.cases import stored_facts
from tests.support.form import VALID, only_request, step_pages
from tests.support.tokens import form_token

OFFERED = [code for code in settings.LANGUAGES if code != "en"]


@pytest.fixture(autouse=True)
def frozen_today(monkeypatch):
    monkeypatch.setattr(timeutil, "today", lambda: date(2026, 5, 1))


def answers(client, prefix: str = "", **changes) -> dict:
    token = form_token(client.get(f"{prefix}/help").get_data(as_text=True))
    data = {**VALID, "csrf_token": token, **changes}
    return {k: v for k, v in data.items() if v is not None}


def text_of(response) -> str:
    return html.unescape(response.get_data(as_text=True))


def tr(app, code: str, msgid: str) -> str:
    from flask_babel import force_locale, gettext

    with app.test_request_context(), force_locale(code):
        return gettext(msgid)


def submit(client, **changes):
    return client.post("/help/submit", data=answers(client, **changes), follow_redirects=True)


# --- phone numbers ----------------------------------------------------------------


def test_the_phone_is_stored_in_e164_whatever_way_it_was_written(app, client):
    assert submit(client, phone="212.555.0100").status_code == 200
    assert only_request(app).phone == "+12125550100"


def test_a_foreign_phone_is_stored_with_its_country_code(app, client):
    submit(client, phone="+44 20 7946 0958")
    assert only_request(app).phone == "+442079460958"


@pytest.mark.parametrize("code", ["es", "ar"])
@pytest.mark.parametrize("field", ["phone", "message_phone"])
def test_an_impossible_number_is_refused_in_the_visitors_language(app, client, code, field):
    data = answers(client, f"/{code}", **{field: "+1 555 555 5555"})
    page = text_of(client.post(f"/{code}/help/check", data=data))
    message = "Enter a phone number, such as +1 212 555 0100."
    assert tr(app, code, message) in page and message not in page
    assert tr(app, code, "There is a problem") in page


def test_a_refused_number_sends_nothing(app, client):
    response = client.post("/help/submit", data=answers(client, phone="12345"))
    assert "Enter a phone number, such as +1 212 555 0100." in text_of(response)
    with app.app_context():
        from intake.db import db
        from intake.models import HelpRequest

        assert db.session.scalar(db.select(db.func.count()).select_from(HelpRequest)) == 0


# --- how the person agreed to be reached -----------------------------------------------


def test_the_ways_chosen_and_the_number_for_messages_are_stored_in_the_facts(app, client):
    submit(client, reach_by=["whatsapp", "text"], message_phone="(646) 555-0123")
    stored = stored_facts.loads(only_request(app).facts)
    assert stored["reach_by"] == ["text", "whatsapp"]
    assert stored["message_phone"] == "+16465550123"


def test_no_way_chosen_is_no_consent_and_no_number_for_messages(app, client):
    submit(client)
    stored = stored_facts.loads(only_request(app).facts)
    assert stored["reach_by"] == [] and "message_phone" not in stored
    assert stored_facts.reach_by({}) == []  # a request sent before the question


def test_the_question_sits_beside_safe_to_message_with_its_hints(client):
    page = html.unescape(step_pages(client)[3])
    safe = page.index('name="safe_to_message"')
    reach = page.index('name="reach_by"')
    assert safe < reach < page.index('name="message_phone"') < page.index('name="summary"')
    assert 'type="checkbox"' in page[reach - 200 : reach + 50]
    assert "We send no message if you said it is not safe" in page
    assert "reply STOP" in page
    # Only someone asking for another person is offered "through me".
    assert 'value="helper"' not in page


def test_through_the_helper_is_offered_to_and_kept_for_a_helper_only(app, client):
    helper = {"asker": "family", "helper_name": "Omar", "helper_contact": "+1 512 555 0100"}
    page = html.unescape(step_pages(client, {**VALID, **helper})[3])
    assert 'value="helper"' in page and "How may we contact the person?" in page
    submit(client, reach_by=["helper", "call"], **helper)
    assert stored_facts.loads(only_request(app).facts)["reach_by"] == ["call", "helper"]


def test_through_the_helper_is_dropped_when_the_person_asks_for_themself(app, client):
    submit(client, reach_by=["helper", "text"])
    assert stored_facts.loads(only_request(app).facts)["reach_by"] == ["text"]


def test_a_way_unknown_to_the_form_is_refused(client):
    page = text_of(client.post("/help/check", data=answers(client, reach_by=["pigeon"])))
    assert "Choose from the list." in page


@pytest.mark.parametrize(
    ("changes", "message"),
    [
        (
            {"reach_by": ["text"], "phone": None},
            "Enter a phone number above, or choose a way that does not need one.",
        ),
        (
            {"reach_by": ["email"], "email": None},
            "Enter an email address above, or choose a way that does not need one.",
        ),
    ],
)
def test_a_way_chosen_needs_what_it_uses(client, changes, message):
    page = text_of(client.post("/help/check", data=answers(client, **changes)))
    assert message in page and 'href="#reach_by' in page  # in the error summary


def test_a_number_for_messages_alone_is_enough_for_texts(app, client):
    submit(client, phone=None, reach_by=["text"], message_phone="+52 55 1234 5678")
    stored = stored_facts.loads(only_request(app).facts)
    assert stored["message_phone"] == "+525512345678"


def test_check_your_answers_shows_the_ways_chosen_in_the_visitors_language(app, client):
    data = answers(client, "/es", reach_by=["text", "whatsapp"], message_phone="646 555 0123")
    page = text_of(client.post("/es/help/check", data=data))
    assert tr(app, "es", "Text message (SMS)") in page and "WhatsApp" in page
    assert "<bdi>646 555 0123</bdi>" in page
    # Carried in hidden inputs to the submit.
    assert 'name="reach_by" value="text"' in page and 'name="reach_by" value="whatsapp"' in page


@pytest.mark.parametrize("code", OFFERED)
def test_every_language_asks_how_to_reach_the_person_in_its_own_words(app, client, code):
    prefix = "/" + code.replace("_", "-").lower()
    page = html.unescape(step_pages(client, prefix=prefix)[3])
    for msgid in (
        "How may we contact you?",
        "Text message (SMS)",
        "Phone call",
        "Number for text and WhatsApp messages, if it is not the phone number above",
    ):
        assert tr(app, code, msgid) != msgid, (code, msgid)
        assert tr(app, code, msgid) in page


def test_staff_see_how_the_person_may_be_contacted(app, client, make_staff, login_as):
    submit(client, phone="+44 20 7946 0958", reach_by=["whatsapp"], message_phone="2125550199")
    row = only_request(app)
    login_as(client, make_staff("reviewer"))
    page = text_of(client.get(f"/staff/cases/{row.reference}"))
    assert "May be contacted by</dt><dd>WhatsApp</dd>" in page
    assert "(212) 555-0199" in page  # the number for messages, national format
    assert "+44 20 7946 0958" in page  # the foreign phone, international format
