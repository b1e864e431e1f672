"""Apps on the test database, with test keys; what is really stored, seen from
outside the app."""

import contextlib

from jinja2 import BytecodeCache
from sqlalchemy import create_engine, exists, literal, make_url, select, text, union_all
from werkzeug.routing import Rule

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


class _TemplateCode(BytecodeCache):
    """Compiled templates kept in memory and shared by every test app: each app has
    its own Jinja environment, and compiling a page's templates again for every test
    cost more than the test itself. Jinja checks each entry against its source."""

    def __init__(self):
        self.code: dict[str, bytes] = {}

    def load_bytecode(self, bucket):
        if bucket.key in self.code:
            bucket.bytecode_from_string(self.code[bucket.key])

    def dump_bytecode(self, bucket):
        self.code[bucket.key] = bucket.bytecode_to_string()


TEMPLATE_CODE = _TemplateCode()


_compile_builder = Rule._compile_builder
_BUILDERS: dict = {}


def _shared_builder(rule: Rule, append_unknown: bool = True):
    """Werkzeug writes and compiles Python for each URL rule of each new app, which
    was most of what building a test app cost. The function it writes follows from
    the rule's parsed parts and defaults alone (the rule itself is its argument), so
    every test app shares one per kind of rule."""
    converters = tuple((name, type(c).__name__) for name, c in rule._converters.items())
    defaults = repr(sorted((rule.defaults or {}).items()))
    key = (tuple(rule._trace), converters, defaults, append_unknown)
    if key not in _BUILDERS:
        _BUILDERS[key] = _compile_builder(rule, append_unknown)
    return _BUILDERS[key]


Rule._compile_builder = _shared_builder


_make_engine = type(db)._make_engine
_ENGINES: dict = {}


def _shared_engine(extension, bind_key, options, app):
    """One engine for every test app with the same database and engine options, so
    SQLAlchemy compiles each statement once per run rather than once per test (its
    cache of compiled statements belongs to the engine). Each test still ends with
    the engine disposed (conftest), so no connection outlives its test. A database
    in memory is never shared: its rows would be."""
    url = make_url(options["url"])
    if url.get_backend_name() == "sqlite" and url.database in (None, "", ":memory:"):
        return _make_engine(extension, bind_key, options, app)
    others = sorted((name, value) for name, value in options.items() if name != "url")
    key = (bind_key, url.render_as_string(hide_password=False), repr(others))
    if key not in _ENGINES:
        _ENGINES[key] = _make_engine(extension, bind_key, options, app)
    return _ENGINES[key]


type(db)._make_engine = _shared_engine

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
    app.jinja_env.bytecode_cache = TEMPLATE_CODE
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


@contextlib.contextmanager
def worker_database(uri: str, worker: str | None):
    """The database an xdist worker (``gw0``...) runs on: on PostgreSQL a new
    database named after ``uri``'s and the worker, dropped afterwards (workers on
    one database would empty each other's tables); else ``uri`` itself (SQLite
    files are in each worker's own temporary folder)."""
    given = make_url(uri)
    if not worker or given.get_backend_name() != "postgresql":
        yield uri
        return
    name = f"{given.database}_{worker}"
    admin = create_engine(given, isolation_level="AUTOCOMMIT")
    drop = text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
    try:
        with admin.connect() as conn:
            conn.execute(drop)
            conn.execute(text(f'CREATE DATABASE "{name}"'))
        yield given.set(database=name).render_as_string(hide_password=False)
        with admin.connect() as conn:
            conn.execute(drop)
    finally:
        admin.dispose()


def empty_tables(app):
    """Delete every row a test left, asking the database (one query) which tables
    hold any: most tests write to two or three of them, and rows may come from
    other processes (the CLI, servers) as well as from the app."""
    tables = db.metadata.sorted_tables
    holding_rows = union_all(
        *(select(literal(n)).where(exists().select_from(t)) for n, t in enumerate(tables))
    )
    with app.app_context():
        db.session.remove()
        with db.engine.begin() as conn:
            written = set(conn.scalars(holding_rows))
            for n in sorted(written, reverse=True):  # children before their parents
                conn.execute(tables[n].delete())
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
