"""The channel each reminder went by (text, WhatsApp or email).

Revision ID: 0005_reminder_channel
Revises: 0004_referral_packets_api
Create Date: 2026-12-07 12:20:00.000000

"""

from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = "0005_reminder_channel"
down_revision = "0004_referral_packets_api"
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table("reminder", schema=None) as batch_op:
        batch_op.add_column(sa.Column("channel", sa.String(length=10), nullable=True))


def downgrade():
    with op.batch_alter_table("reminder", schema=None) as batch_op:
        batch_op.drop_column("channel")
