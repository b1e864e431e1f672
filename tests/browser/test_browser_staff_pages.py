"""Every staff page in Chromium, as every role that may see it, with demo requests
in the queue: axe-core (WCAG 2.0/2.1/2.2 A and AA) finds nothing, and the queue
and the case page fit a 320 px screen without scrolling sideways.

The pages come from the app's URL map (every GET route under /staff), not from a
list kept here, and who may see each one is asked of the app: a new staff page
is checked from the day it is added. A route with a parameter this file cannot
fill fails the test until a value is added to ``values``."""

from contextlib import contextmanager
from datetime import timedelta
from pathlib import Path

import pytest
from playwright.sync_api import expect

from intake import timeutil
from intake.cases import conflicts
from intake.db import db
from intake.models import Funder, HelpRequest, Letter, Release, StaffUser
from intake.ops import demo
from intake.staff.accounts import operations as accounts
from intake.staff.cases import casework
from intake.staff.followup import outreach, referrals
from tests.support.a11y import report, violations
from tests.support.browser import SETTLE_TIMEOUT_MS
from tests.support.staff import STAFF_PASSWORD, next_totp_code, post_login

pytestmark = pytest.mark.browser

ROLES = ("admin", "reviewer", "volunteer", "editor", "analyst")
ARTIFACTS = Path(__file__).resolve().parents[2] / "test-artifacts"


def staff_get_routes(app) -> list:
    """Every GET route under /staff, as the URL map has it."""
    return sorted(
        (
            rule
            for rule in app.url_map.iter_rules()
            if rule.rule.startswith("/staff") and "GET" in rule.methods
        ),
        key=lambda rule: rule.rule,
    )


@pytest.fixture
def world(app, make_staff, make_partner, make_release):
    """One account per role, demo requests, a case with a note and a history
    (assigned to the volunteer, so a volunteer may open it too), a release, a
    partner and an open invitation: a value for every parameter of a staff route."""
    people = {role: make_staff(role) for role in ROLES}
    partner = make_partner()
    slug = make_release()
    with app.app_context():
        demo.seed_demo(app, 40)
        volunteer = db.session.get(StaffUser, people["volunteer"].id)
        admin = db.session.get(StaffUser, people["admin"].id)
        case = (
            db.session.execute(
                db.select(HelpRequest)
                .filter_by(status="new")
                .order_by(HelpRequest.urgency_rank, HelpRequest.created_at)
            )
            .scalars()
            .first()
        )
        casework.assign(case, volunteer, admin, case.version)
        casework.add_note(case, admin, "Called back; see https://example.org/guide")
        casework.change_status(case, "in_review", "", admin, case.version)
        org_id = follow_up(case, admin, volunteer)
        _, token = accounts.invite_staff("invited@staff.example", "volunteer")
        letter = Letter(
            request_id=case.id, kind="non_engagement", language="ar", subject="S", body="B"
        )
        db.session.add(letter)
        db.session.commit()
        values = {
            "kind": "non_engagement",
            "language": "ar",
            "letter_id": letter.id,
            "reference": case.reference,
            "user_id": people["reviewer"].id,
            "partner_id": partner.id,
            "release_id": db.session.execute(
                db.select(Release.id).filter_by(slug=slug)
            ).scalar_one(),
            "token": token,
            # seed-demo defines demo funders when there are none.
            "funder_id": db.session.execute(db.select(Funder.id)).scalars().first(),
            "org_id": org_id,
        }
    return people, values


def follow_up(case, admin, volunteer) -> int:
    """The case's follow-up sections filled in (attempts, a callback for the
    volunteer, a referral, an adverse party); returns a directory entry's id."""
    org = referrals.create_organisation(
        referrals.OrganisationFields(
            name="Legal Aid", states=("NY",), languages=("es",), how_to_refer="+1 212 555 0100"
        ),
        admin,
    )
    outreach.record_contact_attempt(
        case, admin, channel="phone", outcome="left_message", override_reason="Asked for it."
    )
    outreach.book_callback(
        case, admin, owner=volunteer, due_at=timeutil.utcnow() + timedelta(minutes=30)
    )
    referrals.refer(
        case,
        admin,
        organisation=org,
        method="phone",
        made_on=timeutil.utcnow().date(),
        staff_confirms_consent=True,
    )
    conflicts.add_adverse_party(case, admin, relationship="abuser", name="Some One")
    return org.id


def pages_by_role(app, people, values) -> dict[str, list[str]]:
    """For each role (and "anonymous"), the staff pages it sees: the GET routes
    that answer it 200 with HTML (a CSV download is not a page)."""
    seen: dict[str, list[str]] = {}
    for who in ("anonymous", *ROLES):
        client = app.test_client()
        if who != "anonymous":
            user = people[who]
            assert post_login(client, user, next_totp_code(app, user)).status_code == 302
        for rule in staff_get_routes(app):
            missing = rule.arguments - values.keys()
            assert not missing, f"{rule.rule}: add a value for {missing} to the world fixture"
            path = rule.build({k: values[k] for k in rule.arguments}, append_unknown=False)[1]
            response = client.get(path)
            if response.status_code == 200 and response.mimetype == "text/html":
                seen.setdefault(who, []).append(path)
    return seen


@contextmanager
def staff_page(app, chromium, live_server, user=None, width=1280):
    """A fresh Chromium page on the live server, logged in as ``user`` (through
    the login form, with a code the account has not used yet: the test client
    may have logged it in a moment ago), or anonymous."""
    context = chromium.new_context(viewport={"width": width, "height": 800})
    try:
        page = context.new_page()
        page.base = live_server.url
        if user is not None:
            page.goto(page.base + "/staff/login")
            page.get_by_label("Email").fill(user.email)
            page.get_by_label("Password").fill(STAFF_PASSWORD)
            page.get_by_label("Code from your authenticator app").fill(next_totp_code(app, user))
            page.get_by_role("button", name="Log in").click()
            page.wait_for_url(lambda url: "/staff/login" not in url)
        yield page
    finally:
        context.close()


def no_horizontal_scroll(page) -> bool:
    return page.evaluate(
        "document.documentElement.scrollWidth <= document.documentElement.clientWidth"
    )


# A test per role, so that parallel test processes share the pages.
@pytest.mark.parametrize("who", ["anonymous", *ROLES])
def test_every_staff_page_has_no_axe_violations_for_every_role(
    app, chromium, live_server, world, who
):
    people, values = world
    seen = pages_by_role(app, people, values)
    # Everyone sees at least the pages every role has; the admin sees every
    # staff page but the login (which sends a logged-in person on).
    assert set(seen) == {"anonymous", *ROLES}
    every_page = {path for paths in seen.values() for path in paths}
    assert every_page - set(seen["admin"]) == {"/staff/login"}
    problems = []
    with staff_page(app, chromium, live_server, people.get(who)) as page:
        for path in seen[who]:
            page.goto(page.base + path)
            found = violations(page)
            if found:
                problems.append(f"{path} as {who}:\n{report(found)}")
    assert problems == [], "\n".join(problems)


@pytest.mark.parametrize("width", [320, 1280])
def test_queue_and_case_fit_the_screen(app, chromium, live_server, world, width):
    """No sideways scrolling of the page at 320 px (a wide table scrolls inside
    its own box); screenshots in test-artifacts/ to look at the layout."""
    people, values = world
    ARTIFACTS.mkdir(exist_ok=True)
    with staff_page(app, chromium, live_server, people["admin"], width) as page:
        for name, path in (("queue", "/staff/"), ("case", f"/staff/cases/{values['reference']}")):
            page.goto(page.base + path)
            page.screenshot(path=str(ARTIFACTS / f"staff-{name}-{width}.png"), full_page=True)
            assert no_horizontal_scroll(page), path
            assert violations(page) == [], path


def test_forms_with_errors_have_no_axe_violations(app, chromium, live_server, world):
    """The error summary and the fields' errors, as the one macro draws them on
    staff pages: each form sent empty."""
    people, values = world
    forms = [
        ("/staff/account", "Change password"),
        ("/staff/users/invite", "Create the link"),
        ("/staff/partners/new", "Register"),
        ("/staff/releases/new", "Save"),
        (f"/staff/cases/{values['reference']}", "Change status"),
    ]
    problems = []
    with staff_page(app, chromium, live_server, people["admin"]) as page:
        for path, button in forms:
            page.goto(page.base + path)
            page.get_by_role("button", name=button, exact=True).click()
            summary = page.locator("#error-summary")
            summary.wait_for()
            # The summary is focused and each of its links lands on a field.
            expect(summary).to_be_focused(timeout=SETTLE_TIMEOUT_MS)
            for href in summary.locator("a").evaluate_all("links => links.map(a => a.hash)"):
                assert page.locator(href).count() == 1, (path, href)
            found = violations(page)
            if found:
                problems.append(f"{path} with errors:\n{report(found)}")
    assert problems == [], "\n".join(problems)
