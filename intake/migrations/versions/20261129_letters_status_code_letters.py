"""letters: the applicant's status code (its HMAC only)

Revision ID: 20261129_letters
Revises: 20261129_casework
Create Date: 2026-11-29 21:30:00

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = '20261129_letters'
down_revision = '20261129_casework'
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table('help_request', schema=None) as batch_op:
        batch_op.add_column(sa.Column('status_code_hash', sa.String(length=64), nullable=True))


def downgrade():
    with op.batch_alter_table('help_request', schema=None) as batch_op:
        batch_op.drop_column('status_code_hash')
