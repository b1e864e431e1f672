"""No analyst can difference their way to a person: two reports a day apart are
one report, one funder's figures against all never leave an exact small
remainder, every view is audited, and a burst of views is refused."""

from datetime import datetime

import pytest

from intake.cases import funding
from intake.db import db
from intake.models import AuditEvent

JANUARY = "from=2026-01-01&to=2026-01-31&by=month"


@pytest.fixture
def analyst(make_staff, login_as, client):
    user = make_staff(role="analyst")
    login_as(client, user)
    return user


def csv_of(client, query: str) -> str:
    response = client.get(f"/staff/reports/export.csv?{query}")
    assert response.status_code == 200
    return response.get_data(as_text=True)


def figures(csv: str) -> list[str]:
    """The figure lines of a CSV (below its header), without the range lines."""
    return csv.split("figure,category,requests", 1)[1].splitlines()


def add_new_york_funder(app) -> int:
    with app.app_context():
        return funding.save_funder(
            None,
            name="New York Fund",
            active_from=datetime(2025, 1, 1).date(),
            active_until=None,
            states=["NY"],
            claim_types=[],
            languages=[],
            allowed_states=frozenset({"NY", "CA"}),
            allowed_languages=frozenset(),
            actor_id=None,
        ).id


def test_a_range_one_day_shorter_is_widened_to_the_same_report(client, analyst, make_request):
    for day in range(1, 31):
        make_request(created_at=datetime(2026, 1, day, 12), preferred_language="es")
    # The one request of 31 January: a Tigrinya speaker, detained.
    make_request(created_at=datetime(2026, 1, 31, 9), preferred_language="ti", detained=True)
    whole = csv_of(client, JANUARY)
    for shorter in ("from=2026-01-01&to=2026-01-30", "from=2026-01-02&to=2026-01-31"):
        csv = csv_of(client, shorter + "&by=month")
        assert "received to,2026-01-31" in csv and "received from,2026-01-01" in csv
        assert figures(csv) == figures(whole)
        page = client.get(f"/staff/reports/?{shorter}").get_data(as_text=True)
        assert "whole calendar months only" in page and "widened" in page
        assert 'type="month"' in page and 'value="2026-01"' in page
    weekly = client.get("/staff/reports/?from=2026-01-07&to=2026-01-07&by=week")
    assert "Monday to Sunday" in weekly.get_data(as_text=True)
    assert "received from,2026-01-05" in csv_of(client, "from=2026-01-07&to=2026-01-07&by=week")


def test_a_funder_against_all_never_leaves_an_exact_small_remainder(
    app, client, analyst, make_request
):
    for _ in range(12):
        make_request(created_at=datetime(2026, 1, 10, 12), state="NY", preferred_language="es")
    # Two Californians: all requests minus the New York funder's would be them.
    for _ in range(2):
        make_request(created_at=datetime(2026, 1, 11, 12), state="CA", preferred_language="es")
    funder = add_new_york_funder(app)
    everyone = csv_of(client, JANUARY)
    funded = csv_of(client, f"{JANUARY}&funder={funder}")
    assert "Requests received,Total,15" in everyone  # 14, rounded
    assert "Requests received,Total,10" in funded  # 12, rounded
    assert "Spanish,15" in everyone and "Spanish,10" in funded
    for csv in (everyone, funded):
        for line in figures(csv):
            count = line.rsplit(",", 1)[-1]
            if count.replace(",", "").isdigit():
                assert int(count.replace(",", "")) % 5 == 0, line
    page = client.get(f"/staff/reports/?{JANUARY}").get_data(as_text=True)
    assert "rounded to a multiple of 5" in page
    assert "counts,rounded to a multiple of 5" in everyone


@pytest.mark.parametrize(
    ("path", "action"),
    [
        ("/staff/reports/?" + JANUARY, "reports.view"),
        ("/staff/reports/?{funder_arg}&" + JANUARY, "reports.view"),
        ("/staff/reports/funders/{funder}?" + JANUARY, "reports.funder"),
        ("/staff/reports/export.csv?" + JANUARY, "reports.csv"),
        ("/staff/reports/export.csv?{funder_arg}&" + JANUARY, "reports.csv"),
    ],
)
def test_every_report_view_and_download_is_audited(app, client, analyst, path, action):
    funder = add_new_york_funder(app)
    url = path.format(funder=funder, funder_arg=f"funder={funder}")
    assert client.get(url).status_code == 200
    with app.app_context():
        events = db.session.execute(db.select(AuditEvent)).scalars().all()
    seen = [(e.action, e.actor_id, e.target, e.detail) for e in events if e.action == action]
    funder_target = str(funder) if "funder" in path else ""
    assert seen == [(action, analyst.id, funder_target, "2026-01-01..2026-01-31 by month")]
    if action != "reports.csv":  # and the page says so
        assert "recorded in the audit log" in client.get(url).get_data(as_text=True)


def test_a_burst_of_report_views_is_refused(app_factory, make_staff, login_as):
    limited = app_factory(RATELIMIT_ENABLED=True, REPORT_RATE_LIMIT="3 per minute")
    first, second = limited.test_client(), limited.test_client()
    login_as(first, make_staff(role="analyst"))
    login_as(second, make_staff(role="admin"))
    # One limit for the page, the CSV and the funder report together.
    codes = [
        first.get(url).status_code
        for url in (
            "/staff/reports/",
            "/staff/reports/export.csv",
            "/staff/reports/?by=week",
            "/staff/reports/",
            "/staff/reports/export.csv",
        )
    ]
    assert codes == [200, 200, 200, 429, 429]
    # Counted per member of staff: a colleague at the same address is not refused.
    assert second.get("/staff/reports/").status_code == 200
