"""Two app servers, one PostgreSQL, one Redis: parallel submissions and racing
staff edits lose nothing and overwrite nothing, and the rate limit is one limit.

PostgreSQL only: it runs when INTAKE_TEST_DATABASE_URI is PostgreSQL (CI's
second pass, which also sets INTAKE_TEST_REDIS_URI); with SQLite it is skipped,
as several hosts sharing one database is a PostgreSQL deployment."""

import os
import re
import secrets
import threading
from concurrent.futures import ThreadPoolExecutor

import pytest
from sqlalchemy import create_engine, text

from tests.support.servers import (
    Gunicorn,
    filled_form,
    fresh_database,
    is_postgres,
    post,
    production_env,
    request,
    stored_reference,
    stored_requests,
)
from tests.support.servers import (
    submit as submit_form,
)
from tests.support.staff import STAFF_PASSWORD
from tests.support.tokens import csrf_token

SUBMISSIONS = 50
RACED = 10  # cases both staff members edit at once
TAKES = 5  # "take the next case" per staff member, at the same time
HELP_LIMIT = 5  # submissions per client address per minute, across both servers
CHEAP_ARGON2 = {"time_cost": 1, "memory_cost": 1024, "parallelism": 1}
STALE = "Someone else changed this case; reload"

pytestmark = pytest.mark.skipif(
    not is_postgres(os.environ.get("INTAKE_TEST_DATABASE_URI")),
    reason="two app hosts share one PostgreSQL: runs in the PostgreSQL pass "
    "(INTAKE_TEST_DATABASE_URI), which CI always runs",
)


@pytest.fixture
def redis_uri():
    uri = os.environ.get("INTAKE_TEST_REDIS_URI")
    if not uri:
        pytest.fail("the PostgreSQL pass needs INTAKE_TEST_REDIS_URI for the shared rate limit")
    prefix = f"intake-test-{secrets.token_hex(4)}"
    yield uri, prefix
    import redis

    client = redis.Redis.from_url(uri)
    for key in client.scan_iter(f"*{prefix}*"):
        client.delete(key)
    client.close()


@pytest.fixture
def database(tmp_path):
    with fresh_database(tmp_path) as uri:
        yield uri


def add_staff(uri: str, count: int) -> list[dict]:
    """Reviewers (they may assign) with a password and a second factor."""
    from intake.db import db
    from intake.models import StaffUser
    from intake.staff.accounts import passwords, second_factor
    from tests.support.apps import make_test_app

    app = make_test_app(uri, STAFF_ARGON2_PARAMETERS=CHEAP_ARGON2)
    people = []
    with app.app_context():
        for n in range(count):
            user = StaffUser(email=f"reviewer{n}@staff.example", role="reviewer")
            user.password_hash = passwords.hash_password(STAFF_PASSWORD)
            user.totp_secret = second_factor.new_secret()
            db.session.add(user)
            db.session.commit()
            people.append({"id": user.id, "email": user.email, "secret": user.totp_secret})
        db.session.remove()
        db.engine.dispose()
    return people


class StaffBrowser:
    """One staff member's browser on one server. Cookies are kept by hand:
    the production session cookie is Secure, which a cookie jar would not send
    back over the test's plain http."""

    def __init__(self, server: Gunicorn, person: dict, address: str):
        self.base = server.url
        self.person = person
        self.cookies: dict[str, str] = {}
        self.address = address

    def send(self, method: str, path: str, data: dict | None = None):
        headers = {"X-Forwarded-For": self.address}
        if self.cookies:
            headers["Cookie"] = "; ".join(f"{k}={v}" for k, v in self.cookies.items())
        response = request(method, self.base + path, data=data, headers=headers)
        for line in response.headers.get("set-cookie", "").splitlines():
            name, _, rest = line.partition("=")
            value = rest.split(";")[0]
            if value and "1970" not in rest:
                self.cookies[name.strip()] = value
            else:
                self.cookies.pop(name.strip(), None)
        assert response.status < 500, f"{method} {path}: {response.status}"
        return response

    def log_in(self) -> None:
        from intake.staff.accounts import second_factor

        form = self.send("GET", "/staff/login")
        done = self.send(
            "POST",
            "/staff/login",
            {
                "csrf_token": csrf_token(form.text),
                "email": self.person["email"],
                "password": STAFF_PASSWORD,
                "code": second_factor.code_for(self.person["secret"], second_factor.current_step()),
            },
        )
        assert done.status == 302 and "/staff/login" not in done.headers["location"]

    def open_case(self, reference: str) -> dict:
        """The case page's CSRF token and the version the page shows."""
        page = self.send("GET", f"/staff/cases/{reference}")
        assert page.status == 200
        version = re.search(r'name="version"[^>]*value="(\d+)"', page.text).group(1)
        return {"csrf_token": csrf_token(page.text), "version": version}

    def edit(self, reference: str, action: str, seen: dict, **fields) -> int:
        response = self.send("POST", f"/staff/cases/{reference}/{action}", {**seen, **fields})
        assert response.status in (302, 409), f"{action}: {response.status}"
        if response.status == 409:
            assert STALE in response.text  # told, not silently overwritten
        return response.status

    def take_next(self) -> str | None:
        queue = self.send("GET", "/staff/")
        response = self.send("POST", "/staff/take-next", {"csrf_token": csrf_token(queue.text)})
        assert response.status == 302
        match = re.search(r"/staff/cases/([0-9A-Z]+)$", response.headers["location"])
        return match.group(1) if match else None


def submit(server: Gunicorn, address: str) -> str:
    """The whole public flow from one client address; the reference shown."""
    headers = {"X-Forwarded-For": address}
    data = filled_form(server.url, headers=headers)
    assert post(server.url + "/help/check", data, headers=headers).status == 200
    done = submit_form(server.url + "/help/submit", data, headers=headers)
    assert done.status == 200, done.status
    return stored_reference(done.text)


def test_two_servers_share_one_database_and_one_rate_limit(database, redis_uri, tmp_path):
    uri, prefix = redis_uri
    env = production_env(
        database,
        RATELIMIT_STORAGE_URI=uri,
        RATELIMIT_KEY_PREFIX=prefix,
        HELP_RATE_LIMIT=f"{HELP_LIMIT} per minute",
        PROXY_FIX=1,  # clients are told apart by X-Forwarded-For, as behind a proxy
        STAFF_ARGON2_PARAMETERS=CHEAP_ARGON2,
    )
    people = add_staff(database, 2)
    servers = [Gunicorn(env, tmp_path / f"gunicorn{n}.log") for n in range(2)]
    try:
        with ThreadPoolExecutor(2) as pool:
            list(pool.map(lambda server: server.start(), servers))
        run_the_day(servers, people, database)
        assert_rate_limit_is_shared(servers, database)
    finally:
        for server in servers:
            server.stop()


def run_the_day(servers, people, database) -> None:
    def submit_nth(n: int) -> str:  # a client address of its own, alternating servers
        return submit(servers[n % 2], f"10.0.{n // 200}.{n % 200 + 1}")

    with ThreadPoolExecutor(8) as pool:
        raced = list(pool.map(submit_nth, range(RACED)))
    staff = [StaffBrowser(servers[n], people[n], f"192.0.2.{n + 1}") for n in range(2)]
    for browser in staff:
        browser.log_in()
    # Both open every raced case (so both saw the same version), then act at
    # once: one moves each to "in review", the other assigns each to themselves;
    # then both take next cases. Meanwhile both add notes and the other 40
    # submissions arrive.
    seen = [{ref: browser.open_case(ref) for ref in raced} for browser in staff]
    edits = (
        ("status", {"status": "in_review", "reason": ""}),
        ("assign", {"assignee": str(people[1]["id"])}),
    )
    start = threading.Barrier(2)

    def desk(n: int) -> tuple[dict[str, int], list[str]]:
        action, fields = edits[n]
        start.wait()
        # Opposite orders: each wins some cases outright, and they meet in the middle.
        order = raced if n == 0 else raced[::-1]
        codes = {ref: staff[n].edit(ref, action, seen[n][ref], **fields) for ref in order}
        return codes, [staff[n].take_next() for _ in range(TAKES)]

    def add_notes(browser) -> int:
        for ref in raced[:3]:
            token = browser.open_case(ref)["csrf_token"]
            browser.edit(ref, "notes", {"csrf_token": token}, text="x")
        return 3

    with ThreadPoolExecutor(12) as pool:
        desks = [pool.submit(desk, n) for n in range(2)]
        notes = [pool.submit(add_notes, browser) for browser in staff]
        later = list(pool.map(submit_nth, range(RACED, SUBMISSIONS)))
        (status_codes, taken_by_0), (assign_codes, taken_by_1) = (d.result() for d in desks)
        notes_added = sum(n.result() for n in notes)

    submitted = raced + later
    rows = dict(stored_requests(database))
    assert len(set(submitted)) == SUBMISSIONS == len(rows) and set(rows) == set(submitted)
    assert len(set(rows.values())) == SUBMISSIONS

    status_won = {ref for ref, code in status_codes.items() if code == 302}
    assign_won = {ref for ref, code in assign_codes.items() if code == 302}
    # Each raced case: one edit applied, the other refused with 409, never both.
    assert status_won.isdisjoint(assign_won) and status_won | assign_won == set(raced)
    takers = {ref: people[0]["id"] for ref in taken_by_0} | {
        ref: people[1]["id"] for ref in taken_by_1
    }
    assert None not in takers and len(takers) == 2 * TAKES  # nobody was given a taken case

    state, events, changes, notes_stored = final_state(database)
    for ref, taker in takers.items():
        assert state[ref][1] == taker
    for ref in raced:
        # What the winner set, with the taker (if any) on top; the version counts
        # every applied change, so none was lost.
        expected = ("in_review", takers.get(ref)) if ref in status_won else ("new", people[1]["id"])
        assert state[ref] == (*expected, 2 + (ref in takers)), ref
    assert status_won and assign_won
    assert changes == len(status_won) == events.get("case.status")
    assert events.get("case.assign") == len(assign_won)
    assert events.get("case.take") == len(takers)
    assert notes_stored == notes_added == events.get("case.note") == 6


def final_state(database):
    """Per reference (status, assignee, version); audit counts per action; the
    number of status changes and of notes."""
    engine = create_engine(database)
    try:
        with engine.connect() as conn:
            rows = conn.execute(
                text("SELECT reference, status, assignee_id, version FROM help_request")
            )
            state = {ref: (status, assignee, version) for ref, status, assignee, version in rows}
            events = dict(
                conn.execute(text("SELECT action, count(*) FROM audit_event GROUP BY action")).all()
            )
            changes = conn.execute(text("SELECT count(*) FROM case_status_change")).scalar()
            notes = conn.execute(text("SELECT count(*) FROM case_note")).scalar()
    finally:
        engine.dispose()
    return state, events, changes, notes


def assert_rate_limit_is_shared(servers, database) -> None:
    """One client alternating between the servers is limited after HELP_LIMIT
    submissions in all, not HELP_LIMIT on each."""
    before = len(stored_requests(database))
    statuses = []
    for n in range(HELP_LIMIT + 2):
        server = servers[n % 2]
        headers = {"X-Forwarded-For": "203.0.113.9"}
        data = filled_form(server.url, headers=headers)
        statuses.append(submit_form(server.url + "/help/submit", data, headers=headers).status)
    assert statuses == [200] * HELP_LIMIT + [429, 429]
    assert len(stored_requests(database)) == before + HELP_LIMIT
