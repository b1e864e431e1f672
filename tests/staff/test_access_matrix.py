"""Who may do what in the staff area: one table, every staff route, GET and
POST, anonymous and each role. Each case runs on a fresh client with fresh
accounts, so actions that end sessions do not spill into other cases.

The routes come from the URL map: every rule under /staff (whatever blueprint
serves it) must have a row here for GET and POST, so a new staff route without
a row fails the completeness test. To add one: append rows to ROWS
(``{placeholder}`` values come from ``targets``; add a key there if needed)."""

import re
import secrets
from datetime import date, datetime

import pytest

from intake.api import keys as api_keys
from intake.db import db
from intake.models import (
    Funder,
    HelpRequest,
    Letter,
    Message,
    ReferralPacket,
    Release,
    StaffUser,
)
from intake.staff.accounts import operations as accounts
from intake.staff.followup import outreach, referrals
from tests.support.tokens import csrf_token

ROLES = ("anonymous", "admin", "reviewer", "volunteer", "editor", "analyst")


def expect(anonymous, admin, reviewer, volunteer, editor, analyst=None):
    """An analyst (reports only) is refused what an editor is, unless told."""
    analyst = editor if analyst is None else analyst
    values = (anonymous, admin, reviewer, volunteer, editor, analyst)
    return dict(zip(ROLES, values, strict=True))


# Anonymous requests to guarded pages go to the login page (302); a role without
# the permission gets 403; the wrong method is 405 for everyone. POSTs carry a
# valid CSRF token (CSRF itself is tested elsewhere) and no other fields, so a
# permitted POST usually answers 400 (form incomplete) without changing anything.
ALL_LOGGED_IN_OK = expect(302, 200, 200, 200, 200)
ADMIN_ONLY = expect(302, 200, 403, 403, 403)
NOBODY = expect(405, 405, 405, 405, 405)
# Methods the app never uses (PUT, DELETE, TRACE...) are refused before routing.
UNUSED_METHOD = expect(501, 501, 501, 501, 501)
ROWS = [
    ("GET", "/staff/login", expect(200, 302, 302, 302, 302)),
    ("POST", "/staff/login", expect(200, 302, 302, 302, 302)),
    ("GET", "/staff/logout", NOBODY),
    ("POST", "/staff/logout", expect(302, 302, 302, 302, 302)),
    ("GET", "/staff/enrol/{token}", expect(200, 200, 200, 200, 200)),
    ("POST", "/staff/enrol/{token}", expect(400, 400, 400, 400, 400)),
    ("GET", "/staff/account", ALL_LOGGED_IN_OK),
    ("POST", "/staff/account", expect(302, 400, 400, 400, 400)),
    ("GET", "/staff/users", ADMIN_ONLY),
    ("POST", "/staff/users", NOBODY),
    ("GET", "/staff/users/invite", ADMIN_ONLY),
    ("POST", "/staff/users/invite", expect(302, 400, 403, 403, 403)),
    ("GET", "/staff/users/{user_id}", ADMIN_ONLY),
    ("POST", "/staff/users/{user_id}", NOBODY),
    ("GET", "/staff/users/{user_id}/role", NOBODY),
    ("POST", "/staff/users/{user_id}/role", expect(302, 400, 403, 403, 403)),
    ("GET", "/staff/users/{user_id}/deactivate", NOBODY),
    ("POST", "/staff/users/{user_id}/deactivate", expect(302, 302, 403, 403, 403)),
    ("GET", "/staff/users/{user_id}/reactivate", NOBODY),
    ("POST", "/staff/users/{user_id}/reactivate", expect(302, 302, 403, 403, 403)),
    ("GET", "/staff/users/{user_id}/reinvite", NOBODY),
    ("POST", "/staff/users/{user_id}/reinvite", expect(302, 200, 403, 403, 403)),
    ("GET", "/staff/audit", ADMIN_ONLY),
    ("POST", "/staff/audit", NOBODY),
    ("DELETE", "/staff/audit", UNUSED_METHOD),
    # Triage: cases for admin, reviewer and volunteer (a volunteer only sees cases
    # assigned to them: the target case is not, hence 404); editors are refused.
    ("GET", "/staff/", expect(302, 200, 200, 200, 403)),
    ("POST", "/staff/", NOBODY),
    ("GET", "/staff/take-next", NOBODY),
    ("POST", "/staff/take-next", expect(302, 302, 302, 302, 403)),
    ("GET", "/staff/export.csv", expect(302, 200, 200, 403, 403)),
    ("POST", "/staff/export.csv", NOBODY),
    ("GET", "/staff/cases/{reference}", expect(302, 200, 200, 404, 403)),
    ("POST", "/staff/cases/{reference}", NOBODY),
    ("GET", "/staff/cases/{reference}/notes", NOBODY),
    ("POST", "/staff/cases/{reference}/notes", expect(302, 400, 400, 404, 403)),
    ("GET", "/staff/cases/{reference}/reminders", NOBODY),
    ("POST", "/staff/cases/{reference}/reminders", expect(302, 400, 400, 404, 403)),
    ("GET", "/staff/cases/{reference}/assign", NOBODY),
    ("POST", "/staff/cases/{reference}/assign", expect(302, 400, 400, 403, 403)),
    ("GET", "/staff/cases/{reference}/status", NOBODY),
    ("POST", "/staff/cases/{reference}/status", expect(302, 400, 400, 404, 403)),
    ("GET", "/staff/cases/{reference}/close", NOBODY),
    ("POST", "/staff/cases/{reference}/close", expect(302, 400, 400, 404, 403)),
    ("GET", "/staff/cases/{reference}/outcomes", NOBODY),
    ("POST", "/staff/cases/{reference}/outcomes", expect(302, 400, 400, 404, 403)),
    ("GET", "/staff/cases/{reference}/screen", NOBODY),
    ("POST", "/staff/cases/{reference}/screen", expect(302, 400, 400, 403, 403)),
    # Correcting a fact or the urgency: admins and reviewers.
    ("GET", "/staff/cases/{reference}/fact", NOBODY),
    ("POST", "/staff/cases/{reference}/fact", expect(302, 400, 400, 403, 403)),
    ("GET", "/staff/cases/{reference}/answer", NOBODY),
    ("POST", "/staff/cases/{reference}/answer", expect(302, 400, 400, 403, 403)),
    ("GET", "/staff/cases/{reference}/urgency", NOBODY),
    ("POST", "/staff/cases/{reference}/urgency", expect(302, 400, 400, 403, 403)),
    # Follow-up on a case: as the case page (a volunteer only on their own cases).
    ("GET", "/staff/callbacks", expect(302, 200, 200, 200, 403)),
    ("POST", "/staff/callbacks", NOBODY),
    *[
        row
        for action in (
            "contacts",
            "callbacks",
            "callbacks/{callback_id}",
            "referrals",
            "referrals/{referral_id}",
            "adverse-parties",
        )
        for row in (
            ("GET", f"/staff/cases/{{reference}}/{action}", NOBODY),
            ("POST", f"/staff/cases/{{reference}}/{action}", expect(302, 400, 400, 404, 403)),
        )
    ],
    # The referral packet: as the case page. The target organisation takes
    # referrals by phone, so sending is refused back to the case (302); a
    # link is withdrawn (302).
    ("GET", "/staff/cases/{reference}/referrals/{referral_id}/packet", NOBODY),
    (
        "POST",
        "/staff/cases/{reference}/referrals/{referral_id}/packet",
        expect(302, 302, 302, 404, 403),
    ),
    ("GET", "/staff/cases/{reference}/referrals/{referral_id}/packet/{packet_id}/revoke", NOBODY),
    (
        "POST",
        "/staff/cases/{reference}/referrals/{referral_id}/packet/{packet_id}/revoke",
        expect(302, 302, 302, 404, 403),
    ),
    # Letters: as the case page (a volunteer only on their own cases). A post
    # without the letter's text is refused (400), nothing sent.
    ("GET", "/staff/cases/{reference}/letters/{kind}", expect(302, 200, 200, 404, 403)),
    ("POST", "/staff/cases/{reference}/letters/{kind}", expect(302, 400, 400, 404, 403)),
    ("GET", "/staff/letters/{letter_id}", expect(302, 200, 200, 404, 403)),
    ("POST", "/staff/letters/{letter_id}", NOBODY),
    ("GET", "/staff/letters/{letter_id}.pdf", expect(302, 200, 200, 404, 403)),
    ("POST", "/staff/letters/{letter_id}.pdf", NOBODY),
    # Letter wording: editors and admins. A token-only post saves "no wording of
    # our own" (the catalogued one), which is a valid choice.
    ("GET", "/staff/letter-templates", expect(302, 200, 403, 403, 200, analyst=403)),
    ("POST", "/staff/letter-templates", NOBODY),
    (
        "GET",
        "/staff/letter-templates/{kind}/{language}",
        expect(302, 200, 403, 403, 200, analyst=403),
    ),
    (
        "POST",
        "/staff/letter-templates/{kind}/{language}",
        expect(302, 302, 403, 403, 302, analyst=403),
    ),
    # Messages on a case: as the case page. A post without a text is refused (400).
    ("GET", "/staff/cases/{reference}/messages", expect(302, 200, 200, 404, 403)),
    ("POST", "/staff/cases/{reference}/messages", expect(302, 400, 400, 404, 403)),
    # Messages from unknown numbers and the development provider's: triage roles.
    ("GET", "/staff/messages/inbox", expect(302, 200, 200, 403, 403)),
    ("POST", "/staff/messages/inbox", NOBODY),
    *[
        row
        for action, posted in (("attach", 400), ("answer", 400), ("dismiss", 302))
        for row in (
            ("GET", f"/staff/messages/inbox/{{message_id}}/{action}", NOBODY),
            (
                "POST",
                f"/staff/messages/inbox/{{message_id}}/{action}",
                expect(302, posted, posted, 403, 403),
            ),
        )
    ],
    ("GET", "/staff/messages/dev", expect(302, 200, 200, 403, 403)),
    ("POST", "/staff/messages/dev", NOBODY),
    # Message wording: editors and admins, as letter wording. Without a name and
    # a language there is nothing to edit (404).
    ("GET", "/staff/message-templates", expect(302, 200, 403, 403, 200, analyst=403)),
    ("POST", "/staff/message-templates", NOBODY),
    ("GET", "/staff/message-templates/edit", expect(302, 404, 403, 403, 404, analyst=403)),
    ("POST", "/staff/message-templates/edit", expect(302, 404, 403, 403, 404, analyst=403)),
    # The referral directory: admins.
    ("GET", "/staff/referrals", ADMIN_ONLY),
    ("POST", "/staff/referrals", NOBODY),
    ("GET", "/staff/referrals/new", ADMIN_ONLY),
    ("POST", "/staff/referrals/new", expect(302, 400, 403, 403, 403)),
    ("GET", "/staff/referrals/{org_id}", ADMIN_ONLY),
    # (A field left out keeps its stored value: an admin's token-only post saves.)
    ("POST", "/staff/referrals/{org_id}", expect(302, 302, 403, 403, 403)),
    # Releases: editors and admins.
    ("GET", "/staff/releases/", expect(302, 200, 403, 403, 200, analyst=403)),
    ("POST", "/staff/releases/", NOBODY),
    ("GET", "/staff/releases/new", expect(302, 200, 403, 403, 200, analyst=403)),
    ("POST", "/staff/releases/new", expect(302, 400, 403, 403, 400, analyst=403)),
    ("GET", "/staff/releases/{release_id}/edit", expect(302, 200, 403, 403, 200, analyst=403)),
    ("POST", "/staff/releases/{release_id}/edit", expect(302, 400, 403, 403, 400, analyst=403)),
    ("GET", "/staff/releases/{release_id}/publish", NOBODY),
    ("POST", "/staff/releases/{release_id}/publish", expect(302, 302, 403, 403, 302, analyst=403)),
    ("GET", "/staff/releases/{release_id}/unpublish", NOBODY),
    (
        "POST",
        "/staff/releases/{release_id}/unpublish",
        expect(302, 302, 403, 403, 302, analyst=403),
    ),
    # Partner sites: admins only. An empty new partner form is shown again (200).
    ("GET", "/staff/partners/", ADMIN_ONLY),
    ("POST", "/staff/partners/", NOBODY),
    ("GET", "/staff/partners/new", ADMIN_ONLY),
    ("POST", "/staff/partners/new", ADMIN_ONLY),
    ("GET", "/staff/partners/{partner_id}", ADMIN_ONLY),
    # Fields left out keep the partner's values: saved unchanged, back to its page.
    ("POST", "/staff/partners/{partner_id}", expect(302, 302, 403, 403, 403)),
    ("GET", "/staff/partners/{partner_id}/active", NOBODY),
    ("POST", "/staff/partners/{partner_id}/active", expect(302, 302, 403, 403, 403)),
    ("GET", "/staff/partners/{partner_id}/wordpress-plugin.zip", ADMIN_ONLY),
    ("POST", "/staff/partners/{partner_id}/wordpress-plugin.zip", NOBODY),
    # Reports: admins and analysts, read only.
    ("GET", "/staff/reports/", expect(302, 200, 403, 403, 403, analyst=200)),
    ("POST", "/staff/reports/", NOBODY),
    ("GET", "/staff/reports/export.csv", expect(302, 200, 403, 403, 403, analyst=200)),
    ("POST", "/staff/reports/export.csv", NOBODY),
    ("GET", "/staff/reports/funders/{funder_id}", expect(302, 200, 403, 403, 403, analyst=200)),
    ("POST", "/staff/reports/funders/{funder_id}", NOBODY),
    # Funders: admins only. A form without a name is shown again (200).
    ("GET", "/staff/funders/", ADMIN_ONLY),
    ("POST", "/staff/funders/", NOBODY),
    ("GET", "/staff/funders/new", ADMIN_ONLY),
    ("POST", "/staff/funders/new", ADMIN_ONLY),
    ("GET", "/staff/funders/{funder_id}", ADMIN_ONLY),
    ("POST", "/staff/funders/{funder_id}", ADMIN_ONLY),
    # API keys: admins only. A form without a name is shown again (400).
    ("GET", "/staff/api-keys", ADMIN_ONLY),
    ("POST", "/staff/api-keys", expect(302, 400, 403, 403, 403)),
    ("GET", "/staff/api-keys/{key_id}/revoke", NOBODY),
    ("POST", "/staff/api-keys/{key_id}/revoke", expect(302, 302, 403, 403, 403)),
]


@pytest.fixture
def targets(app, make_staff, make_request, make_release, make_partner):
    """Values for the placeholders: a fresh set for every case."""

    emails = (f"invited{n}@staff.example" for n in range(1, 10_000))

    def make() -> dict[str, object]:
        other = make_staff("reviewer")
        with app.app_context():
            _, token = accounts.invite_staff(next(emails), "volunteer")
            db.session.commit()
        with app.app_context():
            release_id = db.session.execute(
                db.select(Release.id).filter_by(slug=make_release())
            ).scalar_one()
            funder = Funder(name=f"Fund {token[:8]}", active_from=date(2026, 1, 1))
            db.session.add(funder)
            db.session.commit()
            funder_id = funder.id
        case = make_request()
        with app.app_context():
            letter = Letter(
                request_id=case.id, kind="received", language="en", subject="S", body="B"
            )
            db.session.add(letter)
            unknown = Message(
                direction="in",
                channel="sms",
                kind="inbound",
                body="Hello",
                phone="+13055550123",
                state="received",
            )
            db.session.add(unknown)
            db.session.commit()
            letter_id, message_id = letter.id, unknown.id
        return {
            "letter_id": letter_id,
            "message_id": message_id,
            "kind": "non_engagement",
            "language": "es",
            "user_id": other.id,
            "token": token,
            "reference": case.reference,
            "release_id": release_id,
            "partner_id": make_partner().id,
            "funder_id": funder_id,
            **follow_up(app, case, other),
        }

    return make


def follow_up(app, case, user) -> dict[str, int]:
    """A directory entry, and a callback and a referral on ``case``."""
    with app.app_context():
        actor = db.session.get(StaffUser, user.id)
        row = db.session.get(HelpRequest, case.id)
        org = referrals.create_organisation(
            referrals.OrganisationFields(name="Org", how_to_refer="1"), actor
        )
        callback = outreach.book_callback(row, actor, owner=actor, due_at=datetime(2099, 1, 1))
        referral = referrals.refer(
            row,
            actor,
            organisation=org,
            method="phone",
            made_on=date(2026, 12, 1),
            staff_confirms_consent=True,
        )
        packet = ReferralPacket(
            referral_id=referral.id,
            token_hash=secrets.token_hex(32),
            code_hash=secrets.token_hex(32),
            link="unused",
            recipient="intake@org.example",
            expires_at=datetime(2099, 1, 1),
        )
        db.session.add(packet)
        db.session.commit()
        key = api_keys.create("System", org, actor).key
        return {
            "org_id": org.id,
            "callback_id": callback.id,
            "referral_id": referral.id,
            "packet_id": packet.id,
            "key_id": key.id,
        }


def signed_in(app, make_staff, login_as, role):
    """A fresh client as ``role`` (a new account), and its CSRF token."""
    client = app.test_client()
    if role == "anonymous":
        return client, csrf_token(client.get("/staff/login").text)
    login_as(client, make_staff(role))
    return client, csrf_token(client.get("/staff/account").text)


def run_case(client, token, values, method, path, role) -> int:
    data = {"csrf_token": token} if method != "GET" else None
    response = client.open(path.format(**values), method=method, data=data)
    if response.status_code == 302 and role == "anonymous":
        assert response.location.endswith("/staff/login"), response.location
    return response.status_code


def changes_nothing(method, expected) -> bool:
    """A GET, or a method every role is refused: no case of the row can change
    the targets or end a session, so its cases share them."""
    return method == "GET" or set(expected.values()) <= {405, 501}


# The table in parts, so that parallel test processes share it.
PARTS = 6


@pytest.mark.parametrize("part", range(PARTS))
def test_role_route_matrix(app, make_staff, login_as, targets, part):
    """One app for each part of the table (an app per case would take minutes);
    every mismatch is listed at the end rather than stopping at the first. A case
    that could change something gets fresh targets and a fresh account; the
    others share one set and one signed-in client per role."""
    mismatches = []
    shared: dict = {}
    clients: dict = {}
    for method, path, expected in ROWS[part::PARTS]:
        for role, status in expected.items():
            if changes_nothing(method, expected):
                if not shared:
                    shared.update(targets())
                values = shared
                if role not in clients:
                    clients[role] = signed_in(app, make_staff, login_as, role)
                client, token = clients[role]
            else:
                values = targets()
                client, token = signed_in(app, make_staff, login_as, role)
            got = run_case(client, token, values, method, path, role)
            if got != status:
                mismatches.append(f"{method} {path} as {role}: expected {status}, got {got}")
    assert mismatches == []


def staff_rules(app):
    """Every rule under /staff or served by a staff blueprint, from the URL map."""
    return [
        rule
        for rule in app.url_map.iter_rules()
        if rule.rule.startswith("/staff/") or rule.endpoint.startswith("staff.")
    ]


def test_every_staff_route_is_in_the_matrix(app):
    """GET and POST of every staff rule have a row: the allowed method says who
    may use it, the other that nobody can (405)."""
    covered = {(method, path) for method, path, _ in ROWS}
    missing = []
    rules = staff_rules(app)
    for rule in rules:
        path = re.sub(r"<(?:[^:>]+:)?([^>]+)>", r"{\1}", rule.rule)
        for method in ("GET", "POST"):
            if (method, path) not in covered:
                missing.append(f"{method} {path}")
    assert missing == []
    # The partner pages were once left out of a hand-kept list of blueprints.
    assert {"staff.partners.index", "staff.triage.queue", "staff.users.index"} <= {
        rule.endpoint for rule in rules
    }
