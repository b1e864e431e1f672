"""The referral directory (organisations the office refers people to) and each
referral made from a case, with the applicant's consent and its outcome.

The directory describes organisations, not people: it is plain text. A referral's
note is encrypted (staff write it about the person).
"""

from datetime import date, datetime

from sqlalchemy import ForeignKey, Index, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from ..crypto import Encrypted
from ..db import db
from ..timeutil import column_now


class ReferralOrganisation(db.Model):
    __tablename__ = "referral_organisation"

    id: Mapped[int] = mapped_column(primary_key=True)
    # The Open Referral (HSDS 3) ids of the organisation and of the service this
    # entry is (UUIDs; an organisation with several services is several entries):
    # a directory imported again updates the entry with the same service id.
    hsds_id: Mapped[str | None] = mapped_column(String(36), index=True)
    hsds_service_id: Mapped[str | None] = mapped_column(String(36), unique=True)
    name: Mapped[str] = mapped_column(String(160))
    # Space-delimited codes with a space at each end (" es fr "), as claim_types
    # on a request: a LIKE on " es " cannot match part of another code.
    languages: Mapped[str] = mapped_column(String(400), default=" ")  # choices.LANGUAGES
    states: Mapped[str] = mapped_column(String(400), default=" ")  # choices.US_STATES
    reliefs: Mapped[str] = mapped_column(String(200), default=" ")  # rules.CLAIM_TYPES
    serves_detained: Mapped[bool] = mapped_column(default=False)
    # Detention centres it visits, one per line (matched against the facility named).
    detention_centres: Mapped[str] = mapped_column(Text, default="")
    accepting: Mapped[bool] = mapped_column(default=True)
    refer_by: Mapped[str] = mapped_column(String(10), default="phone")  # phone, email, web
    how_to_refer: Mapped[str] = mapped_column(String(300), default="")  # number, address, URL
    note: Mapped[str] = mapped_column(Text, default="")
    active: Mapped[bool] = mapped_column(default=True)
    updated_at: Mapped[datetime] = mapped_column(default=column_now, onupdate=column_now)


class Referral(db.Model):
    __tablename__ = "referral"
    __table_args__ = (Index("ix_referral_org_accepted", "organisation_id", "accepted_at", "id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    request_id: Mapped[int] = mapped_column(
        ForeignKey("help_request.id", ondelete="CASCADE"), index=True
    )
    organisation_id: Mapped[int] = mapped_column(ForeignKey("referral_organisation.id"), index=True)
    made_on: Mapped[date]
    made_by_id: Mapped[int | None] = mapped_column(ForeignKey("staff_user.id"))
    made_at: Mapped[datetime] = mapped_column(default=column_now)
    method: Mapped[str] = mapped_column(String(10))  # phone, email, web, letter
    # How the applicant agreed to share their details: "form" (they said yes on the
    # form) or "told_staff" (they told a staff member, who records it here).
    consent: Mapped[str] = mapped_column(String(12))
    outcome: Mapped[str | None] = mapped_column(String(12))  # accepted, declined, no_answer
    outcome_on: Mapped[date | None]
    # When the organisation first accepted (set once, never moved): the API lists
    # accepted cases in this order, so a client polling from its last cursor gets
    # every case accepted since, however long ago it was referred.
    accepted_at: Mapped[datetime | None]
    follow_up_on: Mapped[date | None]
    note: Mapped[str | None] = mapped_column(Encrypted)
