"""Funders: who pays for which requests, so each can be given its own report.

An admin defines a funder with the dates its grant runs and what it covers
(states, relief sought, languages; an empty list covers every value). A request
counts for each funder whose coverage and dates it falls in on the day it was
sent; the links are kept in ``request_funder`` and recomputed, in one statement
per funder, when a funder changes (``intake.cases.funding``).
"""

from datetime import date, datetime

from sqlalchemy import Column, ForeignKey, String, Table, Text
from sqlalchemy.orm import Mapped, mapped_column

from intake.db import db
from intake.timeutil import column_now

request_funder = Table(
    "request_funder",
    db.metadata,
    Column(
        "request_id",
        ForeignKey("help_request.id", ondelete="CASCADE"),
        primary_key=True,
    ),
    Column(
        "funder_id",
        ForeignKey("funder.id", ondelete="CASCADE"),
        primary_key=True,
        index=True,
    ),
)


class Funder(db.Model):
    __tablename__ = "funder"

    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(String(120), unique=True)
    active_from: Mapped[date]
    active_until: Mapped[date | None]  # None: still running
    # Codes separated by one space; "" covers every value.
    states: Mapped[str] = mapped_column(Text, default="")
    claim_types: Mapped[str] = mapped_column(Text, default="")
    languages: Mapped[str] = mapped_column(Text, default="")
    created_at: Mapped[datetime] = mapped_column(default=column_now)
    updated_at: Mapped[datetime] = mapped_column(default=column_now, onupdate=column_now)

    def __repr__(self) -> str:
        return f"<Funder {self.id}>"
