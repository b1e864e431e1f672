"""A request for legal help from the screening form.

Personal answers are ``Encrypted`` columns; what staff sort and filter on
(status, urgency, dates, claim types, language) stays plain, and duplicates are
found through keyed hashes of the normalised phone and email.

Urgency follows the calendar without a scheduled job: the rules give the days
on which a request's band changes (``urgency_steps``), stored plain; every read
of the queue first brings ``urgency_rank`` up to date for the rows whose
``urgency_changes_on`` has come (``intake.cases.live_urgency``), so the queue keeps
ordering on its index. SECURITY.md says what these plain dates reveal.
"""

from datetime import date, datetime
from enum import StrEnum

from sqlalchemy import ForeignKey, Index, String, Text, bindparam, event, false, text
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
    # Closed after the configured failed attempts (intake.staff.followup.outreach).
    COULD_NOT_REACH = "could_not_reach"

    @property
    def label(self) -> str:
        return STATUS_LABELS[self]


STATUSES = tuple(Status)
OPEN_STATUSES = (Status.NEW, Status.IN_REVIEW)
CLOSED_STATUSES = tuple(s for s in Status if s not in OPEN_STATUSES)
# The workflow: new → in review → a closed status; a new case may also be closed
# at once (how it ended is asked either way). Moving back (in review → new,
# reopening a closed case) is allowed, with a reason.
TRANSITIONS = {
    Status.NEW: (Status.IN_REVIEW, *CLOSED_STATUSES),
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
# The reports (intake.staff.reports.queries) read only narrow indexes, each led
# by what one query groups by and ending with the day received and the id (the
# range and a funder's requests are checked inside the index): SQLite groups in
# index order without sorting, PostgreSQL answers from the index alone. The
# derived columns (created_on, hours_to_*) are kept by ``_keep_derived``.
REPORT_INDEXES = {
    # Requests per day and urgency.
    "ix_help_request_report": ("created_on", "urgency", "id"),
    # A planner reading outcomes or referrals from their own side (SQLite does
    # for outcomes) checks each one's request's day here, not in the wide row.
    "ix_help_request_report_id": ("id", "created_on"),
    # The fixed breakdowns in one GROUP BY: open or closed and how, detention,
    # partner, screen (a few hundred combinations at most).
    "ix_help_request_report_kinds": (
        "status",
        "disposition",
        "detained",
        "partner_id",
        "screen_override",
        "screen",
        "created_on",
        "id",
    ),
    **{
        f"ix_help_request_report_{column}": (column, "created_on", "id")
        for column in (
            "preferred_language",
            "nationality_code",
            "state",
            "claim_types",
            "age_band",
            "hours_to_close",
            "hours_to_first_contact",
        )
    },
}


def hours_between(start: datetime | None, end: datetime | None) -> int | None:
    """Whole hours from ``start`` to ``end``, rounded down; None without ``end``."""
    if start is None or end is None:
        return None
    return int((end - start).total_seconds() // 3600)


def _hours(context, end: str) -> int | None:
    parameters = context.get_current_parameters()
    return hours_between(parameters.get("created_at"), parameters.get(end))


def _created_on(context) -> date:
    """The default of ``created_on``: the day of the row's ``created_at`` (bulk
    inserts such as ``intake.ops.demo`` give both; see also ``_keep_created_on``)."""
    created = context.get_current_parameters().get("created_at") or column_now()
    return created.date()


# The queue's order, as column names: urgency band, the nearest dated event
# (hearing or deadline; NO_EVENT when none), nobody reached yet, longest waiting.
QUEUE_KEY = ("urgency_rank", "next_event_on", "contacted", "created_at", "id")
# "No dated event ahead": a date, not NULL, so it sorts last in every index and
# the queue's keyset comparison of whole rows never meets a NULL.
NO_EVENT = date(9999, 12, 31)


def _open_queue_index(name: str, *leading: str) -> Index:
    """An index of open requests only, in queue order after ``leading``."""
    where = text(OPEN_SQL)
    return Index(name, *leading, *QUEUE_KEY, sqlite_where=where, postgresql_where=where)


class HelpRequest(db.Model):
    __tablename__ = "help_request"

    id: Mapped[int] = mapped_column(primary_key=True)
    # Shown to the applicant: random Crockford base32, never sequential.
    reference: Mapped[str] = mapped_column(String(16), unique=True)
    # The single-use form token's id: a resubmission finds the request it made.
    submission_key: Mapped[str | None] = mapped_column(String(64), unique=True)
    created_at: Mapped[datetime] = mapped_column(default=column_now)
    # The UTC day of created_at, kept beside it so the reports group requests by
    # day in index order (a range of whole days is a range of created_on).
    # Nullable only so the migration can add it with plain ALTER TABLE; always set.
    created_on: Mapped[date | None] = mapped_column(default=_created_on)
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
    # When staff first tried to reach the person (intake.staff.followup.outreach sets it
    # with the first contact attempt): the reports' "time to first contact"
    # reads it from the report index instead of joining every attempt.
    first_contact_at: Mapped[datetime | None]
    # Whole hours from created_at to closed_at and to first_contact_at, kept
    # with them (``_keep_derived``) so the reports' percentiles are a GROUP BY
    # in index order, not a date difference computed and sorted per row.
    hours_to_close: Mapped[int | None] = mapped_column(default=lambda c: _hours(c, "closed_at"))
    hours_to_first_contact: Mapped[int | None] = mapped_column(
        default=lambda c: _hours(c, "first_contact_at")
    )
    screen: Mapped[str] = mapped_column(String(32))  # computed by intake.law.screen on submit
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
    # The hearing and deadlines still ahead when urgency was last stored, as JSON
    # [["2027-01-15", "bia_appeal"], ...] (day, intake.law.deadlines kind or
    # "hearing"), soonest first: the queue's short reason reads it. The first
    # one still to come, or NO_EVENT: the queue orders a band by it (indexed:
    # the read-time refresh moves it on once it has passed).
    dated_events: Mapped[str] = mapped_column(Text, default="[]", server_default="[]")
    next_event_on: Mapped[date] = mapped_column(
        default=NO_EVENT, server_default=text(f"'{NO_EVENT.isoformat()}'"), index=True
    )
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
    # Staff have reached the person or left them a message (intake.staff.followup.outreach):
    # the promised reply is kept. Part of the queue's order: within an urgency
    # band, people nobody has reached yet come first, oldest (so overdue) first.
    contacted: Mapped[bool] = mapped_column(default=False, server_default=false())
    interface_language: Mapped[str] = mapped_column(String(10), default="en")
    # Reminders of the dates the rules know (intake.messages.reminders): staff may
    # stop them for this case, or choose that they name what the date is (by
    # default they only say "an important appointment": a phone may be seen).
    reminders_stopped: Mapped[bool] = mapped_column(default=False, server_default=false())
    reminders_detailed: Mapped[bool] = mapped_column(default=False, server_default=false())
    source: Mapped[str] = mapped_column(String(160), default="")  # release slug or page
    # The country code of the nationality answer, plain for the reports (counted
    # in the database, by country, with small counts suppressed); the answer as
    # given stays encrypted with the rest. A code alone, like the state and the
    # language beside it, names nobody.
    nationality_code: Mapped[str] = mapped_column(String(16), default="")
    # A coarse age band at submission (intake.law.age_bands), plain for the reports
    # and the export; the date of birth itself stays in the encrypted facts.
    # None: no date of birth given (or a request older than the band).
    age_band: Mapped[str | None] = mapped_column(String(8))
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
    # no migration. Keys: intake.cases.stored_facts.FACT_KEYS.
    facts: Mapped[str | None] = mapped_column(Encrypted)

    # HMAC of the reference and the status code shown once on the confirmation
    # (intake.cases.status_codes): the code itself is never stored.
    status_code_hash: Mapped[str | None] = mapped_column(String(64))

    # Keyed hashes (HMAC) of the normalised phone and email, for duplicates.
    phone_hash: Mapped[str | None] = mapped_column(String(64), index=True)
    email_hash: Mapped[str | None] = mapped_column(String(64), index=True)

    __mapper_args__ = {"version_id_col": version}
    __table_args__ = (
        # The queue (intake.staff.cases.casework): each index is in queue order after
        # what a view fixes, so a page reads its rows in order and stops. One
        # status...
        Index("ix_help_request_queue", "status", *QUEUE_KEY),
        # ...all statuses...
        Index("ix_help_request_queue_all", *QUEUE_KEY),
        # The reports never read the wide rows (answers are encrypted and long,
        # so a table scan reads a great deal): see REPORT_INDEXES.
        *(Index(name, *columns) for name, columns in REPORT_INDEXES.items()),
        # ...the open requests, the queue's default, which staff filter further
        # (screen, claim, partner, overdue are checked on the rows read in order).
        # Partial: open requests only, so closed ones never lie in the way. A
        # query uses them when it says OPEN_SQL word for word (``is_open``).
        _open_queue_index("ix_help_request_queue_open"),
        # ...open cases of one assignee (a volunteer's queue, "mine") or of
        # nobody ("unassigned", "take next")...
        _open_queue_index("ix_help_request_queue_open_assignee", "assignee_id"),
        # ...and one language, the filter staff use most after status. Not
        # partial: its first column also lists the languages in use, which the
        # filter's choices read without a scan.
        Index("ix_help_request_queue_language", "preferred_language", *QUEUE_KEY),
        # A volunteer's counts per status, read from the index alone; also the
        # foreign key's index.
        Index("ix_help_request_assignee_status", "assignee_id", "status"),
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


@event.listens_for(HelpRequest, "before_insert")
@event.listens_for(HelpRequest, "before_update")
def _keep_derived(_mapper, _connection, target: HelpRequest) -> None:
    """The reports' derived columns follow the times they come from, however
    the row was made or changed through the ORM."""
    keep_derived(target)


def keep_derived(target: HelpRequest) -> None:
    """``_keep_derived`` for a row about to be inserted without the ORM's flush
    (``intake.cases.help_requests``)."""
    if target.created_at is None:
        target.created_at = column_now()
    target.created_on = target.created_at.date()
    target.hours_to_close = hours_between(target.created_at, target.closed_at)
    target.hours_to_first_contact = hours_between(target.created_at, target.first_contact_at)
