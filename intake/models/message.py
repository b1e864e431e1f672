"""Text and WhatsApp messages with applicants (intake.messages): each one sent or
received, its text and number encrypted; the numbers that said STOP; the
wording editors keep for messages.

A message from a number no request matches has no ``request_id``: it waits in
the inbox for triage staff, who attach it to a request or answer it.
"""

from datetime import datetime

from sqlalchemy import ForeignKey, Index, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from intake.crypto import Encrypted
from intake.db import db
from intake.timeutil import column_now


class Message(db.Model):
    __tablename__ = "message"

    id: Mapped[int] = mapped_column(primary_key=True)
    # None: an inbound message from a number no request matches (the inbox).
    request_id: Mapped[int | None] = mapped_column(
        ForeignKey("help_request.id", ondelete="CASCADE")
    )
    direction: Mapped[str] = mapped_column(String(3))  # "in" or "out"
    channel: Mapped[str] = mapped_column(String(10))  # "sms" or "whatsapp"
    # Outbound: "staff", "reminder" or "reply" (the answer to STOP, START, HELP);
    # inbound: "inbound", or the keyword it was ("stop", "start", "help").
    kind: Mapped[str] = mapped_column(String(12))
    # The editors' template it was written from (its name), if any.
    template: Mapped[str | None] = mapped_column(String(40))
    language: Mapped[str | None] = mapped_column(String(10))
    body: Mapped[str] = mapped_column(Encrypted)
    # The applicant's number in E.164 (outbound: where it went; inbound: who wrote).
    phone: Mapped[str] = mapped_column(Encrypted)
    # Keyed hash of the number's normal form (intake.cases.contact.lookup_hashes):
    # inbound messages find their request, and STOP its number, through it.
    phone_hash: Mapped[str | None] = mapped_column(String(64))
    # Outbound: queued (waiting in the outbox), sent (the provider took it),
    # delivered, failed. Inbound: received.
    state: Mapped[str] = mapped_column(String(10))
    # The provider's id (Twilio's MessageSid): each inbound one is processed once,
    # and status callbacks find their message through it.
    provider_sid: Mapped[str | None] = mapped_column(String(64), unique=True)
    # The provider's error code when it failed (a number, never its text).
    error_code: Mapped[str | None] = mapped_column(String(16))
    created_at: Mapped[datetime] = mapped_column(default=column_now)
    state_changed_at: Mapped[datetime | None]
    author_id: Mapped[int | None] = mapped_column(ForeignKey("staff_user.id"))
    # An inbound message from an unknown number, once triage staff dealt with it
    # (attached it to a request, or answered it).
    handled_at: Mapped[datetime | None]
    handled_by_id: Mapped[int | None] = mapped_column(ForeignKey("staff_user.id"))

    __table_args__ = (
        # A case's conversation in order; the last inbound WhatsApp message.
        Index("ix_message_request", "request_id", "created_at"),
        # An inbound number's earlier conversations; the inbox.
        Index("ix_message_phone_hash", "phone_hash", "created_at"),
    )


class MessageOptOut(db.Model):
    """A number that sent STOP (or its like): nothing more is sent to it until it
    sends START. Only the keyed hash of the number is kept."""

    __tablename__ = "message_opt_out"

    phone_hash: Mapped[str] = mapped_column(String(64), primary_key=True)
    created_at: Mapped[datetime] = mapped_column(default=column_now)


class MessageTemplate(db.Model):
    """An editor's wording of one message in one language, with {placeholders}
    (intake.messages.templates). Organisation text, not personal data. One listed
    in WHATSAPP_TEMPLATES (name/language) is a template WhatsApp approved, and its
    wording must stay the one approved."""

    __tablename__ = "message_template"

    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(String(40))
    language: Mapped[str] = mapped_column(String(10))
    body: Mapped[str] = mapped_column(Text)
    updated_at: Mapped[datetime] = mapped_column(default=column_now, onupdate=column_now)
    updated_by_id: Mapped[int | None] = mapped_column(ForeignKey("staff_user.id"))

    __table_args__ = (UniqueConstraint("name", "language"),)
