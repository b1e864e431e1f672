"""Conflict of interest: the adverse parties staff record on a case, and the
conflict index of keyed hashes that every check reads.

``ConflictKey`` holds no clear text: only HMACs (under LOOKUP_KEY) of a
normalised name and of a date of birth, the kind of person and the reference of
the request they came from. Its link to the request is cut (SET NULL), not
followed, when ``purge`` deletes the request, so the office can still see that
it once acted for, or against, that name (see SECURITY.md).
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
    name_hash: Mapped[str] = mapped_column(String(64), index=True)
    dob_hash: Mapped[str | None] = mapped_column(String(64))
    # Kept after purge: the reference names the request in the audit log too.
    reference: Mapped[str] = mapped_column(String(16), index=True)
    request_id: Mapped[int | None] = mapped_column(
        ForeignKey("help_request.id", ondelete="SET NULL"), index=True
    )
    adverse_party_id: Mapped[int | None] = mapped_column(
        ForeignKey("adverse_party.id", ondelete="SET NULL")
    )
    created_at: Mapped[datetime] = mapped_column(default=column_now)
    # Set on a new request before it has an id (stored in one transaction).
    request: Mapped["HelpRequest | None"] = relationship(passive_deletes=True)  # noqa: F821
