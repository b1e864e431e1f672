"""The tallies migration creates the tables and the same triggers the models
create, and on a migrated database every counted write raises its month's
version while other writes leave it alone."""

import importlib.util

import pytest
from flask_migrate import upgrade
from sqlalchemy import text

from intake.db import MIGRATIONS, _migrations, db
from intake.models import report_tally
from tests.support.apps import scratch_app

MIGRATION = f"{MIGRATIONS}/versions/20261130_report_tallies.py"


def migration():
    spec = importlib.util.spec_from_file_location("report_tallies_migration", MIGRATION)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


@pytest.mark.parametrize("dialect", ["sqlite", "postgresql"])
def test_the_migration_creates_the_models_triggers(dialect):
    made_by_migration = list(getattr(migration(), f"{dialect}_triggers")())
    made_by_models = getattr(report_tally, f"{dialect}_triggers")()
    assert made_by_migration == made_by_models
    assert len(made_by_models) == (12 if dialect == "sqlite" else 6)


def version(month: str) -> int:
    query = text("SELECT version FROM report_month WHERE month = :m")
    return db.session.execute(query, {"m": month}).scalar_one()


def test_on_a_migrated_database_counted_writes_raise_the_months_version(tmp_path):
    app = scratch_app(tmp_path)
    with app.app_context():
        _migrations(app)
        upgrade(directory=MIGRATIONS)
        names = db.session.execute(
            text("SELECT name FROM sqlite_master WHERE type = 'trigger'")
        ).scalars()
        assert sum(name.startswith("report_month_") for name in names) == 12
        db.session.execute(
            text(
                "INSERT INTO help_request (reference, created_at, created_on, updated_at, version,"
                " status, screen, urgency, urgency_rank, reasons, flags, represented, can_pay,"
                " household_size, claim_types, detained, hearing, i589_filed, minor, state,"
                " preferred_language, safe_to_message, interface_language, source, name,"
                " nationality)"
                " VALUES ('AAAA', '2026-01-15 10:00:00', '2026-01-15', '2026-01-15 10:00:00', 1,"
                " 'new', 'eligible', 'normal', 2, '[]', '[]', 'no', 'no', 1, ' asylum ', 0, 'no',"
                " 'no', 0, 'NY', 'es', 'yes', 'en', 'help', 'x', 'x')"
            )
        )
        db.session.execute(text("INSERT INTO report_month (month, version) VALUES ('2026-01', 0)"))
        db.session.execute(text("INSERT INTO report_month (month, version) VALUES ('2026-02', 0)"))
        db.session.execute(text("UPDATE help_request SET status = 'declined'"))
        assert version("2026-01") == 1
        db.session.execute(text("UPDATE help_request SET name = 'y', version = 2"))
        assert version("2026-01") == 1  # no counted column
        db.session.execute(text("UPDATE help_request SET created_on = '2026-02-01'"))
        assert (version("2026-01"), version("2026-02")) == (2, 1)  # moved: both months
        db.session.execute(
            text(
                "INSERT INTO case_outcome (request_id, kind, happened_on, recorded_at)"
                " SELECT id, 'filed', '2026-03-01', '2026-03-01' FROM help_request"
            )
        )
        assert version("2026-02") == 2
        db.session.execute(text("DELETE FROM help_request"))
        assert version("2026-02") == 3
        db.session.rollback()
