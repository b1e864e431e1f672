"""The critical-request email: sent through a local SMTP sink, no personal data,
and a mail failure never loses the request or reaches the applicant."""

import email
import logging
import socket

import pytest

from intake import notify
from intake.db import db
from intake.models import HelpRequest

PERSONAL = {
    "name": "Yohannes Marker",
    "nationality": "Eritrea-marker",
    "phone": "+1 555 010 4242",
    "email": "yohannes.marker@example.org",
    "summary": "Marker summary",
    "detention_facility": "Marker facility",
}


@pytest.fixture
def mail_app(app_factory):
    """``mail_app(port, **config)``: an app that mails critical requests to a
    staff address through the SMTP server on ``port``."""

    def make(port, **overrides):
        config = {
            "STAFF_NOTIFY_EMAIL": "intake-team@org.example",
            "MAIL_SERVER": "127.0.0.1",
            "MAIL_PORT": port,
            "MAIL_FROM": "noreply@org.example",
            "PUBLIC_BASE_URL": "https://help.org.example",
            **overrides,
        }
        return app_factory(**config)

    return make


def free_port() -> int:
    """A port nothing listens on: the mail server is down."""
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def test_critical_request_sends_an_email_without_personal_data(mail_app, sink, make_request):
    app = mail_app(sink.port)
    case = make_request(**PERSONAL, urgency="critical")
    with app.app_context():
        assert notify.notify_if_critical(case) is True
    (message,) = sink.messages
    assert message["from"] == "noreply@org.example"
    assert message["to"] == ["intake-team@org.example"]
    raw = message["data"].decode()
    parsed = email.message_from_string(raw)
    body = parsed.get_payload(decode=True).decode()
    assert parsed["Subject"] == "A critical request for legal help is waiting"
    assert "https://help.org.example/staff/" in body
    for value in [*PERSONAL.values(), case.reference, "Venezuela", "Spanish", "asylum"]:
        assert value not in raw
        assert value.lower() not in raw.lower()


@pytest.mark.parametrize("urgency", ["high", "normal"])
def test_no_email_for_requests_that_are_not_critical(mail_app, sink, make_request, urgency):
    app = mail_app(sink.port)
    case = make_request(urgency=urgency)
    with app.app_context():
        assert notify.notify_if_critical(case) is False
    assert sink.messages == []


def test_no_email_when_no_address_is_configured(mail_app, sink, make_request):
    app = mail_app(sink.port, STAFF_NOTIFY_EMAIL="")
    case = make_request(urgency="critical")
    with app.app_context():
        assert notify.notify_if_critical(case) is False
    assert sink.messages == []


def test_mail_server_down_keeps_the_request_and_logs_nothing_personal(
    mail_app, make_request, caplog
):
    app = mail_app(free_port(), MAIL_TIMEOUT_SECONDS=2)
    case = make_request(**PERSONAL, urgency="critical")
    with caplog.at_level(logging.INFO), app.app_context():
        assert notify.notify_if_critical(case) is False  # no exception
        stored = db.session.execute(
            db.select(HelpRequest).filter_by(reference=case.reference)
        ).scalar_one()
        assert stored.name == PERSONAL["name"]
    assert "notification not sent: ConnectionRefusedError" in caplog.text
    for value in [*PERSONAL.values(), case.reference]:
        assert value not in caplog.text


def test_unexpected_mail_error_is_contained(mail_app, make_request, monkeypatch, caplog):
    app = mail_app(1)

    def broken(_message):
        raise RuntimeError(f"boom for {PERSONAL['email']}")

    monkeypatch.setattr(notify, "send", broken)
    case = make_request(**PERSONAL, urgency="critical")
    with app.app_context():
        assert notify.notify_if_critical(case) is False
    assert PERSONAL["email"] not in caplog.text


def test_the_queue_link_works_without_a_public_base(mail_app, sink, make_request):
    app = mail_app(sink.port, PUBLIC_BASE_URL=None)
    case = make_request(urgency="critical")
    with app.test_request_context("/help", base_url="http://intake.test"):
        assert notify.notify_if_critical(case) is True
    assert "http://intake.test/staff/" in sink.messages[0]["data"].decode()


def test_a_critical_submission_from_the_form_notifies_staff(mail_app, sink):
    """The form calls the notification after its commit: detained → critical."""
    from test_screening import VALID, reference_in, token_from

    app = mail_app(sink.port)
    client = app.test_client()
    data = {**VALID, "detained": "yes", "form_token": token_from(client.get("/help").text)}
    response = client.post("/help/submit", data=data)
    assert response.status_code == 200
    reference = reference_in(response.text)
    (message,) = sink.messages
    raw = message["data"].decode()
    assert "A critical request for legal help is waiting" in raw
    for value in (VALID["name"], VALID["email"], reference):
        assert value not in raw
