"""The real ``twilio`` client against a stand-in for Twilio's Messages API on the
loopback: the request the library makes is the one Twilio expects (path, basic
auth, form fields); an outage (500, connection refused) retries through the
outbox and the message goes once; a refused number fails for good."""

import base64
from datetime import datetime, timedelta

import pytest

from intake import timeutil
from intake.db import db
from intake.mail import outbox
from intake.messages import provider as providers
from intake.messages import sending
from intake.models import HelpRequest, MessageTemplate, OutgoingMail
from tests.support.messages import ACCOUNT, BASE, PHONE, TOKEN, TWILIO, messages
from tests.support.servers import free_port
from tests.support.twilio_standin import TwilioStandIn

NOW = datetime(2026, 5, 1, 9, 0)


@pytest.fixture
def standin():
    server = TwilioStandIn()
    yield server
    server.stop()


@pytest.fixture
def clock(monkeypatch):
    class Clock:
        now = NOW

        def advance(self, **delta):
            self.now += timedelta(**delta)

    frozen = Clock()
    monkeypatch.setattr(timeutil, "utcnow", lambda: frozen.now)
    return frozen


def queue(app, case, body="Su cita es el 12 de mayo.", **kwargs):
    with app.app_context():
        message = sending.send_to_request(db.session.get(HelpRequest, case.id), body, **kwargs)
        db.session.commit()
        return message.id


def test_the_request_twilio_expects(app_factory, standin, consenting, clock):
    app = app_factory(**TWILIO, TWILIO_API_BASE=standin.url)
    case = consenting(reach_by=["text"])
    queue(app, case)
    with app.app_context():
        assert outbox.deliver_due() == (1, 0)
    (request,) = standin.requests
    assert request.path == f"/2010-04-01/Accounts/{ACCOUNT}/Messages.json"
    assert (
        request.authorization == "Basic " + base64.b64encode(f"{ACCOUNT}:{TOKEN}".encode()).decode()
    )
    assert request.content_type.startswith("application/x-www-form-urlencoded")
    assert request.form == {
        "To": PHONE,
        "From": "+12125550100",
        "Body": "Su cita es el 12 de mayo.",
        "StatusCallback": f"{BASE}/webhooks/twilio/status",
    }
    (message,) = messages(app)
    assert (message.state, message.provider_sid) == ("sent", standin.sent[0]["sid"])


def test_an_approved_whatsapp_template_goes_as_its_content_template(
    app_factory, standin, consenting, clock
):
    """Outside the 24 hours WhatsApp takes only an approved template, and Twilio
    only by its Content SID (a template's text in Body is refused since 2025)."""
    app = app_factory(
        **TWILIO,
        TWILIO_API_BASE=standin.url,
        WHATSAPP_TEMPLATES={"cita/es": "HX" + "a" * 32},
        HELPLINE_PHONE="+1 212 555 0100",
    )
    case = consenting(reach_by=["whatsapp"])
    with app.app_context():
        db.session.add(
            MessageTemplate(name="cita", language="es", body="{organisation}: cita. {helpline}")
        )
        db.session.commit()
    queue(app, case, "Human Rights First: cita. +1 212 555 0100", template="cita", language="es")
    with app.app_context():
        assert outbox.deliver_due() == (1, 0)
    (request,) = standin.requests
    assert request.form == {
        "To": f"whatsapp:{PHONE}",
        "From": "whatsapp:+14155238886",
        "ContentSid": "HX" + "a" * 32,
        "ContentVariables": '{"1": "Human Rights First", "2": "+1 212 555 0100"}',
        "StatusCallback": f"{BASE}/webhooks/twilio/status",
    }


def test_free_text_on_whatsapp_within_the_24_hours(app_factory, standin, consenting, clock):
    from intake.models import Message

    app = app_factory(**TWILIO, TWILIO_API_BASE=standin.url)
    case = consenting(reach_by=["whatsapp"])
    with app.app_context():
        db.session.add(
            Message(
                request_id=case.id,
                direction="in",
                channel="whatsapp",
                kind="inbound",
                body="Hola",
                phone=PHONE,
                state="received",
                created_at=NOW - timedelta(hours=1),
            )
        )
        db.session.commit()
    queue(app, case, "¿Puede venir el martes?")
    with app.app_context():
        outbox.deliver_due()
    (request,) = standin.requests
    assert request.form["Body"] == "¿Puede venir el martes?" and "ContentSid" not in request.form


def test_an_outage_retries_through_the_outbox_and_sends_once(
    app_factory, standin, consenting, clock
):
    app = app_factory(**TWILIO, TWILIO_API_BASE=standin.url)
    case = consenting(reach_by=["text"])
    queue(app, case)
    standin.fail(2)
    with app.app_context():
        assert outbox.deliver_due() == (0, 1)
        assert outbox.deliver_due() == (0, 0)  # not due yet: backing off
        clock.advance(minutes=1)
        assert outbox.deliver_due() == (0, 1)
        assert messages(app)[0].state == "queued"
        clock.advance(minutes=2)
        assert outbox.deliver_due() == (1, 0)
        clock.advance(hours=2)
        assert outbox.deliver_due() == (0, 0)
        row = db.session.execute(db.select(OutgoingMail)).scalar_one()
        assert (row.attempts, row.last_error_type) == (3, None)
    assert len(standin.requests) == 3 and len(standin.sent) == 1
    assert messages(app)[0].state == "sent"


def test_connection_refused_retries_then_sends_once(app_factory, standin, consenting, clock):
    down = app_factory(**TWILIO, TWILIO_API_BASE=f"http://127.0.0.1:{free_port()}")
    case = consenting(reach_by=["text"])
    queue(down, case)
    with down.app_context():
        assert outbox.deliver_due() == (0, 1)
    up = app_factory(**TWILIO, TWILIO_API_BASE=standin.url)
    clock.advance(minutes=1)
    with up.app_context():
        assert outbox.deliver_due() == (1, 0)
        clock.advance(hours=1)
        assert outbox.deliver_due() == (0, 0)
    assert len(standin.sent) == 1


def test_a_message_with_its_provider_id_is_never_sent_again(
    app_factory, standin, consenting, clock
):
    """The provider took it but the database failed before the outbox row was
    marked sent: the next attempt sees the provider's id and sends nothing."""
    app = app_factory(**TWILIO, TWILIO_API_BASE=standin.url)
    case = consenting(reach_by=["text"])
    message_id = queue(app, case)
    with app.app_context():
        sending.deliver(str(message_id), BASE)  # sent, outbox row still pending
        assert outbox.deliver_due() == (1, 0)
    assert len(standin.sent) == 1


def test_a_refused_number_fails_for_good(app_factory, standin, consenting, clock):
    app = app_factory(**TWILIO, TWILIO_API_BASE=standin.url)
    case = consenting(reach_by=["text"])
    queue(app, case)
    standin.reject(1)
    with app.app_context():
        assert outbox.deliver_due() == (0, 1)
        clock.advance(days=1)
        assert outbox.deliver_due() == (0, 0)
    (message,) = messages(app)
    assert (message.state, message.error_code) == ("failed", "21211")


def test_given_up_after_the_last_attempt_is_failed(app_factory, standin, consenting, clock):
    app = app_factory(**TWILIO, TWILIO_API_BASE=standin.url, MAIL_MAX_ATTEMPTS=2)
    case = consenting(reach_by=["text"])
    queue(app, case)
    standin.fail(5)
    with app.app_context():
        outbox.deliver_due()
        clock.advance(hours=1)
        outbox.deliver_due()
    (message,) = messages(app)
    assert (message.state, message.error_code) == ("failed", "gave_up")


def test_the_twilio_client_uses_the_configured_base():
    twilio = providers.TwilioProvider(ACCOUNT, TOKEN, "http://127.0.0.1:9/")
    assert twilio.client.api.base_url == "http://127.0.0.1:9"


@pytest.mark.parametrize("missing", ["TWILIO_ACCOUNT_SID", "TWILIO_AUTH_TOKEN", "PUBLIC_BASE_URL"])
def test_a_half_configured_twilio_refuses_to_start(app_factory, missing):
    with pytest.raises(RuntimeError, match=missing):
        app_factory(**{**TWILIO, missing: ""}, PRODUCTION=True)


def test_twilio_without_any_sender_refuses_to_start(app_factory):
    with pytest.raises(RuntimeError, match="TWILIO_FROM_SMS"):
        app_factory(**{**TWILIO, "TWILIO_FROM_SMS": "", "TWILIO_FROM_WHATSAPP": ""})


def test_production_defaults_to_no_messages(app_factory):
    assert app_factory(PRODUCTION=True).config["MESSAGING_PROVIDER"] == "none"
    assert app_factory().config["MESSAGING_PROVIDER"] == "log"
    with pytest.raises(RuntimeError, match="MESSAGING_PROVIDER"):
        app_factory(MESSAGING_PROVIDER="carrier-pigeon")
