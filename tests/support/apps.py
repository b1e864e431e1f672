"""Apps on the test database, with test keys; what is really stored, seen from
outside the app."""

from sqlalchemy import create_engine, text

from intake import create_app
from intake.db import db

TEST_KEYS = {
    "SECRET_KEY": "test-secret-key-not-for-production",
    "ENCRYPTION_KEYS": "su20xohi1vgeHqJtSnqpew6O-qSJPQwF8JwHKiMrqNQ=",
    "LOOKUP_KEY": "test-lookup-key",
    "CONFLICT_KEY": "test-conflict-key",
    "STATUS_CODE_KEY": "test-status-code-key",
}

PRODUCTION_SITE = {
    "TRUSTED_HOSTS": ["localhost", "127.0.0.1"],
    "PUBLIC_BASE_URL": "http://localhost",
}

# Every app made here, for conftest's autouse fixture to dispose of its engine
# after the test, so no connection outlives its test.
apps_to_close = []


def make_test_app(database_uri, **overrides):
    config = {
        "TESTING": True,
        "AUTO_MIGRATE": False,
        "SQLALCHEMY_DATABASE_URI": database_uri,
        "RATELIMIT_ENABLED": False,
        # Cheap Argon2id: tests log in often (the defaults take ~0.3 s per check).
        "STAFF_ARGON2_PARAMETERS": {"time_cost": 1, "memory_cost": 1024, "parallelism": 1},
        # Cheap scrypt for the conflict index (production: 2**14).
        "CONFLICT_HASH_COST": 10,
        # Production refuses to start without it; "none" says there is none on purpose.
        "HELPLINE_PHONE": "none",
        **TEST_KEYS,
        # Production refuses to start without these; a test of that passes None.
        **(PRODUCTION_SITE if overrides.get("PRODUCTION") else {}),
        **overrides,
    }
    app = create_app(config)
    apps_to_close.append(app)
    return app


def scratch_app(tmp_path):
    """An app on an empty SQLite file of its own, for migrations to build."""
    return create_app(
        {
            **TEST_KEYS,
            "SQLALCHEMY_DATABASE_URI": f"sqlite:///{tmp_path}/m.sqlite3",
            "AUTO_MIGRATE": False,
            "SEED_RELEASE": False,
        },
        instance_path=str(tmp_path),
    )


def empty_tables(app):
    with app.app_context():
        db.session.remove()
        with db.engine.begin() as conn:
            for table in reversed(db.metadata.sorted_tables):
                conn.execute(table.delete())
        db.engine.dispose()


def raw_engine(uri):
    """An engine outside the app, to look at what is really stored."""
    return create_engine(uri)


def stored_words(uri, table: str) -> str:
    """Every value of every row of ``table`` as stored, in one string."""
    engine = raw_engine(uri)
    try:
        with engine.connect() as conn:
            rows = conn.execute(text(f"SELECT * FROM {table}"))  # noqa: S608 - a test's own table name
            return " ".join(str(value) for row in rows for value in row)
    finally:
        engine.dispose()
