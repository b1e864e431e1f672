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
        # Cheap Argon2id: tests log in often (the defaults take ~0.3 s per check).
        "STAFF_ARGON2_PARAMETERS": {"time_cost": 1, "memory_cost": 1024, "parallelism": 1},
        # Production refuses to start without it; "none" says there is none on purpose.
        "HELPLINE_PHONE": "none",
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


@pytest.fixture
def app_factory(app, database_uri):
    """Factory: more apps on the test database with other settings (keys,
    production, limits); _close_test_apps closes their connections."""

    def make(**overrides):
        return make_test_app(database_uri, **overrides)

    return make


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
        """Stop serving and wait for requests still in flight (the browser may have
        moved on before the server finished one), so none of them is still holding
        a database connection when the test's app disposes of its engine."""
        self.server.shutdown()
        self.server.server_close()  # joins the request threads (block_on_close)
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


# --- Help requests ----------------------------------------------------------------

REQUEST_URGENCY_RANK = {"critical": 0, "high": 1, "normal": 2}


@pytest.fixture
def make_request(app):
    """Factory: store a help request as the screening form does, with sensible
    defaults for every column; returns the (detached) HelpRequest. The phone and
    email lookup hashes are computed from the values given. ``within=other_app``
    stores it with that app's keys (rotation and missing-key tests)."""
    import secrets
    from datetime import timedelta

    from intake import crypto
    from intake.contact import lookup_hashes
    from intake.models import HelpRequest
    from intake.timeutil import utcnow

    crockford = "0123456789ABCDEFGHJKMNPQRSTVWXYZ"
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
        values.setdefault("urgency_rank", REQUEST_URGENCY_RANK[values["urgency"]])
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


# --- The public form ---------------------------------------------------------------


def marked_answers() -> dict:
    """Valid screening answers whose every personal field holds a value unique to
    this call, to look for in stored bytes and logs: free text is a marker string,
    the phone a random digit string, the email marker@example.org, the income a
    random amount. Nationality is a choice: a country code cannot be a marker."""
    import secrets

    marker = "Mk" + secrets.token_hex(5)
    digits = f"{secrets.randbelow(9 * 10**9) + 10**9}"
    cents = secrets.randbelow(9 * 10**7) + 10**7  # 100,000.00 to 999,999.99
    return {
        "represented": "no",
        "can_pay": "no",
        "household_size": "3",
        "monthly_income": f"{cents // 100:,}.{cents % 100:02d}",
        "claim_types": ["asylum"],
        "detained": "yes",
        "detention_facility": f"{marker} Facility",
        "hearing": "no",
        "arrival_month": "6",
        "arrival_year": "2025",
        "i589_filed": "no",
        "minor": "no",
        "name": f"{marker} Name",
        "nationality": "ER",
        "preferred_language": "ti",
        "state": "NY",
        "phone": f"+1 ({digits[:3]}) {digits[3:6]}-{digits[6:]}",
        "email": f"{marker}@example.org",
        "safe_to_message": "no",
        "summary": f"{marker} Summary of what happened",
        "consent": "y",
    }


def personal_values(answers: dict) -> list[str]:
    """Every form of a marked answer that must never be seen outside its
    encrypted column: as typed, as normalised for the lookup hashes, as stored,
    and the income as a year (what the income rule works with)."""
    from intake.contact import normalise_email, normalise_phone
    from intake.rules import annual_income
    from intake.screening_form import parse_income

    typed = [answers[f] for f in ("name", "detention_facility", "summary", "phone", "email")]
    income = answers["monthly_income"]
    annual = annual_income(parse_income(income))
    return [
        *typed,
        normalise_phone(answers["phone"]),
        normalise_email(answers["email"]),
        income,
        str(parse_income(income)),
        f"{annual:,.2f}",
        f"{annual:.2f}",
    ]


def submit_help(client, answers: dict):
    """Fill in the public form as a visitor does: GET /help, check, submit, each
    step posting every answer with the page's token. Returns (check, submit)."""
    page = client.get("/help").get_data(as_text=True)
    token = re.search(r'name="form_token" value="([^"]+)"', page)
    assert token, "no form token on /help"
    data = {**answers, "form_token": token.group(1)}
    check = client.post("/help/check", data=data)
    assert check.status_code == 200 and "Check your answers" in check.text, "answers refused"
    return check, client.post("/help/submit", data=data)


# --- Staff accounts ---------------------------------------------------------------

STAFF_PASSWORD = "correct horse battery staple"


@pytest.fixture
def make_staff(app):
    """Factory: a staff account with password ``STAFF_PASSWORD`` (also on
    ``user.password``) and a TOTP secret (``user.totp_secret``), or an invited,
    not yet enrolled one. Returns the detached StaffUser."""
    from intake import passwords, second_factor
    from intake.models import StaffUser

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


def next_totp_code(app, user) -> str:
    """A code the app accepts now: the current step, or the next one if this
    account already used it (so two logins per 30 s; move a frozen clock for
    more). Never the previous step: it could expire between here and the check."""
    from intake import second_factor
    from intake.models import StaffUser

    with app.app_context():
        last = db.session.get(StaffUser, user.id).last_totp_step
    now = second_factor.current_step()
    step = now if last is None else max(now, last + 1)
    assert step <= now + 1, "this account used the codes of now and the next step: move the clock"
    return second_factor.code_for(user.totp_secret, step)


def post_login(client, user, code: str):
    """The staff login form filled in and sent: email, password and ``code``."""
    form = client.get("/staff/login")
    return client.post(
        "/staff/login",
        data={
            "csrf_token": csrf_token(form.text),
            "email": user.email,
            "password": user.password,
            "code": code,
        },
    )


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


def browser_login(page, user) -> None:
    """Log ``user`` in through the real login page in Chromium (password + TOTP)."""
    import pyotp

    page.goto(page.base + "/staff/login")
    page.get_by_label("Email").fill(user.email)
    page.get_by_label("Password").fill(user.password)
    page.get_by_label("Code from your authenticator app").fill(pyotp.TOTP(user.totp_secret).now())
    page.get_by_role("button", name="Log in").click()
    page.wait_for_url("**/staff/")


def assert_focused(page, element_id: str) -> None:
    """Focus moves after the page loads (autofocus, fragment): wait for it rather
    than reading it once, which races the browser on a busy machine."""
    page.wait_for_function(
        "id => document.activeElement && document.activeElement.id === id", arg=element_id
    )


@pytest.fixture
def axe_check():
    """``axe_check(page)``: fail on any WCAG 2.0/2.1/2.2 A or AA violation (tests/a11y.py)."""
    from tests.a11y import assert_accessible

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
    """A local SMTP server (tests/smtp_sink.py); ``sink.messages`` holds what it got."""
    from smtp_sink import SMTPSink

    server = SMTPSink()
    yield server
    server.stop()


@pytest.fixture
def world(app, make_staff, login_as, make_request, make_release, make_partner):
    """The attack suite's staff world (tests/attack_world.py)."""
    from attack_world import World

    return World(app, make_staff, login_as, make_request, make_release, make_partner)


NOTIFY = "intake-team@org.example"


@pytest.fixture
def mail_client(app, sink):
    """A client of the test app, which mails critical requests to NOTIFY through
    the sink."""
    app.config.update(
        STAFF_NOTIFY_EMAIL=NOTIFY,
        MAIL_SERVER="127.0.0.1",
        MAIL_PORT=sink.port,
        MAIL_FROM="noreply@org.example",
    )
    return app.test_client()
