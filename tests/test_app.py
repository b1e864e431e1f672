"""The app factory, configuration layers, security headers, errors and health."""

import pytest
from flask import abort

from intake import create_app
from intake.db import db
from intake.hardening import CONTENT_SECURITY_POLICY
from tests.support.apps import TEST_KEYS, make_test_app


def assert_security_headers(response):
    csp = response.headers["Content-Security-Policy"]
    assert csp == CONTENT_SECURITY_POLICY
    for part in (
        "default-src 'self'",
        "frame-ancestors 'none'",
        "base-uri 'none'",
        "form-action 'self'",
        "object-src 'none'",
    ):
        assert part in csp
    assert "unsafe-inline" not in csp
    assert response.headers["X-Frame-Options"] == "DENY"
    assert response.headers["X-Content-Type-Options"] == "nosniff"
    assert response.headers["Referrer-Policy"] == "same-origin"


@pytest.fixture
def failing_app(app_factory):
    app = app_factory(PROPAGATE_EXCEPTIONS=False)

    @app.get("/boom")
    def boom():
        raise RuntimeError("kaboom")

    @app.get("/forbidden")
    def forbidden():
        abort(403)

    yield app
    with app.app_context():  # close its pooled connections now, not at garbage collection
        db.engine.dispose()


def test_headers_on_200_404_and_500(failing_app):
    client = failing_app.test_client()
    for path, status in (("/", 200), ("/no-such-page", 404), ("/boom", 500), ("/forbidden", 403)):
        response = client.get(path)
        assert response.status_code == status, path
        assert_security_headers(response)
    body = client.get("/boom").get_data(as_text=True)
    assert "Sorry, something went wrong" in body and "kaboom" not in body


def test_405_names_allowed_methods(client):
    response = client.post("/healthz")
    assert response.status_code == 405
    assert "GET" in response.headers["Allow"]


def test_hsts_only_in_production(database_uri):
    plain = make_test_app(database_uri).test_client().get("/healthz")
    assert "Strict-Transport-Security" not in plain.headers
    prod = make_test_app(database_uri, PRODUCTION=True).test_client().get("/healthz")
    assert prod.headers["Strict-Transport-Security"].startswith("max-age=")


def test_production_without_secret_key_refuses_to_start(tmp_path, monkeypatch):
    monkeypatch.delenv("INTAKE_SECRET_KEY", raising=False)
    with pytest.raises(RuntimeError, match="SECRET_KEY"):
        create_app({"PRODUCTION": True, "AUTO_MIGRATE": False}, instance_path=str(tmp_path))


def test_development_key_is_generated_once_and_kept(tmp_path, monkeypatch):
    monkeypatch.delenv("INTAKE_SECRET_KEY", raising=False)
    config = {"AUTO_MIGRATE": False}
    first = create_app(config, instance_path=str(tmp_path))
    second = create_app(config, instance_path=str(tmp_path))
    assert len(first.config["SECRET_KEY"]) == 64
    assert first.config["SECRET_KEY"] == second.config["SECRET_KEY"]
    assert (tmp_path / "secret_key").stat().st_mode & 0o077 == 0
    assert first.config["SQLALCHEMY_DATABASE_URI"] == f"sqlite:///{tmp_path}/intake.sqlite3"


def test_configuration_layers(tmp_path, monkeypatch):
    (tmp_path / "config.py").write_text(
        "ORGANISATION_NAME = 'From instance'\nQUICK_EXIT_URL = 'https://instance.example'\n"
    )
    monkeypatch.setenv("INTAKE_QUICK_EXIT_URL", "https://env.example")
    app = create_app({**TEST_KEYS, "AUTO_MIGRATE": False}, instance_path=str(tmp_path))
    assert app.config["ORGANISATION_NAME"] == "From instance"
    assert app.config["QUICK_EXIT_URL"] == "https://env.example"


def test_first_start_migrates_and_seeds(tmp_path, monkeypatch):
    monkeypatch.delenv("INTAKE_SQLALCHEMY_DATABASE_URI", raising=False)
    app = create_app({**TEST_KEYS}, instance_path=str(tmp_path))
    response = app.test_client().get("/")
    assert response.status_code == 200
    assert "Russian Delegation Visit to Syria" in response.get_data(as_text=True)
    # A second start neither fails nor seeds twice.
    again = create_app({**TEST_KEYS}, instance_path=str(tmp_path))
    assert again.test_client().get("/").get_data(as_text=True).count("Russian Delegation") == 1


def test_sqlite_is_durable_and_concurrent(tmp_path):
    from sqlalchemy import text

    from intake.db import db

    app = make_test_app(f"sqlite:///{tmp_path}/pragmas.sqlite3")
    with app.app_context(), db.engine.connect() as conn:
        assert conn.execute(text("PRAGMA journal_mode")).scalar() == "wal"
        assert conn.execute(text("PRAGMA synchronous")).scalar() == 2  # FULL
        assert conn.execute(text("PRAGMA busy_timeout")).scalar() == 5000
        assert conn.execute(text("PRAGMA secure_delete")).scalar() == 1


def test_healthz(client):
    response = client.get("/healthz")
    assert response.status_code == 200 and response.json == {"status": "ok"}


def test_readyz_when_database_answers(client):
    response = client.get("/readyz")
    assert response.status_code == 200 and response.json == {"status": "ready"}


def test_database_gone_gives_503_not_a_traceback(tmp_path):
    gone = f"sqlite:///{tmp_path}/missing-folder/db.sqlite3"
    app = create_app(
        {
            **TEST_KEYS,
            "AUTO_MIGRATE": False,
            "SQLALCHEMY_DATABASE_URI": gone,
            "PROPAGATE_EXCEPTIONS": False,
        },
        instance_path=str(tmp_path),
    )
    client = app.test_client()
    ready = client.get("/readyz")
    assert ready.status_code == 503 and ready.json == {"status": "database unavailable"}
    assert client.get("/healthz").status_code == 200
    for path in ("/", "/press/anything"):
        response = client.get(path)
        assert response.status_code == 503
        assert "try again" in response.get_data(as_text=True)
        assert response.headers["Retry-After"] == "30"
        assert_security_headers(response)
