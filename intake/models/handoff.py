"""Hand-offs to a receiving organisation: the referral packet a link opens, and
the keys an organisation's case-management system reads accepted cases with.

Neither stores a secret a reader of the database could use: the link's token,
its second-factor code and an API key are kept as keyed hashes only. The link
itself is also kept encrypted (like the applicant's answers) so the outbox can
build its message when it sends it, with the keys as configured then.
"""

from datetime import date, datetime

from sqlalchemy import ForeignKey, String
from sqlalchemy.orm import Mapped, mapped_column

from intake.crypto import Encrypted
from intake.db import db
from intake.timeutil import column_now


class ReferralPacket(db.Model):
    __tablename__ = "referral_packet"

    id: Mapped[int] = mapped_column(primary_key=True)
    referral_id: Mapped[int] = mapped_column(
        ForeignKey("referral.id", ondelete="CASCADE"), index=True
    )
    # Keyed hash of the link's token (the only thing in the URL) and of the code
    # the referring staff member tells the receiver by phone.
    token_hash: Mapped[str] = mapped_column(String(64), unique=True)
    code_hash: Mapped[str] = mapped_column(String(64))
    link: Mapped[str] = mapped_column(Encrypted)  # the token, for the outbox's message
    recipient: Mapped[str] = mapped_column(Encrypted)  # the organisation's address then
    created_at: Mapped[datetime] = mapped_column(default=column_now)
    created_by_id: Mapped[int | None] = mapped_column(ForeignKey("staff_user.id"))
    expires_at: Mapped[datetime]
    revoked_at: Mapped[datetime | None]
    revoked_by_id: Mapped[int | None] = mapped_column(ForeignKey("staff_user.id"))
    # Wrong codes typed at this link; at PACKET_CODE_ATTEMPTS it opens no more.
    wrong_codes: Mapped[int] = mapped_column(default=0)
    opened_count: Mapped[int] = mapped_column(default=0)
    last_opened_at: Mapped[datetime | None]
    # The receiver's answer, given once: accepted or declined (with a reason).
    answer: Mapped[str | None] = mapped_column(String(12))
    answered_at: Mapped[datetime | None]
    decline_reason: Mapped[str | None] = mapped_column(Encrypted)


class ApiKey(db.Model):
    """One integration's key: reads the cases its organisation accepted and
    writes their outcomes. ``prefix`` names the key in lists and logs; the key
    is shown once and kept as a keyed hash."""

    __tablename__ = "api_key"

    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(String(120))
    organisation_id: Mapped[int] = mapped_column(ForeignKey("referral_organisation.id"), index=True)
    prefix: Mapped[str] = mapped_column(String(16), unique=True)
    key_hash: Mapped[str] = mapped_column(String(64), unique=True)
    created_at: Mapped[datetime] = mapped_column(default=column_now)
    created_by_id: Mapped[int | None] = mapped_column(ForeignKey("staff_user.id"))
    revoked_at: Mapped[datetime | None]
    revoked_by_id: Mapped[int | None] = mapped_column(ForeignKey("staff_user.id"))
    last_used_at: Mapped[datetime | None]


class ReceiverOutcome(db.Model):
    """What became of a referred case at the organisation that accepted it, as its
    system reports it through the API (an ``intake.models.outcome.Outcome`` code).
    Kept apart from the office's own ``CaseOutcome``: the office's reports count
    the cases it represents, not those another organisation took."""

    __tablename__ = "receiver_outcome"

    id: Mapped[int] = mapped_column(primary_key=True)
    referral_id: Mapped[int] = mapped_column(
        ForeignKey("referral.id", ondelete="CASCADE"), index=True
    )
    kind: Mapped[str] = mapped_column(String(20))
    happened_on: Mapped[date]
    api_key_id: Mapped[int | None] = mapped_column(ForeignKey("api_key.id"))
    recorded_at: Mapped[datetime] = mapped_column(default=column_now)
