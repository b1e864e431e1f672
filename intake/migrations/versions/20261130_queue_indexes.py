"""queue indexes: open requests in queue order, alone and by assignee

The queue's default view (open requests) and its filters read partial indexes
that hold open requests only, in queue order, so a page reads its rows and stops
instead of stepping over closed ones or sorting every open request. A volunteer's
counts per status come from an (assignee, status) index alone, which replaces
the assignee index.

Revision ID: 20261130_queue_indexes
Revises: 20261129_letters
Create Date: 2026-11-30 00:00:00

"""
from alembic import op
import sqlalchemy as sa


revision = "20261130_queue_indexes"
down_revision = "20261129_letters"
branch_labels = None
depends_on = None

OPEN = sa.text("status IN ('new', 'in_review')")  # models.help_request.OPEN_SQL, as of now
ORDER = ["urgency_rank", "contacted", "created_at", "id"]


def upgrade():
    # Plain CREATE/DROP INDEX, never batch mode (a SQLite batch rebuild of
    # help_request cascades to every row that points at a request).
    partial = dict(sqlite_where=OPEN, postgresql_where=OPEN)
    op.create_index("ix_help_request_queue_open", "help_request", ORDER, **partial)
    op.create_index(
        "ix_help_request_queue_open_assignee", "help_request", ["assignee_id", *ORDER], **partial
    )
    op.create_index("ix_help_request_assignee_status", "help_request", ["assignee_id", "status"])
    op.drop_index("ix_help_request_assignee_id", table_name="help_request")


def downgrade():
    op.create_index("ix_help_request_assignee_id", "help_request", ["assignee_id"])
    op.drop_index("ix_help_request_assignee_status", table_name="help_request")
    op.drop_index("ix_help_request_queue_open_assignee", table_name="help_request")
    op.drop_index("ix_help_request_queue_open", table_name="help_request")
