"""facts the law turns on; live urgency

The new facts are one encrypted JSON column (``facts``). Live urgency keeps the
days on which a request's band changes (``urgency_steps``, the next of them in
``urgency_changes_on``) so the queue compares them with today's date when read.
Requests stored before this migration have no steps: their urgency stays as it
was assessed until staff open or correct them, which assesses them again.

Revision ID: 20261129facts
Revises: ea7c903137cc
Create Date: 2026-11-29 20:20:00

"""
from alembic import op
import sqlalchemy as sa


revision = "20261129facts"
down_revision = "ea7c903137cc"
branch_labels = None
depends_on = None


def upgrade():
    # Plain ADD COLUMN, not batch mode: on SQLite a batch rebuilds the table and
    # drops the old one, which cascades to every row that points at a request.
    add = lambda column: op.add_column("help_request", column)  # noqa: E731
    add(sa.Column("urgency_steps", sa.Text(), nullable=False, server_default="[]"))
    add(sa.Column("urgency_changes_on", sa.Date(), nullable=True))
    add(sa.Column("urgency_rose_on", sa.Date(), nullable=True))
    add(sa.Column("deadline_dates", sa.Text(), nullable=False, server_default="[]"))
    add(sa.Column("urgency_set_by_staff", sa.Boolean(), nullable=False, server_default=sa.false()))
    add(sa.Column("asker", sa.String(length=20), nullable=False, server_default="self"))
    add(sa.Column("share_consent", sa.Boolean(), nullable=False, server_default=sa.false()))
    add(sa.Column("facts", sa.Text(), nullable=True))
    op.create_index(
        op.f("ix_help_request_urgency_changes_on"), "help_request", ["urgency_changes_on"]
    )


def downgrade():
    with op.batch_alter_table("help_request", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_help_request_urgency_changes_on"))
        for name in (
            "facts",
            "share_consent",
            "asker",
            "urgency_set_by_staff",
            "deadline_dates",
            "urgency_rose_on",
            "urgency_changes_on",
            "urgency_steps",
        ):
            batch_op.drop_column(name)
