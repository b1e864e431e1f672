"""confirmation: the sent-request page, kept briefly so a reload shows it again

Revision ID: 20261207_confirmation
Revises: 20261130_report_tallies
Create Date: 2026-12-07 09:00:00

"""
from alembic import op
import sqlalchemy as sa


revision = "20261207_confirmation"
down_revision = "20261130_report_tallies"
branch_labels = None
depends_on = None


def upgrade():
    op.create_table(
        "confirmation",
        sa.Column("key_hash", sa.String(length=64), nullable=False),
        sa.Column("request_id", sa.Integer(), nullable=False),
        sa.Column("status_code", sa.Text(), nullable=True),
        sa.Column("expires_at", sa.DateTime(), nullable=False),
        sa.ForeignKeyConstraint(
            ["request_id"],
            ["help_request.id"],
            name=op.f("fk_confirmation_request_id_help_request"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("key_hash", name=op.f("pk_confirmation")),
    )
    op.create_index(op.f("ix_confirmation_request_id"), "confirmation", ["request_id"])
    op.create_index(op.f("ix_confirmation_expires_at"), "confirmation", ["expires_at"])


def downgrade():
    op.drop_index(op.f("ix_confirmation_expires_at"), table_name="confirmation")
    op.drop_index(op.f("ix_confirmation_request_id"), table_name="confirmation")
    op.drop_table("confirmation")
