"""Test apps share what only costs time to build again (tests/support/apps.py):
the engine of a database with the same options, and werkzeug's URL builders.
Never rows, and never an engine with other options."""

from flask import url_for

from intake.db import db
from tests.support.apps import make_test_app


def engine_of(app):
    with app.app_context():
        return db.engine


def test_apps_on_one_database_with_the_same_options_share_an_engine(app, database_uri):
    assert engine_of(make_test_app(database_uri)) is engine_of(app)


def test_other_engine_options_or_a_database_in_memory_get_an_engine_of_their_own(app, database_uri):
    other_options = make_test_app(database_uri, SQLALCHEMY_ENGINE_OPTIONS={"pool_recycle": 7})
    assert engine_of(other_options) is not engine_of(app)
    assert engine_of(other_options).pool._recycle == 7
    first = make_test_app("sqlite://")
    second = make_test_app("sqlite://")
    assert engine_of(first) is not engine_of(second)


def test_a_shared_engine_keeps_no_connection_after_its_test(app, client):
    client.get("/help")
    engine = engine_of(app)
    with app.app_context():
        db.session.remove()
        engine.dispose()
    assert engine.pool.checkedout() == 0
    assert client.get("/help").status_code == 200  # disposed, not closed for good


def test_shared_url_builders_build_each_apps_own_urls(app):
    other = make_test_app(app.config["SQLALCHEMY_DATABASE_URI"], APPLICATION_ROOT="/x")
    for each, root in ((app, ""), (other, "/x")):
        with each.test_request_context(base_url=f"http://localhost{root}"):
            assert url_for("screening.sent", key="k1") == f"{root}/help/sent/k1"
            assert url_for("screening.sent", key="k1", page=2) == f"{root}/help/sent/k1?page=2"
            assert url_for("static", filename="a b.css") == f"{root}/static/a%20b.css"
