"""The conversation on the case page: staff read messages with their state and
send one from a template in the person's language or in their own words; the
page says when no message may go and why, and when WhatsApp's 24 hours have
passed; only who may see the case reads it; every send is audited."""

import html
from datetime import timedelta

from intake import timeutil
from intake.db import db
from intake.models import Message, MessageTemplate
from tests.support.messages import messages
from tests.support.staff import events
from tests.support.tokens import csrf_token


def spanish_template(app, name="cita", body="{organisation}: tiene una cita pronto. Llámenos."):
    with app.app_context():
        db.session.add(MessageTemplate(name=name, language="es", body=body))
        db.session.commit()


def post_message(client, reference, body, template=""):
    page = client.get(f"/staff/cases/{reference}/messages").text
    return client.post(
        f"/staff/cases/{reference}/messages",
        data={"csrf_token": csrf_token(page), "body": body, "template": template},
    )


def test_send_free_text_from_the_case_page(app, client, make_staff, login_as, consenting):
    case = consenting(reach_by=["text"])
    login_as(client, make_staff("reviewer"))
    page = client.get(f"/staff/cases/{case.reference}").text
    assert 'id="messages"' in page and "Goes by Text (SMS)" in page
    response = post_message(client, case.reference, "Hola, ¿puede llamarnos?")
    assert response.status_code == 302 and response.location.endswith("#messages")
    (message,) = messages(app)
    assert (message.body, message.kind, message.template) == (
        "Hola, ¿puede llamarnos?",
        "staff",
        None,
    )
    assert message.author_id is not None and message.language == "es"
    page = client.get(f"/staff/cases/{case.reference}").text
    assert "Hola, ¿puede llamarnos?" in html.unescape(page)
    assert [e.detail for e in events(app, "message.queued")] == ["staff by sms"]


def test_a_spanish_template_fills_the_box_and_is_recorded(
    app, client, make_staff, login_as, consenting
):
    spanish_template(app)
    case = consenting(reach_by=["text"])
    login_as(client, make_staff("reviewer"))
    assert "Start from a template in Spanish" in client.get(f"/staff/cases/{case.reference}").text
    page = client.get(f"/staff/cases/{case.reference}/messages?template=cita").text
    filled = "Human Rights First: tiene una cita pronto. Llámenos."
    assert filled in html.unescape(page)
    post_message(client, case.reference, filled, template="cita")
    post_message(client, case.reference, filled + " Gracias.", template="cita")  # edited
    assert [m.template for m in messages(app)] == ["cita", None]


def test_delivery_state_is_shown(app, client, make_staff, login_as, consenting):
    case = consenting(reach_by=["text"])
    with app.app_context():
        db.session.add(
            Message(
                request_id=case.id,
                direction="out",
                channel="sms",
                kind="staff",
                body="Entregado",
                phone="+12125550147",
                state="delivered",
            )
        )
        db.session.commit()
    login_as(client, make_staff("reviewer"))
    page = client.get(f"/staff/cases/{case.reference}").text
    assert 'class="message-state">Delivered<' in page


def test_not_safe_shows_why_and_a_post_sends_nothing(app, client, make_staff, login_as, consenting):
    case = consenting(safe="no")
    login_as(client, make_staff("reviewer"))
    page = client.get(f"/staff/cases/{case.reference}").text
    assert "No message can be sent: the person did not say messages are safe." in page
    token = csrf_token(client.get(f"/staff/cases/{case.reference}").text)
    response = client.post(
        f"/staff/cases/{case.reference}/messages", data={"csrf_token": token, "body": "Hola"}
    )
    assert response.status_code == 302
    assert messages(app) == []
    assert "Not sent" in client.get(response.location).text
    assert [e.detail for e in events(app, "message.refused")] == [
        "staff: the person did not say messages are safe"
    ]


def test_the_page_says_whatsapps_24_hours_have_passed(
    app, client, make_staff, login_as, consenting
):
    case = consenting(reach_by=["whatsapp"])
    login_as(client, make_staff("reviewer"))
    page = client.get(f"/staff/cases/{case.reference}").text
    assert 'id="whatsapp-window"' in page and "has not written to us on WhatsApp" in page
    assert "No message can be sent: more than 24 hours" in page
    with app.app_context():
        db.session.add(
            Message(
                request_id=case.id,
                direction="in",
                channel="whatsapp",
                kind="inbound",
                body="Hola",
                phone="+12125550147",
                state="received",
                created_at=timeutil.utcnow() - timedelta(hours=2),
            )
        )
        db.session.commit()
    page = client.get(f"/staff/cases/{case.reference}").text
    assert 'id="whatsapp-window"' not in page and "Goes by WhatsApp" in page


def test_an_empty_message_is_refused_with_an_error(app, client, make_staff, login_as, consenting):
    case = consenting()
    login_as(client, make_staff("reviewer"))
    response = post_message(client, case.reference, "   ")
    assert response.status_code == 400
    assert 'href="#message-body"' in response.text
    assert messages(app) == []


def test_a_volunteer_sees_messages_only_on_their_own_cases(app, make_staff, login_as, consenting):
    volunteer = make_staff("volunteer")
    theirs = consenting(assignee_id=volunteer.id)
    other = consenting()
    client = app.test_client()
    login_as(client, volunteer)
    assert client.get(f"/staff/cases/{theirs.reference}/messages").status_code == 200
    assert client.get(f"/staff/cases/{other.reference}/messages").status_code == 404
    token = csrf_token(client.get(f"/staff/cases/{theirs.reference}").text)
    response = client.post(
        f"/staff/cases/{other.reference}/messages", data={"csrf_token": token, "body": "Hola"}
    )
    assert response.status_code == 404 and messages(app) == []


def test_an_inbound_reply_appears_on_the_case(app_factory, make_staff, login_as, consenting):
    from tests.support.messages import TWILIO, Webhooks

    app = app_factory(**TWILIO)
    case = consenting()
    Webhooks(app.test_client()).inbound("Gracias, allí estaré")
    client = app.test_client()
    login_as(client, make_staff("reviewer"))
    page = html.unescape(client.get(f"/staff/cases/{case.reference}").text)
    assert "From the person" in page and "Gracias, allí estaré" in page


def test_the_status_code_is_never_offered(app, client, make_staff, login_as, consenting):
    from intake.messages import templates

    assert "status_code" not in templates.PLACEHOLDERS and "reference" not in templates.PLACEHOLDERS
