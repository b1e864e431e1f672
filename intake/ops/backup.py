"""Backups of the SQLite database with SQLite's online backup API, and a restore
check that opens the copy and compares row counts with the live database.

PostgreSQL is backed up with its own tools (``pg_dump``; see docs/operating.md)."""

import sqlite3
from pathlib import Path

import click
from flask import Flask
from flask.cli import with_appcontext
from sqlalchemy import create_engine, func, select

from intake.db import db


def table_counts(engine) -> dict[str, int]:
    with engine.connect() as conn:
        return {
            table.name: conn.execute(select(func.count()).select_from(table)).scalar_one()
            for table in db.metadata.sorted_tables
        }


def backup_sqlite(target: Path) -> None:
    """Copy the live database page by page while it stays in use."""
    raw = db.engine.raw_connection()
    try:
        with sqlite3.connect(target) as dest:
            raw.driver_connection.backup(dest)
        target.chmod(0o600)
    finally:
        raw.close()


def compare_with(target: Path) -> list[str]:
    """Differences between the live database and the copy at ``target``."""
    copy = create_engine(f"sqlite:///{target}")
    try:
        live, copied = table_counts(db.engine), table_counts(copy)
    finally:
        copy.dispose()
    return [
        f"{name}: live {count}, backup {copied.get(name)}"
        for name, count in live.items()
        if copied.get(name) != count
    ]


@click.command("backup")
@click.argument("path", type=click.Path(dir_okay=False, writable=True, path_type=Path))
@with_appcontext
def backup_command(path: Path) -> None:
    """Write a consistent copy of the SQLite database to PATH and check it."""
    if db.engine.dialect.name != "sqlite":
        raise click.ClickException(
            "This database is PostgreSQL: back it up with pg_dump (see docs/operating.md)."
        )
    if path.exists():
        raise click.ClickException(f"{path} exists; choose a new file")
    backup_sqlite(path)
    verify(path)


@click.command("verify-backup")
@click.argument("path", type=click.Path(exists=True, dir_okay=False, path_type=Path))
@with_appcontext
def verify_backup_command(path: Path) -> None:
    """Open the SQLite copy at PATH and compare its row counts with the live database."""
    verify(path)


def verify(path: Path) -> None:
    differences = compare_with(path)
    if differences:
        raise click.ClickException("backup differs: " + "; ".join(differences))
    total = sum(table_counts(db.engine).values())
    click.echo(f"Backup {path} checked: {total} rows in {len(db.metadata.tables)} tables match.")


def init_app(app: Flask) -> None:
    app.cli.add_command(backup_command)
    app.cli.add_command(verify_backup_command)
