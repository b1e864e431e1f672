"""Nothing that showed a reference is lost, nothing is stored twice, when the
whole server dies mid-load.

Client threads walk the public form (GET /help → check → submit) against
gunicorn in its production configuration while the test SIGKILLs the master
and every worker at random moments, several times, and starts it again. Like a
browser resubmitting, a client whose request failed on the connection posts
the same answers with the same token until it gets a confirmation: that must
be the request it already made (if the first attempt was committed) or a new
one, never a second. Runs on the suite's database: SQLite (WAL,
synchronous=FULL) or, in CI's second pass, PostgreSQL."""

import random
import sqlite3
import threading
import time

import pytest
from sqlalchemy import make_url

from tests.support.servers import (
    Gunicorn,
    filled_form,
    fresh_database,
    is_postgres,
    post,
    production_env,
    stored_reference,
    stored_requests,
    submit,
)

CLIENTS = 6
KILLS = 3
# Confirmations to wait for after each (re)start, before the next kill.
BETWEEN_KILLS = 4
# Seconds a client may keep retrying one submission (the server restarts meanwhile).
PATIENCE = 60


@pytest.fixture
def database(tmp_path):
    with fresh_database(tmp_path) as uri:
        yield uri


class Client(threading.Thread):
    """Submits one request after another until told to stop; records the
    reference each token got, and how often a kill cut a request in flight."""

    def __init__(self, number: int, base_url: str, stop: threading.Event):
        super().__init__(daemon=True)
        self.number, self.base_url, self.stop = number, base_url, stop
        self.references: dict[str, str] = {}  # token → reference shown
        self.cut_in_flight = 0  # connection failures other than "refused" (server down)
        self.unexpected: list[str] = []

    def run(self):
        try:
            while not self.stop.is_set():
                self.submit_one(len(self.references))
        except Exception as exc:  # reported by the test, not lost in the thread
            self.unexpected.append(repr(exc))

    def persist(self, step):
        """``step()`` until it answers; a refused or cut connection is retried."""
        deadline = time.monotonic() + PATIENCE
        while True:
            try:
                return step()
            except OSError as exc:
                self.cut_in_flight += not isinstance(exc, ConnectionRefusedError)
                if time.monotonic() > deadline:
                    raise
                time.sleep(0.05)

    def submit_one(self, n: int) -> None:
        data = self.persist(
            lambda: filled_form(self.base_url, name=f"Client {self.number} request {n}")
        )
        check = self.persist(lambda: post(self.base_url + "/help/check", data))
        if check.status != 200:
            self.unexpected.append(f"check answered {check.status}")
            return
        done = self.persist(lambda: submit(self.base_url + "/help/submit", data))
        if done.status != 200:
            self.unexpected.append(f"submit answered {done.status}")
            return
        self.references[data["csrf_token"]] = stored_reference(done.text)


def wait_for_confirmations(clients, count: int) -> None:
    def confirmed() -> int:
        return sum(len(c.references) for c in clients)

    target, deadline = confirmed() + count, time.monotonic() + PATIENCE
    while confirmed() < target and time.monotonic() < deadline:
        time.sleep(0.05)


def test_every_reference_shown_survives_sigkill_and_none_is_stored_twice(database, tmp_path):
    seed = random.randrange(1_000_000)
    rng = random.Random(seed)
    server = Gunicorn(
        production_env(database, HELP_RATE_LIMIT="100000 per hour"), tmp_path / "gunicorn.log"
    )
    stop = threading.Event()
    clients = [Client(n, server.url, stop) for n in range(CLIENTS)]
    try:
        server.start()
        for client in clients:
            client.start()
        for _ in range(KILLS):
            # Under load (a few confirmations since the start), then at a random moment.
            wait_for_confirmations(clients, BETWEEN_KILLS)
            time.sleep(rng.uniform(0.0, 1.5))
            server.kill()
            time.sleep(rng.uniform(0.0, 0.5))
            server.start()
        wait_for_confirmations(clients, BETWEEN_KILLS)
        stop.set()
        for client in clients:
            client.join(PATIENCE + 10)
    finally:
        stop.set()
        server.stop()

    context = f"(random seed {seed})"
    assert not any(c.is_alive() for c in clients), f"a client never finished {context}"
    assert [u for c in clients for u in c.unexpected] == [], context
    shown = {token: ref for c in clients for token, ref in c.references.items()}
    assert len(shown) >= BETWEEN_KILLS * (KILLS + 1), context
    # The kills did land while requests were in flight, not only between them.
    assert sum(c.cut_in_flight for c in clients) > 0, context
    if not is_postgres(database):  # as configured by intake.db
        with sqlite3.connect(make_url(database).database) as conn:
            assert conn.execute("PRAGMA journal_mode").fetchone() == ("wal",)

    rows = stored_requests(database)
    keys = [key for _, key in rows]
    assert len(keys) == len(set(keys)), f"a submission stored twice {context}"
    stored = {reference for reference, _ in rows}
    lost = set(shown.values()) - stored
    assert not lost, f"{len(lost)} references shown but not stored {context}"
    # One row per token that was confirmed, and nothing else.
    assert len(set(shown.values())) == len(shown) == len(rows), context
