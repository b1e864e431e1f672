"""A request for legal help from the screening form.

Personal answers are ``Encrypted`` columns; what staff sort and filter on
(status, urgency, dates, claim types, language) stays plain, and duplicates are
found through keyed hashes of the normalised phone and email.

Urgency follows the calendar without a scheduled job: the rules give the days
on which a request's band changes (``urgency_steps``), stored plain; every read
of the queue first brings ``urgency_rank`` up to date for the rows whose
``urgency_changes_on`` has come (``intake.live_urgency``), so the queue keeps
ordering on its index. SECURITY.md says what these plain dates reveal.
"""

from datetime import date, datetime
from enum import StrEnum

from sqlalchemy import ForeignKey, Index, String, Text, bindparam, false, text
from sqlalchemy.orm import Mapped, mapped_column, relationship

from intake.crypto import Encrypted
from intake.db import db
from intake.timeutil import column_now


class Status(StrEnum):
    """A case's status, in workflow order: moving to an earlier one is moving back.

    Open cases wait for staff (the queue shows them); closed ones are done, and
    ``purge`` deletes them after ``RETENTION_DAYS``."""

    NEW = "new"
    IN_REVIEW = "in_review"
    ACCEPTED = "accepted"
    REFERRED = "referred"
    DECLINED = "declined"
    WITHDRAWN = "withdrawn"
    # Closed after the configured failed attempts (intake.staff.outreach).
    COULD_NOT_REACH = "could_not_reach"

    @property
    def label(self) -> str:
        return STATUS_LABELS[self]


STATUSES = tuple(Status)
OPEN_STATUSES = (Status.NEW, Status.IN_REVIEW)
CLOSED_STATUSES = tuple(s for s in Status if s not in OPEN_STATUSES)
# The workflow: new → in review → a closed status. Moving back (in review → new,
# reopening a closed case) is allowed, with a reason.
TRANSITIONS = {
    Status.NEW: (Status.IN_REVIEW, Status.WITHDRAWN, Status.COULD_NOT_REACH),
    Status.IN_REVIEW: (
        Status.ACCEPTED,
        Status.REFERRED,
        Status.DECLINED,
        Status.WITHDRAWN,
        Status.COULD_NOT_REACH,
        Status.NEW,
    ),
    **{closed: (Status.IN_REVIEW,) for closed in CLOSED_STATUSES},
}
# Open requests, in SQL: the queue's partial indexes hold these rows only.
OPEN_SQL = f"status IN ({', '.join(repr(s.value) for s in OPEN_STATUSES)})"
STATUS_LABELS = {
    Status.NEW: "New",
    Status.IN_REVIEW: "In review",
    Status.ACCEPTED: "Accepted",
    Status.REFERRED: "Referred",
    Status.DECLINED: "Declined",
    Status.WITHDRAWN: "Withdrawn",
    Status.COULD_NOT_REACH: "Could not reach",
}
# What the reports count (intake.report_queries), in the order of their index.
REPORT_COLUMNS = (
    "created_at",
    "urgency",
    "status",
    "disposition",
    "closed_at",
    "detained",
    "partner_id",
    "screen",
    "screen_override",
    "preferred_language",
    "nationality_code",
    "state",
    "claim_types",
    "id",
)


def _open_queue_index(name: str, *leading: str) -> Index:
    """An index of open requests only, in queue order after ``leading``."""
    where = text(OPEN_SQL)
    columns = (*leading, "urgency_rank", "contacted", "created_at", "id")
    return Index(name, *columns, sqlite_where=where, postgresql_where=where)


class HelpRequest(db.Model):
    __tablename__ = "help_request"

    id: Mapped[int] = mapped_column(primary_key=True)
    # Shown to the applicant: random Crockford base32, never sequential.
    reference: Mapped[str] = mapped_column(String(16), unique=True)
    # The single-use form token's id: a resubmission finds the request it made.
    submission_key: Mapped[str | None] = mapped_column(String(64), unique=True)
    created_at: Mapped[datetime] = mapped_column(default=column_now)
    updated_at: Mapped[datetime] = mapped_column(default=column_now, onupdate=column_now)
    # Optimistic locking: a stale staff edit fails instead of overwriting.
    version: Mapped[int] = mapped_column(default=1)

    # Triage (plain)
    status: Mapped[str] = mapped_column(String(20), default=Status.NEW.value)
    assignee_id: Mapped[int | None] = mapped_column(ForeignKey("staff_user.id"))
    # How it ended (an intake.models.outcome.Disposition code) and when: set when
    # it is closed, cleared when it is reopened (the history keeps the old ones).
    disposition: Mapped[str | None] = mapped_column(String(32))
    closed_at: Mapped[datetime | None]
    screen: Mapped[str] = mapped_column(String(32))  # computed by intake.rules on submit
    screen_override: Mapped[str | None] = mapped_column(String(32))  # set by staff, with a reason
    urgency: Mapped[str] = mapped_column(String(10))
    urgency_rank: Mapped[int]  # 0 critical, 1 high, 2 normal: the queue's sort key
    reasons: Mapped[str] = mapped_column(Text, default="[]")  # JSON list of sentences
    flags: Mapped[str] = mapped_column(Text, default="[]")  # JSON list of sentences
    income_percent: Mapped[int | None]
    guideline_year: Mapped[int | None]
    filing_deadline: Mapped[date | None]
    hearing_date: Mapped[date | None]
    # Live urgency (plain, see the module docstring): the days on which the
    # rules' band changes after the day it was last brought up to date, as JSON
    # [["2027-01-15", 0], ...] (date, rank); the first of them (indexed: the
    # read-time refresh finds due rows through it); the last day the band rose
    # by itself (for "urgency rose since you last saw it").
    urgency_steps: Mapped[str] = mapped_column(Text, default="[]")
    urgency_changes_on: Mapped[date | None] = mapped_column(index=True)
    urgency_rose_on: Mapped[date | None]
    # The last days of the deadlines the rules computed (appeal, motions, filing,
    # SIJS...), as a JSON list of ISO dates, for the daily digest's count of
    # requests with a deadline in the next days (read without decrypting).
    deadline_dates: Mapped[str] = mapped_column(Text, default="[]")
    # Urgency set by hand by staff (with a reason, in the case history); the
    # rules' later steps may still raise it, never lower it.
    urgency_set_by_staff: Mapped[bool] = mapped_column(default=False)
    # Who is asking: self / family / detained / organisation (a category only).
    asker: Mapped[str] = mapped_column(String(20), default="self")
    # Consent, asked as its own question, to share the request with another legal
    # organisation that could help (the privacy notice promises nothing more).
    share_consent: Mapped[bool] = mapped_column(default=False)

    # Answers used by the rules (plain: no one is identified by them)
    represented: Mapped[str] = mapped_column(String(10))
    can_pay: Mapped[str] = mapped_column(String(10))
    household_size: Mapped[int]
    claim_types: Mapped[str] = mapped_column(String(200))  # " asylum cat " (space-delimited)
    detained: Mapped[bool]
    hearing: Mapped[str] = mapped_column(String(10))
    arrival_year: Mapped[int | None]
    arrival_month: Mapped[int | None]
    arrival_day: Mapped[int | None]
    i589_filed: Mapped[str] = mapped_column(String(10))
    minor: Mapped[bool]
    state: Mapped[str] = mapped_column(String(2), default="")
    preferred_language: Mapped[str] = mapped_column(String(40), default="")
    safe_to_message: Mapped[str] = mapped_column(String(10), default="not_sure")
    # Who is asking: self / family / detained_person / organisation (a category
    # only). Anyone but "self" is a helper, and the helper is the contact.
    asker: Mapped[str] = mapped_column(String(20), default="self")
    # Consent, asked as its own question, to share the request with another legal
    # organisation that could help (the privacy notice promises nothing more).
    share_consent: Mapped[bool] = mapped_column(default=False)
    # Staff have reached the person or left them a message (intake.staff.outreach):
    # the promised reply is kept. Part of the queue's order: within an urgency
    # band, people nobody has reached yet come first, oldest (so overdue) first.
    contacted: Mapped[bool] = mapped_column(default=False, server_default=false())
    interface_language: Mapped[str] = mapped_column(String(10), default="en")
    source: Mapped[str] = mapped_column(String(160), default="")  # release slug or page
    # The country code of the nationality answer, plain for the reports (counted
    # in the database, by country, with small counts suppressed); the answer as
    # given stays encrypted with the rest. A code alone, like the state and the
    # language beside it, names nobody.
    nationality_code: Mapped[str] = mapped_column(String(16), default="")
    # The partner site whose frame the request came through (None: our own pages).
    # Only which partner, never anything about the host page or its visitor.
    partner_id: Mapped[int | None] = mapped_column(ForeignKey("partner.id"), index=True)
    partner: Mapped["Partner | None"] = relationship()  # noqa: F821 (intake.models.partner)

    # Personal answers (encrypted at rest)
    name: Mapped[str] = mapped_column(Encrypted)
    nationality: Mapped[str] = mapped_column(Encrypted)
    phone: Mapped[str | None] = mapped_column(Encrypted)
    email: Mapped[str | None] = mapped_column(Encrypted)
    monthly_income: Mapped[str | None] = mapped_column(Encrypted)
    detention_facility: Mapped[str | None] = mapped_column(Encrypted)
    summary: Mapped[str | None] = mapped_column(Encrypted)
    # The facts the law turns on (dates of birth, orders, interviews, status,
    # fear and harm; the helper's name and contact; the A-number), as one
    # encrypted JSON object: one decryption per case page, and a new fact needs
    # no migration. Keys: intake.facts.FACT_KEYS.
    facts: Mapped[str | None] = mapped_column(Encrypted)

    # HMAC of the reference and the status code shown once on the confirmation
    # (intake.public.status_codes): the code itself is never stored.
    status_code_hash: Mapped[str | None] = mapped_column(String(64))

    # Keyed hashes (HMAC) of the normalised phone and email, for duplicates.
    phone_hash: Mapped[str | None] = mapped_column(String(64), index=True)
    email_hash: Mapped[str | None] = mapped_column(String(64), index=True)

    __mapper_args__ = {"version_id_col": version}
    __table_args__ = (
        # The queue (intake.staff.casework): each index is in queue order after
        # what a view fixes, so a page reads its rows in order and stops. One
        # status...
        Index("ix_help_request_queue", "status", "urgency_rank", "contacted", "created_at", "id"),
        # ...all statuses...
        Index("ix_help_request_queue_all", "urgency_rank", "contacted", "created_at", "id"),
        # ...the open requests, the queue's default, which staff filter further
        # (screen, claim, partner, overdue are checked on the rows read in order).
        # Partial: open requests only, so closed ones never lie in the way. A
        # query uses them when it says OPEN_SQL word for word (``is_open``).
        _open_queue_index("ix_help_request_queue_open"),
        # ...open cases of one assignee (a volunteer's queue, "mine") or of
        # nobody ("unassigned", "take next")...
        _open_queue_index("ix_help_request_queue_open_assignee", "assignee_id"),
        # ...and one language, the filter staff use most after status. Not
        # partial: its first column also lists the languages in use (1 ms at
        # 100,000 requests; 320 ms without it).
        Index(
            "ix_help_request_queue_language",
            "preferred_language",
            "urgency_rank",
            "contacted",
            "created_at",
            "id",
        ),
        # A volunteer's counts per status, read from the index alone; also the
        # foreign key's index.
        Index("ix_help_request_assignee_status", "assignee_id", "status"),
        # The reports: a date range first, then only columns counted, so every
        # report query reads this index and never the wide rows (answers are
        # encrypted and long; a table scan at 100,000 requests reads ~180 MB).
        Index("ix_help_request_report", *REPORT_COLUMNS),
    )

    def __repr__(self) -> str:
        return f"<HelpRequest {self.reference}>"


def is_open():
    """``OPEN_SQL`` as a condition, the statuses written into the SQL rather than
    bound: SQLite uses a partial index only when the query's condition is the
    index's own, literally (with ``status IN (?, ?)`` it sorts every open row)."""
    statuses = [s.value for s in OPEN_STATUSES]
    return HelpRequest.status.in_(
        bindparam("open_statuses", statuses, expanding=True, literal_execute=True)
    )
