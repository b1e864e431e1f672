"""The facts the law turns on, as a request stores them and as the rules read them.

The screening form's answers about age, orders, interviews, status, fear and
harm, the helper asking for someone else and the A-number are kept as one
JSON object in the encrypted ``HelpRequest.facts`` column: they identify a
person or describe what happened to them. ``to_rules`` turns that object into
``intake.law.facts.Facts``; staff corrections (``intake.staff.cases.facts``) change the
object and run the rules again.

Dates are stored as ISO text: "2026-03" when only the month and year were given
(the rules read it at their safe side), "2026-03-27" otherwise.
"""

import json
from datetime import date

from intake.cases.contact import normalise_phone
from intake.law.dates import PartialDate
from intake.law.facts import Facts
from intake.law.vocabulary import HARM_FACTS

# Facts the rules do not read but staff need.
HELPER_KEYS = ("helper_name", "helper_relationship", "helper_contact")
# How the person agreed to be reached, asked beside "is it safe to leave a
# message": ``reach_by`` lists the ways chosen among REACH_BY (none chosen: no
# consent to any message); ``message_phone`` is the E.164 number for texts and
# WhatsApp when it is not the request's phone (absent: that phone). A message is
# sent only by a way chosen here, and never when ``safe_to_message`` is not "yes"
# (intake.messages.consent reads them).
REACH_BY = ("text", "whatsapp", "call", "email", "helper")
CONTACT_KEYS = ("reach_by", "message_phone")
FACT_KEYS = (*HELPER_KEYS, *CONTACT_KEYS)
# What the form's "if you know" and yes/no/not-sure answers become for the rules.
_DATE_FIELDS = {
    "date_of_birth": "birth",
    "last_arrival": "arrival",
    "decision_date": "decision",
    "status_start": "status_start",
    "status_end": "status_end",
    "hearing_date": "hearing",
    "fear_interview_date": "fear_interview",
    "fear_result_date": "fear_result",
    "voluntary_departure_date": "departure",
    "board_decision_date": "board_decision",
    "appointment_date": "appointment",
}
# Fields holding a full date in the rules (a month-only answer is read as its
# first day, the earliest reading); the others stay partial dates.
_FULL_DATES = frozenset(
    {
        "hearing_date",
        "fear_interview_date",
        "appointment_date",
        "fear_result_date",
        "voluntary_departure_date",
    }
)
HARM_FIELDS = tuple(HARM_FACTS)  # the rules' fear and harm facts, in their order


def from_form(form) -> dict:
    """The stored facts of a validated ``HelpForm``."""
    stored = {
        "asking_for": form.asker.data,
        "in_us": form.in_us.data == "yes",
        "detained": form.detained.data == "yes",
        "hearing": form.hearing.data,
        "judge_decided": form.decided.data,
        "in_absentia": form.in_absentia.data or "not_sure",
        "appeal_filed": form.appealed.data or "not_sure",
        # Left unanswered, this optional question reads as "no": only an answer of
        # "yes" or "not sure" is a reason to check for a reinstated order.
        "removed_before_and_returned": form.removed_before.data or "no",
        "fear_interview": form.fear_interview.data or "",
        "fear_result": form.fear_result.data or "",
        "hearing_kind": form.hearing_kind.data or "",
        "voluntary_departure": form.departure.data or "",
        "voluntary_departure_days": form.departure_days.data or "",
        "board_decided": form.board_decided.data or "",
        "moved": form.moved.data or "",
        "state": form.state.data or None,
        "appointment_kind": form.appointment.data or "",
        "status_kind": form.status_kind.data or "",
        "i589_filed": form.i589_filed.data,
        "came_as_child_alone": form.came_as_child_alone.data or "",
        "harms": sorted(form.harms.data),
        "claim_types": sorted(form.claim_types.data),
        "a_number": form.a_number.data or None,
    }
    for key in HELPER_KEYS:
        stored[key] = getattr(form, key).data or None if form.asks_for_someone_else else None
    stored["reach_by"] = [way for way in REACH_BY if way in (form.reach_by.data or ())]
    if form.message_phone.data:
        stored["message_phone"] = normalise_phone(form.message_phone.data)
    for key, name in _DATE_FIELDS.items():
        stored[key] = _iso(form.date_value(name))
    return stored


def reach_by(stored: dict) -> list[str]:
    """The ways the person agreed to be reached (none for a request sent before
    the question was asked: no consent)."""
    chosen = stored.get("reach_by") or ()
    return [way for way in REACH_BY if way in chosen]


def dumps(stored: dict) -> str:
    return json.dumps(stored, sort_keys=True, ensure_ascii=False)


def loads(text: str | None) -> dict:
    try:
        value = json.loads(text or "{}")
    except ValueError:
        return {}
    return value if isinstance(value, dict) else {}


def to_rules(stored: dict) -> Facts:
    """``intake.law.facts.Facts`` from the stored object. An unknown answer is read as
    the one that keeps a deadline running ("not sure"), never dropped."""
    dates = {key: parse_date(stored.get(key)) for key in _DATE_FIELDS}
    for key in _FULL_DATES:
        dates[key] = dates[key].earliest() if dates[key] else None
    harms = set(stored.get("harms") or ())
    status = stored.get("status_kind") or "none"
    return Facts(
        asking_for=stored.get("asking_for") or "self",
        in_us=stored.get("in_us", True),
        detained=bool(stored.get("detained")),
        hearing=stored.get("hearing") or "not_sure",
        judge_decided=stored.get("judge_decided") or "not_sure",
        in_absentia=stored.get("in_absentia") or "not_sure",
        appeal_filed=stored.get("appeal_filed") or "not_sure",
        removed_before_and_returned=stored.get("removed_before_and_returned") or "no",
        fear_interview_scheduled=stored.get("fear_interview") == "yes"
        or dates["fear_interview_date"] is not None,
        fear_interview_unsure=stored.get("fear_interview") == "not_sure",
        fear_result=stored.get("fear_result") or "none",
        hearing_kind=stored.get("hearing_kind") or "not_sure",
        # Optional questions the old form never asked read as "no", like a left-out
        # answer; "not sure" stays "not sure".
        voluntary_departure=stored.get("voluntary_departure") or "no",
        voluntary_departure_days=_days(stored.get("voluntary_departure_days")),
        # After an appeal, a Board that may have decided is checked, never assumed not to.
        board_decided=stored.get("board_decided") or "not_sure",
        moved=stored.get("moved") or "no",
        state=stored.get("state") or None,
        i589_filed=stored.get("i589_filed") or "not_sure",
        # "Something else" is a status the rules do not know: staff read it.
        status_kind=status if status in ("tps", "parole", "visa", "daca") else "none",
        came_as_unaccompanied_child=stored.get("came_as_child_alone") == "yes",
        claim_types=frozenset(stored.get("claim_types") or ()),
        **{name: name in harms for name in HARM_FIELDS},
        **dates,
    )


def _days(value) -> int | None:
    """The period of voluntary departure; "not sure" or none reads as the shorter."""
    return int(value) if str(value or "").isdigit() else None


def _iso(value: PartialDate | None) -> str | None:
    if value is None:
        return None
    if value.day is None:
        return f"{value.year:04d}-{value.month:02d}"
    return value.earliest().isoformat()


def parse_date(text: str | None) -> PartialDate | None:
    """A stored date ("2026-03" or "2026-03-27") as a PartialDate; None if absent."""
    if not text:
        return None
    parts = [int(p) for p in str(text).split("-")]
    return PartialDate(parts[0], parts[1], parts[2] if len(parts) > 2 else None)


def to_iso(value: PartialDate | date | None) -> str | None:
    if isinstance(value, date):
        return value.isoformat()
    return _iso(value)
