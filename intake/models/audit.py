"""The audit log: append-only; the app has no way to edit or delete a row."""

from datetime import datetime

from sqlalchemy import ForeignKey, String
from sqlalchemy.orm import Mapped, mapped_column

from intake.db import db
from intake.timeutil import column_now


class AuditEvent(db.Model):
    __tablename__ = "audit_event"

    id: Mapped[int] = mapped_column(primary_key=True)
    at: Mapped[datetime] = mapped_column(default=column_now, index=True)
    actor_id: Mapped[int | None] = mapped_column(ForeignKey("staff_user.id"), index=True)
    # e.g. "case.view", "case.status", "login.failed", "staff.invite", "export.csv"
    action: Mapped[str] = mapped_column(String(40), index=True)
    # What was acted on, by kind and id or reference (never a person's answers).
    target_type: Mapped[str] = mapped_column(String(20), default="")
    target: Mapped[str] = mapped_column(String(40), default="", index=True)
    # Free detail written by the app: statuses, counts, reasons; no personal data.
    detail: Mapped[str] = mapped_column(String(500), default="")
