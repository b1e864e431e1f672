"""reports: tallies per block of days, and triggers that raise a month's version on every counted write

Revision ID: 20261130_report_tallies
Revises: 20261130_report_figures
Create Date: 2026-11-30 03:00:00

The tables start empty: a block of days is tallied the first time a report
covers it. The triggers are those of ``intake.models.report_tally`` (copied: a
migration must not change when the model does).
"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = '20261130_report_tallies'
down_revision = '20261130_report_figures'
branch_labels = None
depends_on = None

COUNTED_COLUMNS = (
    "created_on", "urgency", "status", "disposition", "detained", "partner_id",
    "screen_override", "screen", "preferred_language", "nationality_code", "state",
    "claim_types", "age_band", "hours_to_close", "hours_to_first_contact",
)
COUNTED_CHILDREN = ("case_outcome", "referral", "request_funder")
# Raise the version of the months in {months}, once each (an update within a
# month names it twice).
BUMP = "UPDATE report_month SET version = version + 1 WHERE month IN ({months});"
ROWS = {"INSERT": ("NEW",), "UPDATE": ("OLD", "NEW"), "DELETE": ("OLD",)}


def _bumps(month):
    """Per kind of write, the statement that raises the version of the
    month(s) of the row(s) written, ``month`` giving a row's month."""
    return {
        kind: BUMP.format(months=", ".join(month.format(row=row) for row in rows))
        for kind, rows in ROWS.items()
    }


def sqlite_triggers():
    """SQLite: one trigger per table and kind of write."""
    request_month = "substr({row}.created_on, 1, 7)"
    child_month = "(SELECT substr(created_on, 1, 7) FROM help_request WHERE id = {row}.request_id)"
    update_of = " OF " + ", ".join(COUNTED_COLUMNS)
    tables = [("help_request", request_month, update_of)]
    tables += [(child, child_month, "") for child in COUNTED_CHILDREN]
    return [
        f"CREATE TRIGGER IF NOT EXISTS report_month_{table}_{kind.lower()} "
        f"AFTER {kind}{update_of if kind == 'UPDATE' else ''} ON {table} "
        f"FOR EACH ROW BEGIN {bump} END"
        for table, month, update_of in tables
        for kind, bump in _bumps(month).items()
    ]


def postgresql_triggers():
    """PostgreSQL: a function for requests and one for the rows that point at
    a request, each run after every row written."""
    months = {
        "request": "to_char({row}.created_on, 'YYYY-MM')",
        "child": "(SELECT to_char(created_on, 'YYYY-MM') FROM help_request"
        " WHERE id = {row}.request_id)",
    }
    statements = []
    for name, month in months.items():
        bumps = _bumps(month)
        statements.append(
            f"CREATE OR REPLACE FUNCTION report_month_bump_{name}() RETURNS trigger "
            "LANGUAGE plpgsql AS $$ BEGIN "
            f"IF TG_OP = 'INSERT' THEN {bumps['INSERT']} "
            f"ELSIF TG_OP = 'DELETE' THEN {bumps['DELETE']} "
            f"ELSE {bumps['UPDATE']} END IF; "
            "RETURN NULL; END $$"
        )
    update_of = " OF " + ", ".join(COUNTED_COLUMNS)
    tables = [("help_request", "request", update_of)]
    tables += [(child, "child", "") for child in COUNTED_CHILDREN]
    statements += [
        f"CREATE OR REPLACE TRIGGER report_month_{table} "
        f"AFTER INSERT OR DELETE OR UPDATE{update_of} ON {table} "
        f"FOR EACH ROW EXECUTE FUNCTION report_month_bump_{name}()"
        for table, name, update_of in tables
    ]
    return statements


def upgrade():
    op.create_table(
        'report_month',
        sa.Column('month', sa.String(length=7), nullable=False),
        sa.Column('version', sa.Integer(), nullable=False),
        sa.PrimaryKeyConstraint('month'),
    )
    op.create_table(
        'report_tallied',
        sa.Column('block', sa.String(length=21), nullable=False),
        sa.Column('funder_id', sa.Integer(), nullable=False),
        sa.Column('version', sa.Integer(), nullable=False),
        sa.PrimaryKeyConstraint('block', 'funder_id'),
    )
    op.create_table(
        'report_tally',
        sa.Column('block', sa.String(length=21), nullable=False),
        sa.Column('funder_id', sa.Integer(), nullable=False),
        sa.Column('figure', sa.String(length=30), nullable=False),
        sa.Column('key', sa.String(length=255), nullable=False),
        sa.Column('n', sa.Integer(), nullable=False),
        sa.PrimaryKeyConstraint('block', 'funder_id', 'figure', 'key'),
    )
    dialect = op.get_bind().dialect.name
    triggers = {"sqlite": sqlite_triggers, "postgresql": postgresql_triggers}.get(dialect)
    for statement in triggers() if triggers else ():
        op.execute(statement)


def downgrade():
    dialect = op.get_bind().dialect.name
    for table in ("help_request", *COUNTED_CHILDREN):
        if dialect == "sqlite":
            for kind in ("insert", "update", "delete"):
                op.execute(f"DROP TRIGGER IF EXISTS report_month_{table}_{kind}")
        elif dialect == "postgresql":
            op.execute(f"DROP TRIGGER IF EXISTS report_month_{table} ON {table}")
    if dialect == "postgresql":
        for name in ("request", "child"):
            op.execute(f"DROP FUNCTION IF EXISTS report_month_bump_{name}()")
    op.drop_table('report_tally')
    op.drop_table('report_tallied')
    op.drop_table('report_month')
