"""Logs: request lines by URL rule only; no path, query, form data or address."""

import json
import logging
import urllib.error
import urllib.request

import pytest
from flask import abort

from intake.limits import limiter
from intake.logs import redact
from tests.support.servers import LiveServer

MARKER = "MARKERzq81"


@pytest.fixture
def logged_app(app_factory):
    test_app = app_factory(PROPAGATE_EXCEPTIONS=False, RATELIMIT_ENABLED=True)

    @test_app.get("/test/cases/<reference>")
    def case(reference):
        abort(403)

    @test_app.get("/test/boom/<reference>")
    def boom(reference):
        raise RuntimeError("something broke")

    @test_app.get("/test/limited/<reference>")
    @limiter.limit("1 per minute")
    def limited(reference):
        return "ok"

    return test_app


def all_log_text(caplog, capsys) -> str:
    records = "\n".join(f"{r.getMessage()} {r.__dict__} {r.exc_text or ''}" for r in caplog.records)
    captured = capsys.readouterr()
    return records + captured.err + captured.out


def visit_everything(client):
    query = {"q": MARKER, "email": f"{MARKER}@example.org", "password": MARKER}
    responses = [
        client.get(f"/press/{MARKER}", query_string=query),  # 404 via a database lookup
        client.get("/help", query_string=query),
        client.get(f"/no-such-{MARKER}", query_string=query),
        client.get(f"/test/cases/{MARKER}", query_string=query),
        client.get(f"/test/boom/{MARKER}", query_string=query),
        client.get(f"/test/limited/{MARKER}"),
        client.get(f"/test/limited/{MARKER}"),
        client.post("/help", data={"name": MARKER}),
        client.post(f"/test/cases/{MARKER}", data={"name": MARKER, "csrf_token": MARKER}),
        client.get("/help", query_string=f"x={MARKER}%00"),
        client.open(f"/{MARKER}", method="TRACE"),
    ]
    return [r.status_code for r in responses]


def test_no_marker_and_no_address_in_any_log_line(logged_app, caplog, capsys):
    caplog.set_level(logging.DEBUG)
    statuses = visit_everything(logged_app.test_client())
    assert statuses == [404, 200, 404, 403, 500, 200, 429, 400, 405, 400, 501]
    text = all_log_text(caplog, capsys)
    assert "request" in text and "something broke" in text  # the logs did run
    assert MARKER not in text
    assert "127.0.0.1" not in text


def test_request_lines_name_the_rule_method_status_and_time(logged_app, capsys):
    client = logged_app.test_client()
    capsys.readouterr()
    client.get(f"/test/cases/{MARKER}?q={MARKER}")
    client.get(f"/no-such-{MARKER}")
    lines = [json.loads(line) for line in capsys.readouterr().err.splitlines()]
    requests = [line for line in lines if line["logger"] == "intake.request"]
    assert [(r["method"], r["rule"], r["status"]) for r in requests] == [
        ("GET", "/test/cases/<reference>", 403),
        ("GET", "(no route)", 404),
    ]
    assert all(isinstance(r["ms"], float) for r in requests)
    assert set(requests[0]) == {"ts", "level", "logger", "msg", "method", "rule", "status", "ms"}


def test_exceptions_are_logged_by_rule_with_their_traceback(logged_app, capsys):
    capsys.readouterr()
    logged_app.test_client().get(f"/test/boom/{MARKER}")
    lines = [json.loads(line) for line in capsys.readouterr().err.splitlines()]
    (error,) = [line for line in lines if line["level"] == "ERROR"]
    assert error["rule"] == "/test/boom/<reference>"
    assert "RuntimeError: something broke" in error["exc"]
    assert MARKER not in json.dumps(lines)


def test_development_server_access_lines_are_silenced(logged_app, caplog, capsys):
    caplog.set_level(logging.DEBUG)
    server = LiveServer(logged_app)
    try:
        for path in (f"/press/{MARKER}?q={MARKER}", f"/help?email={MARKER}"):
            try:
                urllib.request.urlopen(server.url + path, timeout=5).read()  # noqa: S310
            except urllib.error.HTTPError as error:
                error.read()
                error.close()
    finally:
        server.stop()
    text = all_log_text(caplog, capsys)
    assert "/help" in text  # our request line, by rule
    assert MARKER not in text and "127.0.0.1" not in text


@pytest.mark.parametrize(
    ("message", "secret"),
    [
        ("client 203.0.113.45 exceeded", "203.0.113.45"),
        ("from 2001:db8:85a3::8a2e:370:7334 now", "2001:db8:85a3::8a2e:370:7334"),
        ("mail maria.lopez@example.org bounced", "maria.lopez@example.org"),
        ("GET /help?name=Maria HTTP/1.1", "name=Maria"),
        ("login password=hunter2 totp=123456", "hunter2"),
        ("stored gAAAAABnQ2F0ZXN0dG9rZW5vZnNvbWVsZW5ndGg=", "gAAAAABnQ2F0ZXN0"),
    ],
)
def test_known_secret_shapes_are_redacted(message, secret, capsys):
    assert secret not in redact(message)
    logging.getLogger("intake.anything").warning(message)
    assert secret not in capsys.readouterr().err


def test_times_and_plain_words_survive_redaction():
    assert redact("took 12:30:45 for case ABC123") == "took 12:30:45 for case ABC123"
