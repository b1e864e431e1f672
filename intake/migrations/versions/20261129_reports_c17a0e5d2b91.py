"""reports: dispositions and closing dates, outcomes, funders, plain nationality code

Revision ID: c17a0e5d2b91
Revises: 20261129facts
Create Date: 2026-11-29 20:13:39

Existing rows: ``closed_at`` is taken from the last status change that closed
the request; ``disposition`` stays empty (nobody recorded one, and the reports
say "not recorded" rather than guess); ``nationality_code`` is copied from the
encrypted answer when the app's keys can read it (they can wherever the app
runs), in batches, without ever logging it.
"""
import logging

import sqlalchemy as sa
from alembic import op
from flask import current_app

# revision identifiers, used by Alembic.
revision = 'c17a0e5d2b91'
down_revision = '20261129facts'
branch_labels = None
depends_on = None

log = logging.getLogger("alembic.reports")
CLOSED = ("accepted", "referred", "declined", "withdrawn")
BATCH = 1000
# The columns the reports count, as in intake.models.help_request (copied: a
# migration must not change when the model does).
REPORT_COLUMNS = (
    "created_at", "urgency", "status", "disposition", "closed_at", "detained", "partner_id",
    "screen", "screen_override", "preferred_language", "nationality_code", "state",
    "claim_types", "id",
)


def upgrade():
    op.create_table('funder',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('name', sa.String(length=120), nullable=False),
    sa.Column('active_from', sa.Date(), nullable=False),
    sa.Column('active_until', sa.Date(), nullable=True),
    sa.Column('states', sa.Text(), nullable=False),
    sa.Column('claim_types', sa.Text(), nullable=False),
    sa.Column('languages', sa.Text(), nullable=False),
    sa.Column('created_at', sa.DateTime(), nullable=False),
    sa.Column('updated_at', sa.DateTime(), nullable=False),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_funder')),
    sa.UniqueConstraint('name', name=op.f('uq_funder_name'))
    )
    op.create_table('case_outcome',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('request_id', sa.Integer(), nullable=False),
    sa.Column('kind', sa.String(length=20), nullable=False),
    sa.Column('happened_on', sa.Date(), nullable=False),
    sa.Column('actor_id', sa.Integer(), nullable=True),
    sa.Column('recorded_at', sa.DateTime(), nullable=False),
    sa.ForeignKeyConstraint(['actor_id'], ['staff_user.id'], name=op.f('fk_case_outcome_actor_id_staff_user')),
    sa.ForeignKeyConstraint(['request_id'], ['help_request.id'], name=op.f('fk_case_outcome_request_id_help_request'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_case_outcome'))
    )
    with op.batch_alter_table('case_outcome', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_case_outcome_happened_on'), ['happened_on'], unique=False)
        batch_op.create_index(batch_op.f('ix_case_outcome_kind'), ['kind'], unique=False)
        batch_op.create_index(batch_op.f('ix_case_outcome_request_id'), ['request_id'], unique=False)

    op.create_table('request_funder',
    sa.Column('request_id', sa.Integer(), nullable=False),
    sa.Column('funder_id', sa.Integer(), nullable=False),
    sa.ForeignKeyConstraint(['funder_id'], ['funder.id'], name=op.f('fk_request_funder_funder_id_funder'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['request_id'], ['help_request.id'], name=op.f('fk_request_funder_request_id_help_request'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('request_id', 'funder_id', name=op.f('pk_request_funder'))
    )
    with op.batch_alter_table('request_funder', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_request_funder_funder_id'), ['funder_id'], unique=False)

    # Plain ALTER TABLE ADD COLUMN, not batch mode: on SQLite batch mode copies
    # the table and drops the old one, and with foreign keys on that drop would
    # cascade to every row that points at a request (notes, history, outcomes).
    op.add_column('help_request', sa.Column('disposition', sa.String(length=32), nullable=True))
    op.add_column('help_request', sa.Column('closed_at', sa.DateTime(), nullable=True))
    op.add_column(
        'help_request',
        sa.Column('nationality_code', sa.String(length=16), nullable=False, server_default=''),
    )
    op.create_index('ix_help_request_report', 'help_request', list(REPORT_COLUMNS), unique=False)

    _closing_dates()
    _nationality_codes()


def _closing_dates():
    """closed_at of each closed request: its last change to a closed status."""
    op.execute(
        sa.text(
            "UPDATE help_request SET closed_at = ("
            " SELECT MAX(c.at) FROM case_status_change c"
            " WHERE c.request_id = help_request.id AND c.kind = 'status'"
            " AND c.to_value IN ('accepted', 'referred', 'declined', 'withdrawn'))"
            " WHERE status IN ('accepted', 'referred', 'declined', 'withdrawn')"
        )
    )


def _nationality_codes():
    keyring = current_app.extensions.get("intake.keyring")
    if keyring is None or keyring.fernet is None:
        log.warning("No encryption key: nationality codes of existing requests left empty.")
        return
    bind = op.get_bind()
    last = 0
    while True:
        rows = bind.execute(
            sa.text(
                "SELECT id, nationality FROM help_request WHERE id > :last ORDER BY id LIMIT :n"
            ),
            {"last": last, "n": BATCH},
        ).all()
        if not rows:
            return
        updates = []
        for row_id, token in rows:
            try:
                code = keyring.decrypt(token)[:16]
            except Exception:  # noqa: BLE001 - an unreadable row keeps "" (reported as unknown)
                code = ""
            updates.append({"id": row_id, "code": code})
        bind.execute(
            sa.text("UPDATE help_request SET nationality_code = :code WHERE id = :id"), updates
        )
        last = rows[-1][0]


def downgrade():
    # Dropping columns on SQLite copies the table: only safe with foreign keys
    # off (PRAGMA foreign_keys=OFF before the upgrade command), as Alembic says.
    op.drop_index('ix_help_request_report', table_name='help_request')
    with op.batch_alter_table('help_request', schema=None) as batch_op:
        batch_op.drop_column('nationality_code')
        batch_op.drop_column('closed_at')
        batch_op.drop_column('disposition')

    with op.batch_alter_table('request_funder', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_request_funder_funder_id'))

    op.drop_table('request_funder')
    with op.batch_alter_table('case_outcome', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_case_outcome_request_id'))
        batch_op.drop_index(batch_op.f('ix_case_outcome_kind'))
        batch_op.drop_index(batch_op.f('ix_case_outcome_happened_on'))

    op.drop_table('case_outcome')
    op.drop_table('funder')
