"""SQLite backups with the online backup API, checked by comparing row counts."""

import sqlite3

import pytest

from intake.db import db


@pytest.fixture
def sqlite_app(tmp_path):
    from tests.support.apps import make_test_app

    app = make_test_app(f"sqlite:///{tmp_path}/live.sqlite3")
    with app.app_context():
        db.create_all()
    return app


def test_backup_copies_and_verifies(sqlite_app, tmp_path):
    from intake.public import releases

    releases.seed(sqlite_app)
    target = tmp_path / "copy.sqlite3"
    result = sqlite_app.test_cli_runner().invoke(args=["backup", str(target)])
    assert result.exit_code == 0, result.output
    assert "rows in" in result.output and "match" in result.output
    with sqlite3.connect(target) as conn:
        assert conn.execute("SELECT title FROM release").fetchone()[0].startswith("Russian")
    assert target.stat().st_mode & 0o077 == 0


def test_verify_backup_reports_differences(sqlite_app, tmp_path, make_release):
    runner = sqlite_app.test_cli_runner()
    target = tmp_path / "copy.sqlite3"
    assert runner.invoke(args=["backup", str(target)]).exit_code == 0
    with sqlite3.connect(target) as conn:
        conn.execute(
            "INSERT INTO release (slug, title, body_html, section, published_on, is_published,"
            " show_call_to_action, created_at, updated_at) VALUES ('x', 'x', '', 'Press',"
            " '2020-01-01', 1, 1, '2020-01-01', '2020-01-01')"
        )
    result = runner.invoke(args=["verify-backup", str(target)])
    assert result.exit_code != 0
    assert "release: live 0, backup 1" in result.output


def test_backup_refuses_to_overwrite(sqlite_app, tmp_path):
    target = tmp_path / "exists.sqlite3"
    target.write_text("keep me")
    result = sqlite_app.test_cli_runner().invoke(args=["backup", str(target)])
    assert result.exit_code != 0 and target.read_text() == "keep me"


def test_backup_on_postgresql_points_to_pg_dump(tmp_path):
    from tests.support.apps import make_test_app

    app = make_test_app("postgresql+psycopg://postgres@127.0.0.1:5432/test")
    result = app.test_cli_runner().invoke(args=["backup", str(tmp_path / "x")])
    assert result.exit_code != 0 and "pg_dump" in result.output
