"""Reaching the person safely: contact attempts, callbacks, and the promise of a
reply within ``REPLY_WITHIN_DAYS`` working days.

The applicant answered "Is it safe for us to leave a voicemail or message?" on
the form, and the confirmation told them "We will not leave a message unless you
told us it is safe." This module holds staff to that: on a request whose answer
was not "yes", a "left a message" outcome, and any attempt by a written channel
(text, WhatsApp, email, letter: whatever the outcome, the words stay on the phone
or in the letterbox), is refused unless staff give a reason for overriding it (an
emergency, the person asked for it since), and the reason is kept, encrypted,
beside the attempt.

The rules come first and are pure (no Flask, no database); the state changes
below them are small plain functions the case views call. Every change is
audited in its own transaction, with codes and ids only.
"""

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from zoneinfo import ZoneInfo

from flask import current_app
from sqlalchemy import and_, select, update

from intake import timeutil
from intake.cases import audit
from intake.db import db
from intake.law import working_days
from intake.models import Callback, ContactAttempt, HelpRequest, StaffUser
from intake.models.help_request import OPEN_STATUSES, hours_between, is_open

CHANNELS = {
    "phone": "Phone call",
    "text": "Text message (SMS)",
    "whatsapp": "WhatsApp",
    "email": "Email",
    "letter": "Letter",
    "in_person": "In person",
    "helper": "Through the helper",
}
OUTCOMES = {
    "reached": "Reached",
    "no_answer": "No answer",
    "left_message": "Left a message",
    "wrong_number": "Wrong number or address",
    "unsafe": "Unsafe to continue",
}
# The person has heard from us: the promised reply is kept, the request is no
# longer overdue. A missed call they never heard about does not count.
CONTACT_MADE = frozenset({"reached", "left_message"})
# Channels that leave words behind on a phone, an inbox or a doormat, whether or
# not the person answered: "reached" by text is still a text someone else may read.
WRITTEN_CHANNELS = frozenset({"text", "whatsapp", "email", "letter"})
CALLBACK_KINDS = {"callback": "Callback", "appointment": "Appointment"}
CALLBACK_STATES = {"open": "Booked", "done": "Done", "missed": "Missed"}
NOTE_MAX = 1000


class OutreachError(ValueError):
    """A change the rules refuse; the message is shown to the staff member."""


# --- rules (pure) -------------------------------------------------------------------


def message_is_safe(safe_to_message: str | None) -> bool:
    """Only an explicit "yes" on the form makes a message safe: "no" and "not sure"
    both mean the confirmation promised not to leave one."""
    return safe_to_message == "yes"


def needs_override(safe_to_message: str | None, outcome: str, channel: str = "") -> bool:
    """Leaving a message, or writing at all, where the applicant did not say it is
    safe needs a reason."""
    leaves_words = outcome == "left_message" or channel in WRITTEN_CHANNELS
    return leaves_words and not message_is_safe(safe_to_message)


def contact_person(asker: str) -> str:
    """Who staff contact: the helper, when someone asked for the person (a
    relative of someone detained, an organisation); otherwise the applicant.
    The form's phone and email are then the helper's way to reach them."""
    return "applicant" if asker == "self" else "helper"


@dataclass(frozen=True)
class Attempt:
    """What the could-not-reach rule reads of an attempt."""

    at: datetime
    outcome: str


@dataclass(frozen=True)
class UnreachedPolicy:
    attempts: int  # COULD_NOT_REACH_ATTEMPTS
    days: int  # COULD_NOT_REACH_DAYS


def failed_since_reached(attempts: Sequence[Attempt]) -> list[Attempt]:
    """The attempts after the last time the person was reached, oldest first."""
    ordered = sorted(attempts, key=lambda a: a.at)
    last_reached = max((i for i, a in enumerate(ordered) if a.outcome == "reached"), default=-1)
    return ordered[last_reached + 1 :]


def may_close_unreached(attempts: Sequence[Attempt], policy: UnreachedPolicy) -> bool:
    """Closing as "could not reach" needs ``policy.attempts`` failed attempts (none
    reached the person, counting from the last time one did) spread over at least
    ``policy.days`` days between the first and the last of them. Attempts made
    in one afternoon are not a fair try: the person may have been at work, in
    court or without credit, so the period is measured between attempts, not
    from the first attempt to now."""
    failed = failed_since_reached(attempts)
    if len(failed) < max(policy.attempts, 1):
        return False
    return failed[-1].at - failed[0].at >= timedelta(days=policy.days)


# --- settings -------------------------------------------------------------------------


@dataclass(frozen=True)
class OfficeCalendar:
    zone: ZoneInfo
    closed: frozenset[date]
    reply_days: int

    def today(self) -> date:
        return working_days.office_date(timeutil.utcnow(), self.zone)

    def is_overdue(self, created_at: datetime, today: date | None = None) -> bool:
        sent_on = working_days.office_date(created_at, self.zone)
        return working_days.is_overdue(sent_on, today or self.today(), self.reply_days, self.closed)

    def overdue_before(self, today: date | None = None) -> datetime:
        """Requests created before this stored time are overdue (when open and
        not contacted): the start of the office day after the latest overdue one."""
        last = working_days.latest_overdue_day(today or self.today(), self.reply_days, self.closed)
        return working_days.office_day_bounds(last, self.zone)[1]


def office_calendar() -> OfficeCalendar:
    config = current_app.config
    return OfficeCalendar(
        zone=ZoneInfo(config["OFFICE_TIMEZONE"]),
        closed=working_days.parse_closed_days(config["OFFICE_CLOSED_DAYS"]),
        reply_days=int(config["REPLY_WITHIN_DAYS"]),
    )


def unreached_policy() -> UnreachedPolicy:
    config = current_app.config
    return UnreachedPolicy(
        int(config["COULD_NOT_REACH_ATTEMPTS"]), int(config["COULD_NOT_REACH_DAYS"])
    )


# --- queries ----------------------------------------------------------------------------


def overdue_condition(calendar: OfficeCalendar):
    """SQL: open, nobody has reached the person, and the promised days have run out."""
    return and_(
        is_open(),
        HelpRequest.contacted.is_(False),
        HelpRequest.created_at < calendar.overdue_before(),
    )


def is_overdue(help_request: HelpRequest, calendar: OfficeCalendar) -> bool:
    return (
        help_request.status in OPEN_STATUSES
        and not help_request.contacted
        and calendar.is_overdue(help_request.created_at)
    )


def attempts_of(help_request: HelpRequest) -> list[ContactAttempt]:
    query = (
        select(ContactAttempt)
        .where(ContactAttempt.request_id == help_request.id)
        .order_by(ContactAttempt.at, ContactAttempt.id)
    )
    return list(db.session.execute(query).scalars())


def can_close_unreached(help_request: HelpRequest) -> bool:
    attempts = [Attempt(a.at, a.outcome) for a in attempts_of(help_request)]
    return may_close_unreached(attempts, unreached_policy())


def callbacks_of(help_request: HelpRequest) -> list[Callback]:
    query = (
        select(Callback)
        .where(Callback.request_id == help_request.id)
        .order_by(Callback.due_at, Callback.id)
    )
    return list(db.session.execute(query).scalars())


WEEK = 7


def my_callbacks(
    owner: StaffUser, day: date, calendar: OfficeCalendar, days: int = WEEK
) -> list[Callback]:
    """The owner's callbacks due in the ``days`` from ``day`` on (office time),
    in any state, and the ones still open from earlier days: a callback nobody
    marked is not forgotten, and the week ahead can be planned."""
    start = working_days.office_day_bounds(day, calendar.zone)[0]
    end = working_days.office_day_bounds(day + timedelta(days=days - 1), calendar.zone)[1]
    query = (
        select(Callback)
        .where(
            Callback.owner_id == owner.id,
            Callback.due_at < end,
            (Callback.due_at >= start) | (Callback.state == "open"),
        )
        .order_by(Callback.due_at, Callback.id)
    )
    return list(db.session.execute(query).scalars())


# --- state changes ---------------------------------------------------------------------


def _text(value: str | None, what: str) -> str | None:
    value = (value or "").strip()
    if len(value) > NOTE_MAX:
        raise OutreachError(f"The {what} is too long (at most {NOTE_MAX} characters).")
    return value or None


def record_contact_attempt(
    help_request: HelpRequest,
    actor: StaffUser,
    *,
    channel: str,
    outcome: str,
    note: str | None = None,
    override_reason: str | None = None,
    contact: str = "applicant",
) -> ContactAttempt:
    """Log one attempt to reach the person. A message left, or anything written,
    against the form's safe-contact answer needs ``override_reason``; reaching the person or leaving
    a message marks the request contacted (no longer overdue)."""
    if channel not in CHANNELS:
        raise OutreachError("Choose how you tried to reach the person.")
    if outcome not in OUTCOMES:
        raise OutreachError("Choose what happened.")
    if contact not in ("applicant", "helper"):
        raise OutreachError("Choose who you contacted.")
    note = _text(note, "note")
    reason = _text(override_reason, "reason")
    if needs_override(help_request.safe_to_message, outcome, channel):
        if not reason:
            raise OutreachError(
                "The applicant did not say it is safe to leave a message. "
                "Give the reason for writing or leaving one anyway, "
                "or choose another channel or outcome."
            )
    else:
        reason = None  # only kept where it overrides something
    at = timeutil.utcnow()
    attempt = ContactAttempt(
        request_id=help_request.id,
        at=at,
        actor_id=actor.id,
        channel=channel,
        outcome=outcome,
        contact=contact,
        note=note,
        override_reason=reason,
    )
    db.session.add(attempt)
    # For the reports' time to first contact: the first attempt's time, set once
    # (the first writer wins) and without a new row version, so a status change
    # being typed meanwhile is not refused as a conflict.
    table = HelpRequest.__table__
    db.session.execute(
        update(table)
        .where(table.c.id == help_request.id, table.c.first_contact_at.is_(None))
        .values(
            first_contact_at=at,
            hours_to_first_contact=hours_between(help_request.created_at, at),
        )
    )
    if outcome in CONTACT_MADE and not help_request.contacted:
        help_request.contacted = True
    db.session.flush()
    detail = f"attempt={attempt.id} channel={channel} outcome={outcome} contact={contact}"
    audit.record("case.contact", "request", help_request.reference, detail, actor.id)
    if reason:
        audit.record("case.contact_override", "request", help_request.reference, detail, actor.id)
    db.session.commit()
    return attempt


def book_callback(
    help_request: HelpRequest,
    actor: StaffUser,
    *,
    owner: StaffUser,
    due_at: datetime,
    kind: str = "callback",
    note: str | None = None,
) -> Callback:
    """Book a callback or appointment (``due_at`` as stored: naive UTC)."""
    if kind not in CALLBACK_KINDS:
        raise OutreachError("Choose a callback or an appointment.")
    if owner is None or not owner.active:
        raise OutreachError("Choose who will make the call.")
    if due_at < timeutil.utcnow() - timedelta(minutes=5):
        raise OutreachError("Choose a time that has not passed.")
    callback = Callback(
        request_id=help_request.id,
        kind=kind,
        due_at=due_at,
        owner_id=owner.id,
        booked_by_id=actor.id,
        note=_text(note, "note"),
    )
    db.session.add(callback)
    db.session.flush()
    audit.record(
        "case.callback",
        "request",
        help_request.reference,
        f"callback={callback.id} kind={kind} owner={owner.id}",
        actor.id,
    )
    db.session.commit()
    return callback


def close_callback(callback: Callback, actor: StaffUser, state: str, reference: str) -> None:
    """Mark a callback done or missed; a closed one stays as it is."""
    if state not in ("done", "missed"):
        raise OutreachError("Choose done or missed.")
    if callback.state != "open":
        raise OutreachError("This callback is already closed.")
    callback.state = state
    callback.closed_at = timeutil.utcnow()
    audit.record(
        "case.callback_" + state, "request", reference, f"callback={callback.id}", actor.id
    )
    db.session.commit()
