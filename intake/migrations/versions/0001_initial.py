"""The initial schema, built from the models.

Revision ID: 0001_initial
Revises:
Create Date: 2026-12-07

Every later revision is named after its id (``flask db migrate --rev-id
0002_what_it_does``): tests/test_migrations.py checks it.
"""

import sqlalchemy as sa
from alembic import op

# revision identifiers, used by Alembic.
revision = "0001_initial"
down_revision = None
branch_labels = None
depends_on = None


def upgrade():
    op.create_table(
        "funder",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("name", sa.String(length=120), nullable=False),
        sa.Column("active_from", sa.Date(), nullable=False),
        sa.Column("active_until", sa.Date(), nullable=True),
        sa.Column("states", sa.Text(), nullable=False),
        sa.Column("claim_types", sa.Text(), nullable=False),
        sa.Column("languages", sa.Text(), nullable=False),
        sa.Column("created_at", sa.DateTime(), nullable=False),
        sa.Column("updated_at", sa.DateTime(), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_funder")),
        sa.UniqueConstraint("name", name=op.f("uq_funder_name")),
    )
    op.create_table(
        "outgoing_mail",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("kind", sa.String(length=32), nullable=False),
        sa.Column("created_at", sa.DateTime(), nullable=False),
        sa.Column("attempts", sa.Integer(), nullable=False),
        sa.Column("next_attempt_at", sa.DateTime(), nullable=False),
        sa.Column("claimed_until", sa.DateTime(), nullable=True),
        sa.Column("last_error_type", sa.String(length=64), nullable=True),
        sa.Column("sent_at", sa.DateTime(), nullable=True),
        sa.Column("failed_at", sa.DateTime(), nullable=True),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_outgoing_mail")),
    )
    with op.batch_alter_table("outgoing_mail", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_outgoing_mail_next_attempt_at"), ["next_attempt_at"], unique=False
        )

    op.create_table(
        "partner",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("name", sa.String(length=120), nullable=False),
        sa.Column("key", sa.String(length=32), nullable=False),
        sa.Column("origins", sa.Text(), nullable=False),
        sa.Column("active", sa.Boolean(), nullable=False),
        sa.Column("created_at", sa.DateTime(), nullable=False),
        sa.Column("updated_at", sa.DateTime(), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_partner")),
        sa.UniqueConstraint("key", name=op.f("uq_partner_key")),
    )
    op.create_table(
        "referral_organisation",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("name", sa.String(length=160), nullable=False),
        sa.Column("languages", sa.String(length=400), nullable=False),
        sa.Column("states", sa.String(length=400), nullable=False),
        sa.Column("reliefs", sa.String(length=200), nullable=False),
        sa.Column("serves_detained", sa.Boolean(), nullable=False),
        sa.Column("detention_centres", sa.Text(), nullable=False),
        sa.Column("accepting", sa.Boolean(), nullable=False),
        sa.Column("refer_by", sa.String(length=10), nullable=False),
        sa.Column("how_to_refer", sa.String(length=300), nullable=False),
        sa.Column("note", sa.Text(), nullable=False),
        sa.Column("active", sa.Boolean(), nullable=False),
        sa.Column("updated_at", sa.DateTime(), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_referral_organisation")),
    )
    op.create_table(
        "release",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("slug", sa.String(length=160), nullable=False),
        sa.Column("title", sa.String(length=300), nullable=False),
        sa.Column("body_html", sa.Text(), nullable=False),
        sa.Column("section", sa.String(length=60), nullable=False),
        sa.Column("published_on", sa.Date(), nullable=False),
        sa.Column("is_published", sa.Boolean(), nullable=False),
        sa.Column("show_call_to_action", sa.Boolean(), nullable=False),
        sa.Column("created_at", sa.DateTime(), nullable=False),
        sa.Column("updated_at", sa.DateTime(), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_release")),
        sa.UniqueConstraint("slug", name=op.f("uq_release_slug")),
    )
    with op.batch_alter_table("release", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_release_published_on"), ["published_on"], unique=False)

    op.create_table(
        "staff_user",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("email", sa.String(length=254), nullable=False),
        sa.Column("role", sa.String(length=20), nullable=False),
        sa.Column("active", sa.Boolean(), nullable=False),
        sa.Column("password_hash", sa.String(length=200), nullable=True),
        sa.Column("totp_secret", sa.Text(), nullable=True),
        sa.Column("last_totp_step", sa.Integer(), nullable=True),
        sa.Column("session_epoch", sa.Integer(), nullable=False),
        sa.Column("failed_logins", sa.Integer(), nullable=False),
        sa.Column("created_at", sa.DateTime(), nullable=False),
        sa.Column("last_login_at", sa.DateTime(), nullable=True),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_staff_user")),
        sa.UniqueConstraint("email", name=op.f("uq_staff_user_email")),
    )
    op.create_table(
        "audit_event",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("at", sa.DateTime(), nullable=False),
        sa.Column("actor_id", sa.Integer(), nullable=True),
        sa.Column("action", sa.String(length=40), nullable=False),
        sa.Column("target_type", sa.String(length=20), nullable=False),
        sa.Column("target", sa.String(length=40), nullable=False),
        sa.Column("detail", sa.String(length=500), nullable=False),
        sa.ForeignKeyConstraint(
            ["actor_id"], ["staff_user.id"], name=op.f("fk_audit_event_actor_id_staff_user")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_audit_event")),
    )
    with op.batch_alter_table("audit_event", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_audit_event_action"), ["action"], unique=False)
        batch_op.create_index(batch_op.f("ix_audit_event_actor_id"), ["actor_id"], unique=False)
        batch_op.create_index(batch_op.f("ix_audit_event_at"), ["at"], unique=False)
        batch_op.create_index(batch_op.f("ix_audit_event_target"), ["target"], unique=False)

    op.create_table(
        "help_request",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("reference", sa.String(length=16), nullable=False),
        sa.Column("submission_key", sa.String(length=64), nullable=True),
        sa.Column("created_at", sa.DateTime(), nullable=False),
        sa.Column("created_on", sa.Date(), nullable=True),
        sa.Column("updated_at", sa.DateTime(), nullable=False),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.Column("status", sa.String(length=20), nullable=False),
        sa.Column("assignee_id", sa.Integer(), nullable=True),
        sa.Column("disposition", sa.String(length=32), nullable=True),
        sa.Column("closed_at", sa.DateTime(), nullable=True),
        sa.Column("first_contact_at", sa.DateTime(), nullable=True),
        sa.Column("hours_to_close", sa.Integer(), nullable=True),
        sa.Column("hours_to_first_contact", sa.Integer(), nullable=True),
        sa.Column("screen", sa.String(length=32), nullable=False),
        sa.Column("screen_override", sa.String(length=32), nullable=True),
        sa.Column("urgency", sa.String(length=10), nullable=False),
        sa.Column("urgency_rank", sa.Integer(), nullable=False),
        sa.Column("reasons", sa.Text(), nullable=False),
        sa.Column("flags", sa.Text(), nullable=False),
        sa.Column("income_percent", sa.Integer(), nullable=True),
        sa.Column("guideline_year", sa.Integer(), nullable=True),
        sa.Column("filing_deadline", sa.Date(), nullable=True),
        sa.Column("hearing_date", sa.Date(), nullable=True),
        sa.Column("urgency_steps", sa.Text(), nullable=False),
        sa.Column("urgency_changes_on", sa.Date(), nullable=True),
        sa.Column("urgency_rose_on", sa.Date(), nullable=True),
        sa.Column("deadline_dates", sa.Text(), nullable=False),
        sa.Column("dated_events", sa.Text(), server_default="[]", nullable=False),
        sa.Column(
            "next_event_on", sa.Date(), server_default=sa.text("'9999-12-31'"), nullable=False
        ),
        sa.Column("urgency_set_by_staff", sa.Boolean(), nullable=False),
        sa.Column("asker", sa.String(length=20), nullable=False),
        sa.Column("share_consent", sa.Boolean(), nullable=False),
        sa.Column("represented", sa.String(length=10), nullable=False),
        sa.Column("can_pay", sa.String(length=10), nullable=False),
        sa.Column("household_size", sa.Integer(), nullable=False),
        sa.Column("claim_types", sa.String(length=200), nullable=False),
        sa.Column("detained", sa.Boolean(), nullable=False),
        sa.Column("hearing", sa.String(length=10), nullable=False),
        sa.Column("arrival_year", sa.Integer(), nullable=True),
        sa.Column("arrival_month", sa.Integer(), nullable=True),
        sa.Column("arrival_day", sa.Integer(), nullable=True),
        sa.Column("i589_filed", sa.String(length=10), nullable=False),
        sa.Column("minor", sa.Boolean(), nullable=False),
        sa.Column("state", sa.String(length=2), nullable=False),
        sa.Column("preferred_language", sa.String(length=40), nullable=False),
        sa.Column("safe_to_message", sa.String(length=10), nullable=False),
        sa.Column("contacted", sa.Boolean(), server_default=sa.false(), nullable=False),
        sa.Column("interface_language", sa.String(length=10), nullable=False),
        sa.Column("source", sa.String(length=160), nullable=False),
        sa.Column("nationality_code", sa.String(length=16), nullable=False),
        sa.Column("age_band", sa.String(length=8), nullable=True),
        sa.Column("partner_id", sa.Integer(), nullable=True),
        sa.Column("name", sa.Text(), nullable=False),
        sa.Column("nationality", sa.Text(), nullable=False),
        sa.Column("phone", sa.Text(), nullable=True),
        sa.Column("email", sa.Text(), nullable=True),
        sa.Column("monthly_income", sa.Text(), nullable=True),
        sa.Column("detention_facility", sa.Text(), nullable=True),
        sa.Column("summary", sa.Text(), nullable=True),
        sa.Column("facts", sa.Text(), nullable=True),
        sa.Column("status_code_hash", sa.String(length=64), nullable=True),
        sa.Column("phone_hash", sa.String(length=64), nullable=True),
        sa.Column("email_hash", sa.String(length=64), nullable=True),
        sa.ForeignKeyConstraint(
            ["assignee_id"], ["staff_user.id"], name=op.f("fk_help_request_assignee_id_staff_user")
        ),
        sa.ForeignKeyConstraint(
            ["partner_id"], ["partner.id"], name=op.f("fk_help_request_partner_id_partner")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_help_request")),
        sa.UniqueConstraint("reference", name=op.f("uq_help_request_reference")),
        sa.UniqueConstraint("submission_key", name=op.f("uq_help_request_submission_key")),
    )
    with op.batch_alter_table("help_request", schema=None) as batch_op:
        batch_op.create_index(
            "ix_help_request_assignee_status", ["assignee_id", "status"], unique=False
        )
        batch_op.create_index(
            batch_op.f("ix_help_request_email_hash"), ["email_hash"], unique=False
        )
        batch_op.create_index(
            batch_op.f("ix_help_request_next_event_on"), ["next_event_on"], unique=False
        )
        batch_op.create_index(
            batch_op.f("ix_help_request_partner_id"), ["partner_id"], unique=False
        )
        batch_op.create_index(
            batch_op.f("ix_help_request_phone_hash"), ["phone_hash"], unique=False
        )
        batch_op.create_index(
            "ix_help_request_queue",
            ["status", "urgency_rank", "next_event_on", "contacted", "created_at", "id"],
            unique=False,
        )
        batch_op.create_index(
            "ix_help_request_queue_all",
            ["urgency_rank", "next_event_on", "contacted", "created_at", "id"],
            unique=False,
        )
        batch_op.create_index(
            "ix_help_request_queue_language",
            [
                "preferred_language",
                "urgency_rank",
                "next_event_on",
                "contacted",
                "created_at",
                "id",
            ],
            unique=False,
        )
        batch_op.create_index(
            "ix_help_request_queue_open",
            ["urgency_rank", "next_event_on", "contacted", "created_at", "id"],
            unique=False,
            sqlite_where=sa.text("status IN ('new', 'in_review')"),
            postgresql_where=sa.text("status IN ('new', 'in_review')"),
        )
        batch_op.create_index(
            "ix_help_request_queue_open_assignee",
            ["assignee_id", "urgency_rank", "next_event_on", "contacted", "created_at", "id"],
            unique=False,
            sqlite_where=sa.text("status IN ('new', 'in_review')"),
            postgresql_where=sa.text("status IN ('new', 'in_review')"),
        )
        batch_op.create_index(
            "ix_help_request_report", ["created_on", "urgency", "id"], unique=False
        )
        batch_op.create_index(
            "ix_help_request_report_age_band", ["age_band", "created_on", "id"], unique=False
        )
        batch_op.create_index(
            "ix_help_request_report_claim_types", ["claim_types", "created_on", "id"], unique=False
        )
        batch_op.create_index(
            "ix_help_request_report_hours_to_close",
            ["hours_to_close", "created_on", "id"],
            unique=False,
        )
        batch_op.create_index(
            "ix_help_request_report_hours_to_first_contact",
            ["hours_to_first_contact", "created_on", "id"],
            unique=False,
        )
        batch_op.create_index("ix_help_request_report_id", ["id", "created_on"], unique=False)
        batch_op.create_index(
            "ix_help_request_report_kinds",
            [
                "status",
                "disposition",
                "detained",
                "partner_id",
                "screen_override",
                "screen",
                "created_on",
                "id",
            ],
            unique=False,
        )
        batch_op.create_index(
            "ix_help_request_report_nationality_code",
            ["nationality_code", "created_on", "id"],
            unique=False,
        )
        batch_op.create_index(
            "ix_help_request_report_preferred_language",
            ["preferred_language", "created_on", "id"],
            unique=False,
        )
        batch_op.create_index(
            "ix_help_request_report_state", ["state", "created_on", "id"], unique=False
        )
        batch_op.create_index(
            batch_op.f("ix_help_request_urgency_changes_on"), ["urgency_changes_on"], unique=False
        )

    op.create_table(
        "letter_template",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("kind", sa.String(length=20), nullable=False),
        sa.Column("language", sa.String(length=10), nullable=False),
        sa.Column("body", sa.Text(), nullable=False),
        sa.Column("updated_at", sa.DateTime(), nullable=False),
        sa.Column("updated_by_id", sa.Integer(), nullable=True),
        sa.ForeignKeyConstraint(
            ["updated_by_id"],
            ["staff_user.id"],
            name=op.f("fk_letter_template_updated_by_id_staff_user"),
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_letter_template")),
        sa.UniqueConstraint("kind", "language", name=op.f("uq_letter_template_kind")),
    )
    op.create_table(
        "staff_invitation",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("staff_user_id", sa.Integer(), nullable=False),
        sa.Column("token_hash", sa.String(length=64), nullable=False),
        sa.Column("created_at", sa.DateTime(), nullable=False),
        sa.Column("expires_at", sa.DateTime(), nullable=False),
        sa.Column("used_at", sa.DateTime(), nullable=True),
        sa.Column("pending_totp_secret", sa.Text(), nullable=True),
        sa.ForeignKeyConstraint(
            ["staff_user_id"],
            ["staff_user.id"],
            name=op.f("fk_staff_invitation_staff_user_id_staff_user"),
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_staff_invitation")),
        sa.UniqueConstraint("token_hash", name=op.f("uq_staff_invitation_token_hash")),
    )
    with op.batch_alter_table("staff_invitation", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_staff_invitation_staff_user_id"), ["staff_user_id"], unique=False
        )

    op.create_table(
        "adverse_party",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("request_id", sa.Integer(), nullable=False),
        sa.Column("relationship", sa.String(length=20), nullable=False),
        sa.Column("name", sa.Text(), nullable=False),
        sa.Column("date_of_birth", sa.Text(), nullable=True),
        sa.Column("added_by_id", sa.Integer(), nullable=True),
        sa.Column("added_at", sa.DateTime(), nullable=False),
        sa.ForeignKeyConstraint(
            ["added_by_id"], ["staff_user.id"], name=op.f("fk_adverse_party_added_by_id_staff_user")
        ),
        sa.ForeignKeyConstraint(
            ["request_id"],
            ["help_request.id"],
            name=op.f("fk_adverse_party_request_id_help_request"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_adverse_party")),
    )
    with op.batch_alter_table("adverse_party", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_adverse_party_request_id"), ["request_id"], unique=False
        )

    op.create_table(
        "callback",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("request_id", sa.Integer(), nullable=False),
        sa.Column("kind", sa.String(length=20), nullable=False),
        sa.Column("due_at", sa.DateTime(), nullable=False),
        sa.Column("owner_id", sa.Integer(), nullable=False),
        sa.Column("booked_by_id", sa.Integer(), nullable=True),
        sa.Column("booked_at", sa.DateTime(), nullable=False),
        sa.Column("state", sa.String(length=10), nullable=False),
        sa.Column("closed_at", sa.DateTime(), nullable=True),
        sa.Column("note", sa.Text(), nullable=True),
        sa.ForeignKeyConstraint(
            ["booked_by_id"], ["staff_user.id"], name=op.f("fk_callback_booked_by_id_staff_user")
        ),
        sa.ForeignKeyConstraint(
            ["owner_id"], ["staff_user.id"], name=op.f("fk_callback_owner_id_staff_user")
        ),
        sa.ForeignKeyConstraint(
            ["request_id"],
            ["help_request.id"],
            name=op.f("fk_callback_request_id_help_request"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_callback")),
    )
    with op.batch_alter_table("callback", schema=None) as batch_op:
        batch_op.create_index(
            "ix_callback_owner_due", ["owner_id", "state", "due_at"], unique=False
        )
        batch_op.create_index(batch_op.f("ix_callback_request_id"), ["request_id"], unique=False)

    op.create_table(
        "case_note",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("request_id", sa.Integer(), nullable=False),
        sa.Column("author_id", sa.Integer(), nullable=True),
        sa.Column("created_at", sa.DateTime(), nullable=False),
        sa.Column("text", sa.Text(), nullable=False),
        sa.ForeignKeyConstraint(
            ["author_id"], ["staff_user.id"], name=op.f("fk_case_note_author_id_staff_user")
        ),
        sa.ForeignKeyConstraint(
            ["request_id"],
            ["help_request.id"],
            name=op.f("fk_case_note_request_id_help_request"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_case_note")),
    )
    with op.batch_alter_table("case_note", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_case_note_request_id"), ["request_id"], unique=False)

    op.create_table(
        "case_outcome",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("request_id", sa.Integer(), nullable=False),
        sa.Column("kind", sa.String(length=20), nullable=False),
        sa.Column("happened_on", sa.Date(), nullable=False),
        sa.Column("actor_id", sa.Integer(), nullable=True),
        sa.Column("recorded_at", sa.DateTime(), nullable=False),
        sa.ForeignKeyConstraint(
            ["actor_id"], ["staff_user.id"], name=op.f("fk_case_outcome_actor_id_staff_user")
        ),
        sa.ForeignKeyConstraint(
            ["request_id"],
            ["help_request.id"],
            name=op.f("fk_case_outcome_request_id_help_request"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_case_outcome")),
    )
    with op.batch_alter_table("case_outcome", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_case_outcome_happened_on"), ["happened_on"], unique=False
        )
        batch_op.create_index(batch_op.f("ix_case_outcome_kind"), ["kind"], unique=False)
        batch_op.create_index(
            batch_op.f("ix_case_outcome_request_id"), ["request_id"], unique=False
        )

    op.create_table(
        "case_status_change",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("request_id", sa.Integer(), nullable=False),
        sa.Column("actor_id", sa.Integer(), nullable=True),
        sa.Column("at", sa.DateTime(), nullable=False),
        sa.Column("kind", sa.String(length=10), nullable=False),
        sa.Column("from_value", sa.String(length=32), nullable=True),
        sa.Column("to_value", sa.String(length=32), nullable=True),
        sa.Column("reason", sa.Text(), nullable=True),
        sa.ForeignKeyConstraint(
            ["actor_id"], ["staff_user.id"], name=op.f("fk_case_status_change_actor_id_staff_user")
        ),
        sa.ForeignKeyConstraint(
            ["request_id"],
            ["help_request.id"],
            name=op.f("fk_case_status_change_request_id_help_request"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_case_status_change")),
    )
    with op.batch_alter_table("case_status_change", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_case_status_change_request_id"), ["request_id"], unique=False
        )

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
    with op.batch_alter_table("confirmation", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_confirmation_expires_at"), ["expires_at"], unique=False
        )
        batch_op.create_index(
            batch_op.f("ix_confirmation_request_id"), ["request_id"], unique=False
        )

    op.create_table(
        "contact_attempt",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("request_id", sa.Integer(), nullable=False),
        sa.Column("actor_id", sa.Integer(), nullable=True),
        sa.Column("at", sa.DateTime(), nullable=False),
        sa.Column("channel", sa.String(length=20), nullable=False),
        sa.Column("outcome", sa.String(length=20), nullable=False),
        sa.Column("contact", sa.String(length=20), nullable=False),
        sa.Column("note", sa.Text(), nullable=True),
        sa.Column("override_reason", sa.Text(), nullable=True),
        sa.ForeignKeyConstraint(
            ["actor_id"], ["staff_user.id"], name=op.f("fk_contact_attempt_actor_id_staff_user")
        ),
        sa.ForeignKeyConstraint(
            ["request_id"],
            ["help_request.id"],
            name=op.f("fk_contact_attempt_request_id_help_request"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_contact_attempt")),
    )
    with op.batch_alter_table("contact_attempt", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_contact_attempt_request_id"), ["request_id"], unique=False
        )

    op.create_table(
        "letter",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("request_id", sa.Integer(), nullable=False),
        sa.Column("kind", sa.String(length=20), nullable=False),
        sa.Column("language", sa.String(length=10), nullable=False),
        sa.Column("sent_at", sa.DateTime(), nullable=False),
        sa.Column("sent_by_id", sa.Integer(), nullable=True),
        sa.Column("emailed", sa.Boolean(), nullable=False),
        sa.Column("subject", sa.Text(), nullable=False),
        sa.Column("body", sa.Text(), nullable=False),
        sa.ForeignKeyConstraint(
            ["request_id"],
            ["help_request.id"],
            name=op.f("fk_letter_request_id_help_request"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["sent_by_id"], ["staff_user.id"], name=op.f("fk_letter_sent_by_id_staff_user")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_letter")),
    )
    with op.batch_alter_table("letter", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_letter_request_id"), ["request_id"], unique=False)

    op.create_table(
        "referral",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("request_id", sa.Integer(), nullable=False),
        sa.Column("organisation_id", sa.Integer(), nullable=False),
        sa.Column("made_on", sa.Date(), nullable=False),
        sa.Column("made_by_id", sa.Integer(), nullable=True),
        sa.Column("made_at", sa.DateTime(), nullable=False),
        sa.Column("method", sa.String(length=10), nullable=False),
        sa.Column("consent", sa.String(length=12), nullable=False),
        sa.Column("outcome", sa.String(length=12), nullable=True),
        sa.Column("outcome_on", sa.Date(), nullable=True),
        sa.Column("follow_up_on", sa.Date(), nullable=True),
        sa.Column("note", sa.Text(), nullable=True),
        sa.ForeignKeyConstraint(
            ["made_by_id"], ["staff_user.id"], name=op.f("fk_referral_made_by_id_staff_user")
        ),
        sa.ForeignKeyConstraint(
            ["organisation_id"],
            ["referral_organisation.id"],
            name=op.f("fk_referral_organisation_id_referral_organisation"),
        ),
        sa.ForeignKeyConstraint(
            ["request_id"],
            ["help_request.id"],
            name=op.f("fk_referral_request_id_help_request"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_referral")),
    )
    with op.batch_alter_table("referral", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_referral_organisation_id"), ["organisation_id"], unique=False
        )
        batch_op.create_index(batch_op.f("ix_referral_request_id"), ["request_id"], unique=False)

    op.create_table(
        "request_funder",
        sa.Column("request_id", sa.Integer(), nullable=False),
        sa.Column("funder_id", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(
            ["funder_id"],
            ["funder.id"],
            name=op.f("fk_request_funder_funder_id_funder"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["request_id"],
            ["help_request.id"],
            name=op.f("fk_request_funder_request_id_help_request"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("request_id", "funder_id", name=op.f("pk_request_funder")),
    )
    with op.batch_alter_table("request_funder", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_request_funder_funder_id"), ["funder_id"], unique=False
        )

    op.create_table(
        "conflict_key",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("kind", sa.String(length=20), nullable=False),
        sa.Column("person_hash", sa.String(length=64), nullable=False),
        sa.Column("name_only", sa.Boolean(), nullable=False),
        sa.Column("reference", sa.String(length=16), nullable=False),
        sa.Column("request_id", sa.Integer(), nullable=False),
        sa.Column("adverse_party_id", sa.Integer(), nullable=True),
        sa.Column("created_at", sa.DateTime(), nullable=False),
        sa.ForeignKeyConstraint(
            ["adverse_party_id"],
            ["adverse_party.id"],
            name=op.f("fk_conflict_key_adverse_party_id_adverse_party"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["request_id"],
            ["help_request.id"],
            name=op.f("fk_conflict_key_request_id_help_request"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_conflict_key")),
    )
    with op.batch_alter_table("conflict_key", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_conflict_key_person_hash"), ["person_hash"], unique=False
        )
        batch_op.create_index(batch_op.f("ix_conflict_key_reference"), ["reference"], unique=False)
        batch_op.create_index(
            batch_op.f("ix_conflict_key_request_id"), ["request_id"], unique=False
        )


def downgrade():
    with op.batch_alter_table("conflict_key", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_conflict_key_request_id"))
        batch_op.drop_index(batch_op.f("ix_conflict_key_reference"))
        batch_op.drop_index(batch_op.f("ix_conflict_key_person_hash"))

    op.drop_table("conflict_key")
    with op.batch_alter_table("request_funder", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_request_funder_funder_id"))

    op.drop_table("request_funder")
    with op.batch_alter_table("referral", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_referral_request_id"))
        batch_op.drop_index(batch_op.f("ix_referral_organisation_id"))

    op.drop_table("referral")
    with op.batch_alter_table("letter", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_letter_request_id"))

    op.drop_table("letter")
    with op.batch_alter_table("contact_attempt", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_contact_attempt_request_id"))

    op.drop_table("contact_attempt")
    with op.batch_alter_table("confirmation", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_confirmation_request_id"))
        batch_op.drop_index(batch_op.f("ix_confirmation_expires_at"))

    op.drop_table("confirmation")
    with op.batch_alter_table("case_status_change", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_case_status_change_request_id"))

    op.drop_table("case_status_change")
    with op.batch_alter_table("case_outcome", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_case_outcome_request_id"))
        batch_op.drop_index(batch_op.f("ix_case_outcome_kind"))
        batch_op.drop_index(batch_op.f("ix_case_outcome_happened_on"))

    op.drop_table("case_outcome")
    with op.batch_alter_table("case_note", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_case_note_request_id"))

    op.drop_table("case_note")
    with op.batch_alter_table("callback", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_callback_request_id"))
        batch_op.drop_index("ix_callback_owner_due")

    op.drop_table("callback")
    with op.batch_alter_table("adverse_party", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_adverse_party_request_id"))

    op.drop_table("adverse_party")
    with op.batch_alter_table("staff_invitation", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_staff_invitation_staff_user_id"))

    op.drop_table("staff_invitation")
    op.drop_table("letter_template")
    with op.batch_alter_table("help_request", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_help_request_urgency_changes_on"))
        batch_op.drop_index("ix_help_request_report_state")
        batch_op.drop_index("ix_help_request_report_preferred_language")
        batch_op.drop_index("ix_help_request_report_nationality_code")
        batch_op.drop_index("ix_help_request_report_kinds")
        batch_op.drop_index("ix_help_request_report_id")
        batch_op.drop_index("ix_help_request_report_hours_to_first_contact")
        batch_op.drop_index("ix_help_request_report_hours_to_close")
        batch_op.drop_index("ix_help_request_report_claim_types")
        batch_op.drop_index("ix_help_request_report_age_band")
        batch_op.drop_index("ix_help_request_report")
        batch_op.drop_index(
            "ix_help_request_queue_open_assignee",
            sqlite_where=sa.text("status IN ('new', 'in_review')"),
            postgresql_where=sa.text("status IN ('new', 'in_review')"),
        )
        batch_op.drop_index(
            "ix_help_request_queue_open",
            sqlite_where=sa.text("status IN ('new', 'in_review')"),
            postgresql_where=sa.text("status IN ('new', 'in_review')"),
        )
        batch_op.drop_index("ix_help_request_queue_language")
        batch_op.drop_index("ix_help_request_queue_all")
        batch_op.drop_index("ix_help_request_queue")
        batch_op.drop_index(batch_op.f("ix_help_request_phone_hash"))
        batch_op.drop_index(batch_op.f("ix_help_request_partner_id"))
        batch_op.drop_index(batch_op.f("ix_help_request_next_event_on"))
        batch_op.drop_index(batch_op.f("ix_help_request_email_hash"))
        batch_op.drop_index("ix_help_request_assignee_status")

    op.drop_table("help_request")
    with op.batch_alter_table("audit_event", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_audit_event_target"))
        batch_op.drop_index(batch_op.f("ix_audit_event_at"))
        batch_op.drop_index(batch_op.f("ix_audit_event_actor_id"))
        batch_op.drop_index(batch_op.f("ix_audit_event_action"))

    op.drop_table("audit_event")
    op.drop_table("staff_user")
    with op.batch_alter_table("release", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_release_published_on"))

    op.drop_table("release")
    op.drop_table("referral_organisation")
    op.drop_table("partner")
    with op.batch_alter_table("outgoing_mail", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_outgoing_mail_next_attempt_at"))

    op.drop_table("outgoing_mail")
    op.drop_table("funder")
