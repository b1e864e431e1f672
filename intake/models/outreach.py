"""Reaching the person: each contact attempt, and the callbacks and appointments
staff book with them.

Notes and override reasons are encrypted: staff write them about a person.
Channel, outcome and state are plain codes (intake.staff.followup.outreach), so reports and the
overdue rule read them without decrypting anything.
"""

from datetime import datetime

from sqlalchemy import ForeignKey, String
from sqlalchemy.orm import Mapped, mapped_column

from ..crypto import Encrypted
from ..db import db
from ..timeutil import column_now


class ContactAttempt(db.Model):
    __tablename__ = "contact_attempt"

    id: Mapped[int] = mapped_column(primary_key=True)
    request_id: Mapped[int] = mapped_column(
        ForeignKey("help_request.id", ondelete="CASCADE"), index=True
    )
    actor_id: Mapped[int | None] = mapped_column(ForeignKey("staff_user.id"))
    at: Mapped[datetime] = mapped_column(default=column_now)
    channel: Mapped[str] = mapped_column(String(20))
    outcome: Mapped[str] = mapped_column(String(20))
    # Who was contacted: the applicant, or the helper who asked for them.
    contact: Mapped[str] = mapped_column(String(20), default="applicant")
    note: Mapped[str | None] = mapped_column(Encrypted)
    # Why a message was left although the applicant said it is not safe.
    override_reason: Mapped[str | None] = mapped_column(Encrypted)


class Callback(db.Model):
    """A callback or an appointment: due at a time, owned by one staff member."""

    __tablename__ = "callback"

    id: Mapped[int] = mapped_column(primary_key=True)
    request_id: Mapped[int] = mapped_column(
        ForeignKey("help_request.id", ondelete="CASCADE"), index=True
    )
    kind: Mapped[str] = mapped_column(String(20), default="callback")  # or "appointment"
    due_at: Mapped[datetime]  # naive UTC, like every stored time
    owner_id: Mapped[int] = mapped_column(ForeignKey("staff_user.id"))
    booked_by_id: Mapped[int | None] = mapped_column(ForeignKey("staff_user.id"))
    booked_at: Mapped[datetime] = mapped_column(default=column_now)
    state: Mapped[str] = mapped_column(String(10), default="open")  # open, done, missed
    closed_at: Mapped[datetime | None]
    note: Mapped[str | None] = mapped_column(Encrypted)

    __table_args__ = (
        # "My callbacks today": one owner's open callbacks by time.
        db.Index("ix_callback_owner_due", "owner_id", "state", "due_at"),
    )
