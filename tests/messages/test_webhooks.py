"""The webhooks: a valid Twilio signature or 403 (inbound and status), each
message id processed once, no cookie, no personal data in the logs; inbound
messages on their case or in the inbox; STOP, START and HELP in several
languages act at once and are audited; status callbacks move states forward."""

import logging

from intake.db import db
from intake.models import Message, MessageOptOut, OutgoingMail
from tests.support.messages import PHONE, audit_details, messages

OTHER = "+13055550123"


def opted_out(app) -> int:
    with app.app_context():
        return len(db.session.execute(db.select(MessageOptOut)).all())


def test_unsigned_and_wrongly_signed_inbound_is_refused(twilio_app, hooks, consenting):
    consenting()
    assert hooks.inbound("Hola", signed=False).status_code == 403
    fields = {"MessageSid": "SMx", "From": PHONE, "Body": "Hola"}
    forged = {"X-Twilio-Signature": "c2lnbmF0dXJl"}
    assert (
        hooks.client.post("/webhooks/twilio/messages", data=fields, headers=forged).status_code
        == 403
    )
    # Signed for other fields than those posted.
    signed_for_other = {
        "X-Twilio-Signature": __import__(
            "tests.support.messages", fromlist=["signature"]
        ).signature("/webhooks/twilio/messages", {**fields, "Body": "other"})
    }
    response = hooks.client.post("/webhooks/twilio/messages", data=fields, headers=signed_for_other)
    assert response.status_code == 403
    assert messages(twilio_app) == []


def test_unsigned_status_callback_is_refused(twilio_app, hooks):
    assert hooks.status("SM1", "delivered", signed=False).status_code == 403


def test_signed_for_another_host_is_refused(twilio_app, hooks):
    from tests.support.messages import signature

    fields = {"MessageSid": "SMy", "From": PHONE, "Body": "Hola"}
    header = {
        "X-Twilio-Signature": signature(
            "/webhooks/twilio/messages", fields, base="https://evil.example"
        )
    }
    assert (
        hooks.client.post("/webhooks/twilio/messages", data=fields, headers=header).status_code
        == 403
    )


def test_without_an_auth_token_nothing_is_accepted(app_factory, consenting):
    from tests.support.messages import Webhooks

    app = app_factory(PUBLIC_BASE_URL="https://help.example.org")
    assert Webhooks(app.test_client()).inbound("Hola").status_code == 403


def test_signed_inbound_lands_on_the_case_once_and_sets_no_cookie(twilio_app, hooks, consenting):
    case = consenting()
    response = hooks.inbound("Tengo una pregunta", sid="SM" + "a" * 32)
    assert response.status_code == 200
    assert response.mimetype == "text/xml"
    assert "Set-Cookie" not in response.headers
    replay = hooks.inbound("Tengo una pregunta", sid="SM" + "a" * 32)
    assert replay.status_code == 200
    (message,) = messages(twilio_app)
    assert (message.request_id, message.body, message.kind) == (
        case.id,
        "Tengo una pregunta",
        "inbound",
    )
    assert audit_details(twilio_app, "message.received") == ["inbound by sms"]


def test_no_personal_data_in_the_logs(twilio_app, hooks, consenting, caplog):
    consenting()
    with caplog.at_level(logging.DEBUG):
        hooks.inbound("Marker secret text")
        hooks.inbound("AYUDA")
    logged = "\n".join(r.getMessage() for r in caplog.records)
    assert "Marker" not in logged and "5550147" not in logged


def test_unknown_numbers_land_in_the_inbox(twilio_app, hooks, consenting):
    consenting()
    hooks.inbound("Who is this?", sender=OTHER)
    (message,) = messages(twilio_app)
    assert message.request_id is None and message.handled_at is None
    assert audit_details(twilio_app, "message.received") == ["inbound by sms"]


def test_two_requests_with_the_number_and_no_conversation_go_to_the_inbox(
    twilio_app, hooks, consenting
):
    consenting()
    consenting()
    hooks.inbound("Hello")
    assert messages(twilio_app)[0].request_id is None


def test_stop_in_english_is_recorded_and_audited_and_twilio_answers_it(
    twilio_app, hooks, consenting
):
    case = consenting()
    hooks.inbound("Stop")
    assert opted_out(twilio_app) == 1
    assert audit_details(twilio_app, "message.stop") == ["STOP by sms"]
    # Twilio answers its own English words on SMS: no second answer from us.
    assert [m.direction for m in messages(twilio_app)] == ["in"]
    assert messages(twilio_app)[0].request_id == case.id


def test_stop_in_spanish_answers_in_spanish(twilio_app, hooks, consenting):
    consenting()
    hooks.inbound("PARAR")
    assert opted_out(twilio_app) == 1
    inbound, reply = messages(twilio_app)
    assert inbound.kind == "stop" and reply.kind == "reply"
    assert reply.language == "es" and "ya no recibirá" in reply.body
    with twilio_app.app_context():
        assert db.session.execute(db.select(OutgoingMail.kind)).scalar() == f"message:{reply.id}"


def test_stop_in_ukrainian_and_arabic(twilio_app, hooks, consenting):
    consenting(phone=PHONE, preferred_language="uk")
    hooks.inbound("стоп")
    assert opted_out(twilio_app) == 1
    assert messages(twilio_app)[-1].language == "uk"  # СТОП is Russian and Ukrainian: theirs
    hooks.inbound("توقف", sender=OTHER)
    assert opted_out(twilio_app) == 2
    assert messages(twilio_app)[-1].language == "ar"
    assert "لن تصلك" in messages(twilio_app)[-1].body  # Arabic, the first language of the word


def test_start_after_stop_in_french_sends_again(twilio_app, hooks, consenting):
    case = consenting(preferred_language="fr")
    hooks.inbound("ARRÊT")
    assert opted_out(twilio_app) == 1
    hooks.inbound("commencer")
    assert opted_out(twilio_app) == 0
    assert audit_details(twilio_app, "message.start") == ["COMMENCER by sms"]
    assert "de nouveau" in messages(twilio_app)[-1].body
    assert messages(twilio_app)[-1].request_id == case.id


def test_yes_from_someone_who_never_stopped_is_a_message(twilio_app, hooks, consenting):
    consenting()
    hooks.inbound("Yes")
    (message,) = messages(twilio_app)
    assert message.kind == "inbound"
    assert audit_details(twilio_app, "message.start") == []


def test_help_answers_with_the_organisation_name_and_phone(app_factory, consenting):
    from tests.support.messages import TWILIO, Webhooks

    app = app_factory(
        **TWILIO, ORGANISATION_NAME="Legal Aid Line", HELPLINE_PHONE="+1 212 555 0100"
    )
    hooks = Webhooks(app.test_client())
    consenting()
    hooks.inbound("HELP")
    hooks.inbound("Ayuda")
    hooks.inbound("ПОМОЩЬ")
    replies = [m for m in messages(app) if m.direction == "out"]
    assert [r.language for r in replies] == ["en", "es", "ru"]
    for reply in replies:
        assert "Legal Aid Line" in reply.body and "+1 212 555 0100" in reply.body
    assert "Llámenos" in replies[1].body
    assert len(audit_details(app, "message.help")) == 3
    assert opted_out(app) == 0


def test_stop_on_whatsapp_is_answered_by_us(twilio_app, hooks, consenting):
    consenting()
    hooks.inbound("STOP", whatsapp=True)
    inbound, reply = messages(twilio_app)
    assert (inbound.channel, reply.channel) == ("whatsapp", "whatsapp")


def test_status_callbacks_move_forward_only(twilio_app, hooks, consenting):
    from intake.messages import sending
    from intake.models import HelpRequest

    case = consenting(reach_by=["text"])
    with twilio_app.app_context():
        message = sending.send_to_request(db.session.get(HelpRequest, case.id), "Hola")
        message.provider_sid = "SM" + "b" * 32
        message.state = "sent"
        db.session.commit()
    assert hooks.status("SM" + "b" * 32, "delivered").status_code == 200
    assert messages(twilio_app)[0].state == "delivered"
    hooks.status("SM" + "b" * 32, "sent")  # late and out of order
    hooks.status("SM" + "b" * 32, "failed", error_code="30003")
    assert messages(twilio_app)[0].state == "delivered"
    assert hooks.status("SM" + "c" * 32, "delivered").status_code == 200  # not ours


def test_a_failed_status_keeps_the_error_code(twilio_app, hooks, consenting):
    from intake.messages import sending
    from intake.models import HelpRequest

    case = consenting(reach_by=["text"])
    with twilio_app.app_context():
        message = sending.send_to_request(db.session.get(HelpRequest, case.id), "Hola")
        message.provider_sid = "SM" + "d" * 32
        db.session.commit()
    hooks.status("SM" + "d" * 32, "undelivered", error_code="30006")
    (message,) = messages(twilio_app)
    assert (message.state, message.error_code) == ("failed", "30006")


def test_purge_deletes_old_messages_from_unknown_numbers(twilio_app, hooks, consenting):
    from datetime import timedelta

    from intake import timeutil
    from intake.cases import retention

    consenting()
    hooks.inbound("old", sender=OTHER)
    hooks.inbound("new", sender="+13055550999")
    hooks.inbound("STOP", sender=OTHER)
    with twilio_app.app_context():
        old = db.session.execute(db.select(Message).filter_by(kind="inbound")).scalars().first()
        old.created_at = timeutil.utcnow() - timedelta(days=400)
        db.session.commit()
        retention.purge()
    assert sorted(m.body for m in messages(twilio_app)) == ["STOP", "new"]
    assert opted_out(twilio_app) == 1  # the STOP stays


def test_webhooks_are_rate_limited(app_factory):
    from tests.support.messages import TWILIO, Webhooks

    app = app_factory(**TWILIO, RATELIMIT_ENABLED=True, MESSAGING_WEBHOOK_RATE_LIMIT="2 per minute")
    hooks = Webhooks(app.test_client())
    assert [hooks.status("SM1", "sent").status_code for _ in range(3)] == [200, 200, 429]
