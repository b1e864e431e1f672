"""The inbox of messages from unknown numbers (attach, answer, set aside), the
editors' message wording, and the development provider's page."""

import html

from intake.db import db
from intake.models import Message, MessageOptOut, MessageTemplate
from tests.support.messages import messages
from tests.support.staff import events
from tests.support.tokens import csrf_token

UNKNOWN = "+13055550123"


def unknown_message(app, body="¿Quién es?", phone=UNKNOWN):
    from intake.messages import consent

    with app.app_context():
        message = Message(
            direction="in",
            channel="sms",
            kind="inbound",
            body=body,
            phone=phone,
            phone_hash=consent.phone_hash(phone),
            state="received",
        )
        db.session.add(message)
        db.session.commit()
        return message.id


def inbox_token(client):
    return csrf_token(client.get("/staff/messages/inbox").text)


def test_attach_moves_the_numbers_messages_to_the_case(
    app, client, make_staff, login_as, make_request
):
    case = make_request()
    first = unknown_message(app)
    unknown_message(app, body="Soy yo otra vez")
    other = unknown_message(app, phone="+13055550999")
    login_as(client, make_staff("reviewer"))
    page = html.unescape(client.get("/staff/messages/inbox").text)
    assert "¿Quién es?" in page and UNKNOWN in page
    response = client.post(
        f"/staff/messages/inbox/{first}/attach",
        data={"csrf_token": inbox_token(client), "reference": case.reference.lower()},
    )
    assert response.status_code == 302
    attached = [m for m in messages(app) if m.request_id == case.id]
    assert len(attached) == 2 and all(m.handled_at for m in attached)
    assert [m.id for m in messages(app) if m.request_id is None] == [other]
    assert [e.target for e in events(app, "message.attached")] == [case.reference]


def test_attach_to_an_unknown_reference_is_an_error(app, client, make_staff, login_as):
    first = unknown_message(app)
    login_as(client, make_staff("reviewer"))
    response = client.post(
        f"/staff/messages/inbox/{first}/attach",
        data={"csrf_token": inbox_token(client), "reference": "NOPE"},
    )
    assert response.status_code == 400
    assert f'href="#attach-{first}-reference"' in response.text


def test_answer_an_unknown_number(app, client, make_staff, login_as):
    first = unknown_message(app)
    login_as(client, make_staff("admin"))
    response = client.post(
        f"/staff/messages/inbox/{first}/answer",
        data={"csrf_token": inbox_token(client), "body": "Somos la oficina legal."},
    )
    assert response.status_code == 302
    answer = [m for m in messages(app) if m.direction == "out"]
    assert [(a.body, a.phone, a.channel) for a in answer] == [
        ("Somos la oficina legal.", UNKNOWN, "sms")
    ]
    assert "No messages waiting" in client.get("/staff/messages/inbox").text


def test_never_answer_a_number_that_sent_stop(app, client, make_staff, login_as):
    from intake.messages import consent

    first = unknown_message(app)
    with app.app_context():
        db.session.add(MessageOptOut(phone_hash=consent.phone_hash(UNKNOWN)))
        db.session.commit()
    login_as(client, make_staff("admin"))
    client.post(
        f"/staff/messages/inbox/{first}/answer",
        data={"csrf_token": inbox_token(client), "body": "Hola"},
    )
    assert [m for m in messages(app) if m.direction == "out"] == []


def test_set_aside(app, client, make_staff, login_as):
    first = unknown_message(app)
    login_as(client, make_staff("reviewer"))
    client.post(f"/staff/messages/inbox/{first}/dismiss", data={"csrf_token": inbox_token(client)})
    assert messages(app)[0].handled_at is not None
    assert len(events(app, "message.dismissed")) == 1


def test_editors_write_wording_with_known_placeholders_only(app, client, make_staff, login_as):
    login_as(client, make_staff("editor"))
    url = "/staff/message-templates/edit?name=cita&language=es"
    token = csrf_token(client.get(url).text)
    bad = client.post(url, data={"csrf_token": token, "body": "Hola {name}"})
    assert bad.status_code == 400 and "Not a placeholder we fill: {name}" in bad.text
    good = client.post(url, data={"csrf_token": token, "body": "{organisation}: tiene una cita."})
    assert good.status_code == 302
    with app.app_context():
        (row,) = db.session.execute(db.select(MessageTemplate)).scalars()
        assert (row.name, row.language) == ("cita", "es")
    assert "Written" in client.get("/staff/message-templates").text
    client.post(url, data={"csrf_token": token, "body": ""})  # emptied: removed
    with app.app_context():
        assert db.session.execute(db.select(MessageTemplate)).first() is None


def test_a_bad_template_name_is_refused(app, client, make_staff, login_as):
    login_as(client, make_staff("editor"))
    response = client.get("/staff/message-templates/edit?name=Bad Name!&language=es")
    assert response.status_code == 302
    assert "lower-case letters" in client.get(response.location).text


def test_the_reminders_template_name_is_not_the_editors(app, client, make_staff, login_as):
    """Its approved template's variable is a date, not the editors' placeholders."""
    from intake.messages import reminders
    from intake.messages import templates as wording

    assert reminders.TEMPLATE in wording.RESERVED
    login_as(client, make_staff("editor"))
    response = client.get("/staff/message-templates/edit?name=reminder&language=es")
    assert response.status_code == 302
    assert "not “reminder”" in client.get(response.location).text


def test_the_dev_page_shows_what_the_log_provider_kept(
    app, client, make_staff, login_as, consenting, app_factory
):
    from intake.mail import outbox
    from intake.messages import sending
    from intake.models import HelpRequest

    case = consenting(reach_by=["text"])
    with app.app_context():
        sending.send_to_request(db.session.get(HelpRequest, case.id), "Marker dev text")
        db.session.commit()
        outbox.deliver_due()
    login_as(client, make_staff("reviewer"))
    page = client.get("/staff/messages/dev").text
    assert "Marker dev text" in page and ">Sent<" in page
    live = app_factory(MESSAGING_PROVIDER="none")
    other = live.test_client()
    login_as(other, make_staff("admin"))
    assert other.get("/staff/messages/dev").status_code == 404
