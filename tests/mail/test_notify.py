"""The critical-request email goes through a durable outbox: queued with the
request, sent once the applicant's page is out, retried with backoff while the
mail server is down, given up after MAIL_MAX_ATTEMPTS, sent once however many
senders run. Delivered to a local SMTP sink; no personal data anywhere."""

import email
import logging
import socket
import threading
import time
import urllib.parse
import urllib.request
from datetime import datetime, timedelta

import pytest
from sqlalchemy import select

from intake import timeutil
from intake.db import db
from intake.mail import critical, outbox
from intake.models import HelpRequest, OutgoingMail
from tests.support.form import VALID, reference_in
from tests.support.servers import LiveServer, free_port  # a free port: the mail server is down
from tests.support.smtp_sink import SMTPSink
from tests.support.tokens import form_token

# Answers of a detained person (critical), with markers to look for in mail and logs.
CRITICAL = {
    **VALID,
    "detained": "yes",
    "detention_facility": "Marker Facility",
    "name": "Yohannes Marker",
    "email": "yohannes.marker@example.org",
    "phone": "+1 212 555 0142",
    "summary": "Marker summary of my case",
}
PERSONAL = (
    "Yohannes Marker",
    "yohannes.marker",
    "555 0142",
    "5550142",
    "Marker summary",
    "Marker Facility",
)
NOW = datetime(2026, 5, 1, 9, 0)


@pytest.fixture
def clock(monkeypatch):
    """A frozen, movable clock for intake.timeutil (2026-05-01 09:00 UTC)."""

    class Clock:
        now = NOW

        def advance(self, **delta):
            self.now += timedelta(**delta)

    frozen = Clock()
    monkeypatch.setattr(timeutil, "utcnow", lambda: frozen.now)
    return frozen


@pytest.fixture
def mail_app(app_factory):
    """``mail_app(port, **config)``: an app that mails critical requests to a
    staff address through the SMTP server on ``port``."""

    def make(port, **overrides):
        config = {
            "STAFF_NOTIFY_EMAIL": "intake-team@org.example",
            "MAIL_SERVER": "127.0.0.1",
            "MAIL_PORT": port,
            "MAIL_SECURITY": "none",  # the sink speaks no TLS
            "MAIL_FROM": "noreply@org.example",
            "MAIL_TIMEOUT_SECONDS": 2,
            "PUBLIC_BASE_URL": "https://help.org.example",
            **overrides,
        }
        return app_factory(**config)

    return make


def submit(client, answers=CRITICAL, **kwargs):
    """Post the whole form with a fresh token; the response (the redirect to the
    confirmation) is left open, so the after-response delivery has not run yet
    (``.close()`` runs it, as the WSGI server does once it is sent). The
    confirmation page the browser then shows is in ``.confirmation``."""
    data = {**answers, "csrf_token": form_token(client.get("/help").text)}
    response = client.post("/help/submit", data=data, **kwargs)
    assert response.status_code == 303
    response.confirmation = client.get(response.headers["Location"]).text
    return response


def mail_rows(app) -> list[OutgoingMail]:
    with app.app_context():
        rows = db.session.execute(select(OutgoingMail).order_by(OutgoingMail.id)).scalars().all()
        db.session.expunge_all()
        return rows


def queue_mail(app, count=1) -> list[int]:
    """Queue ``count`` critical-request notifications as a submission does."""
    with app.app_context():
        mails = [critical.queue_if_critical(HelpRequest(urgency="critical")) for _ in range(count)]
        db.session.commit()
        return [mail.id for mail in mails]


def deliver_due(app):
    with app.app_context():
        return outbox.deliver_due()


def assert_nothing_personal(text: str, reference: str = "") -> None:
    for value in (*PERSONAL, *([reference] if reference else [])):
        assert value.lower() not in text.lower()


# --- the message ------------------------------------------------------------------


def test_a_critical_submission_queues_the_email_and_sends_it_after_the_page(mail_app, sink, clock):
    app = mail_app(sink.port)
    response = submit(app.test_client())
    reference = reference_in(response.confirmation)
    (queued,) = mail_rows(app)  # committed with the request, before any sending
    assert (queued.kind, queued.attempts, queued.sent_at) == ("critical_request", 0, None)
    assert sink.messages == []  # the applicant's page does not wait for the mail server

    response.close()  # what the WSGI server does once the page is sent

    (message,) = sink.messages
    assert message["from"] == "noreply@org.example"
    assert message["to"] == ["intake-team@org.example"]
    raw = message["data"].decode()
    parsed = email.message_from_string(raw)
    body = parsed.get_payload(decode=True).decode()
    assert parsed["Subject"] == "A critical request for legal help is waiting"
    assert "https://help.org.example/staff/" in body
    assert_nothing_personal(raw, reference.replace("-", ""))
    assert reference not in raw
    (sent,) = mail_rows(app)
    assert (sent.attempts, sent.sent_at, sent.last_error_type) == (1, NOW, None)


def test_a_replayed_submission_queues_no_second_email(mail_app, sink):
    app = mail_app(sink.port)
    client = app.test_client()
    data = {**CRITICAL, "csrf_token": form_token(client.get("/help").text)}
    first = client.post("/help/submit", data=data)
    again = client.post("/help/submit", data=data)
    first.close()
    again.close()
    shown = [client.get(r.headers["Location"]).text for r in (first, again)]
    assert reference_in(shown[0]) == reference_in(shown[1])
    assert len(mail_rows(app)) == 1
    assert len(sink.messages) == 1


def test_no_email_for_requests_that_are_not_critical(mail_app, sink, clock):
    app = mail_app(sink.port)
    submit(app.test_client(), {**VALID, "arrival_year": "2026", "arrival_month": "3"}).close()
    with app.app_context():
        for urgency in ("high", "normal"):
            assert critical.queue_if_critical(HelpRequest(urgency=urgency)) is None
    assert mail_rows(app) == []
    assert sink.messages == []


def test_no_email_when_no_address_is_configured(mail_app, sink):
    app = mail_app(sink.port, STAFF_NOTIFY_EMAIL="")
    submit(app.test_client()).close()
    assert mail_rows(app) == []
    assert sink.messages == []


def test_the_queue_link_uses_the_request_host_without_a_public_base(mail_app, sink):
    app = mail_app(sink.port, PUBLIC_BASE_URL=None)
    submit(app.test_client(), base_url="http://intake.test").close()
    assert "http://intake.test/staff/" in sink.messages[0]["data"].decode()


def test_a_hanging_mail_server_does_not_delay_the_confirmation(mail_app):
    """Served for real (the WSGI server closes the response after sending it): the
    page arrives at once although the SMTP server accepts and then never answers."""
    with socket.socket() as silent:
        silent.bind(("127.0.0.1", 0))
        silent.listen()
        app = mail_app(silent.getsockname()[1], MAIL_TIMEOUT_SECONDS=4)
        server = LiveServer(app)
        try:
            form = urllib.request.urlopen(server.url + "/help").read().decode()  # noqa: S310
            data = {**CRITICAL, "csrf_token": form_token(form)}
            post = urllib.request.Request(  # noqa: S310
                server.url + "/help/submit",
                data=urllib.parse.urlencode(data, doseq=True).encode(),
                headers={"Origin": server.url},
            )
            started = time.monotonic()
            with urllib.request.urlopen(post) as response:  # noqa: S310
                page = response.read().decode()
            elapsed = time.monotonic() - started
            while not mail_rows(app)[0].last_error_type and time.monotonic() - started < 15:
                time.sleep(0.2)  # the attempt goes on after the page, until the timeout
        finally:
            server.stop()
    assert reference_in(page)
    assert elapsed < 3  # sending first would take the 4 s timeout
    (row,) = mail_rows(app)
    assert (row.attempts, row.sent_at, row.last_error_type) == (1, None, "SMTPServerDisconnected")


# --- mail server down ----------------------------------------------------------------


def test_mail_server_down_at_submit_keeps_the_request_and_send_mail_delivers_later(
    mail_app, clock, caplog
):
    down = mail_app(free_port())
    with caplog.at_level(logging.INFO):
        response = submit(down.test_client())
        response.close()
    reference = reference_in(response.confirmation)  # the applicant sees the confirmation
    with down.app_context():
        stored = db.session.execute(select(HelpRequest)).scalar_one()
        assert stored.name == CRITICAL["name"]
    (pending,) = mail_rows(down)
    assert pending.sent_at is None and pending.failed_at is None
    assert pending.attempts == 1
    assert pending.last_error_type == "ConnectionRefusedError"
    assert pending.next_attempt_at == NOW + timedelta(seconds=60)
    assert "critical_request mail not sent (attempt 1 of 30" in caplog.text
    assert "ConnectionRefusedError" in caplog.text
    assert_nothing_personal(caplog.text, reference.replace("-", ""))

    sink = SMTPSink()  # the mail server is back
    try:
        up = mail_app(sink.port)
        runner = up.test_cli_runner()
        early = runner.invoke(args=["send-mail"])  # not due yet: backoff holds
        assert (early.exit_code, early.output) == (0, "")  # silent when it tried nothing
        assert mail_rows(up)[0].attempts == 1
        clock.advance(seconds=60)
        result = runner.invoke(args=["send-mail"])
        assert result.output == "Sent 1, failed 0; 0 waiting, 0 given up.\n"
        assert runner.invoke(args=["send-mail"]).output == ""
        assert len(sink.messages) == 1  # exactly once
        assert "https://help.org.example/staff/" in sink.messages[0]["data"].decode()
    finally:
        sink.stop()
    (sent,) = mail_rows(up)
    assert (sent.sent_at, sent.attempts) == (NOW + timedelta(seconds=60), 2)


def test_retries_back_off_exponentially_up_to_the_cap(mail_app, clock):
    app = mail_app(free_port(), MAIL_RETRY_SECONDS=30, MAIL_RETRY_MAX_SECONDS=200)
    (mail_id,) = queue_mail(app)
    waits = []
    for _ in range(5):
        before = clock.now
        assert deliver_due(app) == (0, 1)
        (row,) = mail_rows(app)
        waits.append((row.next_attempt_at - before).total_seconds())
        clock.advance(seconds=waits[-1] - 1)
        assert deliver_due(app) == (0, 0)  # a second early: not tried
        clock.advance(seconds=1)
    assert waits == [30, 60, 120, 200, 200]
    assert mail_rows(app)[0].attempts == 5


def test_gives_up_after_max_attempts_and_tells_admins(
    mail_app, sink, clock, caplog, make_staff, login_as
):
    app = mail_app(free_port(), MAIL_MAX_ATTEMPTS=3)
    queue_mail(app, count=2)
    with caplog.at_level(logging.INFO):
        for _ in range(3):
            assert deliver_due(app) == (0, 2)
            clock.advance(hours=1)
    rows = mail_rows(app)
    assert all(row.failed_at is not None and row.sent_at is None for row in rows)
    assert [row.attempts for row in rows] == [3, 3]
    assert "critical_request mail given up after 3 attempts: ConnectionRefusedError" in (
        caplog.text
    )
    assert deliver_due(mail_app(sink.port)) == (0, 0)  # given up means given up
    assert sink.messages == []

    queue_mail(app)  # and one still waiting
    admin, reviewer = make_staff("admin"), make_staff("reviewer")
    client = app.test_client()
    login_as(client, admin)
    page = client.get("/staff/").text
    assert "Critical-request emails to staff:" in page
    assert "1 not sent yet, being retried; 2 given up after 3 tries" in " ".join(page.split())
    other = app.test_client()
    login_as(other, reviewer)
    assert "Critical-request emails" not in other.get("/staff/").text
    clock.advance(days=31)
    with app.app_context():
        assert outbox.backlog() == outbox.Backlog(waiting=1, given_up=0)  # 30 days shown


def test_no_notice_for_admins_when_all_mail_went_out(app, make_staff, login_as):
    admin = make_staff("admin")
    client = app.test_client()
    login_as(client, admin)
    assert "Critical-request emails" not in client.get("/staff/").text


def test_an_unexpected_error_is_contained_retried_and_logged_by_type_only(
    mail_app, sink, monkeypatch, caplog
):
    app = mail_app(sink.port)

    def broken(_message):
        raise RuntimeError("boom for yohannes.marker@example.org")

    monkeypatch.setattr(outbox, "smtp_send", broken)
    with caplog.at_level(logging.INFO):
        response = submit(app.test_client())
        response.close()  # no exception reaches the server
    (row,) = mail_rows(app)
    assert (row.last_error_type, row.sent_at, row.failed_at) == ("RuntimeError", None, None)
    assert "RuntimeError" in caplog.text
    assert_nothing_personal(caplog.text)


def test_a_message_whose_recipient_was_removed_is_given_up(mail_app, sink, caplog):
    app = mail_app(sink.port)
    queue_mail(app)
    off = mail_app(sink.port, STAFF_NOTIFY_EMAIL="")
    assert deliver_due(off) == (0, 1)
    (row,) = mail_rows(app)
    assert (row.failed_at is not None, row.last_error_type) == (True, "NoRecipient")
    assert sink.messages == []


def test_a_later_submission_sends_a_waiting_email(mail_app, sink, clock):
    """Delivery is opportunistic too: any submission tries one due message."""
    down = mail_app(free_port())
    submit(down.test_client()).close()
    clock.advance(minutes=5)
    up = mail_app(sink.port)
    ordinary = {**VALID, "arrival_year": "2026", "arrival_month": "3"}
    submit(up.test_client(), ordinary).close()
    assert len(sink.messages) == 1
    (row,) = mail_rows(up)
    assert row.sent_at is not None


# --- one sender per message ------------------------------------------------------


def test_a_claimed_message_is_not_sent_by_another_sender_until_the_claim_runs_out(
    mail_app, sink, clock
):
    app = mail_app(sink.port)
    (mail_id,) = queue_mail(app)
    with app.app_context():
        assert outbox.claim(mail_id) is not None  # a sender that then crashed
        assert outbox.claim(mail_id) is None
    assert deliver_due(app) == (0, 0)
    clock.advance(minutes=5, seconds=1)
    assert deliver_due(app) == (1, 0)
    assert len(sink.messages) == 1
    assert mail_rows(app)[0].attempts == 2  # the crashed attempt counts


def test_two_concurrent_senders_deliver_each_message_once(mail_app):
    """Two apps (two connection pools, as two hosts) run ``deliver_due`` at the
    same moment over the same due messages; a slow SMTP server keeps both busy."""
    sink = SMTPSink(delay=0.1)
    try:
        first, second = mail_app(sink.port), mail_app(sink.port)
        queue_mail(first, count=6)
        start = threading.Barrier(2)
        results = {}

        def sender(app, name):
            with app.app_context():
                ids = outbox.due_ids(outbox.BATCH)  # both see all six as due
                start.wait()
                results[name] = [outbox.deliver(i, "https://help.org.example") for i in ids]

        threads = [threading.Thread(target=sender, args=pair) for pair in ((first, 1), (second, 2))]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join(30)
    finally:
        sink.stop()
    assert len(results[1]) == len(results[2]) == 6
    assert results[1].count(True) + results[2].count(True) == 6
    assert results[1].count(True) > 0 and results[2].count(True) > 0  # both really sent
    assert len(sink.messages) == 6
    assert all(row.sent_at is not None and row.attempts == 1 for row in mail_rows(first))


class RecordingSMTP:
    """Stands in for smtplib's classes: records what was done, in order."""

    calls: list = []

    def __init__(self, host, port, timeout=None, context=None):
        self.calls.append(("connect", type(self).__name__, port, context))

    def __enter__(self):
        return self

    def __exit__(self, *exc):
        return False

    def starttls(self, context=None):
        self.calls.append(("starttls", context))

    def login(self, user, password):
        self.calls.append(("login", user))

    def send_message(self, message):
        self.calls.append(("send",))


class RecordingSMTPS(RecordingSMTP):
    pass


def verified(context) -> bool:
    import ssl

    return context.verify_mode == ssl.CERT_REQUIRED and context.check_hostname


@pytest.mark.parametrize("security", ["starttls", "ssl"])
def test_mail_goes_over_verified_tls_by_default(app_factory, monkeypatch, security):
    monkeypatch.setattr(outbox.smtplib, "SMTP", RecordingSMTP)
    monkeypatch.setattr(outbox.smtplib, "SMTP_SSL", RecordingSMTPS)
    RecordingSMTP.calls = []
    settings = {"MAIL_USERNAME": "intake", "MAIL_PASSWORD": "secret"}
    if security == "ssl":
        settings |= {"MAIL_SECURITY": "ssl", "MAIL_PORT": 465}
    app = app_factory(**settings)
    with app.app_context():
        outbox.smtp_send(email.message.EmailMessage())
    calls = RecordingSMTP.calls
    if security == "starttls":
        assert [c[0] for c in calls] == ["connect", "starttls", "login", "send"]
        assert calls[0][1:3] == ("RecordingSMTP", 587)
        assert verified(calls[1][1])
    else:
        assert [c[0] for c in calls] == ["connect", "login", "send"]
        assert calls[0][1:3] == ("RecordingSMTPS", 465) and verified(calls[0][3])


def test_a_server_without_starttls_gets_nothing_in_clear_text(app_factory, sink):
    import smtplib

    app = app_factory(MAIL_SERVER="127.0.0.1", MAIL_PORT=sink.port)
    with app.app_context(), pytest.raises(smtplib.SMTPNotSupportedError):
        outbox.smtp_send(email.message.EmailMessage())
    assert sink.messages == []
