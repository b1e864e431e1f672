"""The mail outbox: a staff notification waiting to be sent, or the record that it
was sent or given up.

A row holds no address, no text and no link to a request: only the kind of
message and its delivery state. The message is rebuilt from ``kind`` and the
configuration when it is sent (``intake.mail.critical``), so nothing personal is stored
here and retention has nothing to follow from it.
"""

from datetime import datetime

from sqlalchemy import String
from sqlalchemy.orm import Mapped, mapped_column

from intake.db import db


class OutgoingMail(db.Model):
    __tablename__ = "outgoing_mail"

    id: Mapped[int] = mapped_column(primary_key=True)
    kind: Mapped[str] = mapped_column(String(32))  # e.g. "critical_request"
    created_at: Mapped[datetime]
    attempts: Mapped[int] = mapped_column(default=0)
    # Due from this moment; pushed back after each failure (exponential backoff).
    next_attempt_at: Mapped[datetime] = mapped_column(index=True)
    # A sender owns the row until then (a crashed sender's claim runs out).
    claimed_until: Mapped[datetime | None]
    # The exception's type only: an SMTP error text can echo addresses back.
    last_error_type: Mapped[str | None] = mapped_column(String(64))
    sent_at: Mapped[datetime | None]
    failed_at: Mapped[datetime | None]  # given up after MAIL_MAX_ATTEMPTS
