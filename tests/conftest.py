"""Fixtures: an app per test on one schema per run, a client, a CLI runner and
factories. The database is SQLite in a temporary folder unless
INTAKE_TEST_DATABASE_URI names another (CI runs the suite again on PostgreSQL)."""

import os
import re

import pytest
from sqlalchemy import create_engine

from intake import create_app
from intake.db import db

TEST_KEYS = {
    "SECRET_KEY": "test-secret-key-not-for-production",
    "ENCRYPTION_KEYS": "su20xohi1vgeHqJtSnqpew6O-qSJPQwF8JwHKiMrqNQ=",
    "LOOKUP_KEY": "test-lookup-key",
}


@pytest.fixture(scope="session")
def database_uri(tmp_path_factory):
    uri = os.environ.get("INTAKE_TEST_DATABASE_URI")
    if not uri:
        uri = "sqlite:///" + str(tmp_path_factory.mktemp("db") / "test.sqlite3")
    # One schema per run, built from the models; test_migrations checks that the
    # migrations build the same schema.
    app = create_app({**TEST_KEYS, "SQLALCHEMY_DATABASE_URI": uri, "AUTO_MIGRATE": False})
    with app.app_context():
        db.drop_all()
        db.create_all()
        db.engine.dispose()
    return uri


_apps_to_close = []


@pytest.fixture(autouse=True)
def _close_test_apps():
    """Dispose every engine a test created, so no connection outlives its test."""
    yield
    while _apps_to_close:
        app = _apps_to_close.pop()
        with app.app_context():
            db.session.remove()
            db.engine.dispose()


def make_test_app(database_uri, **overrides):
    config = {
        "TESTING": True,
        "AUTO_MIGRATE": False,
        "SQLALCHEMY_DATABASE_URI": database_uri,
        "RATELIMIT_ENABLED": False,
        **TEST_KEYS,
        **overrides,
    }
    app = create_app(config)
    _apps_to_close.append(app)
    return app


@pytest.fixture
def app(database_uri):
    app = make_test_app(database_uri)
    yield app
    empty_tables(app)


def empty_tables(app):
    with app.app_context():
        db.session.remove()
        with db.engine.begin() as conn:
            for table in reversed(db.metadata.sorted_tables):
                conn.execute(table.delete())
        db.engine.dispose()


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
    from intake import releases

    releases.seed(app)
    return app


def csrf_token(html: str) -> str:
    match = re.search(r'name="csrf_token"[^>]*value="([^"]+)"', html) or re.search(
        r'value="([^"]+)"[^>]*name="csrf_token"', html
    )
    assert match, "no csrf_token in the page"
    return match.group(1)


def raw_engine(uri):
    """An engine outside the app, to look at what is really stored."""
    return create_engine(uri)


# --- Browser tests ------------------------------------------------------------

CHROMIUM = os.environ.get("INTAKE_CHROMIUM", "/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]


class LiveServer:
    """The app served from a thread on a free localhost port."""

    def __init__(self, app, host="127.0.0.1"):
        import threading

        from werkzeug.serving import make_server

        self.server = make_server(host, 0, app, threaded=True)
        self.url = f"http://{host}:{self.server.server_port}"
        self.thread = threading.Thread(target=self.server.serve_forever, daemon=True)
        self.thread.start()

    def stop(self):
        self.server.shutdown()
        self.thread.join(5)


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


# --- Staff, partners ----------------------------------------------------------


def stored(app, row):
    """Commit ``row`` and hand it back detached, its columns loaded."""
    with app.app_context():
        db.session.add(row)
        db.session.commit()
        db.session.refresh(row)
        db.session.expunge(row)
        return row


@pytest.fixture
def make_staff(app):
    """Factory: a staff member (detached, attributes loaded) with ``role``."""
    from intake.models import StaffUser

    counter = iter(range(1, 10_000))

    def make(role="admin", **fields):
        email = f"staff{next(counter)}@example.org"
        return stored(app, StaffUser(email=email, role=role, **fields))

    return make


@pytest.fixture
def login_as(app):
    """Log ``user`` in on ``client`` by writing the Flask-Login session directly,
    including the "strong" session-protection identifier of the test client."""
    from intake.access import login_manager

    def login(client, user):
        with app.test_request_context(environ_base=client.environ_base):
            identifier = login_manager._session_identifier_generator()
        with client.session_transaction() as session:
            session["_user_id"] = user.get_id()
            session["_fresh"] = True
            session["_id"] = identifier

    return login


@pytest.fixture
def make_partner(app):
    """Factory: a registered partner (detached); origins as a list."""
    from intake.models import Partner

    def make(name="Press site", origins=("https://press.example.org",), active=True):
        return stored(app, Partner(name=name, origins=" ".join(origins), active=active))

    return make
