"""The database: declarative base, session, SQLite settings and migrations."""

import logging
from pathlib import Path

import click
from flask import Flask, current_app, g
from flask_sqlalchemy import SQLAlchemy
from sqlalchemy import MetaData, event, make_url, text
from sqlalchemy.engine import Engine
from sqlalchemy.exc import OperationalError
from sqlalchemy.orm import DeclarativeBase

MIGRATIONS = str(Path(__file__).resolve().parent / "migrations")
log = logging.getLogger(__name__)


class Base(DeclarativeBase):
    metadata = MetaData(
        naming_convention={
            "ix": "ix_%(column_0_label)s",
            "uq": "uq_%(table_name)s_%(column_0_name)s",
            "ck": "ck_%(table_name)s_%(constraint_name)s",
            "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
            "pk": "pk_%(table_name)s",
        }
    )


db = SQLAlchemy(model_class=Base)


def _migrations(app: Flask) -> click.Group:
    """Flask-Migrate's ``db`` commands, set up on first use. Loaded lazily: Alembic
    adds several megabytes to every worker, which never migrates (``AUTO_MIGRATE`` is
    off in production; deploys run ``flask --app intake db upgrade``)."""
    from flask_migrate import Migrate
    from flask_migrate.cli import db as commands

    if "migrate" not in app.extensions:
        Migrate(app, db, directory=MIGRATIONS, render_as_batch=True)
    return commands


class _MigrationCommands(click.Group):
    """``flask db ...``: Flask-Migrate's group, loaded when the command runs
    (the Flask CLI has pushed the app context by then)."""

    def list_commands(self, ctx):
        return _migrations(current_app._get_current_object()).list_commands(ctx)

    def get_command(self, ctx, name):
        return _migrations(current_app._get_current_object()).get_command(ctx, name)


@click.group("db", cls=_MigrationCommands)
@click.option("-d", "--directory", default=None, help="Migration script directory.")
@click.option("-x", "--x-arg", multiple=True, help="Arguments for custom env.py scripts.")
def migration_commands(directory, x_arg):
    """Database migrations (Flask-Migrate)."""
    # What Flask-Migrate's own group does before its commands run.
    g.directory = directory
    g.x_arg = x_arg


def init_app(app: Flask) -> None:
    _bound_connect_wait(app)
    db.init_app(app)
    app.cli.add_command(migration_commands)


def _bound_connect_wait(app: Flask) -> None:
    """PostgreSQL connections: give up connecting after DATABASE_CONNECT_TIMEOUT
    seconds, so an unreachable server means a quick 503, not a request (and a
    worker) hanging until the OS gives up on the connection (an explicit
    connect_timeout in the URI wins); and plan every statement for its own
    values. psycopg prepares a statement after five runs and PostgreSQL then
    switches to a generic plan that ignores the date range, and a report's GROUP
    BYs became ten times slower after the tenth view on a connection
    (``plan_cache_mode``, PostgreSQL 12+)."""
    uri = app.config.get("SQLALCHEMY_DATABASE_URI")
    if not uri or make_url(uri).get_backend_name() != "postgresql":
        return
    options = dict(app.config.get("SQLALCHEMY_ENGINE_OPTIONS") or {})
    connect_args = {"options": "-c plan_cache_mode=force_custom_plan"}
    if "connect_timeout" not in make_url(uri).query:
        connect_args["connect_timeout"] = app.config["DATABASE_CONNECT_TIMEOUT"]
    connect_args.update(options.get("connect_args", {}))
    app.config["SQLALCHEMY_ENGINE_OPTIONS"] = {**options, "connect_args": connect_args}


@event.listens_for(Engine, "connect")
def _sqlite_pragmas(dbapi_connection, _record) -> None:
    """Durable, concurrent-enough SQLite: WAL, fsync on commit, wait when locked,
    and deleted rows overwritten on disk."""
    if type(dbapi_connection).__module__ != "sqlite3":
        return
    cursor = dbapi_connection.cursor()
    cursor.execute("PRAGMA journal_mode=WAL")
    cursor.execute("PRAGMA synchronous=FULL")
    cursor.execute("PRAGMA busy_timeout=5000")
    cursor.execute("PRAGMA foreign_keys=ON")
    cursor.execute("PRAGMA secure_delete=ON")
    cursor.close()


def upgrade_schema(app: Flask) -> None:
    """Bring the schema to the newest migration (development and first start)."""
    with app.app_context():
        _migrations(app)
        from flask_migrate import upgrade

        upgrade(directory=MIGRATIONS)


def database_answers() -> bool:
    try:
        db.session.execute(text("SELECT 1"))
        return True
    except OperationalError:
        db.session.rollback()
        return False
    except Exception:
        log.exception("readiness check failed")
        db.session.rollback()
        return False
