"""Casework: the state changes staff make to a help request, as small plain
functions the triage views call, and the queries behind the queue.

Every change is audited in the same transaction as the change (``audit.record``);
the audit detail holds statuses, screens and ids, never answers or note text.
Each change function takes the version the person saw and refuses a stale one
(``StaleCase``), so nobody overwrites a change they have not seen.
"""

import json
import re
from dataclasses import dataclass, field
from datetime import date, datetime

from flask import current_app
from flask_babel import get_locale
from sqlalchemy import Row, and_, case, func, or_, select, true, tuple_, update
from sqlalchemy.orm import load_only
from sqlalchemy.orm.exc import StaleDataError

from intake import memo, timeutil
from intake.cases import audit, live_urgency
from intake.cases.choice_lists import language_name
from intake.db import db
from intake.law.vocabulary import CLAIM_TYPES, Screen, Urgency
from intake.models import (
    CaseOutcome,
    Disposition,
    HelpRequest,
    Note,
    Outcome,
    Partner,
    StaffUser,
    StatusChange,
)
from intake.models.help_request import (
    CLOSED_STATUSES,
    QUEUE_KEY,
    STATUS_LABELS,
    STATUSES,
    TRANSITIONS,
    is_open,
)
from intake.models.outcome import dispositions_for
from intake.staff.followup import outreach, referrals
from intake.staff.roles import PERMISSIONS

SCREEN_LABELS = {
    Screen.ELIGIBLE: "Eligible",
    Screen.NEEDS_REVIEW: "Needs review",
    Screen.REPRESENTED: "Screened out: represented",
    Screen.CAN_PAY: "Screened out: can pay",
}
URGENCY_LABELS = {Urgency.CRITICAL: "Critical", Urgency.HIGH: "High", Urgency.NORMAL: "Normal"}
CLAIM_CODES = frozenset(code for code, _label in CLAIM_TYPES)
NOTE_MAX = 5000
REASON_MAX = 1000
PER_PAGE = 50


class CaseworkError(ValueError):
    """A change that the rules refuse; the message is shown to the staff member,
    beside ``field`` when it names the form field at fault."""

    def __init__(self, message: str, field: str | None = None):
        super().__init__(message)
        self.field = field


class StaleCase(Exception):
    """Someone else changed the case since this person loaded it."""


# --- references -----------------------------------------------------------------

_CONFUSABLES = str.maketrans({"O": "0", "I": "1", "L": "1"})


def normalise_reference(text: str) -> str:
    """Upper-case, dashes and spaces dropped, Crockford's confusables mapped
    (O→0, I/L→1). Anything that is not then a Crockford character makes the
    whole search match nothing, rather than being dropped."""
    cleaned = re.sub(r"[\s\-]+", "", text or "").upper().translate(_CONFUSABLES)
    if not cleaned or len(cleaned) > 16 or not re.fullmatch(r"[0-9A-HJKMNP-TV-Z]+", cleaned):
        return ""
    return cleaned


# --- the queue --------------------------------------------------------------------


def effective_screen():
    return func.coalesce(HelpRequest.screen_override, HelpRequest.screen)


@dataclass(frozen=True)
class QueueFilters:
    """What the queue shows; built from the query string by ``from_args``."""

    status: str = "open"  # "open", "all" or one status
    screen: str = ""
    claim: str = ""
    language: str = ""
    assignee: str = ""  # "", "none" or a staff id
    partner: str = ""  # "", "direct" (our own pages) or a partner id
    mine: bool = False
    overdue: bool = False  # open, nobody reached, the promised working days gone
    reference: str = ""
    errors: tuple[str, ...] = field(default=(), compare=False)

    @classmethod
    def from_args(cls, args) -> "QueueFilters":
        errors = []

        def pick(name, allowed, default=""):
            value = (args.get(name) or default).strip()
            if value and value not in allowed:
                errors.append(f"Unknown {name}: ignored.")
                return default
            return value

        assignee = (args.get("assignee") or "").strip()
        if assignee and assignee != "none" and not assignee.isdigit():
            errors.append("Unknown assignee: ignored.")
            assignee = ""
        partner = (args.get("partner") or "").strip()
        if partner and partner != "direct" and not partner.isdigit():
            errors.append("Unknown partner: ignored.")
            partner = ""
        return cls(
            status=pick("status", {"open", "all", *STATUSES}, "open"),
            screen=pick("screen", {s.value for s in Screen}),
            claim=pick("claim", CLAIM_CODES),
            language=(args.get("language") or "").strip()[:40],
            assignee=assignee,
            partner=partner[:18],
            mine=args.get("mine") == "1",
            overdue=args.get("overdue") == "1",
            reference=(args.get("reference") or "").strip()[:40],
            errors=tuple(errors),
        )

    def as_args(self) -> dict[str, str]:
        """The filters as query arguments (for links), defaults left out."""
        values = {
            "status": "" if self.status == "open" else self.status,
            "screen": self.screen,
            "claim": self.claim,
            "language": self.language,
            "assignee": self.assignee,
            "partner": self.partner,
            "mine": "1" if self.mine else "",
            "overdue": "1" if self.overdue else "",
            "reference": self.reference,
        }
        return {k: v for k, v in values.items() if v}

    def describe(self) -> str:
        """For the audit log: filter names and values (codes, not answers)."""
        return " ".join(f"{k}={v}" for k, v in sorted(self.as_args().items())) or "default"


def sees_all(user: StaffUser) -> bool:
    return "cases.all" in PERMISSIONS.get(user.role, ())


def visible_to(user: StaffUser):
    """A volunteer sees only the cases assigned to them."""
    return true() if sees_all(user) else HelpRequest.assignee_id == user.id


# What the queue and its export show, read as plain rows (no ORM objects to
# build): no encrypted column is loaded, so a page of the queue decrypts nothing.
QUEUE_COLUMNS = (
    HelpRequest.id,
    HelpRequest.reference,
    HelpRequest.created_at,
    HelpRequest.version,
    HelpRequest.status,
    HelpRequest.assignee_id,
    HelpRequest.screen,
    HelpRequest.screen_override,
    HelpRequest.urgency,
    HelpRequest.urgency_rank,
    HelpRequest.contacted,
    HelpRequest.claim_types,
    HelpRequest.preferred_language,
    HelpRequest.state,
    HelpRequest.filing_deadline,
    HelpRequest.hearing_date,
    HelpRequest.urgency_rose_on,
    HelpRequest.deadline_dates,
    HelpRequest.dated_events,
    HelpRequest.next_event_on,
    HelpRequest.detained,
    HelpRequest.partner_id,
    HelpRequest.nationality_code,
    HelpRequest.disposition,
    HelpRequest.closed_at,
    HelpRequest.age_band,
)


def queue_query(filters: QueueFilters, viewer: StaffUser):
    """The filtered queue in queue order: most urgent first, then longest waiting.

    Urgency is brought up to date for today first (``intake.cases.live_urgency``), so
    the order on the stored rank is today's order."""
    live_urgency.bring_up_to_date()
    query = select(*QUEUE_COLUMNS).where(visible_to(viewer))
    if filters.status == "open":
        query = query.where(is_open())
    elif filters.status != "all":
        query = query.where(HelpRequest.status == filters.status)
    if filters.screen:
        query = query.where(effective_screen() == filters.screen)
    if filters.claim:  # a known code, so no LIKE wildcard can come from the visitor
        query = query.where(HelpRequest.claim_types.contains(f" {filters.claim} "))
    if filters.language:
        query = query.where(HelpRequest.preferred_language == filters.language)
    if filters.mine:
        query = query.where(HelpRequest.assignee_id == viewer.id)
    elif filters.assignee == "none":
        query = query.where(HelpRequest.assignee_id.is_(None))
    elif filters.assignee:
        query = query.where(HelpRequest.assignee_id == int(filters.assignee))
    if filters.partner == "direct":
        query = query.where(HelpRequest.partner_id.is_(None))
    elif filters.partner:
        query = query.where(HelpRequest.partner_id == int(filters.partner))
    if filters.overdue:
        query = query.where(outreach.overdue_condition(outreach.office_calendar()))
    if filters.reference:
        # References are stored bare; an unreadable search matches nothing.
        query = query.where(HelpRequest.reference == normalise_reference(filters.reference))
    return query.order_by(*QUEUE_ORDER)


# Within an urgency band the nearest hearing or deadline comes first (a hearing
# in 20 days before a request with no date); then people nobody has reached yet,
# oldest first, so the overdue ones (intake.staff.followup.outreach) lead the rest.
QUEUE_ORDER = tuple(getattr(HelpRequest, name) for name in QUEUE_KEY)


@dataclass(frozen=True)
class Cursor:
    """Where the next page starts: the sort key of the last row shown. It holds
    no personal data, so it may travel in the URL."""

    rank: int
    next_event_on: date
    contacted: bool
    created_at: datetime
    id: int

    def encode(self) -> str:
        when = self.created_at.strftime("%Y%m%dT%H%M%S%f")
        event = self.next_event_on.strftime("%Y%m%d")
        return f"{self.rank}.{event}.{int(self.contacted)}.{when}.{self.id}"

    @classmethod
    def decode(cls, text: str) -> "Cursor | None":
        pattern = r"(\d)\.(\d{8})\.([01])\.(\d{8}T\d{12})\.(\d{1,18})"
        match = re.fullmatch(pattern, text or "")
        if not match:
            return None
        try:
            event = datetime.strptime(match[2], "%Y%m%d").date()
            created = datetime.strptime(match[4], "%Y%m%dT%H%M%S%f")
        except ValueError:
            return None
        return cls(int(match[1]), event, match[3] == "1", created, int(match[5]))

    @classmethod
    def after(cls, row) -> "Cursor":
        """The cursor just past ``row`` (a queue row or a loaded request)."""
        return cls(row.urgency_rank, row.next_event_on, row.contacted, row.created_at, row.id)

    def values(self) -> tuple:
        return (self.rank, self.next_event_on, self.contacted, self.created_at, self.id)


def queue_page(
    filters: QueueFilters, viewer: StaffUser, after: Cursor | None = None, per_page: int = 0
) -> tuple[list[Row], Cursor | None]:
    """One page of the queue (keyset pagination on the queue index) and the
    cursor of the next page, or None on the last page."""
    per_page = per_page or PER_PAGE
    query = queue_query(filters, viewer)
    if after is not None:
        query = query.where(_after(after, filters, viewer))
    rows = list(db.session.execute(query.limit(per_page + 1)))
    more = len(rows) > per_page
    rows = rows[:per_page]
    return rows, (Cursor.after(rows[-1]) if more else None)


def neighbour(row: HelpRequest, filters: QueueFilters, viewer: StaffUser, forward=True):
    """The reference of the case after (or before) ``row`` in the filtered queue,
    or None at its end: read from the queue's index like a page of one row. The
    row itself need not be in the queue any more (a case just closed)."""
    query = queue_query(filters, viewer).with_only_columns(HelpRequest.reference)
    query = query.where(_after(Cursor.after(row), filters, viewer, backward=not forward))
    if not forward:
        query = query.order_by(None).order_by(*(column.desc() for column in QUEUE_ORDER))
    return db.session.execute(query.limit(1)).scalar()


def _after(after: Cursor, filters: QueueFilters, viewer: StaffUser, backward=False):
    """The rows after the cursor in queue order, as one row comparison that an
    index reads as a range (a page reads its 51 rows and stops, however deep).

    PostgreSQL estimates a row comparison from its first column alone: after a
    cursor in the last band (rank 2: nothing ranks above it) it expects no row
    at all, finds every index equally cheap, and may walk the open index
    filtering thousands of rows for one language or assignee. There the
    comparison begins with the column the view fixes, the first column of its
    own index, which no other index can range over. SQLite ranges over that
    index only with the comparison as it is."""
    key, values = QUEUE_ORDER, after.values()
    fixed = _fixed_column(filters, viewer)
    if fixed is not None and db.session.get_bind().dialect.name == "postgresql":
        key, values = (fixed[0], *key), (fixed[1], *values)
    return tuple_(*key) < tuple_(*values) if backward else tuple_(*key) > tuple_(*values)


def _fixed_column(filters: QueueFilters, viewer: StaffUser):
    """(column, value) the view fixes that leads the index serving it, if any
    (as ``queue_query`` filters)."""
    if filters.status not in ("open", "all"):
        return HelpRequest.status, filters.status  # ix_help_request_queue
    if filters.status == "all":
        return None
    if filters.mine or not sees_all(viewer):
        return HelpRequest.assignee_id, viewer.id  # ix_help_request_queue_open_assignee
    if filters.assignee.isdigit():
        return HelpRequest.assignee_id, int(filters.assignee)
    if filters.language:
        return HelpRequest.preferred_language, filters.language  # ..._queue_language
    return None


QUEUE_STORE = "queue"  # intake.memo: what costs a scan of the whole table


def forget_counts() -> None:
    """After a change made here the counts are computed afresh; changes from
    other processes show within QUEUE_COUNTS_SECONDS."""
    memo.forget(QUEUE_STORE, "counts")


def status_counts(viewer: StaffUser) -> dict[str, int]:
    """How many requests the viewer can see in each status. Counting reads every
    row, so the all-cases counts are kept for QUEUE_COUNTS_SECONDS."""

    def count() -> dict[str, int]:
        query = select(HelpRequest.status, func.count()).group_by(HelpRequest.status)
        counts = dict.fromkeys(STATUSES, 0)
        counts.update({status: n for status, n in db.session.execute(query)})
        return counts

    if not sees_all(viewer):
        # A volunteer's own cases, from the (assignee, status) index alone.
        sums = [func.sum(case((HelpRequest.status == s, 1), else_=0)) for s in STATUSES]
        query = select(*sums).where(HelpRequest.assignee_id == viewer.id)
        return {s: n or 0 for s, n in zip(STATUSES, db.session.execute(query).one(), strict=True)}
    seconds = current_app.config["QUEUE_COUNTS_SECONDS"]
    return dict(memo.remembered(QUEUE_STORE, "counts", count, seconds))


LANGUAGES_CACHE_SECONDS = 300


def languages_in_use() -> list[tuple[str, str]]:
    """The preferred languages requests name, as (code, name), for the filter's
    choices and the queue's column. Finding them reads the whole table, so the
    list is kept for a few minutes (a language new since then can still be
    filtered on by URL), with the names: naming each language costs a lookup in
    the translations."""

    def distinct() -> list[tuple[str, str]]:
        query = (
            select(HelpRequest.preferred_language)
            .distinct()
            .order_by(HelpRequest.preferred_language)
        )
        codes = [lang for lang in db.session.execute(query).scalars() if lang]
        return [(code, language_name(code)) for code in codes]

    key = ("languages", str(get_locale()))
    return memo.remembered(QUEUE_STORE, key, distinct, LANGUAGES_CACHE_SECONDS)


def partner_names() -> dict[int, str]:
    """Every partner by id (few rows), for the queue's filter and column."""
    query = select(Partner.id, Partner.name).order_by(Partner.name, Partner.id)
    return dict(db.session.execute(query).all())


def case_staff() -> list[StaffUser]:
    """Who a case can be assigned to: active staff whose role handles cases."""
    roles = [role for role, perms in PERMISSIONS.items() if "cases" in perms]
    query = (
        select(StaffUser)
        # Not the second-factor secrets: every queue page lists staff, and each
        # secret would be decrypted for nothing.
        .options(load_only(StaffUser.id, StaffUser.email, StaffUser.role, StaffUser.active))
        .where(StaffUser.active.is_(True), StaffUser.role.in_(roles))
        .order_by(StaffUser.email)
    )
    return list(db.session.execute(query).scalars())


# --- one case --------------------------------------------------------------------


def find_case(reference: str, viewer: StaffUser) -> HelpRequest | None:
    query = select(HelpRequest).where(HelpRequest.reference == reference, visible_to(viewer))
    return db.session.execute(query).scalar_one_or_none()


def find_duplicates(
    help_request: HelpRequest, viewer: StaffUser | None = None
) -> list[HelpRequest]:
    """Other requests with the same phone or email, found by their keyed hashes
    (an indexed lookup; nothing is decrypted)."""
    same = [HelpRequest.phone_hash == h for h in [help_request.phone_hash] if h] + [
        HelpRequest.email_hash == h for h in [help_request.email_hash] if h
    ]
    if not same:
        return []
    query = select(HelpRequest).where(or_(*same), HelpRequest.id != help_request.id)
    if viewer is not None:
        query = query.where(visible_to(viewer))
    return list(db.session.execute(query.order_by(HelpRequest.created_at)).scalars())


def notes_of(help_request: HelpRequest) -> list[Note]:
    query = select(Note).where(Note.request_id == help_request.id).order_by(Note.created_at)
    return list(db.session.execute(query).scalars())


def history_of(help_request: HelpRequest) -> list[StatusChange]:
    query = (
        select(StatusChange)
        .where(StatusChange.request_id == help_request.id)
        .order_by(StatusChange.at, StatusChange.id)
    )
    return list(db.session.execute(query).scalars())


def json_list(text: str | None) -> list[str]:
    try:
        value = json.loads(text or "[]")
    except ValueError:
        return []
    return [str(item) for item in value] if isinstance(value, list) else []


def record_view(help_request: HelpRequest) -> None:
    audit.record("case.view", "request", help_request.reference)
    db.session.commit()


def _check_version(help_request: HelpRequest, seen_version: int | None) -> None:
    if seen_version is None or seen_version != help_request.version:
        raise StaleCase()


def _commit() -> None:
    """Commit; a concurrent change caught by the version column is a StaleCase."""
    try:
        db.session.commit()
    except StaleDataError as exc:
        db.session.rollback()
        raise StaleCase() from exc
    forget_counts()


def _reason(text: str | None, required: bool, what: str) -> str:
    reason = (text or "").strip()
    if required and not reason:
        raise CaseworkError(f"Give a reason for {what}.")
    if len(reason) > REASON_MAX:
        raise CaseworkError(f"The reason is too long (at most {REASON_MAX} characters).")
    return reason


def add_note(help_request: HelpRequest, author: StaffUser, text: str) -> Note:
    text = (text or "").strip()
    if not text:
        raise CaseworkError("Write the note first.")
    if len(text) > NOTE_MAX:
        raise CaseworkError(f"The note is too long (at most {NOTE_MAX} characters).")
    note = Note(request_id=help_request.id, author_id=author.id, text=text)
    db.session.add(note)
    db.session.flush()
    audit.record("case.note", "request", help_request.reference, f"note={note.id}")
    _commit()
    return note


def assign(
    help_request: HelpRequest, assignee: StaffUser | None, actor: StaffUser, seen_version: int
) -> None:
    """Give the case to ``assignee`` (active staff who handle cases), or to nobody."""
    _check_version(help_request, seen_version)
    if assignee is not None and assignee not in case_staff():
        raise CaseworkError("That person cannot take cases.")
    before = help_request.assignee_id
    help_request.assignee_id = assignee.id if assignee else None
    audit.record(
        "case.assign",
        "request",
        help_request.reference,
        f"assignee={before or 'none'}->{help_request.assignee_id or 'none'}",
        actor_id=actor.id,
    )
    _commit()


def change_status(
    help_request: HelpRequest,
    new_status: str,
    reason: str,
    actor: StaffUser,
    seen_version: int,
    disposition: str = "",
) -> None:
    """Move the case to ``new_status``. Closing it needs a disposition from the
    fixed list that belongs to that status, and keeps the closing time;
    reopening clears both (the history keeps what they were)."""
    _check_version(help_request, seen_version)
    old = help_request.status
    if new_status not in TRANSITIONS.get(old, ()):
        raise CaseworkError(
            f"A case cannot go from {STATUS_LABELS.get(old, old)} "
            f"to {STATUS_LABELS.get(new_status, new_status)}."
        )
    closing = new_status in CLOSED_STATUSES
    if closing and disposition not in dispositions_for(new_status):
        raise CaseworkError(
            f"Choose how the request ended (its disposition) to close it as "
            f"“{STATUS_LABELS[new_status]}”.",
            "disposition",
        )
    _check_follow_up(help_request, new_status)
    moving_back = STATUSES.index(new_status) < STATUSES.index(old)
    required = closing or moving_back
    reason = _reason(reason, required, f"“{STATUS_LABELS[new_status]}”")
    help_request.status = new_status
    help_request.disposition = disposition if closing else None
    help_request.closed_at = timeutil.utcnow() if closing else None
    detail = f" disposition={disposition}" if closing else ""
    _record_change(help_request, actor, "status", old, new_status, reason, detail)


def record_outcome(help_request: HelpRequest, kind: str, happened_on, actor: StaffUser) -> None:
    """What became of an accepted case, on the day it happened (not in the
    future, not before the request came in)."""
    if help_request.disposition != Disposition.ACCEPTED:
        raise CaseworkError("Outcomes are recorded for cases accepted for representation.")
    if kind not in {o.value for o in Outcome}:
        raise CaseworkError("Choose an outcome from the list.")
    if happened_on is None:
        raise CaseworkError("Give the date it happened.", "happened_on")
    if happened_on > timeutil.today():
        raise CaseworkError("The date cannot be in the future.", "happened_on")
    if happened_on < help_request.created_at.date():
        raise CaseworkError("The date cannot be before the request came in.", "happened_on")
    db.session.add(
        CaseOutcome(
            request_id=help_request.id, kind=kind, happened_on=happened_on, actor_id=actor.id
        )
    )
    audit.record("case.outcome", "request", help_request.reference, kind, actor.id)
    _commit()


def outcomes_of(help_request: HelpRequest) -> list[CaseOutcome]:
    query = (
        select(CaseOutcome)
        .where(CaseOutcome.request_id == help_request.id)
        .order_by(CaseOutcome.happened_on, CaseOutcome.id)
    )
    return list(db.session.execute(query).scalars())


def _check_follow_up(help_request: HelpRequest, new_status: str) -> None:
    """ "Referred" needs a referral on record (with the applicant's consent);
    "Could not reach" needs the configured failed attempts over the period."""
    if new_status == "referred" and not referrals.has_referral(help_request):
        raise CaseworkError("Record the referral first: “Referred” needs a referral record.")
    if new_status == "could_not_reach" and not outreach.can_close_unreached(help_request):
        policy = outreach.unreached_policy()
        raise CaseworkError(
            f"“Could not reach” needs {policy.attempts} attempts that did not reach the "
            f"person, the first and the last at least {policy.days} days apart."
        )


def override_screen(
    help_request: HelpRequest, screen: str, reason: str, actor: StaffUser, seen_version: int
) -> None:
    """Set the screen staff decided on (or "" to go back to the computed one)."""
    _check_version(help_request, seen_version)
    if screen and screen not in {s.value for s in Screen}:
        raise CaseworkError("Choose a screen from the list.")
    reason = _reason(reason, True, "changing the screen")
    old = help_request.screen_override or help_request.screen
    help_request.screen_override = screen or None
    new = help_request.screen_override or help_request.screen
    _record_change(help_request, actor, "screen", old, new, reason)


def _record_change(
    help_request, actor, kind: str, old: str, new: str, reason: str, detail: str = ""
) -> None:
    """History (with the reason, encrypted) and audit (codes only), then commit."""
    db.session.add(
        StatusChange(
            request_id=help_request.id,
            actor_id=actor.id,
            kind=kind,
            from_value=old,
            to_value=new,
            reason=reason or None,
        )
    )
    audit.record(
        f"case.{kind}", "request", help_request.reference, f"{old}->{new}{detail}", actor.id
    )
    _commit()


def take_next(user: StaffUser) -> HelpRequest | None:
    """Assign the first unassigned open case, in queue order, to ``user``.

    Atomic, so one case never goes to two people: on PostgreSQL the row is
    locked with FOR UPDATE SKIP LOCKED (a second taker skips to the next row);
    elsewhere a conditional UPDATE ... WHERE assignee_id IS NULL claims it, and
    a lost race (no row updated) tries the next candidate."""
    live_urgency.bring_up_to_date()
    candidates = (
        select(HelpRequest.id)
        .where(is_open(), HelpRequest.assignee_id.is_(None))
        .order_by(*QUEUE_ORDER)
    )
    if db.session.get_bind().dialect.name == "postgresql":
        candidates = candidates.limit(1).with_for_update(skip_locked=True)
    else:
        candidates = candidates.limit(5)
    for _attempt in range(5):
        ids = list(db.session.execute(candidates).scalars())
        if not ids:
            db.session.rollback()
            return None
        for case_id in ids:
            claimed = db.session.execute(
                update(HelpRequest)
                .where(and_(HelpRequest.id == case_id, HelpRequest.assignee_id.is_(None)))
                .values(assignee_id=user.id, version=HelpRequest.version + 1)
                .execution_options(synchronize_session=False)
            )
            if claimed.rowcount == 1:
                help_request = db.session.get(HelpRequest, case_id, populate_existing=True)
                audit.record(
                    "case.take", "request", help_request.reference, f"assignee={user.id}", user.id
                )
                db.session.commit()
                return help_request
        db.session.rollback()
    return None
