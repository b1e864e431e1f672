"""Urgency that is right for today's date whenever staff look, with no job to run.

The rules know a request's whole future at the moment its facts are known:
``intake.law.urgency.escalation_dates`` gives the band it starts in and each day the band
changes (a hearing coming within 60 then 14 days, an appeal window closing, a
21st birthday coming near). ``store`` keeps the changes still ahead, as plain
dates, in ``urgency_steps`` and the first of them in ``urgency_changes_on``.

Every read of the queue (and the digest, and "take next") first calls
``bring_up_to_date``: one indexed probe for rows whose ``urgency_changes_on``
has come, which normally finds none; the few it finds get the band of their
last step that has come, written to ``urgency_rank``. The queue then orders on
its index as before.

Why not compare the dates inside the queue's ORDER BY (a CASE over
``high_from``/``critical_from``)? Such an order cannot use an index: every page
sorts every open request, far over the queue's budget at scale, while the probe
and the indexed order cost next to nothing (docs/benchmarks.md). Why not
re-assess on read?
That needs the facts, which are encrypted: decrypting every open request on
every page is far slower, and the steps already say the same thing. What the
plain dates reveal is set out in SECURITY.md.
"""

import json
from dataclasses import dataclass
from datetime import date

from flask import Flask, current_app
from sqlalchemy import and_, select, update

from intake import timeutil
from intake.db import db
from intake.law.deadlines import Deadline, deadlines
from intake.law.facts import Facts
from intake.law.flags import Flag, flags
from intake.law.urgency import Reason, Thresholds, urgency_and_escalation
from intake.law.vocabulary import Urgency
from intake.models import AuditEvent, HelpRequest
from intake.models.help_request import NO_EVENT

BATCH = 500
# What applying a row's steps reads (no personal answer, nothing to decrypt).
STEP_COLUMNS = (
    HelpRequest.id,
    HelpRequest.urgency_rank,
    HelpRequest.urgency_steps,
    HelpRequest.urgency_changes_on,
    HelpRequest.urgency_rose_on,
    HelpRequest.urgency_set_by_staff,
)


def thresholds_from(app: Flask) -> Thresholds:
    cfg = app.config
    return Thresholds(
        critical_hearing_days=cfg["URGENCY_CRITICAL_HEARING_DAYS"],
        high_hearing_days=cfg["URGENCY_HIGH_HEARING_DAYS"],
        critical_deadline_days=cfg["URGENCY_CRITICAL_DEADLINE_DAYS"],
        high_deadline_days=cfg["URGENCY_HIGH_DEADLINE_DAYS"],
        income_limit_percent=cfg["INCOME_LIMIT_PERCENT"],
        passed_deadline_grace_days=cfg["URGENCY_PASSED_DEADLINE_GRACE_DAYS"],
        sijs_critical_days=cfg["URGENCY_SIJS_CRITICAL_DAYS"],
        turning_18_flag_days=cfg["URGENCY_TURNING_18_FLAG_DAYS"],
    )


@dataclass(frozen=True)
class Ranked:
    """What the rules say about a request's urgency on one day."""

    band: Urgency
    reasons: tuple[Reason, ...]
    steps: tuple[tuple[date, int], ...]  # (day, rank) of each change after that day
    deadlines: tuple[Deadline, ...]
    flags: tuple[Flag, ...]
    day: date  # the day it was ranked for
    hearing: date | None = None


def rank(facts: Facts, today: date, thresholds: Thresholds) -> Ranked:
    (band, reasons), escalation = urgency_and_escalation(facts, today, thresholds)
    steps = tuple((day, changed.rank) for day, changed in escalation.changes if day > today)
    return Ranked(
        band=band,
        reasons=tuple(reasons),
        steps=steps,
        deadlines=tuple(deadlines(facts, today)),
        flags=tuple(flags(facts, today, thresholds)),
        day=today,
        hearing=facts.hearing_date,
    )


def columns(ranked: Ranked) -> dict:
    """The band of today, the changes ahead and the deadlines, as a row stores them."""
    one_year = next((d for d in ranked.deadlines if d.kind == "one_year"), None)
    return {
        "urgency": ranked.band.value,
        "urgency_rank": ranked.band.rank,
        **step_columns(ranked.steps),
        "urgency_set_by_staff": False,
        # The last possible day: a deadline known only as a range is not passed
        # before its latest day has ended.
        "deadline_dates": json.dumps(
            sorted({d.last_possible.isoformat() for d in ranked.deadlines})
        ),
        "filing_deadline": one_year.due if one_year else None,
        **event_columns(ranked),
    }


def event_columns(ranked: Ranked) -> dict:
    """The hearing and deadlines still ahead, soonest first, and the first of them:
    what the queue orders a band by and names in its reason column."""
    # A range already open (only the month known) stays ahead until its latest day.
    events = {(d.due if d.due >= ranked.day else d.last_possible, d.kind) for d in ranked.deadlines}
    if ranked.hearing is not None:
        events.add((ranked.hearing, "hearing"))
    ahead = sorted(event for event in events if event[0] >= ranked.day)
    return {
        "dated_events": json.dumps([[day.isoformat(), kind] for day, kind in ahead]),
        "next_event_on": ahead[0][0] if ahead else NO_EVENT,
    }


def step_columns(steps) -> dict:
    return {
        "urgency_steps": json.dumps([[day.isoformat(), r] for day, r in steps]),
        "urgency_changes_on": steps[0][0] if steps else None,
    }


def store(row: HelpRequest, ranked: Ranked) -> None:
    """Write the band of today and the changes ahead onto the row (not committed)."""
    for name, value in columns(ranked).items():
        setattr(row, name, value)


def events_of(dated_events: str | None) -> list[tuple[date, str]]:
    try:
        return [
            (date.fromisoformat(day), str(kind)) for day, kind in json.loads(dated_events or "[]")
        ]
    except (ValueError, TypeError):
        return []


def next_event_on(dated_events: str | None, today: date) -> date:
    """The first dated event on or after ``today``; NO_EVENT (sorts last) if none."""
    return next((day for day, _kind in events_of(dated_events) if day >= today), NO_EVENT)


def steps_of(row_steps: str) -> list[tuple[date, int]]:
    try:
        return [(date.fromisoformat(day), int(r)) for day, r in json.loads(row_steps or "[]")]
    except (ValueError, TypeError):
        return []


def bring_up_to_date(today: date | None = None) -> int:
    """Apply every step that has come to the rows it belongs to; return how many
    rows changed. Safe to run from several processes at once: a row is written only
    if its ``urgency_changes_on`` is still the one read (a correction in between
    wins)."""
    today = today or timeutil.today()
    due = select(*STEP_COLUMNS).where(HelpRequest.urgency_changes_on <= today).limit(BATCH)
    passed = (
        select(HelpRequest.id, HelpRequest.dated_events, HelpRequest.next_event_on)
        .where(HelpRequest.next_event_on < today)
        .limit(BATCH)
    )
    changed = 0
    for query, apply in ((due, _apply_steps), (passed, _move_next_event)):
        while rows := db.session.execute(query).all():
            for row in rows:
                changed += apply(row, today)
            db.session.commit()
            if len(rows) < BATCH:
                break
    return changed


def _move_next_event(row, today: date) -> int:
    """A hearing or deadline has passed: the row's next dated event is the one
    after it (or none), read from its plain list."""
    result = db.session.execute(
        update(HelpRequest)
        .where(HelpRequest.id == row.id, HelpRequest.next_event_on == row.next_event_on)
        .values(next_event_on=next_event_on(row.dated_events, today))
        .execution_options(synchronize_session=False)
    )
    return result.rowcount


def advance(rank: int, steps: list[tuple[date, int]], today: date):
    """The rank on ``today`` once the steps that have come are applied, the steps
    that came and those still ahead."""
    come = [(day, r) for day, r in steps if day <= today]
    ahead = [(day, r) for day, r in steps if day > today]
    return (come[-1][1] if come else rank), come, ahead


def _apply_steps(row, today: date) -> int:
    new_rank, come, ahead = advance(row.urgency_rank, steps_of(row.urgency_steps), today)
    by_staff = row.urgency_set_by_staff
    if by_staff and new_rank >= row.urgency_rank:
        new_rank = row.urgency_rank  # staff's band holds against a step that would lower it
    else:
        by_staff = False
    rose_on = row.urgency_rose_on
    if new_rank < row.urgency_rank:
        # The day of the step that lifted it above where it stood.
        rose_on = next(day for day, r in reversed(come) if r == new_rank)
    result = db.session.execute(
        update(HelpRequest)
        .where(
            and_(
                HelpRequest.id == row.id,
                HelpRequest.urgency_changes_on == row.urgency_changes_on,
            )
        )
        .values(
            urgency_rank=new_rank,
            urgency=_BY_RANK[new_rank].value,
            **step_columns(ahead),
            urgency_rose_on=rose_on,
            urgency_set_by_staff=by_staff,
        )
        .execution_options(synchronize_session=False)
    )
    return result.rowcount


_BY_RANK = {u.rank: u for u in Urgency}


def band_on(row: HelpRequest, day: date) -> Urgency:
    """The band of a loaded row on ``day`` from its stored steps (what
    ``bring_up_to_date`` would write), for pages that show one request."""
    current = row.urgency_rank
    for step_day, r in steps_of(row.urgency_steps):
        if step_day <= day:
            current = r
    return _BY_RANK[current]


def rose_since_seen(rows: list[HelpRequest], viewer_id: int) -> set[str]:
    """References of rows whose band rose by itself after this staff member last
    opened the case (or that they never opened)."""
    risen = {row.reference: row.urgency_rose_on for row in rows if row.urgency_rose_on}
    if not risen:
        return set()
    seen = dict(
        db.session.execute(
            select(AuditEvent.target, db.func.max(AuditEvent.at))
            .where(
                AuditEvent.action == "case.view",
                AuditEvent.actor_id == viewer_id,
                AuditEvent.target.in_(list(risen)),
            )
            .group_by(AuditEvent.target)
        ).all()
    )
    return {ref for ref, day in risen.items() if ref not in seen or seen[ref].date() < day}


def thresholds() -> Thresholds:
    return thresholds_from(current_app)


# The queue's words for a dated event, by the rules' deadline kind (intake.law.deadlines).
EVENT_NAMES = {
    "hearing": "Hearing",
    "bia_appeal": "Appeal due",
    "motion_to_reopen": "Motion to reopen due",
    "in_absentia_reopen": "Reopening due",
    "one_year": "Asylum filing due",
    "sijs": "SIJS petition due",
    "sijs_state_court": "State-court order due",
    "reasonable_period": "Status ends",
    "uac_turning_18": "Turns 18",
    "petition_for_review": "Review petition due",
    "board_reconsider": "Reconsider due",
    "board_reopen": "Board reopening due",
    "fear_review": "Judge review due",
    "voluntary_departure": "Departure due",
    "voluntary_departure_bond": "Bond due",
    "hearing_filings": "Filings due",
}


def short_reason(row, today: date, grace_days: int) -> str:
    """Why a queue row stands where it does today, in a few words ("Detained;
    Hearing in 20 d"), from its plain columns alone: detention, the nearest event
    still ahead, and a deadline passed within the grace the rules give it."""
    parts = ["Detained"] if row.detained else []
    ahead = next(((d, k) for d, k in events_of(row.dated_events) if d >= today), None)
    if ahead is not None:
        day, kind = ahead
        days = (day - today).days
        parts.append(f"{EVENT_NAMES.get(kind, 'Deadline')} {f'in {days} d' if days else 'today'}")
    recent = [d for d in deadline_days(row.deadline_dates) if 0 < (today - d).days <= grace_days]
    if recent:
        parts.append("Deadline passed")
    if row.hearing_date is not None and 0 < (today - row.hearing_date).days <= grace_days:
        parts.append("Hearing passed")
    return "; ".join(parts)


def deadline_days(deadline_dates: str | None) -> list[date]:
    try:
        return [date.fromisoformat(d) for d in json.loads(deadline_dates or "[]")]
    except (ValueError, TypeError):
        return []
