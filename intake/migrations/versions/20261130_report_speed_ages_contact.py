"""reports: day received, first contact, hours to it and to closing, age band; one narrow index per report query

Revision ID: 20261130_report_figures
Revises: 20261130_queue_indexes
Create Date: 2026-11-30 00:00:00

Existing rows: ``created_on`` is the day of ``created_at``; ``first_contact_at``
is the time of the request's first recorded contact attempt; the whole hours to
it and to ``closed_at`` are worked out from those times; ``age_band`` stays
empty ("not given"): it would need every date of birth decrypted, and a band
guessed later could be wrong about the age at submission only if the date was
corrected since, so new requests and corrections set it from now on.
Plain ALTER TABLE, not batch mode (a SQLite batch rebuild cascades deletes).
"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = '20261130_report_figures'
down_revision = '20261130_queue_indexes'
branch_labels = None
depends_on = None

# As in intake.models.help_request (copied: a migration must not change when the model does).
OLD_REPORT_COLUMNS = (
    "created_at", "urgency", "status", "disposition", "closed_at", "detained", "partner_id",
    "screen", "screen_override", "preferred_language", "nationality_code", "state",
    "claim_types", "id",
)
REPORT_INDEXES = {
    "ix_help_request_report": ("created_on", "urgency", "id"),
    "ix_help_request_report_id": ("id", "created_on"),
    "ix_help_request_report_kinds": (
        "status", "disposition", "detained", "partner_id", "screen_override", "screen",
        "created_on", "id",
    ),
    **{
        f"ix_help_request_report_{column}": (column, "created_on", "id")
        for column in (
            "preferred_language", "nationality_code", "state", "claim_types", "age_band",
            "hours_to_close", "hours_to_first_contact",
        )
    },
}


def upgrade():
    op.add_column('help_request', sa.Column('created_on', sa.Date(), nullable=True))
    op.add_column('help_request', sa.Column('first_contact_at', sa.DateTime(), nullable=True))
    op.add_column('help_request', sa.Column('age_band', sa.String(length=8), nullable=True))
    op.add_column('help_request', sa.Column('hours_to_close', sa.Integer(), nullable=True))
    op.add_column('help_request', sa.Column('hours_to_first_contact', sa.Integer(), nullable=True))
    op.execute(
        "UPDATE help_request SET first_contact_at = (SELECT MIN(contact_attempt.at) "
        "FROM contact_attempt WHERE contact_attempt.request_id = help_request.id)"
    )
    if op.get_bind().dialect.name == "postgresql":
        day = "CAST(created_at AS DATE)"
        hours = "CAST(FLOOR(EXTRACT(EPOCH FROM ({end} - created_at)) / 3600) AS INTEGER)"
    else:
        # SQLite keeps 'YYYY-MM-DD HH:MM:SS.ffffff': the day is the first ten
        # characters; the difference is rounded to the millisecond before it is
        # cut to whole hours, so a float's 4.9999999 is not read as 4.
        day = "substr(created_at, 1, 10)"
        hours = (
            "CAST(ROUND((julianday({end}) - julianday(created_at)) * 86400000) / 3600000 "
            "AS INTEGER)"
        )
    op.execute(f"UPDATE help_request SET created_on = {day}")
    for column, end in (("hours_to_close", "closed_at"), ("hours_to_first_contact", "first_contact_at")):
        op.execute(f"UPDATE help_request SET {column} = {hours.format(end=end)} WHERE {end} IS NOT NULL")
    op.drop_index('ix_help_request_report', table_name='help_request')
    for name, columns in REPORT_INDEXES.items():
        op.create_index(name, 'help_request', list(columns), unique=False)


def downgrade():
    for name in REPORT_INDEXES:
        op.drop_index(name, table_name='help_request')
    op.create_index('ix_help_request_report', 'help_request', list(OLD_REPORT_COLUMNS), unique=False)
    with op.batch_alter_table('help_request', schema=None) as batch_op:
        batch_op.drop_column('hours_to_first_contact')
        batch_op.drop_column('hours_to_close')
        batch_op.drop_column('age_band')
        batch_op.drop_column('first_contact_at')
        batch_op.drop_column('created_on')
