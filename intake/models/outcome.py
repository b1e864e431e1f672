"""How a request ended, and what became of an accepted case.

Both lists are fixed and documented here (docs/staff-guide.md, dispositions and outcomes),
so a funder's report means the same thing every quarter. Codes are stored; the
labels are what staff and reports read.
"""

from datetime import date, datetime
from enum import StrEnum

from sqlalchemy import ForeignKey, String
from sqlalchemy.orm import Mapped, mapped_column

from intake.db import db
from intake.models.help_request import Status
from intake.timeutil import column_now


class Disposition(StrEnum):
    """Why a request was closed. Each belongs to one closed case status."""

    ACCEPTED = "accepted"
    REFERRED = "referred"
    DECLINED_OUTSIDE_AREA = "declined_outside_area"
    DECLINED_OVER_INCOME = "declined_over_income"
    DECLINED_REPRESENTED = "declined_represented"
    DECLINED_NO_CLAIM = "declined_no_claim"
    DECLINED_CAPACITY = "declined_capacity"
    NOT_REACHED = "not_reached"
    WITHDRAWN = "withdrawn"
    DUPLICATE = "duplicate"

    @property
    def label(self) -> str:
        return DISPOSITION_LABELS[self]

    @property
    def status(self) -> Status:
        """The closed case status this disposition closes a request with."""
        if self in (Disposition.ACCEPTED, Disposition.REFERRED, Disposition.WITHDRAWN):
            return Status(self.value)
        if self is Disposition.NOT_REACHED:
            # Its own status, allowed only after the configured failed attempts
            # (intake.staff.followup.outreach).
            return Status.COULD_NOT_REACH
        # A duplicate closes a request the office did not take, as a decline
        # does; the disposition keeps the real reason apart.
        return Status.DECLINED


DISPOSITION_LABELS = {
    Disposition.ACCEPTED: "Accepted for representation",
    Disposition.REFERRED: "Referred to another organisation",
    Disposition.DECLINED_OUTSIDE_AREA: "Declined: outside our area",
    Disposition.DECLINED_OVER_INCOME: "Declined: over income",
    Disposition.DECLINED_REPRESENTED: "Declined: already represented",
    Disposition.DECLINED_NO_CLAIM: "Declined: no protection claim",
    Disposition.DECLINED_CAPACITY: "Declined: no capacity",
    Disposition.NOT_REACHED: "Could not reach",
    Disposition.WITHDRAWN: "Withdrawn by the person",
    Disposition.DUPLICATE: "Duplicate of another request",
}


def dispositions_for(status: str) -> tuple[Disposition, ...]:
    """The dispositions that can close a request with ``status``."""
    return tuple(d for d in Disposition if d.status == status)


class Outcome(StrEnum):
    """What happened in an accepted case; a case gathers several over time."""

    FILED = "filed"
    GRANTED = "granted"
    DENIED = "denied"
    APPEALED = "appealed"
    TRANSFERRED = "transferred"
    WITHDRAWN = "withdrawn"

    @property
    def label(self) -> str:
        return OUTCOME_LABELS[self]


OUTCOME_LABELS = {
    Outcome.FILED: "Application filed",
    Outcome.GRANTED: "Granted",
    Outcome.DENIED: "Denied",
    Outcome.APPEALED: "Appealed",
    Outcome.TRANSFERRED: "Transferred to other counsel",
    Outcome.WITHDRAWN: "Withdrawn",
}


class CaseOutcome(db.Model):
    """One step in what became of an accepted case, on the date it happened."""

    __tablename__ = "case_outcome"

    id: Mapped[int] = mapped_column(primary_key=True)
    request_id: Mapped[int] = mapped_column(
        ForeignKey("help_request.id", ondelete="CASCADE"), index=True
    )
    kind: Mapped[str] = mapped_column(String(20), index=True)  # an Outcome code
    happened_on: Mapped[date] = mapped_column(index=True)
    actor_id: Mapped[int | None] = mapped_column(ForeignKey("staff_user.id"))
    recorded_at: Mapped[datetime] = mapped_column(default=column_now)
