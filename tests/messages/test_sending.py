"""send_to_request: the channel from consent, refusals recorded, an encrypted
message and its outbox row added together; the outbox sends it through the
provider once; WhatsApp's 24-hour rule."""

from datetime import datetime, timedelta

import pytest
from sqlalchemy import text

from intake.db import db
from intake.mail import outbox
from intake.messages import sending
from intake.models import HelpRequest, Message, MessageOptOut, OutgoingMail
from tests.support.messages import PHONE, audit_details, messages

NOW = datetime(2026, 5, 1, 9, 0)


def send(app, reference, body="Your appointment is on 12 May.", **kwargs):
    with app.app_context():
        help_request = db.session.execute(
            db.select(HelpRequest).filter_by(reference=reference)
        ).scalar_one()
        message = sending.send_to_request(help_request, body, now=kwargs.pop("now", NOW), **kwargs)
        db.session.commit()
        return None if message is None else (message.id, message.channel, message.state)


def inbound_whatsapp(app, request_id, at):
    with app.app_context():
        db.session.add(
            Message(
                request_id=request_id,
                direction="in",
                channel="whatsapp",
                kind="inbound",
                body="Hola",
                phone=PHONE,
                state="received",
                created_at=at,
            )
        )
        db.session.commit()


def test_queues_an_encrypted_message_and_its_outbox_row(app, consenting):
    case = consenting(reach_by=["text"])
    message_id, channel, state = send(app, case.reference, "Marker body 4242")
    assert (channel, state) == ("sms", "queued")
    with app.app_context():
        kinds = db.session.execute(db.select(OutgoingMail.kind)).scalars().all()
        assert kinds == [f"message:{message_id}"]
        stored = db.session.execute(text("SELECT body, phone FROM message")).one()
    assert "Marker" not in stored.body and "4242" not in stored.phone
    assert audit_details(app, "message.queued") == ["staff by sms"]


def test_never_when_not_safe_and_the_refusal_is_recorded(app, consenting):
    case = consenting(safe="not_sure")
    assert send(app, case.reference) is None
    assert messages(app) == []
    with app.app_context():
        assert db.session.execute(db.select(OutgoingMail)).first() is None
    assert audit_details(app, "message.refused") == [
        "staff: the person did not say messages are safe"
    ]


def test_never_without_consent_to_messages(app, consenting):
    case = consenting(reach_by=["call", "email"])
    assert send(app, case.reference) is None
    assert "did not choose" in audit_details(app, "message.refused")[0]


def test_never_after_stop(app, consenting):
    case = consenting()
    with app.app_context():
        db.session.add(MessageOptOut(phone_hash=case.phone_hash))
        db.session.commit()
    assert send(app, case.reference) is None
    assert "STOP" in audit_details(app, "message.refused")[0]


def test_never_when_messaging_is_off(app_factory, consenting):
    off = app_factory(MESSAGING_PROVIDER="none")
    case = consenting()
    assert send(off, case.reference) is None


def test_whatsapp_free_text_only_within_24_hours(app, consenting):
    case = consenting(reach_by=["whatsapp"])
    # The person never wrote on WhatsApp: only an approved template may go.
    assert send(app, case.reference) is None
    assert "24 hours" in audit_details(app, "message.refused")[0]
    inbound_whatsapp(app, case.id, NOW - timedelta(hours=23))
    assert send(app, case.reference)[1] == "whatsapp"
    later = NOW + timedelta(hours=2)  # 25 hours after the person's message
    assert send(app, case.reference, now=later) is None


def test_an_approved_template_goes_by_whatsapp_outside_the_window(app_factory, consenting):
    approved = app_factory(WHATSAPP_TEMPLATES="appointment/es=HX111, documents/en=HX222")
    assert approved.config["WHATSAPP_TEMPLATES"] == {
        "appointment/es": "HX111",
        "documents/en": "HX222",
    }
    case = consenting(reach_by=["whatsapp"])
    assert send(approved, case.reference, template="other", language="es") is None
    # Approved in English, not in Spanish: WhatsApp would refuse it.
    assert send(approved, case.reference, template="documents", language="es") is None
    sent = send(approved, case.reference, template="appointment", language="es")
    assert sent[1] == "whatsapp"


def test_whatsapp_templates_setting_is_checked(app_factory):
    for wrong in ("appointment=HX1", "appointment/es", {"appointment/es": ""}):
        with pytest.raises(RuntimeError, match="WHATSAPP_TEMPLATES"):
            app_factory(WHATSAPP_TEMPLATES=wrong)


def test_outside_the_window_text_is_used_when_also_chosen(app, consenting):
    case = consenting(reach_by=["text", "whatsapp"])
    assert send(app, case.reference)[1] == "sms"
    inbound_whatsapp(app, case.id, NOW - timedelta(hours=1))
    assert send(app, case.reference)[1] == "whatsapp"  # where the person last wrote


def test_the_log_provider_sends_once_through_the_outbox(app, consenting, monkeypatch):
    monkeypatch.setattr("intake.timeutil.utcnow", lambda: NOW)
    case = consenting(reach_by=["text"])
    message_id, _, _ = send(app, case.reference)
    with app.app_context():
        assert outbox.deliver_due() == (1, 0)
        assert outbox.deliver_due() == (0, 0)
    (message,) = messages(app)
    assert message.state == "sent" and message.provider_sid.startswith("LOG")


def test_stop_after_queueing_stops_the_send(app, consenting, monkeypatch):
    monkeypatch.setattr("intake.timeutil.utcnow", lambda: NOW)
    case = consenting(reach_by=["text"])
    send(app, case.reference)
    with app.app_context():
        db.session.add(MessageOptOut(phone_hash=case.phone_hash))
        db.session.commit()
        assert outbox.deliver_due() == (0, 1)
        assert db.session.execute(db.select(OutgoingMail.failed_at)).scalar() is not None
    (message,) = messages(app)
    assert (message.state, message.provider_sid, message.error_code) == ("failed", None, "consent")


def test_a_purged_request_takes_its_queued_message_with_it(app, consenting, monkeypatch):
    monkeypatch.setattr("intake.timeutil.utcnow", lambda: NOW)
    case = consenting(reach_by=["text"])
    send(app, case.reference)
    with app.app_context():
        db.session.execute(text("DELETE FROM message"))
        db.session.execute(text("DELETE FROM help_request"))
        db.session.commit()
        assert outbox.deliver_due() == (0, 1)


def test_states_only_move_forward():
    message = Message(state="queued")
    assert sending.advance(message, "sent")
    assert sending.advance(message, "delivered")
    assert not sending.advance(message, "sent")
    assert not sending.advance(message, "failed")
    assert message.state == "delivered"


def test_unknown_kind_is_a_programming_error(app, consenting):
    case = consenting()
    with pytest.raises(ValueError):
        send(app, case.reference, kind="marketing")
