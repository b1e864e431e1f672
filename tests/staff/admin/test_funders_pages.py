"""/staff/funders: admins define funders; every other role is refused."""

import re
from datetime import date, timedelta

import pytest

from intake.db import db
from intake.models import Funder, request_funder
from intake.timeutil import utcnow
from tests.support.form import VALID, only_request, submit_answers
from tests.support.tokens import csrf_token


@pytest.fixture
def admin(make_staff, login_as, client):
    user = make_staff(role="admin")
    login_as(client, user)
    return user


def post_form(client, path, **data):
    form = {"csrf_token": csrf_token(client.get(path).get_data(as_text=True)), **data}
    return client.post(path, data=form)


def funders(app):
    with app.app_context():
        rows = db.session.execute(db.select(Funder)).scalars().all()
        return [(f.name, f.states, f.claim_types, f.languages) for f in rows]


@pytest.mark.parametrize("role", ["reviewer", "volunteer", "editor", "analyst"])
def test_only_admins_manage_funders(client, make_staff, login_as, role):
    login_as(client, make_staff(role=role))
    assert client.get("/staff/funders/").status_code == 403
    assert client.get("/staff/funders/new").status_code == 403


def test_admin_adds_a_funder_and_it_counts_existing_requests(app, client, admin, make_request):
    made = make_request(created_at=utcnow() - timedelta(days=2), state="NY", claim_types=" cat ")
    make_request(created_at=utcnow() - timedelta(days=2), state="CA")
    start = (utcnow() - timedelta(days=30)).date().isoformat()
    response = post_form(
        client,
        "/staff/funders/new",
        name="  Torture   Survivors Fund ",
        active_from=start,
        states=["NY", "NJ"],
        claim_types=["cat"],
    )
    assert response.status_code == 302
    assert funders(app) == [("Torture Survivors Fund", "NJ NY", "cat", "")]
    page = client.get("/staff/funders/").get_data(as_text=True)
    assert re.search(r"Torture Survivors Fund</a></td>\s*<td>[^<]+</td>\s*<td>1</td>", page)
    with app.app_context():
        funder = db.session.execute(db.select(Funder)).scalar_one()
    # Edit: every state now.
    response = post_form(
        client, f"/staff/funders/{funder.id}", name="Torture Survivors Fund", active_from=start
    )
    assert response.status_code == 302
    assert funders(app) == [("Torture Survivors Fund", "", "", "")]
    assert made.id  # the NY request, and now the CA one too
    page = client.get("/staff/funders/").get_data(as_text=True)
    assert re.search(r"<td>2</td>", page)


@pytest.mark.parametrize(
    ("data", "message", "field"),
    [
        ({"name": "", "active_from": "2026-01-01"}, "Give the funder a name.", "name"),
        ({"name": "F", "active_from": ""}, "Give the date the funding starts.", "active_from"),
        (
            {"name": "F", "active_from": "2026-02-01", "active_until": "2026-01-01"},
            "cannot end",
            "active_until",
        ),
        ({"name": "F", "active_from": "2026-01-01", "states": ["ZZ"]}, "Unknown state", "states"),
        ({"name": "F" * 121, "active_from": "2026-01-01"}, "too long", "name"),
        (
            {"name": "<script>x</script>", "active_from": "2026-13-01"},
            "Not a valid date",
            "active_from",
        ),
    ],
)
def test_mistakes_are_shown_beside_the_field_and_nothing_is_saved(
    app, client, admin, data, message, field
):
    response = post_form(client, "/staff/funders/new", **data)
    body = response.get_data(as_text=True)
    assert response.status_code == 200 and message in body
    assert f'href="#{field}"' in body  # the error summary links to the field
    assert f'id="{field}-error"' in body
    assert "<script>x" not in body
    assert funders(app) == []


def test_post_without_csrf_is_refused(app, client, admin):
    response = client.post("/staff/funders/new", data={"name": "F", "active_from": "2026-01-01"})
    assert response.status_code in (400, 403)
    assert funders(app) == []


def test_unknown_funder_is_404(client, admin):
    assert client.get("/staff/funders/999").status_code == 404


def test_a_request_sent_through_the_form_counts_for_the_funders_covering_it(app, client):
    """The screening form links a new request to the funders whose dates and
    coverage it falls in, and keeps its nationality code for the reports."""
    with app.app_context():
        today = utcnow().date()
        covering = Funder(name="Covers it", active_from=today, states=VALID["state"])
        elsewhere = Funder(name="Elsewhere", active_from=today, states="ZZ")
        ended = Funder(name="Ended", active_from=date(2020, 1, 1), active_until=date(2020, 12, 31))
        db.session.add_all([covering, elsewhere, ended])
        db.session.commit()
        covering_id = covering.id
    _check, done = submit_answers(client)
    assert done.status_code == 200
    stored = only_request(app)
    assert stored.nationality_code == VALID["nationality"]
    with app.app_context():
        links = db.session.execute(
            db.select(request_funder.c.funder_id).where(request_funder.c.request_id == stored.id)
        ).scalars()
        assert list(links) == [covering_id]
