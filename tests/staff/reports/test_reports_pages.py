"""/staff/reports: who may see it, what it shows (and never shows), the CSV
and the printable funder report."""

import re
from datetime import timedelta

import pytest

from intake.cases import funding
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


def all_request_text(made) -> list[str]:
    """Every piece of personal data and every reference the test requests hold."""
    refs = [r.reference for r in made]
    formatted = [f"{r[:4]}-{r[4:8]}" for r in refs]
    return [*MARKERS.values(), *refs, *formatted]


REPORT_ROLES = {"admin": 200, "analyst": 200, "reviewer": 403, "volunteer": 403, "editor": 403}


@pytest.mark.parametrize("role", REPORT_ROLES)
@pytest.mark.parametrize(
    "path", ["/staff/reports/", "/staff/reports/export.csv", "/staff/reports/funders/{funder}"]
)
def test_who_may_see_the_reports(app, client, staff, role, path):
    funder = add_funder(app)
    staff(role)
    assert client.get(path.format(funder=funder)).status_code == REPORT_ROLES[role]


@pytest.mark.parametrize(
    "path", ["/staff/reports/", "/staff/reports/export.csv", "/staff/reports/funders/1"]
)
def test_anonymous_goes_to_login(client, path):
    response = client.get(path)
    assert response.status_code == 302 and "/staff/login" in response.location


def test_analyst_lands_on_the_reports_and_is_refused_everything_personal(
    app, client, make_staff, login_as, requests_in_range
):
    analyst = make_staff(role="analyst")
    assert login_as(client, analyst).location.endswith("/staff/reports/")
    reference = requests_in_range[0].reference
    for path in (
        "/staff/",
        f"/staff/cases/{reference}",
        "/staff/export.csv",
        "/staff/audit",
        "/staff/users",
        "/staff/partners/",
        "/staff/releases/",
    ):
        assert client.get(path).status_code in (403, 404), path


def every_get_page(app):
    """Every GET route under /staff without URL arguments, from the URL map."""
    return sorted(
        rule.rule
        for rule in app.url_map.iter_rules()
        if rule.rule.startswith("/staff") and "GET" in rule.methods and not rule.arguments
    )


def test_no_page_an_analyst_can_open_shows_a_person(app, client, staff, requests_in_range):
    funder = add_funder(app)
    staff("analyst")
    secrets = all_request_text(requests_in_range)
    seen = []
    paths = [*every_get_page(app), f"/staff/reports/funders/{funder}"]
    for path in paths:
        for args in ("", "?by=week", f"?funder={funder}", "?from=2000-01-01"):
            response = client.get(path + args)
            if response.status_code != 200:
                continue
            seen.append(path)
            body = response.get_data(as_text=True)
            for secret in secrets:
                assert secret not in body, (path, args)
    assert {"/staff/reports/", "/staff/reports/export.csv"} <= set(seen)


def test_small_counts_never_appear_in_page_chart_or_csv(app, client, staff, requests_in_range):
    staff("admin")
    page = client.get("/staff/reports/").get_data(as_text=True)
    csv = client.get("/staff/reports/export.csv").get_data(as_text=True)
    # The three Tigrinya speakers, detained: never "3", only "fewer than 5".
    ti_row = re.search(r"<th scope=\"row\">Tigrinya</th><td>(.*?)</td>", page)
    assert ti_row and "fewer than 5" in ti_row.group(1)
    assert "Tigrinya (&lt;5)" in page  # the chart's bar label
    assert "Tigrinya,fewer than 5" in csv
    assert "Detained,fewer than 5" in csv
    for line in csv.splitlines():
        assert not line.endswith(",3"), line
    for cell in re.findall(r"<td>([^<]*)</td>", page):
        assert cell.strip() not in {"1", "2", "3", "4"}


def test_the_threshold_is_configurable(app_factory, make_staff, login_as, requests_in_range):
    app = app_factory(REPORT_SMALL_COUNT_THRESHOLD=20)
    client = app.test_client()
    login_as(client, make_staff(role="admin"))
    csv = client.get("/staff/reports/export.csv").get_data(as_text=True)
    assert "Requests received,Total,fewer than 20" in csv


@pytest.mark.parametrize("value", [1, 0, "5", True])
@pytest.mark.parametrize("name", ["REPORT_SMALL_COUNT_THRESHOLD", "REPORT_ROUND_TO"])
def test_a_threshold_or_rounding_below_two_is_refused_at_start(app_factory, name, value):
    with pytest.raises(RuntimeError, match=name):
        app_factory(**{name: value})


def test_csv_is_an_attachment_with_the_range_and_is_audited(app, client, staff, requests_in_range):
    staff("analyst")
    response = client.get("/staff/reports/export.csv?from=2026-01-01&to=2026-12-31")
    assert response.mimetype == "text/csv"
    assert 'filename="report-2026-01-01-2026-12-31.csv"' in response.headers["Content-Disposition"]
    assert "received from,2026-01-01" in response.get_data(as_text=True)
    with app.app_context():
        from intake.models import AuditEvent

        actions = db.session.execute(db.select(AuditEvent.action)).scalars().all()
    assert "reports.csv" in actions


def test_bad_range_and_unknown_funder_are_said_not_fatal(client, staff):
    staff("admin")
    body = client.get("/staff/reports/?from=2026-13-01&by=day&funder=9999").get_data(as_text=True)
    assert "is not a month" in body and "week or month" in body and "Unknown funder" in body
    for bad in ("funder=abc", "from=%00", "to=" + "9" * 5000, "from=<script>"):
        response = client.get(f"/staff/reports/?{bad}")
        assert response.status_code in (200, 400), bad
        assert "<script>" not in response.get_data(as_text=True).split("</head>", 1)[1]


def test_unknown_funder_report_is_404(client, staff):
    staff("admin")
    assert client.get("/staff/reports/funders/9999").status_code == 404


def test_funder_report_counts_only_its_requests_and_prints(app, client, staff, make_request):
    now = utcnow()
    for _ in range(6):
        make_request(created_at=now - timedelta(days=1), state="NY")
    for _ in range(9):
        make_request(created_at=now - timedelta(days=1), state="CA")
    funder = add_funder(app, states=["NY"])
    staff("admin")
    page = client.get(f"/staff/reports/funders/{funder}").get_data(as_text=True)
    assert "Report for Test Fund" in page and "in New York" in page
    assert re.search(r"<dt>Requests received</dt><dd>5</dd>", page)  # 6, rounded
    csv = client.get(f"/staff/reports/export.csv?funder={funder}").get_data(as_text=True)
    assert "Requests received,Total,5" in csv
    assert "Requests received,Total,15" in client.get("/staff/reports/export.csv").get_data(
        as_text=True
    )


def add_funder(app, **fields):
    values = {
        "name": "Test Fund",
        "active_from": utcnow().date() - timedelta(days=400),
        "active_until": None,
        "states": [],
        "claim_types": [],
        "languages": [],
        "allowed_states": frozenset({"NY", "CA"}),
        "allowed_languages": frozenset({"es"}),
        "actor_id": None,
        **fields,
    }
    with app.app_context():
        return funding.save_funder(None, **values).id


def test_a_report_shows_a_new_request_at_once(client, staff, make_request):
    """Counted afresh on every view: no cached figure outlives a write."""
    now = utcnow()
    for _ in range(5):
        make_request(created_at=now - timedelta(days=1))
    staff("admin")

    def total() -> str:
        csv = client.get("/staff/reports/export.csv").get_data(as_text=True)
        return re.search(r"Requests received,Total,([^\r\n]*)", csv).group(1)

    assert total() == "5"
    for _ in range(3):
        make_request(created_at=now - timedelta(days=1))
    assert total() == "10"  # 8, rounded
