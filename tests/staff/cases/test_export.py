"""The CSV export: who may export, recent login, formula neutralisation, streaming,
headers and the audit."""

import csv
import io
import time

import pytest

from intake.db import db
from intake.models import AuditEvent
from intake.staff.cases.export import neutralise

FORMULAS = ["=cmd|' /C calc'!A1", "+1", "-2", "@SUM(1)", "\t=x", "\r=x", "  =1+1", " @x"]


@pytest.mark.parametrize("value", FORMULAS)
def test_formula_cells_get_a_leading_quote(value):
    assert neutralise(value) == "'" + value


@pytest.mark.parametrize("value", ["Spanish", "a=b", "1+1", "", None, "O'Brien", "x-y"])
def test_ordinary_cells_are_unchanged(value):
    assert neutralise(value) == ("" if value is None else value)


def test_numbers_we_compute_stay_numbers():
    assert neutralise(-3) == "-3"


@pytest.fixture
def reviewer(make_staff, login_as, client):
    user = make_staff(role="reviewer")
    login_as(client, user)
    return user


def rows_of(response):
    return list(csv.reader(io.StringIO(response.get_data(as_text=True))))


def test_export_neutralises_formulas_from_request_fields(client, reviewer, make_request):
    for i, formula in enumerate(FORMULAS):
        make_request(
            preferred_language=formula, source=formula, state="NY", urgency="high", name=f"Name {i}"
        )
    response = client.get("/staff/export.csv")
    assert response.status_code == 200
    assert response.mimetype == "text/csv"
    assert response.is_streamed
    assert response.headers["Content-Disposition"].startswith('attachment; filename="queue-')
    assert response.headers["Cache-Control"] == "no-store"
    rows = rows_of(response)
    header, body = rows[0], rows[1:]
    language = header.index("preferred language")
    assert sorted(row[language] for row in body) == sorted("'" + f for f in FORMULAS)
    text = response.get_data(as_text=True)
    assert "Name 0" not in text  # no names in the export


def test_export_follows_the_filters_and_is_audited_with_the_count(
    client, app, reviewer, make_request
):
    make_request(preferred_language="French")
    make_request(preferred_language="French", status="accepted")
    make_request(preferred_language="Dari")
    response = client.get("/staff/export.csv?language=French&status=all")
    body = rows_of(response)[1:]
    assert len(body) == 2
    with app.app_context():
        (event,) = db.session.execute(
            db.select(AuditEvent).filter_by(action="export.csv")
        ).scalars()
        assert event.actor_id == reviewer.id
        assert event.detail == "rows=2 language=French status=all"


def test_export_content_xss_is_inert_text(client, reviewer, make_request):
    payload = "<script>alert(1)</script>"
    made = make_request(preferred_language=payload, urgency="critical")
    rows = rows_of(client.get("/staff/export.csv"))
    assert rows[1][0] == made.reference
    assert payload in rows[1]  # plain text in a text/csv attachment, never HTML


@pytest.mark.parametrize("role", ["volunteer", "editor"])
def test_export_forbidden_for_volunteer_and_editor(client, make_staff, login_as, role):
    login_as(client, make_staff(role=role))
    assert client.get("/staff/export.csv").status_code == 403


def test_export_link_only_for_those_who_may_export(client, make_staff, login_as):
    login_as(client, make_staff(role="admin"))
    assert "Download these cases as CSV" in client.get("/staff/").get_data(as_text=True)


def test_export_needs_a_recent_login(client, app, reviewer, make_request):
    make_request()
    with client.session_transaction() as s:
        s["staff_login_at"] = time.time() - 16 * 60
    response = client.get("/staff/export.csv")
    assert response.status_code == 403
    assert "Log in again to export" in response.get_data(as_text=True)
    with app.app_context():
        actions = [e.action for e in db.session.execute(db.select(AuditEvent)).scalars()]
    assert "export.refused" in actions and "export.csv" not in actions


def test_export_anonymous_goes_to_login(client):
    response = client.get("/staff/export.csv")
    assert response.status_code == 302
    assert response.headers["Location"].endswith("/staff/login")


def test_an_abandoned_download_frees_its_cursor(client, reviewer, make_request):
    """Closing the response early closes the (server-side, on PostgreSQL) cursor:
    with filterwarnings=error a leaked cursor would fail this test."""
    for _ in range(3):
        make_request()
    response = client.get("/staff/export.csv")
    first = next(iter(response.response))
    assert first.startswith(b"reference,")
    response.close()
    assert client.get("/staff/").status_code == 200


def test_export_has_nationality_age_band_disposition_and_closing(client, reviewer, make_request):
    from datetime import datetime

    make_request(
        nationality_code="HT",
        age_band="14_17",
        status="referred",
        disposition="referred",
        closed_at=datetime(2026, 3, 4, 5, 6),
    )
    make_request(age_band=None)
    rows = rows_of(client.get("/staff/export.csv?status=all"))
    header, body = rows[0], rows[1:]
    columns = ("nationality", "age band at submission", "disposition", "closed (UTC)")
    picked = sorted(tuple(row[header.index(c)] for c in columns) for row in body)
    assert picked == [
        ("", "Not given", "", ""),
        ("HT", "14 to 17", "Referred to another organisation", "2026-03-04 05:06"),
    ]
