"""Reminders sent of the dates the rules know (intake.messages.reminders): one row
per request, dated thing, date and offset, so each is sent at most once however
often ``send-reminders`` runs. No personal data: a kind, dates, a number of days."""

from datetime import date, datetime

from sqlalchemy import ForeignKey, String, UniqueConstraint, false
from sqlalchemy.orm import Mapped, mapped_column

from intake.db import db
from intake.timeutil import column_now


class Reminder(db.Model):
    __tablename__ = "reminder"

    id: Mapped[int] = mapped_column(primary_key=True)
    request_id: Mapped[int] = mapped_column(ForeignKey("help_request.id", ondelete="CASCADE"))
    # What is dated: "hearing", "asylum_office", "ice_check_in", "fear_interview",
    # or a deadline's kind from intake.law.deadlines ("voluntary_departure"...).
    kind: Mapped[str] = mapped_column(String(40))
    event_on: Mapped[date]
    days_before: Mapped[int]
    # The message queued (None when sending was refused: ``outcome`` says why).
    message_id: Mapped[int | None] = mapped_column(ForeignKey("message.id", ondelete="SET NULL"))
    outcome: Mapped[str] = mapped_column(String(80))  # "queued", or why it was not sent
    # How it went: "sms", "whatsapp" (free text or the approved template) or
    # "email"; None when it could not be sent.
    channel: Mapped[str | None] = mapped_column(String(10))
    language: Mapped[str] = mapped_column(String(10))
    detailed: Mapped[bool] = mapped_column(default=False, server_default=false())
    created_at: Mapped[datetime] = mapped_column(default=column_now)

    __table_args__ = (UniqueConstraint("request_id", "kind", "event_on", "days_before"),)
