"""/staff/reports: who may see it, what it shows (and never shows), the CSV
and the printable funder report."""

import re
from datetime import date, datetime, timedelta

import pytest

from intake import funding
from intake.db import db
from intake.timeutil import utcnow

@pytest.fixture
def staff(make_staff, login_as, client):
    """A member of staff of the given role, logged in through the real login."""

    def sign_in(role="admin"):
        user = make_staff(role=role)
        login_as(client, user)
        return user

    return sign_in


MARKERS = {
    "name": "Zorblat Quenwick",
    "phone": "+1 555 0100 4242",
    "email": "zorblat.q@example.org",
    "summary": "Marker free text about the hearing",
    "detention_facility": "Marker Facility North",
}


@pytest.fixture
def requests_in_range(make_request):
    """Enough requests to show counts, each carrying marker personal data."""
    made = []
    now = utcnow()
    for i in range(12):
        made.append(
            make_request(
                created_at=now - timedelta(days=3, hours=i),
                preferred_language="es",
                nationality="VE",
                nationality_code="VE",
                status="declined" if i % 2 else "new",
                disposition="declined_capacity" if i % 2 else None,
                closed_at=now - timedelta(days=1) if i % 2 else None,
                **MARKERS,
            )
        )
    # Three detained Tigrinya speakers: a count that must never appear.
    for i in range(3):
        made.append(
            make_request(
                created_at=now - timedelta(days=2, hours=i),
                preferred_language="ti",
                detained=True,
                nationality_code="ER",
                **MARKERS,
            )
        )
    return made


def test_admin_sees_the_report_with_charts_and_tables(client, staff, requests_in_range):
    staff("admin")
    response = client.get("/staff/reports/")
    assert response.status_code == 200
    body = response.get_data(as_text=True)
    assert body.count("<svg") >= 10 and "<table>" in body
    assert "fewer than 5" in body
    assert response.headers["Cache-Control"] == "no-store"
    # No chart script: the only script is the site's own quick-exit file.
    assert re.findall(r"<script[^>]*>", body) == ['<script src="/static/js/quick-exit.js" defer>']
