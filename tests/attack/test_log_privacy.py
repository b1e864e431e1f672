"""No log line holds an applicant's answers, a staff password, a TOTP code or a
client's address: a request sent through the real form with a marker in every
field, then the whole staff flow on it, with every logger at DEBUG (SQLAlchemy's
included, which the app itself keeps quiet) and a database failure on the way."""

import json
import logging
import re
import secrets
import traceback

import pytest
from sqlalchemy.exc import OperationalError

from intake.db import db
from intake.logs import STANDARD_ATTRS
from tests.support.form import marked_answers, personal_values, submit_help
from tests.support.staff import next_totp_code, post_case, post_login
from tests.support.tokens import csrf_token

APPLICANT_IP = "198.51.100.77"
STAFF_IP = "2001:db8:77:4f3a::e9"
# Loggers an operator might turn up while debugging; the root goes to DEBUG too.
LOUD = (
    "sqlalchemy.engine",
    "sqlalchemy.pool",
    "sqlalchemy.orm",
    "werkzeug",
    "flask-limiter",
    "flask_limiter",
    "limits",
    "urllib3",
    "psycopg",
    "flask_wtf",
    "intake",
)


@pytest.fixture
def loud(caplog):
    caplog.set_level(logging.DEBUG)
    for name in LOUD:
        caplog.set_level(logging.DEBUG, logger=name)
    return caplog


@pytest.fixture
def logged_app(app_factory, loud):
    return app_factory(LOG_LEVEL="DEBUG", RATELIMIT_ENABLED=True, PROPAGATE_EXCEPTIONS=False)


def everything_logged(caplog, capsys) -> str:
    """Each record's message, raw msg and args, extras and traceback, and all
    the app's handler wrote (JSON lines on stderr). Not the record's own
    timestamps and ids: their digits would match a TOTP code by chance."""
    parts = []
    for record in caplog.records:
        extras = {k: v for k, v in record.__dict__.items() if k not in STANDARD_ATTRS}
        parts += [record.getMessage(), repr(record.msg), repr(record.args), repr(extras)]
        if record.exc_info:
            parts.append("".join(traceback.format_exception(*record.exc_info)))
        parts.append(record.exc_text or "")
    captured = capsys.readouterr()
    return "\n".join([*parts, captured.err, captured.out])


def leaked(text: str, secrets_: list[str]) -> list[str]:
    """The secrets found in ``text``; a digit string only where it stands alone
    (not inside a longer number such as a duration)."""
    lowered = text.lower()
    found = []
    for secret in secrets_:
        if secret.isdigit():
            if re.search(rf"(?<!\d){secret}(?!\d)", text):
                found.append(secret)
        elif secret.lower() in lowered:
            found.append(secret)
    return found


def fail_commits(monkeypatch, values: list[str]):
    """Every commit fails like a lost database whose error quotes the values."""

    def fail():
        raise OperationalError(
            "INSERT INTO help_request (name, email) VALUES (?, ?)",
            {f"p{i}": v for i, v in enumerate(values)},
            Exception(f"server closed the connection while writing {values!r}"),
        )

    monkeypatch.setattr(db.session, "commit", fail)


def staff_flow(app, client, user, markers: dict, codes: list[str], monkeypatch=None) -> None:
    """Log in, search, filter, open the case, note, assign, change status and
    screen with reasons, export, read the audit log, log out. With
    ``monkeypatch``, the note's first attempt meets a failing database."""
    code = next_totp_code(app, user)
    codes.append(code)
    assert post_login(client, user, code).status_code == 302
    reference = markers["reference"]
    queue = client.get("/staff/", query_string={"reference": reference})
    assert queue.status_code == 200 and reference in queue.text
    filtered = client.get(
        "/staff/", query_string={"status": "new", "language": "ti", "claim": "asylum"}
    )
    assert filtered.status_code == 200 and reference in filtered.text
    case = client.get(f"/staff/cases/{reference}")
    assert case.status_code == 200 and markers["name"] in case.text  # staff do see it
    if monkeypatch is not None:
        fail_commits(monkeypatch, [markers["note"], markers["name"]])
        failed = client.post(
            f"/staff/cases/{reference}/notes",
            data={"csrf_token": csrf_token(case.text), "text": markers["note"]},
        )
        monkeypatch.undo()
        assert failed.status_code == 503
    assert post_case(client, reference, "notes", text=markers["note"]).status_code == 302
    assert post_case(client, reference, "assign", assignee=str(user.id)).status_code == 302
    moved = post_case(client, reference, "status", status="in_review", reason=markers["status"])
    assert moved.status_code == 302
    screened = post_case(
        client, reference, "screen", screen="needs_review", reason=markers["screen"]
    )
    assert screened.status_code == 302
    export = client.get("/staff/export.csv", query_string={"status": "all"})
    assert export.status_code == 200 and reference in export.text
    assert client.get("/staff/audit").status_code == 200
    page = client.get("/staff/")
    out = client.post("/staff/logout", data={"csrf_token": csrf_token(page.text)})
    assert out.status_code == 302


@pytest.mark.parametrize("database_fails", [False, True], ids=["healthy", "database-fails"])
def test_no_log_line_holds_answers_passwords_codes_or_addresses(
    app, logged_app, make_staff, loud, capsys, monkeypatch, database_fails
):
    answers = marked_answers()
    applicant = logged_app.test_client()
    applicant.environ_base["REMOTE_ADDR"] = APPLICANT_IP
    if database_fails:
        fail_commits(monkeypatch, personal_values(answers))
        _, failed = submit_help(applicant, answers)
        monkeypatch.undo()
        assert failed.status_code == 503
    _, done = submit_help(applicant, answers)
    assert done.status_code == 200
    reference = re.search(r'class="reference">([0-9A-Z-]+)<', done.text).group(1)

    markers = {
        "reference": reference.replace("-", ""),
        "name": answers["name"],
        **{k: f"{k} {secrets.token_hex(6)}" for k in ("note", "status", "screen")},
    }
    user = make_staff(role="admin")
    staff = logged_app.test_client()
    staff.environ_base["REMOTE_ADDR"] = STAFF_IP
    codes = []
    staff_flow(app, staff, user, markers, codes, monkeypatch if database_fails else None)

    logged = everything_logged(loud, capsys)
    # The logs did run, at DEBUG, SQL included: an empty capture proves nothing.
    assert '"rule": "/staff/cases/<reference>/notes"' in logged
    assert "SELECT" in logged and "INSERT INTO help_request" in logged
    assert "Row [values hidden]" in logged  # rows were fetched, and logged, decrypted
    if database_fails:
        assert "database unavailable: Exception" in logged  # the type only
        assert "database unavailable" in logged
    marker = answers["name"].split()[0]  # in name, facility, summary and email
    secrets_ = [
        *personal_values(answers),
        marker,
        markers["note"],
        markers["status"],
        markers["screen"],
        user.password,
        user.totp_secret,
        *codes,
        APPLICANT_IP,
        STAFF_IP,
    ]
    assert leaked(logged, secrets_) == []


def test_the_leak_check_would_see_a_marker(logged_app, loud, capsys):
    """The capture and the search above are not blind: a logged answer is found."""
    answers = marked_answers()
    logging.getLogger("sqlalchemy.engine").debug("row %s", answers["name"])
    logging.getLogger("some.library").info(json.dumps({"phone": answers["phone"]}))
    found = leaked(everything_logged(loud, capsys), personal_values(answers))
    assert found == [answers["name"], answers["phone"]]
