"""The migrations build exactly the schema the models describe."""

from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext

from intake import create_app
from intake.db import db
from tests.support.apps import TEST_KEYS


def test_migrations_match_models(tmp_path):
    app = create_app(
        {
            **TEST_KEYS,
            "SQLALCHEMY_DATABASE_URI": f"sqlite:///{tmp_path}/m.sqlite3",
            "SEED_RELEASE": False,
        },
        instance_path=str(tmp_path),
    )
    with app.app_context(), db.engine.connect() as conn:
        diff = compare_metadata(MigrationContext.configure(conn), db.metadata)
    assert diff == []
