"""How the app connects to PostgreSQL (intake.db): a bounded connect wait, and
every statement planned for its own values."""

import pytest
from flask import Flask
from sqlalchemy import make_url, text

from intake import db as intake_db
from intake.db import db

PG = "postgresql+psycopg://postgres@127.0.0.1:5432/anything"


def configured(uri: str, **config) -> dict:
    app = Flask(__name__)
    app.config.update(SQLALCHEMY_DATABASE_URI=uri, DATABASE_CONNECT_TIMEOUT=7, **config)
    intake_db._bound_connect_wait(app)
    return app.config.get("SQLALCHEMY_ENGINE_OPTIONS") or {}


def test_postgresql_connections_time_out_and_plan_for_their_own_values():
    args = configured(PG)["connect_args"]
    assert args == {"options": "-c plan_cache_mode=force_custom_plan", "connect_timeout": 7}


def test_a_connect_timeout_in_the_uri_wins_and_other_options_are_kept():
    options = configured(
        PG + "?connect_timeout=3",
        SQLALCHEMY_ENGINE_OPTIONS={
            "pool_pre_ping": True,
            "connect_args": {"application_name": "x"},
        },
    )
    assert options["pool_pre_ping"] is True
    assert options["connect_args"] == {
        "options": "-c plan_cache_mode=force_custom_plan",
        "application_name": "x",
    }


def test_sqlite_is_left_alone():
    assert configured("sqlite:///:memory:") == {}


def test_the_test_database_plans_each_statement_for_its_values(app, database_uri):
    """psycopg prepares a statement after five runs; without this, PostgreSQL then
    plans it once for any date range (measured: report queries 10x slower)."""
    if make_url(database_uri).get_backend_name() != "postgresql":
        pytest.skip("a PostgreSQL setting (INTAKE_TEST_DATABASE_URI)")
    with app.app_context():
        assert db.session.execute(text("SHOW plan_cache_mode")).scalar() == "force_custom_plan"
