"""letters: the letters sent (encrypted); the applicant's status code (its HMAC only)

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
    op.create_table('letter',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('request_id', sa.Integer(), nullable=False),
    sa.Column('kind', sa.String(length=20), nullable=False),
    sa.Column('language', sa.String(length=10), nullable=False),
    sa.Column('sent_at', sa.DateTime(), nullable=False),
    sa.Column('sent_by_id', sa.Integer(), nullable=True),
    sa.Column('emailed', sa.Boolean(), nullable=False),
    sa.Column('subject', sa.Text(), nullable=False),
    sa.Column('body', sa.Text(), nullable=False),
    sa.ForeignKeyConstraint(['request_id'], ['help_request.id'], name=op.f('fk_letter_request_id_help_request'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['sent_by_id'], ['staff_user.id'], name=op.f('fk_letter_sent_by_id_staff_user')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_letter'))
    )
    with op.batch_alter_table('letter', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_letter_request_id'), ['request_id'], unique=False)
    op.create_table('letter_template',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('kind', sa.String(length=20), nullable=False),
    sa.Column('language', sa.String(length=10), nullable=False),
    sa.Column('body', sa.Text(), nullable=False),
    sa.Column('updated_at', sa.DateTime(), nullable=False),
    sa.Column('updated_by_id', sa.Integer(), nullable=True),
    sa.ForeignKeyConstraint(['updated_by_id'], ['staff_user.id'], name=op.f('fk_letter_template_updated_by_id_staff_user')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_letter_template')),
    sa.UniqueConstraint('kind', 'language', name=op.f('uq_letter_template_kind'))
    )
    # Plain ADD COLUMN: a batch on SQLite would rebuild help_request, cascading.
    op.add_column('help_request', sa.Column('status_code_hash', sa.String(length=64), nullable=True))


def downgrade():
    with op.batch_alter_table('letter', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_letter_request_id'))
    op.drop_table('letter')
    op.drop_table('letter_template')
    with op.batch_alter_table('help_request', schema=None) as batch_op:
        batch_op.drop_column('status_code_hash')
