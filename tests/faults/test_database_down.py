"""The database goes away under a real gunicorn server, then comes back.

On PostgreSQL the app reaches the database through a TCP proxy the test can cut
(port closed, connections reset) or black-hole (connections accepted, never
answered): public pages answer 503 with the clear page and Retry-After, within
the connect timeout; a posted form comes back with every answer and nothing is
stored; /readyz says so while /healthz does not; and the same server recovers
on its own. On SQLite, where a locked database is the realistic fault, the test
holds the write lock past the busy timeout."""

import re
import sqlite3
import time

import pytest
from sqlalchemy import make_url

from tests.support.servers import (
    ANSWERS,
    Gunicorn,
    TcpProxy,
    form_token,
    fresh_database,
    get,
    is_postgres,
    keeps_answers,
    post,
    production_env,
    stored_reference,
    stored_requests,
    submit,
)

# Seconds the app waits for a PostgreSQL connection before answering 503.
CONNECT_TIMEOUT = 2
# intake.db's SQLite busy timeout (PRAGMA busy_timeout=5000).
SQLITE_BUSY_SECONDS = 5
# Slack on a loaded 2-core machine, on top of the timeout itself.
SLACK = 3


@pytest.fixture
def database(tmp_path):
    with fresh_database(tmp_path) as uri:
        yield uri


def release_slug(base_url: str) -> str:
    match = re.search(r'href="/press/([a-z0-9-]+)"', get(base_url + "/").text)
    assert match, "no release linked from the home page"
    return match.group(1)


def assert_unavailable_page(response, within: float) -> None:
    assert response.status == 503, response.status
    assert response.headers["retry-after"] == "30"
    assert "Sorry, the service is unavailable" in response.text
    assert "try again" in response.text
    assert response.seconds < within, f"503 took {response.seconds:.1f} s"


def assert_answers_kept(response, data: dict, within: float) -> None:
    """A 503 that shows the person's answers back, says to try again, and
    carries the same token (so the retry cannot make a second request)."""
    assert response.status == 503, response.status
    assert response.seconds < within, f"503 took {response.seconds:.1f} s"
    assert "try again" in response.text
    assert keeps_answers(response.text, {**data, "csrf_token": data["csrf_token"]}) == []


def submit_once_recovered(base_url: str, data: dict, uri: str) -> None:
    """The same resubmission, after recovery, stores exactly one request."""
    first = submit(base_url + "/help/submit", data)
    assert first.status == 200, first.status
    again = submit(base_url + "/help/submit", data)
    assert stored_reference(again.text) == stored_reference(first.text)
    assert [ref for ref, _ in stored_requests(uri)] == [stored_reference(first.text)]


def test_postgres_down_then_back(database, tmp_path):
    """PostgreSQL only (runs in CI's PostgreSQL pass): the proxy stands for the
    network path to the database server."""
    if not is_postgres(database):
        pytest.skip("needs PostgreSQL (INTAKE_TEST_DATABASE_URI); SQLite: see the lock test")
    url = make_url(database)
    proxy = TcpProxy(url.port or 5432, url.host or "127.0.0.1")
    through_proxy = url.set(host="127.0.0.1", port=proxy.port).render_as_string(False)
    env = production_env(
        through_proxy, HELP_RATE_LIMIT="100 per minute", DATABASE_CONNECT_TIMEOUT=CONNECT_TIMEOUT
    )
    try:
        with Gunicorn(env, tmp_path / "gunicorn.log").start() as server:
            base = server.url
            slug = release_slug(base)
            data = {**ANSWERS, "csrf_token": _token(base)}
            assert post(base + "/help/check", data).status == 200

            proxy.cut("refuse")
            for path in ("/", f"/press/{slug}", f"/help?from={slug}"):
                assert_unavailable_page(get(base + path), within=SLACK)
            assert get(base + "/readyz").status == 503
            assert get(base + "/healthz").status == 200
            # The form itself needs no database: it still opens, so answers can be typed.
            assert get(base + "/help").status == 200
            assert_answers_kept(post(base + "/help/check", data), data, within=SLACK)
            assert_answers_kept(post(base + "/help/submit", data), data, within=SLACK)

            # A black hole: only the connect timeout ends the wait.
            proxy.cut("hang")
            assert_unavailable_page(get(base + "/"), within=CONNECT_TIMEOUT + SLACK)
            assert get(base + "/readyz").status == 503
            submit = post(base + "/help/submit", data)
            assert_answers_kept(submit, data, within=CONNECT_TIMEOUT + SLACK)

            proxy.restore()
            assert stored_requests(database) == []
            assert get(base + "/readyz").status == 200  # the same server, no restart
            for path in ("/", f"/press/{slug}"):
                assert get(base + path).status == 200
            submit_once_recovered(base, data, database)
            assert server.process.poll() is None
    finally:
        proxy.close()


def test_sqlite_locked_past_the_busy_timeout(database, tmp_path):
    """A writer holding SQLite's lock (a long maintenance command, a backup tool)
    past the busy timeout: the submission answers 503 with the answers kept and
    nothing stored; readers are not blocked (WAL), so the pages stay up."""
    if is_postgres(database):
        pytest.skip("SQLite's lock; on PostgreSQL the outage test covers this")
    env = production_env(database, HELP_RATE_LIMIT="100 per minute")
    path = make_url(database).database
    with Gunicorn(env, tmp_path / "gunicorn.log").start() as server:
        base = server.url
        data = {**ANSWERS, "csrf_token": _token(base)}
        locker = sqlite3.connect(path, isolation_level=None)
        try:
            locker.execute("BEGIN IMMEDIATE")  # the write lock, held
            started = time.monotonic()
            submit = post(base + "/help/submit", data)
            assert submit.seconds >= SQLITE_BUSY_SECONDS - 0.5, "did not wait for the lock"
            assert_answers_kept(submit, data, within=SQLITE_BUSY_SECONDS + SLACK)
            assert "We could not save your request" in submit.text
            assert time.monotonic() - started < SQLITE_BUSY_SECONDS + SLACK
            for page in ("/", "/help", "/readyz"):
                assert get(base + page).status == 200
            assert locker.execute("SELECT count(*) FROM help_request").fetchone() == (0,)
        finally:
            locker.execute("ROLLBACK")
            locker.close()
        submit_once_recovered(base, data, database)


def _token(base_url: str) -> str:
    return form_token(get(base_url + "/help").text)


@pytest.mark.parametrize(
    ("step", "page"), [("/help", "form"), ("/help/check", "form"), ("/help/submit", "check")]
)
def test_every_step_of_the_form_keeps_the_answers_when_the_database_is_gone(tmp_path, step, page):
    """Without a server: the same guarantee on either suite pass, each step of
    the form posted to an app whose database cannot be opened."""
    from tests.support.apps import make_test_app

    gone = f"sqlite:///{tmp_path}/missing-folder/db.sqlite3"
    client = make_test_app(gone, PROPAGATE_EXCEPTIONS=False).test_client()
    token = form_token(client.get("/help").get_data(as_text=True))
    data = {**ANSWERS, "csrf_token": token, "from": "a-release"}
    response = client.post(step, data=data)
    text = response.get_data(as_text=True)
    assert response.status_code == 503 and response.headers["Retry-After"] == "30"
    assert "Nothing was sent. Your answers are still here: please try again in a minute." in text
    assert keeps_answers(text, data) == []
    expected = "Check your answers" if page == "check" else "Sorry, the service is unavailable"
    assert expected in text


@pytest.mark.parametrize(
    ("step", "page"),
    [("/embed/help", "form"), ("/embed/help/check", "form"), ("/embed/help/submit", "check")],
)
def test_a_framed_step_keeps_the_answers_inside_the_frame_when_the_database_goes(
    tmp_path, step, page
):
    """The partner's frame still shows the 503 with the answers (its
    frame-ancestors from the partner this process last saw), not a page the
    browser would refuse to frame."""
    from intake.db import db
    from intake.models import Partner
    from tests.support.apps import make_test_app

    folder = tmp_path / "data"
    folder.mkdir()
    app = make_test_app(f"sqlite:///{folder}/db.sqlite3", PROPAGATE_EXCEPTIONS=False)
    with app.app_context():
        db.create_all()
        partner = Partner(name="Press site", origins="https://press.example.org")
        db.session.add(partner)
        db.session.commit()
        key = partner.key
    client = app.test_client()
    token = form_token(client.get(f"/embed/help?partner={key}").get_data(as_text=True))
    with app.app_context():
        db.engine.dispose()
    folder.rename(tmp_path / "gone")  # the database file can no longer be opened

    data = {**ANSWERS, "csrf_token": token}
    headers = {"Origin": "http://localhost", "Sec-Fetch-Site": "same-origin"}
    response = client.post(f"{step}?partner={key}", data=data, headers=headers)
    text = response.get_data(as_text=True)
    assert response.status_code == 503 and response.headers["Retry-After"] == "30"
    policy = response.headers["Content-Security-Policy"]
    assert "frame-ancestors https://press.example.org" in policy
    assert "X-Frame-Options" not in response.headers
    assert keeps_answers(text, data) == []
    assert f"?partner={key}" in text  # the next step stays in the frame
    expected = "Check your answers" if page == "check" else "Sorry, the service is unavailable"
    assert expected in text

    # An unknown key is not guessed from memory: the site's refusal to frame stands.
    other = client.post(step + "?partner=unknown", data=data, headers=headers)
    assert (
        other.status_code == 503
        and "frame-ancestors 'none'" in other.headers["Content-Security-Policy"]
    )
