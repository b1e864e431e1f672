"""The API for case-management systems: keys, scope, pages, outcomes, the document."""

import json
import re
from datetime import date, timedelta
from pathlib import Path

import pytest
from openapi_spec_validator import validate

from intake.api import keys, openapi
from intake.db import db
from intake.models import (
    ApiKey,
    AuditEvent,
    HelpRequest,
    ReceiverOutcome,
    Referral,
    ReferralOrganisation,
    StaffUser,
)
from intake.timeutil import today, utcnow
from tests.support.staff import events
from tests.support.tokens import csrf_token

pytestmark = pytest.mark.database
ROOT = Path(__file__).resolve().parents[2]


class World:
    def __init__(self, app, make_request, make_staff):
        self.app = app
        self.make_request = make_request
        self.admin = make_staff("admin")
        with app.app_context():
            self.orgs = []
            for name in ("Ours", "Theirs"):
                org = ReferralOrganisation(name=name, refer_by="phone", how_to_refer="1")
                db.session.add(org)
                db.session.flush()
                self.orgs.append(org.id)
            db.session.commit()

    def case(self, org_index=0, outcome="accepted", **fields):
        """A request referred to an organisation, with that outcome (None: no answer yet)."""
        help_request = self.make_request(share_consent=True, **fields)
        with self.app.app_context():
            db.session.add(
                Referral(
                    request_id=help_request.id,
                    organisation_id=self.orgs[org_index],
                    made_on=today() - timedelta(days=10),
                    method="email",
                    consent="form",
                    outcome=outcome,
                    outcome_on=today() - timedelta(days=2) if outcome else None,
                    accepted_at=settled() if outcome == "accepted" else None,
                )
            )
            db.session.commit()
        return help_request.reference

    def accept(self, reference, at=None):
        """The organisation accepts a case referred earlier (now, as far as the
        API's order goes; ``at`` for a moment of its own)."""
        with self.app.app_context():
            referral = db.session.execute(
                db.select(Referral)
                .join(HelpRequest, HelpRequest.id == Referral.request_id)
                .where(HelpRequest.reference == reference)
            ).scalar_one()
            referral.outcome, referral.outcome_on = "accepted", today()
            referral.accepted_at = at or settled()
            db.session.commit()

    def key(self, org_index=0) -> str:
        with self.app.app_context():
            actor = db.session.get(StaffUser, self.admin.id)
            org = db.session.get(ReferralOrganisation, self.orgs[org_index])
            return keys.create("Case system", org, actor).secret


def settled():
    """An acceptance time past the settling wait, later than any made before."""
    return utcnow() - timedelta(minutes=1)


@pytest.fixture
def world(app, make_request, make_staff):
    return World(app, make_request, make_staff)


def auth(key):
    return {"Authorization": f"Bearer {key}"}


def test_a_key_sees_only_the_cases_its_organisation_accepted(app, client, world):
    accepted = world.case(name="Ana Accepted")
    waiting = world.case(outcome=None)
    declined = world.case(outcome="declined")
    elsewhere = world.case(org_index=1)
    key = world.key()
    listed = client.get("/api/v1/cases", headers=auth(key))
    assert listed.status_code == 200
    body = listed.get_json()
    assert [c["reference"] for c in body["data"]] == [accepted]
    assert body["next_cursor"] is None
    assert body["data"][0]["name"] == "Ana Accepted"  # decrypted, as on the staff pages
    for reference in (waiting, declined, elsewhere, "NOSUCHREF"):
        response = client.get(f"/api/v1/cases/{reference}", headers=auth(key))
        assert response.status_code == 404
        assert response.get_json() == {
            "error": "No case with this reference was accepted by your organisation."
        }
    one = client.get(f"/api/v1/cases/{accepted}", headers=auth(key)).get_json()
    assert one["packet"]["schema"] == "intake-referral-packet"
    assert one["packet"]["person"]["name"] == "Ana Accepted"
    # The other organisation's key sees its own case only.
    theirs = client.get("/api/v1/cases", headers=auth(world.key(1))).get_json()
    assert [c["reference"] for c in theirs["data"]] == [elsewhere]


@pytest.mark.parametrize(
    "header",
    [None, "Bearer", "Bearer ik_nope_nope", "Basic dXNlcjpwYXNz", "Bearer " + "x" * 500],
)
def test_without_a_valid_key_the_answer_is_401(client, world, header):
    world.case()
    headers = {"Authorization": header} if header else {}
    response = client.get("/api/v1/cases", headers=headers)
    assert response.status_code == 401
    assert response.headers["WWW-Authenticate"].startswith("Bearer")
    assert "Set-Cookie" not in response.headers


def test_a_revoked_key_gets_401(app, client, world, login_as):
    reference = world.case()
    key = world.key()
    assert client.get(f"/api/v1/cases/{reference}", headers=auth(key)).status_code == 200
    admin = app.test_client()
    login_as(admin, world.admin)
    page = admin.get("/staff/api-keys").get_data(as_text=True)
    prefix = key.split("_")[1]
    assert f"ik_{prefix}_" in page and key not in page  # listed by its prefix only
    with app.app_context():
        key_id = db.session.execute(db.select(ApiKey.id)).scalar_one()
    revoked = admin.post(f"/staff/api-keys/{key_id}/revoke", data={"csrf_token": csrf_token(page)})
    assert revoked.status_code == 302
    for path in ("/api/v1/cases", f"/api/v1/cases/{reference}"):
        assert client.get(path, headers=auth(key)).status_code == 401
    assert [e.target for e in events(app, "api_key.revoke")] == [str(key_id)]


def test_admins_make_a_key_that_is_shown_once_and_stored_hashed(app, world, login_as, make_staff):
    admin = app.test_client()
    login_as(admin, world.admin)
    page = admin.get("/staff/api-keys").get_data(as_text=True)
    made = admin.post(
        "/staff/api-keys",
        data={"csrf_token": csrf_token(page), "name": "IJC system", "organisation": world.orgs[0]},
    )
    shown = made.get_data(as_text=True)
    key = re.search(r"<code>(ik_[A-Za-z0-9_-]+)</code>", shown).group(1)
    assert made.status_code == 200 and "not shown again" in shown
    assert key not in admin.get("/staff/api-keys").get_data(as_text=True)
    with app.app_context():
        stored = db.session.execute(db.select(ApiKey)).scalar_one()
        assert key not in (stored.key_hash, stored.prefix) and stored.key_hash != key
    world.case()
    assert admin.get("/api/v1/cases", headers=auth(key)).status_code == 200
    # Only admins: a reviewer may not see or make keys.
    reviewer = app.test_client()
    login_as(reviewer, make_staff("reviewer"))
    assert reviewer.get("/staff/api-keys").status_code == 403


def test_pages_are_stable_while_cases_are_added(client, world):
    early = world.case(outcome=None)  # referred before all the others, not yet accepted
    first = [world.case() for _ in range(5)]
    key = world.key()
    seen, cursor, pages = [], None, 0
    while True:
        query = "?limit=2" + (f"&cursor={cursor}" if cursor else "")
        body = client.get("/api/v1/cases" + query, headers=auth(key)).get_json()
        seen += [c["reference"] for c in body["data"]]
        pages += 1
        if pages == 1:  # cases accepted, and others referred, while the client pages
            added = [world.case(), world.case()]
            world.accept(early)  # behind the client's place in referral order
            world.case(outcome=None)
            world.case(org_index=1)
        cursor = body["next_cursor"]
        if cursor is None:
            break
    # Each once, in the order accepted, none skipped or repeated.
    assert seen == first + added + [early]
    assert pages == 4
    assert [
        c["reference"] for c in client.get("/api/v1/cases", headers=auth(key)).get_json()["data"]
    ] == seen  # a fresh listing, the same order


def test_a_case_accepted_after_the_client_reached_the_end_comes_on_its_next_poll(client, world):
    """The client keeps the cursor where its listing ended and polls later: it gets
    exactly the cases accepted since, however early they were referred, each once."""
    early = world.case(outcome=None)  # the oldest referral of all
    first = [world.case() for _ in range(3)]
    key = world.key()

    def poll(cursor):
        query = "?limit=2" + (f"&cursor={cursor}" if cursor else "")
        seen = []
        while True:
            body = client.get("/api/v1/cases" + query, headers=auth(key)).get_json()
            assert body["resume_cursor"] or not (seen or body["data"] or cursor)
            seen += [c["reference"] for c in body["data"]]
            if body["next_cursor"] is None:
                return seen, body["resume_cursor"]
            query = f"?limit=2&cursor={body['next_cursor']}"

    seen, stored = poll(None)
    assert seen == first
    assert poll(stored) == ([], stored)  # nothing new: the same place
    world.accept(early)
    late = world.case()
    again, stored_after = poll(stored)
    assert again == [early, late]
    assert poll(stored_after) == ([], stored_after)
    listed = client.get("/api/v1/cases", headers=auth(key)).get_json()["data"]
    assert [c["reference"] for c in listed] == first + [early, late]
    assert listed[3]["accepted_on"] == today().isoformat()


def test_an_acceptance_is_listed_once_it_has_settled(app, client, world):
    """A case is listed only API_SETTLE_SECONDS after its acceptance: one still
    being saved when a client lists cannot fall behind that client's cursor."""
    settled_case = world.case()
    fresh = world.case(outcome=None)
    world.accept(fresh, at=utcnow())
    key = world.key()
    body = client.get("/api/v1/cases", headers=auth(key)).get_json()
    assert [c["reference"] for c in body["data"]] == [settled_case]
    app.config["API_SETTLE_SECONDS"] = 0
    later = client.get(f"/api/v1/cases?cursor={body['resume_cursor']}", headers=auth(key))
    assert [c["reference"] for c in later.get_json()["data"]] == [fresh]


def test_staff_recording_an_acceptance_stamps_it_once(app, world):
    from intake.staff.followup import referrals

    reference = world.case(outcome=None)
    with app.app_context():
        referral = db.session.execute(db.select(Referral)).scalar_one()
        actor = db.session.get(StaffUser, world.admin.id)
        assert referral.accepted_at is None
        referrals.record_outcome(referral, actor, reference, outcome="accepted", outcome_on=today())
        stamped = referral.accepted_at
        assert stamped is not None
        referrals.record_outcome(referral, actor, reference, outcome="accepted", outcome_on=today())
        assert db.session.get(Referral, referral.id).accepted_at == stamped


def test_a_cursor_is_the_apis_own_and_bound_to_the_organisation(client, world):
    for _ in range(3):
        world.case()
        world.case(org_index=1)
    ours, theirs = world.key(), world.key(1)
    cursor = client.get("/api/v1/cases?limit=1", headers=auth(ours)).get_json()["next_cursor"]
    assert cursor
    for bad in (cursor, "garbage", "WzEsIDk5OV0"):
        response = client.get(f"/api/v1/cases?cursor={bad}", headers=auth(theirs))
        assert response.status_code == 400
        assert response.get_json()["error"] == "The cursor is not one this API gave."
    for limit in ("0", "101", "x"):
        assert client.get(f"/api/v1/cases?limit={limit}", headers=auth(ours)).status_code == 400


def test_outcomes_are_written_for_accepted_cases_only(app, client, world, login_as):
    accepted = world.case()
    waiting = world.case(outcome=None)
    key = world.key()
    sent = {"kind": "filed", "happened_on": today().isoformat()}
    made = client.post(f"/api/v1/cases/{accepted}/outcomes", json=sent, headers=auth(key))
    assert made.status_code == 201 and "Set-Cookie" not in made.headers  # no CSRF, no cookie
    assert made.get_json()["label"] == "Application filed"
    assert (
        client.post(f"/api/v1/cases/{waiting}/outcomes", json=sent, headers=auth(key)).status_code
        == 404
    )
    for body, status in (
        ({"kind": "won", "happened_on": today().isoformat()}, 422),
        ({"kind": "granted", "happened_on": (today() + timedelta(days=1)).isoformat()}, 422),
        ({"kind": "granted", "happened_on": "2000-01-01"}, 422),
        ({"kind": "granted", "happened_on": "soon"}, 422),
        ([1, 2], 400),
    ):
        response = client.post(f"/api/v1/cases/{accepted}/outcomes", json=body, headers=auth(key))
        assert response.status_code == status, body
    one = client.get(f"/api/v1/cases/{accepted}", headers=auth(key)).get_json()
    assert [(o["kind"], o["happened_on"]) for o in one["outcomes"]] == [
        ("filed", today().isoformat())
    ]
    with app.app_context():
        assert db.session.execute(db.select(db.func.count(ReceiverOutcome.id))).scalar() == 1
    # Staff see it on the case, beside the referral.
    staff = app.test_client()
    login_as(staff, world.admin)
    page = staff.get(f"/staff/cases/{accepted}").get_data(as_text=True)
    assert "Reported by their system:" in page
    assert f'Application filed on <time datetime="{today().isoformat()}">' in page


def test_every_call_is_audited_without_personal_data(app, client, world):
    reference = world.case(name="Ana Accepted")
    key = world.key()
    client.get("/api/v1/cases", headers=auth(key))
    client.get(f"/api/v1/cases/{reference}", headers=auth(key))
    client.get("/api/v1/cases/NOSUCHREF", headers=auth(key))
    client.post(
        f"/api/v1/cases/{reference}/outcomes",
        json={"kind": "filed", "happened_on": date.today().isoformat()},
        headers=auth(key),
    )
    actions = [e.action for e in events(app) if e.action.startswith(("api.", "case.receiver"))]
    assert actions == ["api.list", "api.read", "api.not_found", "case.receiver_outcome"]
    with app.app_context():
        details = [e.detail for e in db.session.execute(db.select(AuditEvent)).scalars()]
        used = db.session.execute(db.select(ApiKey.last_used_at)).scalar_one()
    assert used is not None
    assert all("Ana" not in d and key not in d for d in details)


def test_calls_are_rate_limited_per_key(app_factory, world):
    limited = app_factory(RATELIMIT_ENABLED=True, API_RATE_LIMIT="2 per minute")
    world.case()
    key, other = world.key(), world.key()
    client = limited.test_client()
    codes = [client.get("/api/v1/cases", headers=auth(key)).status_code for _ in range(3)]
    assert codes == [200, 200, 429]
    assert client.get("/api/v1/cases", headers=auth(other)).status_code == 200


# --- the document -----------------------------------------------------------------


def test_the_document_validates_and_the_copy_in_docs_is_the_same(client):
    served = client.get("/api/v1/openapi.json")
    assert served.status_code == 200
    document = served.get_json()
    validate(document)  # openapi-spec-validator: OpenAPI 3.1 and its JSON Schema
    copy = (ROOT / "docs" / "openapi.json").read_text()
    assert json.loads(copy) == document, "python -m intake.api.openapi > docs/openapi.json"
    assert copy == openapi.as_text()


def test_the_document_and_the_routes_match(app):
    documented = {
        (path, method.upper())
        for path, operations in openapi.document()["paths"].items()
        for method in operations
    }
    routed = {
        (
            re.sub(r"<(?:[^:>]+:)?([^>]+)>", r"{\1}", rule.rule.removeprefix("/api/v1")),
            method,
        )
        for rule in app.url_map.iter_rules()
        if rule.rule.startswith("/api/")
        for method in rule.methods - {"HEAD", "OPTIONS"}
    }
    assert documented == routed
    assert all(
        r.rule.startswith("/api/v1/")
        for r in app.url_map.iter_rules()
        if "api" in r.endpoint.split(".")[0]
    )


def test_a_case_accepted_from_the_packet_is_read_through_the_api(
    app, make_request, make_staff, login_as
):
    """The two hand-offs together: the receiver accepts from the packet page, and
    its system then finds the case, with the same packet, through its key."""
    from tests.support.packets import mailed_links, referrer, send_packet
    from tests.support.tokens import form_token

    case = referrer(app, make_request, make_staff, login_as)()
    _r, code = send_packet(case)
    (link,) = mailed_links(app)
    own = {"Origin": "http://localhost", "Sec-Fetch-Site": "same-origin"}
    visitor = app.test_client()
    token = form_token(visitor.get(link).get_data(as_text=True))
    page = visitor.post(link, data={"code": code, "csrf_token": token}, headers=own)
    opening = re.search(r'name="opening" value="([^"]+)"', page.get_data(as_text=True)).group(1)
    with app.app_context():
        org = db.session.get(ReferralOrganisation, case.organisation_id)
        admin = db.session.get(StaffUser, make_staff("admin").id)
        key = keys.create("IJC system", org, admin).secret
    app.config["API_SETTLE_SECONDS"] = 0  # listed at once (the wait has its own test)
    assert visitor.get("/api/v1/cases", headers=auth(key)).get_json()["data"] == []
    visitor.post(f"{link}/answer", data={"opening": opening, "answer": "accepted"}, headers=own)
    (listed,) = visitor.get("/api/v1/cases", headers=auth(key)).get_json()["data"]
    assert listed["reference"] == case.reference and listed["accepted_on"] == today().isoformat()
    one = visitor.get(f"/api/v1/cases/{case.reference}", headers=auth(key)).get_json()
    assert one["packet"]["summary"] == "Necesito ayuda con mi caso de asilo"
