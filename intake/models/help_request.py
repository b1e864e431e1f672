"""A request for legal help from the screening form.

Personal answers are ``Encrypted`` columns; what staff sort and filter on
(status, urgency, dates, claim types, language) stays plain, and duplicates are
found through keyed hashes of the normalised phone and email.
"""

from datetime import date, datetime

from sqlalchemy import ForeignKey, Index, String, Text, false
from sqlalchemy.orm import Mapped, mapped_column, relationship

from ..crypto import Encrypted
from ..db import db
from ..timeutil import column_now

STATUSES = (
    "new",
    "in_review",
    "accepted",
    "referred",
    "declined",
    "withdrawn",
    "could_not_reach",
)
OPEN_STATUSES = ("new", "in_review")


class HelpRequest(db.Model):
    __tablename__ = "help_request"

    id: Mapped[int] = mapped_column(primary_key=True)
    # Shown to the applicant: random Crockford base32, never sequential.
    reference: Mapped[str] = mapped_column(String(16), unique=True)
    # The single-use form token's id: a resubmission finds the request it made.
    submission_key: Mapped[str | None] = mapped_column(String(64), unique=True)
    created_at: Mapped[datetime] = mapped_column(default=column_now)
    updated_at: Mapped[datetime] = mapped_column(default=column_now, onupdate=column_now)
    # Optimistic locking: a stale staff edit fails instead of overwriting.
    version: Mapped[int] = mapped_column(default=1)

    # Triage (plain)
    status: Mapped[str] = mapped_column(String(20), default="new")
    assignee_id: Mapped[int | None] = mapped_column(ForeignKey("staff_user.id"), index=True)
    screen: Mapped[str] = mapped_column(String(32))  # computed by intake.rules on submit
    screen_override: Mapped[str | None] = mapped_column(String(32))  # set by staff, with a reason
    urgency: Mapped[str] = mapped_column(String(10))
    urgency_rank: Mapped[int]  # 0 critical, 1 high, 2 normal: the queue's sort key
    reasons: Mapped[str] = mapped_column(Text, default="[]")  # JSON list of sentences
    flags: Mapped[str] = mapped_column(Text, default="[]")  # JSON list of sentences
    income_percent: Mapped[int | None]
    guideline_year: Mapped[int | None]
    filing_deadline: Mapped[date | None]
    hearing_date: Mapped[date | None]

    # Answers used by the rules (plain: no one is identified by them)
    represented: Mapped[str] = mapped_column(String(10))
    can_pay: Mapped[str] = mapped_column(String(10))
    household_size: Mapped[int]
    claim_types: Mapped[str] = mapped_column(String(200))  # " asylum cat " (space-delimited)
    detained: Mapped[bool]
    hearing: Mapped[str] = mapped_column(String(10))
    arrival_year: Mapped[int | None]
    arrival_month: Mapped[int | None]
    arrival_day: Mapped[int | None]
    i589_filed: Mapped[str] = mapped_column(String(10))
    minor: Mapped[bool]
    state: Mapped[str] = mapped_column(String(2), default="")
    preferred_language: Mapped[str] = mapped_column(String(40), default="")
    safe_to_message: Mapped[str] = mapped_column(String(10), default="not_sure")
    # Who is asking: self / family / detained_person / organisation (a category
    # only). Anyone but "self" is a helper, and the helper is the contact.
    asker: Mapped[str] = mapped_column(String(20), default="self")
    # Consent, asked as its own question, to share the request with another legal
    # organisation that could help (the privacy notice promises nothing more).
    share_consent: Mapped[bool] = mapped_column(default=False)
    # Staff have reached the person or left them a message (intake.outreach):
    # the promised reply is kept. Part of the queue's order: within an urgency
    # band, people nobody has reached yet come first, oldest (so overdue) first.
    contacted: Mapped[bool] = mapped_column(default=False, server_default=false())
    interface_language: Mapped[str] = mapped_column(String(10), default="en")
    source: Mapped[str] = mapped_column(String(160), default="")  # release slug or page
    # The partner site whose frame the request came through (None: our own pages).
    # Only which partner, never anything about the host page or its visitor.
    partner_id: Mapped[int | None] = mapped_column(ForeignKey("partner.id"), index=True)
    partner: Mapped["Partner | None"] = relationship()  # noqa: F821 (intake.models.partner)

    # Personal answers (encrypted at rest)
    name: Mapped[str] = mapped_column(Encrypted)
    nationality: Mapped[str] = mapped_column(Encrypted)
    phone: Mapped[str | None] = mapped_column(Encrypted)
    email: Mapped[str | None] = mapped_column(Encrypted)
    monthly_income: Mapped[str | None] = mapped_column(Encrypted)
    detention_facility: Mapped[str | None] = mapped_column(Encrypted)
    summary: Mapped[str | None] = mapped_column(Encrypted)

    # Keyed hashes (HMAC) of the normalised phone and email, for duplicates.
    phone_hash: Mapped[str | None] = mapped_column(String(64), index=True)
    email_hash: Mapped[str | None] = mapped_column(String(64), index=True)

    __mapper_args__ = {"version_id_col": version}
    __table_args__ = (
        Index("ix_help_request_queue", "status", "urgency_rank", "contacted", "created_at", "id"),
        Index("ix_help_request_queue_all", "urgency_rank", "contacted", "created_at", "id"),
        # The language filter is the one staff use most after status.
        Index(
            "ix_help_request_queue_language",
            "preferred_language",
            "urgency_rank",
            "contacted",
            "created_at",
            "id",
        ),
    )

    def __repr__(self) -> str:
        return f"<HelpRequest {self.reference}>"
