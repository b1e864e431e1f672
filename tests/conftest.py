"""Fixtures: an app per test on one schema per run, a client, a CLI runner and
factories. The database is SQLite in a temporary folder unless
INTAKE_TEST_DATABASE_URI names another (CI runs the suite again on PostgreSQL).

Tests run in a process per core (pytest-xdist, see pyproject); each has a
database of its own. Every test is marked by what it needs (``pure``, ``database``,
``browser``, ``slow``); the PostgreSQL pass runs only what can differ by
database, so it leaves out the pure ones and most browser ones."""

import os

import pytest

from intake import create_app
from intake.db import db
from tests.support.apps import (
    TEST_KEYS,
    apps_to_close,
    empty_tables,
    make_test_app,
    worker_database,
)
from tests.support.browser import CHROMIUM, CHROMIUM_ARGS
from tests.support.markers import pytest_collection_modifyitems  # noqa: F401 - the hook
from tests.support.servers import LiveServer
from tests.support.smtp_sink import NOTIFY
from tests.support.staff import STAFF_PASSWORD, next_totp_code, post_login

# --- The database -------------------------------------------------------------------


@pytest.fixture(scope="session")
def database_uri(tmp_path_factory):
    """The run's database, with the schema built from the models (test_migrations
    checks that the migrations build the same one). Each xdist worker has its
    own: a SQLite file in its own temporary folder, or on PostgreSQL a database
    named after the given one and the worker (``<db>_gw0``), dropped at the end."""
    uri = os.environ.get("INTAKE_TEST_DATABASE_URI")
    if not uri:
        uri = "sqlite:///" + str(tmp_path_factory.mktemp("db") / "test.sqlite3")
    with worker_database(uri, os.environ.get("PYTEST_XDIST_WORKER")) as own:
        app = create_app({**TEST_KEYS, "SQLALCHEMY_DATABASE_URI": own, "AUTO_MIGRATE": False})
        with app.app_context():
            db.drop_all()
            db.create_all()
            db.engine.dispose()
        yield own


@pytest.fixture(autouse=True)
def _close_test_apps():
    """Dispose every engine a test created, so no connection outlives its test."""
    yield
    while apps_to_close:
        app = apps_to_close.pop()
        with app.app_context():
            db.session.remove()
            db.engine.dispose()


@pytest.fixture
def app(database_uri):
    app = make_test_app(database_uri)
    yield app
    empty_tables(app)


@pytest.fixture
def app_factory(app, database_uri):
    """Factory: more apps on the test database with other settings (keys,
    production, limits); _close_test_apps closes their connections."""

    def make(**overrides):
        return make_test_app(database_uri, **overrides)

    return make


@pytest.fixture
def client(app):
    return app.test_client()


@pytest.fixture
def runner(app):
    return app.test_cli_runner()


@pytest.fixture
def make_release(app):
    """Factory: publish a release with sensible defaults; returns its slug."""
    from datetime import date

    from intake.models import Release

    counter = iter(range(1, 10_000))

    def make(**fields):
        n = next(counter)
        values = {
            "slug": f"release-{n}",
            "title": f"Release number {n}",
            "body_html": f"<p>Body of release {n}.</p>",
            "published_on": date(2020, 1, n % 28 + 1),
            **fields,
        }
        with app.app_context():
            release = Release(**values)
            db.session.add(release)
            db.session.commit()
            return release.slug

    return make


@pytest.fixture
def seeded(app):
    """The bundled release, published as on first start."""
    from intake.public import releases

    releases.seed(app)
    return app


# --- Browser tests ------------------------------------------------------------


@pytest.fixture
def live_server(app):
    server = LiveServer(app)
    yield server
    server.stop()


@pytest.fixture(scope="session")
def chromium():
    """Headless Debian Chromium via Playwright. Missing Chromium fails the test:
    browser tests are required, never skipped."""
    if not os.path.exists(CHROMIUM):
        pytest.fail(f"Chromium not found at {CHROMIUM}: apt-get install chromium")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        yield browser
        browser.close()


@pytest.fixture
def page(chromium, live_server):
    """A fresh browser context; every request it makes is recorded in
    ``page.requested`` so tests can assert nothing leaves the site."""
    context = chromium.new_context()
    page = context.new_page()
    page.requested = []
    page.on("request", lambda request: page.requested.append(request.url))
    page.base = live_server.url
    yield page
    context.close()


# --- Help requests ----------------------------------------------------------------


@pytest.fixture
def make_request(app):
    """Factory: store a help request as the screening form does, with sensible
    defaults for every column; returns the (detached) HelpRequest. The phone and
    email lookup hashes are computed from the values given. ``within=other_app``
    stores it with that app's keys (rotation and missing-key tests)."""
    import secrets
    from datetime import timedelta

    from intake import crypto
    from intake.cases.contact import lookup_hashes
    from intake.models import HelpRequest
    from intake.timeutil import utcnow

    crockford = "0123456789ABCDEFGHJKMNPQRSTVWXYZ"
    urgency_rank = {"critical": 0, "high": 1, "normal": 2}
    counter = iter(range(1, 1_000_000))

    def make(within=None, **overrides):
        n = next(counter)
        values = {
            "reference": "".join(secrets.choice(crockford) for _ in range(8)),
            "created_at": utcnow() - timedelta(hours=1000 - n),
            "status": "new",
            "screen": "eligible",
            "urgency": "normal",
            "reasons": '["Not represented and cannot pay."]',
            "flags": "[]",
            "represented": "no",
            "can_pay": "no",
            "household_size": 1,
            "claim_types": " asylum ",
            "detained": False,
            "hearing": "no",
            "i589_filed": "no",
            "minor": False,
            "state": "NY",
            "preferred_language": "Spanish",
            "name": f"Applicant {n}",
            "nationality": "Venezuela",
            **overrides,
        }
        values.setdefault("urgency_rank", urgency_rank[values["urgency"]])
        with (within or app).app_context():
            # The same hashes as the form, so duplicates match across both
            # (unless a test sets them, e.g. for an app without a lookup key).
            if not {"phone_hash", "email_hash"} <= values.keys():
                ring = crypto.keyring()
                hashes = lookup_hashes(ring, values.get("phone"), values.get("email"))
                values.setdefault("phone_hash", hashes[0])
                values.setdefault("email_hash", hashes[1])
            help_request = HelpRequest(**values)
            db.session.add(help_request)
            db.session.commit()
            db.session.refresh(help_request)
            db.session.expunge(help_request)
            return help_request

    return make


# --- Staff accounts ---------------------------------------------------------------


@pytest.fixture
def make_staff(app):
    """Factory: a staff account with password ``STAFF_PASSWORD`` (also on
    ``user.password``) and a TOTP secret (``user.totp_secret``), or an invited,
    not yet enrolled one. Returns the detached StaffUser."""
    from intake.models import StaffUser
    from intake.staff.accounts import passwords, second_factor

    counter = iter(range(1, 10_000))

    def make(role="reviewer", email=None, enrolled=True):
        user = StaffUser(email=email or f"{role}{next(counter)}@staff.example", role=role)
        with app.app_context():
            if enrolled:
                user.password_hash = passwords.hash_password(STAFF_PASSWORD)
                user.totp_secret = second_factor.new_secret()
            db.session.add(user)
            db.session.commit()
            db.session.refresh(user)
            db.session.expunge(user)
        user.password = STAFF_PASSWORD
        return user

    return make


@pytest.fixture
def login_as(app):
    """``login_as(client, user)``: log in through the real form (email, password,
    current TOTP code); asserts it worked and returns the redirect response."""

    def login(client, user):
        response = post_login(client, user, next_totp_code(app, user))
        assert response.status_code == 302, "login failed"
        assert "/staff/login" not in response.location
        return response

    return login


@pytest.fixture
def axe_check():
    """``axe_check(page)``: fail on any WCAG 2.0/2.1/2.2 A or AA violation
    (tests/support/a11y.py)."""
    from tests.support.a11y import assert_accessible

    return assert_accessible


@pytest.fixture
def make_partner(app):
    """Factory: a registered partner site (detached); ``origins`` as a list."""
    from intake.models import Partner

    def make(name="Press site", origins=("https://press.example.org",), active=True):
        partner = Partner(name=name, origins=" ".join(origins), active=active)
        with app.app_context():
            db.session.add(partner)
            db.session.commit()
            db.session.refresh(partner)
            db.session.expunge(partner)
        return partner

    return make


@pytest.fixture
def sink():
    """A local SMTP server (tests/support/smtp_sink.py); ``sink.messages`` holds what it got."""
    from tests.support.smtp_sink import SMTPSink

    server = SMTPSink()
    yield server
    server.stop()


@pytest.fixture
def world(app, make_staff, login_as, make_request, make_release, make_partner):
    """The attack suite's staff world (tests/support/attack_world.py)."""
    from tests.support.attack_world import World

    return World(app, make_staff, login_as, make_request, make_release, make_partner)


@pytest.fixture
def mail_client(app, sink):
    """A client of the test app, which mails critical requests to NOTIFY through
    the sink."""
    app.config.update(
        STAFF_NOTIFY_EMAIL=NOTIFY,
        MAIL_SERVER="127.0.0.1",
        MAIL_PORT=sink.port,
        MAIL_SECURITY="none",  # the sink speaks no TLS
        MAIL_FROM="noreply@org.example",
    )
    return app.test_client()


# --- Framed pages on another site ----------------------------------------------


@pytest.fixture(scope="session")
def cookieless_chromium(chromium):
    """A second Chromium from the same Playwright, with third-party cookies blocked."""
    browser = chromium.browser_type.launch(
        executable_path=CHROMIUM, args=[*CHROMIUM_ARGS, "--test-third-party-cookie-phaseout"]
    )
    yield browser
    browser.close()


@pytest.fixture
def our_site(app):
    server = LiveServer(app, host="localhost")
    yield server
    server.stop()


@pytest.fixture
def host():
    """A partner's page on another origin (tests/support/host_site.py)."""
    from tests.support.host_site import HostSite

    site = HostSite()
    yield site
    site.stop()
