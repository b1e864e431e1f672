"""Conflict of interest: the adverse parties staff record on a case, and the
conflict index of keyed hashes that every check reads.

``ConflictKey`` holds no clear text: one slow keyed hash (under CONFLICT_KEY)
of a person's normalised name and date of birth together (of the name alone
when no date is known: ``name_only``), the kind of person and the reference of
the request they came from. It goes when the request goes (``purge``): every
entry can be derived again from encrypted fields on file (see SECURITY.md).
"""

from datetime import datetime

from sqlalchemy import ForeignKey, String
from sqlalchemy.orm import Mapped, mapped_column, relationship

from ..crypto import Encrypted
from ..db import db
from ..timeutil import column_now


class AdverseParty(db.Model):
    """Someone against whose interests the applicant stands: an abuser in a VAWA
    or U case, a trafficker, a parent in a SIJS case."""

    __tablename__ = "adverse_party"

    id: Mapped[int] = mapped_column(primary_key=True)
    request_id: Mapped[int] = mapped_column(
        ForeignKey("help_request.id", ondelete="CASCADE"), index=True
    )
    relationship: Mapped[str] = mapped_column(String(20))
    name: Mapped[str] = mapped_column(Encrypted)
    date_of_birth: Mapped[str | None] = mapped_column(Encrypted)  # ISO date
    added_by_id: Mapped[int | None] = mapped_column(ForeignKey("staff_user.id"))
    added_at: Mapped[datetime] = mapped_column(default=column_now)


class ConflictKey(db.Model):
    __tablename__ = "conflict_key"

    id: Mapped[int] = mapped_column(primary_key=True)
    kind: Mapped[str] = mapped_column(String(20))  # applicant, helper, adverse_party
    person_hash: Mapped[str] = mapped_column(String(64), index=True)
    name_only: Mapped[bool] = mapped_column(default=False)  # no date of birth: weaker
    reference: Mapped[str] = mapped_column(String(16), index=True)
    request_id: Mapped[int] = mapped_column(
        ForeignKey("help_request.id", ondelete="CASCADE"), index=True
    )
    adverse_party_id: Mapped[int | None] = mapped_column(
        ForeignKey("adverse_party.id", ondelete="CASCADE")
    )
    created_at: Mapped[datetime] = mapped_column(default=column_now)
    # Set on a new request before it has an id (stored in one transaction).
    request: Mapped["HelpRequest"] = relationship(passive_deletes=True)  # noqa: F821
