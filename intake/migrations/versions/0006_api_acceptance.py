"""When a referral was accepted: the API's order for accepted cases.

Referrals accepted before this column existed get the start of the day their
outcome was recorded (or, without one, the time the referral was made): the
only time known, and earlier than any acceptance stored from now on.

Revision ID: 0006_api_acceptance
Revises: 0005_reminder_channel
Create Date: 2026-12-07 12:11:53.900038

"""

from datetime import datetime, time

import sqlalchemy as sa
from alembic import op

# revision identifiers, used by Alembic.
revision = "0006_api_acceptance"
down_revision = "0005_reminder_channel"
branch_labels = None
depends_on = None

referral = sa.table(
    "referral",
    sa.column("id", sa.Integer),
    sa.column("outcome", sa.String),
    sa.column("outcome_on", sa.Date),
    sa.column("made_at", sa.DateTime),
    sa.column("accepted_at", sa.DateTime),
)


def upgrade():
    with op.batch_alter_table("referral", schema=None) as batch_op:
        batch_op.add_column(sa.Column("accepted_at", sa.DateTime(), nullable=True))
        batch_op.create_index(
            "ix_referral_org_accepted", ["organisation_id", "accepted_at", "id"], unique=False
        )
    bind = op.get_bind()
    rows = bind.execute(
        sa.select(referral.c.id, referral.c.outcome_on, referral.c.made_at).where(
            referral.c.outcome == "accepted"
        )
    ).all()
    for row_id, outcome_on, made_at in rows:
        at = datetime.combine(outcome_on, time()) if outcome_on else made_at
        bind.execute(referral.update().where(referral.c.id == row_id).values(accepted_at=at))


def downgrade():
    with op.batch_alter_table("referral", schema=None) as batch_op:
        batch_op.drop_index("ix_referral_org_accepted")
        batch_op.drop_column("accepted_at")
