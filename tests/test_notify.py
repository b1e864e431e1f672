"""The critical-request email: sent through a local SMTP sink, no personal data,
and a mail failure never loses the request or reaches the applicant."""

import email
import logging
import socket
import socketserver
import threading

import pytest
from conftest import make_test_app

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


class _SMTPHandler(socketserver.StreamRequestHandler):
    """Just enough SMTP (RFC 5321) for smtplib to deliver one message."""

    def reply(self, line: str) -> None:
        self.wfile.write(line.encode() + b"\r\n")

    def handle(self):
        self.reply("220 sink ready")
        envelope = {"from": None, "to": [], "data": b""}
        while line := self.rfile.readline():
            command = line.decode("ascii", "replace").strip()
            verb = command[:4].upper()
            if verb in ("EHLO", "HELO"):
                self.reply("250 sink")
            elif verb == "MAIL":
                envelope["from"] = command[10:].strip("<> ")
                self.reply("250 OK")
            elif verb == "RCPT":
                envelope["to"].append(command[8:].strip("<> "))
                self.reply("250 OK")
            elif verb == "DATA":
                self.reply("354 end with .")
                chunks = []
                while (chunk := self.rfile.readline()) not in (b".\r\n", b""):
                    chunks.append(chunk[1:] if chunk.startswith(b"..") else chunk)
                envelope["data"] = b"".join(chunks)
                self.server.messages.append(envelope)
                envelope = {"from": None, "to": [], "data": b""}
                self.reply("250 queued")
            elif verb == "QUIT":
                self.reply("221 bye")
                return
            else:
                self.reply("250 OK")


class SMTPSink(socketserver.ThreadingTCPServer):
    daemon_threads = True
    allow_reuse_address = True

    def __init__(self):
        super().__init__(("127.0.0.1", 0), _SMTPHandler)
        self.messages = []
        self.thread = threading.Thread(target=self.serve_forever, daemon=True)
        self.thread.start()

    @property
    def port(self) -> int:
        return self.server_address[1]

    def stop(self):
        self.shutdown()
        self.server_close()


@pytest.fixture
def sink():
    server = SMTPSink()
    yield server
    server.stop()


def mail_app(database_uri, port, **overrides):
    config = {
        "STAFF_NOTIFY_EMAIL": "intake-team@org.example",
        "MAIL_SERVER": "127.0.0.1",
        "MAIL_PORT": port,
        "MAIL_FROM": "noreply@org.example",
        "PUBLIC_BASE_URL": "https://help.org.example",
        **overrides,
    }
    return make_test_app(database_uri, **config)


def free_port() -> int:
    """A port nothing listens on: the mail server is down."""
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def test_critical_request_sends_an_email_without_personal_data(database_uri, sink, make_request):
    app = mail_app(database_uri, sink.port)
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
def test_no_email_for_requests_that_are_not_critical(database_uri, sink, make_request, urgency):
    app = mail_app(database_uri, sink.port)
    case = make_request(urgency=urgency)
    with app.app_context():
        assert notify.notify_if_critical(case) is False
    assert sink.messages == []


def test_no_email_when_no_address_is_configured(database_uri, sink, make_request):
    app = mail_app(database_uri, sink.port, STAFF_NOTIFY_EMAIL="")
    case = make_request(urgency="critical")
    with app.app_context():
        assert notify.notify_if_critical(case) is False
    assert sink.messages == []


def test_mail_server_down_keeps_the_request_and_logs_nothing_personal(
    database_uri, make_request, caplog
):
    app = mail_app(database_uri, free_port(), MAIL_TIMEOUT_SECONDS=2)
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


def test_unexpected_mail_error_is_contained(database_uri, make_request, monkeypatch, caplog):
    app = mail_app(database_uri, 1)

    def broken(_message):
        raise RuntimeError(f"boom for {PERSONAL['email']}")

    monkeypatch.setattr(notify, "send", broken)
    case = make_request(**PERSONAL, urgency="critical")
    with app.app_context():
        assert notify.notify_if_critical(case) is False
    assert PERSONAL["email"] not in caplog.text


def test_the_queue_link_works_without_a_public_base(database_uri, sink, make_request):
    app = mail_app(database_uri, sink.port, PUBLIC_BASE_URL=None)
    case = make_request(urgency="critical")
    with app.test_request_context("/help", base_url="http://intake.test"):
        assert notify.notify_if_critical(case) is True
    assert "http://intake.test/staff/" in sink.messages[0]["data"].decode()


def test_a_critical_submission_from_the_form_notifies_staff(database_uri, sink):
    """The form calls the notification after its commit: detained → critical."""
    from test_screening import VALID, reference_in, token_from

    app = mail_app(database_uri, sink.port)
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
