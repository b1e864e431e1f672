"""Phone numbers in E.164, and reminders.

The duplicate-lookup hash of every stored phone is recomputed from the decrypted
number in its new normal form (E.164, ``intake.cases.contact``), with the app's
key ring, as ``rotate-keys`` does (``intake.ops.keys.rehash_lookups``): requests
sent before the change still match new ones. Without the keys (a database
migrated by a process that cannot decrypt), the hashes are left as they were
and ``flask --app intake rotate-keys`` recomputes them later.

Reminders: one row per (request, dated thing, date, days before), so each is
sent once; and per case, staff may stop them or choose detailed ones.

Revision ID: 0003_phone_numbers_reminders
Revises: 0002_messages
Create Date: 2026-12-07 11:05:15.591566

"""

import logging

import sqlalchemy as sa
from alembic import op

# revision identifiers, used by Alembic.
revision = "0003_phone_numbers_reminders"
down_revision = "0002_messages"
branch_labels = None
depends_on = None

log = logging.getLogger("alembic.runtime.migration")


def upgrade():
    op.create_table(
        "reminder",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("request_id", sa.Integer(), nullable=False),
        sa.Column("kind", sa.String(length=40), nullable=False),
        sa.Column("event_on", sa.Date(), nullable=False),
        sa.Column("days_before", sa.Integer(), nullable=False),
        sa.Column("message_id", sa.Integer(), nullable=True),
        sa.Column("outcome", sa.String(length=80), nullable=False),
        sa.Column("language", sa.String(length=10), nullable=False),
        sa.Column("detailed", sa.Boolean(), server_default=sa.false(), nullable=False),
        sa.Column("created_at", sa.DateTime(), nullable=False),
        sa.ForeignKeyConstraint(
            ["message_id"],
            ["message.id"],
            name=op.f("fk_reminder_message_id_message"),
            ondelete="SET NULL",
        ),
        sa.ForeignKeyConstraint(
            ["request_id"],
            ["help_request.id"],
            name=op.f("fk_reminder_request_id_help_request"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_reminder")),
        sa.UniqueConstraint(
            "request_id", "kind", "event_on", "days_before", name=op.f("uq_reminder_request_id")
        ),
    )
    with op.batch_alter_table("help_request", schema=None) as batch_op:
        batch_op.add_column(
            sa.Column("reminders_stopped", sa.Boolean(), server_default=sa.false(), nullable=False)
        )
        batch_op.add_column(
            sa.Column("reminders_detailed", sa.Boolean(), server_default=sa.false(), nullable=False)
        )
    rehash_phones()


def rehash_phones():
    from intake.crypto import KeyUnavailable
    from intake.ops.keys import rehash_lookups

    try:
        changed = rehash_lookups(connection=op.get_bind())
    except KeyUnavailable:
        log.warning(
            "Phone lookup hashes not recomputed (no key to read them): "
            "run `flask --app intake rotate-keys` once the keys are configured."
        )
        return
    log.info("help_request: %d rows with phone lookup hashes in E.164", changed)


def downgrade():
    # The hashes stay in their E.164 form: the older code matches fewer formats
    # of the same number, but no number is lost.
    with op.batch_alter_table("help_request", schema=None) as batch_op:
        batch_op.drop_column("reminders_detailed")
        batch_op.drop_column("reminders_stopped")
    op.drop_table("reminder")
