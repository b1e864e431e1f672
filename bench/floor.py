"""The floor the benchmark measures the app against: a bare Flask app under the
same gunicorn settings, doing the least each benchmarked page must do.

* ``GET /press/<slug>``: the published release's title and body (read once at
  start from the app's database) in a minimal HTML page, no templates, no
  queries: what Flask alone costs for the release page.
* ``POST /floor/insert``: one committed INSERT of the posted body per request,
  on the same database engine with the same durability settings as the app
  (SQLite: WAL, synchronous=FULL): what storing a submission costs at least.

    FLOOR_RELEASE_URI=sqlite:///app.sqlite3 FLOOR_DATABASE_URI=sqlite:///floor.sqlite3 \
        gunicorn -c gunicorn.conf.py 'bench.floor:create_app()'

(the table must exist first: ``create_table(uri)``, as bench/run.py does)
"""

import os
from datetime import UTC, datetime

import sqlalchemy as sa
from flask import Flask, request
from markupsafe import escape

metadata = sa.MetaData()
stored = sa.Table(
    "floor_request",
    metadata,
    sa.Column("id", sa.Integer, primary_key=True),
    sa.Column("created_at", sa.DateTime, nullable=False),
    sa.Column("body", sa.Text, nullable=False),
)


def create_table(uri: str) -> None:
    """Before the workers start (two workers creating it at once would race)."""
    engine = sa.create_engine(uri)
    try:
        metadata.create_all(engine)
    finally:
        engine.dispose()


def _sqlite_pragmas(dbapi_connection, _record) -> None:
    """The app's SQLite settings (intake.db), so both pay the same for a commit."""
    if type(dbapi_connection).__module__ != "sqlite3":
        return
    for pragma in ("journal_mode=WAL", "synchronous=FULL", "busy_timeout=5000"):
        dbapi_connection.execute(f"PRAGMA {pragma}")


def _release(uri: str) -> tuple[str, str]:
    release_engine = sa.create_engine(uri)
    try:
        with release_engine.connect() as conn:
            return tuple(
                conn.execute(
                    sa.text(
                        "SELECT title, body_html FROM release WHERE is_published "
                        "ORDER BY published_on DESC LIMIT 1"
                    )
                ).one()
            )
    finally:
        release_engine.dispose()


def create_app() -> Flask:
    app = Flask(__name__)
    engine = sa.create_engine(os.environ["FLOOR_DATABASE_URI"], pool_pre_ping=True)
    sa.event.listen(engine, "connect", _sqlite_pragmas)
    title, body = _release(os.environ["FLOOR_RELEASE_URI"])
    page = (
        f'<!doctype html><html lang="en"><head><meta charset="utf-8"><title>{escape(title)}'
        f"</title></head><body><main><h1>{escape(title)}</h1>{body}</main></body></html>"
    )

    @app.get("/press/<slug>")
    def release(slug):
        return page

    @app.post("/floor/insert")
    def insert():
        with engine.begin() as conn:
            conn.execute(
                stored.insert().values(
                    created_at=datetime.now(UTC), body=request.get_data(as_text=True)
                )
            )
        return "<!doctype html><title>Stored</title><p>Stored.</p>"

    return app
