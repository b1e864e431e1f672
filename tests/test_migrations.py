"""The migrations build exactly the schema the models describe, on SQLite and
(under INTAKE_TEST_DATABASE_URI) on PostgreSQL, and each is named after its id."""

import ast
from pathlib import Path

from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from sqlalchemy import inspect

from intake import create_app
from intake.db import MIGRATIONS, db
from tests.support.apps import TEST_KEYS, apps_to_close
from tests.support.migrations import empty_database

VERSIONS = Path(MIGRATIONS) / "versions"


def test_migrations_match_models(tmp_path):
    with empty_database(tmp_path) as uri:
        # AUTO_MIGRATE (the default) runs every migration as the app starts.
        app = create_app(
            {**TEST_KEYS, "SQLALCHEMY_DATABASE_URI": uri, "SEED_RELEASE": False},
            instance_path=str(tmp_path),
        )
        apps_to_close.append(app)
        with app.app_context():
            with db.engine.connect() as conn:
                diff = compare_metadata(MigrationContext.configure(conn), db.metadata)
                tables = set(inspect(conn).get_table_names())
            db.session.remove()
            db.engine.dispose()
    assert diff == []
    assert "help_request" in tables and "alembic_version" in tables


def revision_of(path: Path) -> str:
    """The ``revision = "..."`` a migration file assigns."""
    for node in ast.parse(path.read_text()).body:
        if isinstance(node, ast.Assign) and [t.id for t in node.targets] == ["revision"]:
            return node.value.value
    raise AssertionError(f"{path.name} sets no revision")


def test_every_migration_is_named_after_its_revision_id():
    files = sorted(VERSIONS.glob("*.py"))
    assert files, "no migrations"
    assert [path.stem for path in files] == [revision_of(path) for path in files]
