"""A letter sent to an applicant (intake.letters.drafts): its text as sent, encrypted."""

from datetime import datetime

from sqlalchemy import ForeignKey, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from intake.crypto import Encrypted
from intake.db import db
from intake.timeutil import column_now


class Letter(db.Model):
    __tablename__ = "letter"

    id: Mapped[int] = mapped_column(primary_key=True)
    request_id: Mapped[int] = mapped_column(
        ForeignKey("help_request.id", ondelete="CASCADE"), index=True
    )
    kind: Mapped[str] = mapped_column(String(20))  # intake.letters.drafts.KINDS
    language: Mapped[str] = mapped_column(String(10))  # the catalogue it was drafted in
    sent_at: Mapped[datetime] = mapped_column(default=column_now)
    sent_by_id: Mapped[int | None] = mapped_column(ForeignKey("staff_user.id"))
    # Queued by email (the applicant gave one and said messages are safe).
    emailed: Mapped[bool] = mapped_column(default=False)
    subject: Mapped[str] = mapped_column(Encrypted)
    body: Mapped[str] = mapped_column(Encrypted)


class LetterTemplate(db.Model):
    """An editor's wording of one letter in one language, replacing the
    catalogued one (intake.letters.drafts). Organisation text, not personal data."""

    __tablename__ = "letter_template"

    id: Mapped[int] = mapped_column(primary_key=True)
    kind: Mapped[str] = mapped_column(String(20))
    language: Mapped[str] = mapped_column(String(10))
    body: Mapped[str] = mapped_column(
        Text
    )  # with {placeholders}: intake.letters.drafts.PLACEHOLDERS
    updated_at: Mapped[datetime] = mapped_column(default=column_now, onupdate=column_now)
    updated_by_id: Mapped[int | None] = mapped_column(ForeignKey("staff_user.id"))

    __table_args__ = (UniqueConstraint("kind", "language"),)
