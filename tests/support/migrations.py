"""A new, empty database for migration tests, on either server."""

import contextlib
import os
import secrets

from sqlalchemy import create_engine, make_url, text


@contextlib.contextmanager
def empty_database(tmp_path):
    """A new, empty database: on the PostgreSQL server of
    INTAKE_TEST_DATABASE_URI when it names one (dropped afterwards), else a
    SQLite file."""
    base = os.environ.get("INTAKE_TEST_DATABASE_URI")
    if not base or make_url(base).get_backend_name() != "postgresql":
        yield f"sqlite:///{tmp_path}/m.sqlite3"
        return
    name = f"intake_migrations_{secrets.token_hex(4)}"
    admin = create_engine(make_url(base).set(database="postgres"), isolation_level="AUTOCOMMIT")
    with admin.connect() as conn:
        conn.execute(text(f'CREATE DATABASE "{name}"'))
    try:
        yield make_url(base).set(database=name).render_as_string(hide_password=False)
    finally:
        with admin.connect() as conn:
            conn.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
        admin.dispose()
