"""What staff add to a case: internal notes and the history of its status and screen.

Note text and reasons are encrypted: staff write them about a person and they
may name or describe that person."""

from datetime import datetime

from sqlalchemy import ForeignKey, String
from sqlalchemy.orm import Mapped, mapped_column

from intake.crypto import Encrypted
from intake.db import db
from intake.timeutil import column_now


class Note(db.Model):
    __tablename__ = "case_note"

    id: Mapped[int] = mapped_column(primary_key=True)
    request_id: Mapped[int] = mapped_column(
        ForeignKey("help_request.id", ondelete="CASCADE"), index=True
    )
    author_id: Mapped[int | None] = mapped_column(ForeignKey("staff_user.id"))
    created_at: Mapped[datetime] = mapped_column(default=column_now)
    text: Mapped[str] = mapped_column(Encrypted)


class StatusChange(db.Model):
    """One step in a case's history: a status change or a screen override."""

    __tablename__ = "case_status_change"

    id: Mapped[int] = mapped_column(primary_key=True)
    request_id: Mapped[int] = mapped_column(
        ForeignKey("help_request.id", ondelete="CASCADE"), index=True
    )
    actor_id: Mapped[int | None] = mapped_column(ForeignKey("staff_user.id"))
    at: Mapped[datetime] = mapped_column(default=column_now)
    kind: Mapped[str] = mapped_column(String(10))  # "status" or "screen"
    from_value: Mapped[str | None] = mapped_column(String(32))
    to_value: Mapped[str | None] = mapped_column(String(32))
    reason: Mapped[str | None] = mapped_column(Encrypted)
