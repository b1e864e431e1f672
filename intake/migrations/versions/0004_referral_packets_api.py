"""Referral packets, API keys, receivers' outcomes and Open Referral ids.

A packet's link and code and an API key are stored as keyed hashes; the
directory's organisations keep their HSDS ids so an import updates them.

Revision ID: 0004_referral_packets_api
Revises: 0003_phone_numbers_reminders
Create Date: 2026-12-07 11:09:28.937817

"""

from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = "0004_referral_packets_api"
down_revision = "0003_phone_numbers_reminders"
branch_labels = None
depends_on = None


def upgrade():
    op.create_table(
        "api_key",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("name", sa.String(length=120), nullable=False),
        sa.Column("organisation_id", sa.Integer(), nullable=False),
        sa.Column("prefix", sa.String(length=16), nullable=False),
        sa.Column("key_hash", sa.String(length=64), nullable=False),
        sa.Column("created_at", sa.DateTime(), nullable=False),
        sa.Column("created_by_id", sa.Integer(), nullable=True),
        sa.Column("revoked_at", sa.DateTime(), nullable=True),
        sa.Column("revoked_by_id", sa.Integer(), nullable=True),
        sa.Column("last_used_at", sa.DateTime(), nullable=True),
        sa.ForeignKeyConstraint(
            ["created_by_id"], ["staff_user.id"], name=op.f("fk_api_key_created_by_id_staff_user")
        ),
        sa.ForeignKeyConstraint(
            ["organisation_id"],
            ["referral_organisation.id"],
            name=op.f("fk_api_key_organisation_id_referral_organisation"),
        ),
        sa.ForeignKeyConstraint(
            ["revoked_by_id"], ["staff_user.id"], name=op.f("fk_api_key_revoked_by_id_staff_user")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_api_key")),
        sa.UniqueConstraint("key_hash", name=op.f("uq_api_key_key_hash")),
        sa.UniqueConstraint("prefix", name=op.f("uq_api_key_prefix")),
    )
    with op.batch_alter_table("api_key", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_api_key_organisation_id"), ["organisation_id"], unique=False
        )

    op.create_table(
        "receiver_outcome",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("referral_id", sa.Integer(), nullable=False),
        sa.Column("kind", sa.String(length=20), nullable=False),
        sa.Column("happened_on", sa.Date(), nullable=False),
        sa.Column("api_key_id", sa.Integer(), nullable=True),
        sa.Column("recorded_at", sa.DateTime(), nullable=False),
        sa.ForeignKeyConstraint(
            ["api_key_id"], ["api_key.id"], name=op.f("fk_receiver_outcome_api_key_id_api_key")
        ),
        sa.ForeignKeyConstraint(
            ["referral_id"],
            ["referral.id"],
            name=op.f("fk_receiver_outcome_referral_id_referral"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_receiver_outcome")),
    )
    with op.batch_alter_table("receiver_outcome", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_receiver_outcome_referral_id"), ["referral_id"], unique=False
        )

    op.create_table(
        "referral_packet",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("referral_id", sa.Integer(), nullable=False),
        sa.Column("token_hash", sa.String(length=64), nullable=False),
        sa.Column("code_hash", sa.String(length=64), nullable=False),
        sa.Column("link", sa.Text(), nullable=False),
        sa.Column("recipient", sa.Text(), nullable=False),
        sa.Column("created_at", sa.DateTime(), nullable=False),
        sa.Column("created_by_id", sa.Integer(), nullable=True),
        sa.Column("expires_at", sa.DateTime(), nullable=False),
        sa.Column("revoked_at", sa.DateTime(), nullable=True),
        sa.Column("revoked_by_id", sa.Integer(), nullable=True),
        sa.Column("wrong_codes", sa.Integer(), nullable=False),
        sa.Column("opened_count", sa.Integer(), nullable=False),
        sa.Column("last_opened_at", sa.DateTime(), nullable=True),
        sa.Column("answer", sa.String(length=12), nullable=True),
        sa.Column("answered_at", sa.DateTime(), nullable=True),
        sa.Column("decline_reason", sa.Text(), nullable=True),
        sa.ForeignKeyConstraint(
            ["created_by_id"],
            ["staff_user.id"],
            name=op.f("fk_referral_packet_created_by_id_staff_user"),
        ),
        sa.ForeignKeyConstraint(
            ["referral_id"],
            ["referral.id"],
            name=op.f("fk_referral_packet_referral_id_referral"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["revoked_by_id"],
            ["staff_user.id"],
            name=op.f("fk_referral_packet_revoked_by_id_staff_user"),
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_referral_packet")),
        sa.UniqueConstraint("token_hash", name=op.f("uq_referral_packet_token_hash")),
    )
    with op.batch_alter_table("referral_packet", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_referral_packet_referral_id"), ["referral_id"], unique=False
        )

    with op.batch_alter_table("referral_organisation", schema=None) as batch_op:
        batch_op.add_column(sa.Column("hsds_id", sa.String(length=36), nullable=True))
        batch_op.add_column(sa.Column("hsds_service_id", sa.String(length=36), nullable=True))
        batch_op.create_index(
            batch_op.f("ix_referral_organisation_hsds_id"), ["hsds_id"], unique=False
        )
        batch_op.create_unique_constraint(
            batch_op.f("uq_referral_organisation_hsds_service_id"), ["hsds_service_id"]
        )


def downgrade():
    with op.batch_alter_table("referral_organisation", schema=None) as batch_op:
        batch_op.drop_constraint(
            batch_op.f("uq_referral_organisation_hsds_service_id"), type_="unique"
        )
        batch_op.drop_index(batch_op.f("ix_referral_organisation_hsds_id"))
        batch_op.drop_column("hsds_service_id")
        batch_op.drop_column("hsds_id")

    with op.batch_alter_table("referral_packet", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_referral_packet_referral_id"))

    op.drop_table("referral_packet")
    with op.batch_alter_table("receiver_outcome", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_receiver_outcome_referral_id"))

    op.drop_table("receiver_outcome")
    with op.batch_alter_table("api_key", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_api_key_organisation_id"))

    op.drop_table("api_key")
