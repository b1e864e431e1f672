"""The hardened surface: headers on every response, methods, hosts, proxies and
rate limits shared between workers through Redis."""

import os
import subprocess
import sys
import textwrap
import uuid

import pytest
import redis
from flask import abort, redirect, request

from tests.support.hardening import assert_hardened

REDIS_URI = os.environ.get("INTAKE_TEST_REDIS_URI", "redis://127.0.0.1:6379/15")


@pytest.fixture
def surface_app(app_factory):
    """Test-only routes for the statuses no public route gives yet."""
    test_app = app_factory(PROPAGATE_EXCEPTIONS=False, MAX_CONTENT_LENGTH=1024)
    add_status_routes(test_app)
    return test_app


def add_status_routes(test_app):
    @test_app.get("/test/redirect")
    def go():
        return redirect("/")

    @test_app.get("/test/forbidden")
    def forbidden():
        abort(403)

    @test_app.get("/test/boom")
    def boom():
        raise RuntimeError("kaboom")

    @test_app.post("/test/echo-client")
    def echo_client():
        return f"{request.remote_addr} {request.scheme} {request.host}"


STATUS_REQUESTS = (
    ("GET", "/", {}, 200),
    ("GET", "/help", {}, 200),
    ("GET", "/test/redirect", {}, 302),
    ("GET", "/?q=%00", {}, 400),
    ("POST", "/test/echo-client", {}, 403),  # no CSRF token
    ("GET", "/test/forbidden", {}, 403),
    ("GET", "/no-such-page", {}, 404),
    ("POST", "/healthz", {}, 405),
    ("POST", "/test/echo-client", {"data": {"x": "y" * 4096}}, 413),
    ("GET", "/test/boom", {}, 500),
    ("TRACE", "/", {}, 501),
)


@pytest.mark.parametrize(("method", "path", "kwargs", "status"), STATUS_REQUESTS)
def test_headers_on_every_status(surface_app, method, path, kwargs, status):
    response = surface_app.test_client().open(path, method=method, **kwargs)
    assert response.status_code == status
    assert_hardened(response)


def test_hsts_on_every_status_in_production(app_factory):
    prod = app_factory(PRODUCTION=True, PROPAGATE_EXCEPTIONS=False, MAX_CONTENT_LENGTH=1024)
    add_status_routes(prod)
    client = prod.test_client()
    for method, path, kwargs, status in STATUS_REQUESTS:
        response = client.open(path, method=method, **kwargs)
        assert response.status_code == status, path
        assert_hardened(response, production=True)


def test_static_files_keep_their_caching(client):
    with client.get("/static/css/site.css") as response:
        assert response.status_code == 200
        assert "no-store" not in response.headers.get("Cache-Control", "")
        assert response.headers["X-Content-Type-Options"] == "nosniff"
        # Loaded by the oEmbed card inside WordPress's sandbox (an opaque origin):
        # see intake.public.embed.FRAME_ASSETS; other files stay same-origin (test_embed).
        assert response.headers["Cross-Origin-Resource-Policy"] == "cross-origin"


@pytest.mark.parametrize("method", ["TRACE", "TRACK", "CONNECT", "PUT", "DELETE", "PROPFIND"])
def test_methods_a_form_site_never_needs_are_refused(client, method):
    response = client.open("/", method=method, headers={"Cookie": "session=secret-cookie"})
    assert response.status_code == 501
    body = response.get_data(as_text=True)
    assert "secret-cookie" not in body and method not in body
    assert_hardened(response)


def test_options_answers_only_the_allowed_methods(client):
    response = client.options("/")
    assert response.status_code == 200
    assert set(response.headers["Allow"].split(", ")) == {"GET", "HEAD", "OPTIONS"}
    assert response.get_data() == b""
    assert_hardened(response)


def test_untrusted_host_gets_400(app_factory):
    guarded = app_factory(TRUSTED_HOSTS=["help.example.org"])
    client = guarded.test_client()
    good = client.get("/help", headers={"Host": "help.example.org"})
    assert good.status_code == 200
    bad = client.get("/help", headers={"Host": "evil.example.com"})
    assert bad.status_code == 400
    assert "evil.example.com" not in bad.get_data(as_text=True)
    assert_hardened(bad)


def test_trusted_hosts_from_the_environment(app_factory, monkeypatch):
    monkeypatch.setenv("INTAKE_TRUSTED_HOSTS", "help.example.org, .example.net")
    guarded = app_factory()
    assert guarded.config["TRUSTED_HOSTS"] == ["help.example.org", ".example.net"]
    client = guarded.test_client()
    assert client.get("/help", headers={"Host": "www.example.net"}).status_code == 200
    # A plain string would have let every host made of those letters through.
    assert client.get("/help", headers={"Host": "e.org"}).status_code == 400


@pytest.mark.parametrize(("hops", "expected"), [(0, "127.0.0.1 http"), (1, "203.0.113.9 https")])
def test_proxy_fix_only_when_configured(app_factory, hops, expected):
    behind = app_factory(PROXY_FIX=hops, WTF_CSRF_ENABLED=False)
    add_status_routes(behind)
    response = behind.test_client().post(
        "/test/echo-client",
        headers={"X-Forwarded-For": "203.0.113.9", "X-Forwarded-Proto": "https"},
    )
    assert response.get_data(as_text=True).startswith(expected)


# --- Rate limits shared through Redis ------------------------------------------

WORKER = textwrap.dedent(
    """
    import sys
    from tests.support.apps import make_test_app
    from intake.limits import limiter

    app = make_test_app(sys.argv[1], RATELIMIT_ENABLED=True,
                        RATELIMIT_STORAGE_URI=sys.argv[2], RATELIMIT_KEY_PREFIX=sys.argv[3])

    @app.get("/test/limited")
    @limiter.limit("3 per minute")
    def limited():
        return "ok"

    client = app.test_client()
    print(" ".join(str(client.get("/test/limited").status_code) for _ in range(int(sys.argv[4]))))
    """
)


def run_worker(database_uri, storage, prefix, requests):
    """One worker: a separate process with its own app and its own limiter."""
    result = subprocess.run(
        [sys.executable, "-c", WORKER, database_uri, storage, prefix, str(requests)],
        capture_output=True,
        text=True,
        check=True,
        timeout=60,
    )
    return result.stdout.split()


@pytest.fixture
def redis_prefix():
    """A key prefix of our own in the test database; only those keys are removed.
    Redis must answer: CI sets INTAKE_TEST_REDIS_URI, and this fails, not skips."""
    connection = redis.Redis.from_url(REDIS_URI)
    connection.ping()
    prefix = f"intake-test-{uuid.uuid4().hex}"
    yield prefix
    for key in connection.scan_iter(f"*{prefix}*"):
        connection.delete(key)


def test_two_workers_share_one_limit_through_redis(app, database_uri, redis_prefix):
    assert run_worker(database_uri, REDIS_URI, redis_prefix, 2) == ["200", "200"]
    assert run_worker(database_uri, REDIS_URI, redis_prefix, 2) == ["200", "429"]
    keys = list(redis.Redis.from_url(REDIS_URI).scan_iter(f"*{redis_prefix}*"))
    assert keys, "the counter lives in Redis under our prefix"
    # Control: the same worker with in-memory counters starts from zero.
    assert run_worker(database_uri, "memory://", redis_prefix, 1) == ["200"]


def test_storage_uri_comes_from_the_environment(app_factory, monkeypatch):
    monkeypatch.setenv("INTAKE_RATELIMIT_STORAGE_URI", REDIS_URI)
    assert app_factory().config["RATELIMIT_STORAGE_URI"] == REDIS_URI


def test_limits_are_checked_by_their_views_alone(app_factory):
    """Every limit is a view decorator, so the extension's before-request check
    (for default, application and blueprint limits, none of which we use) is
    unhooked; the form's limit still holds (see also the 429 tests of the form,
    login, embed and the Redis-shared limit)."""
    from intake.limits import limiter

    limited = app_factory(RATELIMIT_ENABLED=True, HELP_RATE_LIMIT="1 per minute")
    assert limiter._check_request_limit not in limited.before_request_funcs[None]
    client = limited.test_client()
    codes = [client.post("/help/submit", data={}).status_code for _ in range(2)]
    assert codes[1] == 429, codes
