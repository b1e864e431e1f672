"""The facts of one case as staff see and correct them.

``read`` works out, for today's date, what the rules say about a case: its band
with the reasons, every deadline, flag and possible form of relief, each with
its legal source. Staff correct a fact (hearing date, order date, end of
status, date of birth) or set the urgency by hand, always with a reason; the
change is in the case history (reason encrypted) and the audit log (field
names and bands only, never a date of the person), and the urgency follows at
once.
"""

import json
from dataclasses import dataclass
from datetime import date

from intake import timeutil
from intake.cases import live_urgency
from intake.cases import stored_facts as facts
from intake.law import age_bands
from intake.law.dates import PartialDate
from intake.law.relief import possible_relief
from intake.law.vocabulary import HARM_FACTS, Urgency
from intake.models import HelpRequest, StaffUser
from intake.staff.cases.casework import CaseworkError, _check_version, _reason, _record_change

# What staff may correct, with the label the case page shows.
CORRECTABLE = {
    "hearing_date": "Hearing date",
    "decision_date": "Date of the judge's decision or removal order",
    "status_start": "Date the status began",
    "status_end": "Date the status ends or ended",
    "date_of_birth": "Date of birth",
    "fear_result_date": "Date of the fear-screening result",
    "voluntary_departure_date": "Date voluntary departure was granted",
    "board_decision_date": "Date the Board decided the appeal",
}
# Answers staff may correct, each with the values it allows (the rules' words).
_TRI = (("yes", "yes"), ("no", "no"), ("not_sure", "not sure"))
CORRECTABLE_ANSWERS = {
    "fear_result": (
        "Fear-screening result",
        (
            ("positive", "positive"),
            ("negative", "negative"),
            ("waiting", "waiting for the result"),
            ("not_sure", "not sure"),
            ("", "no interview reported"),
        ),
    ),
    "hearing_kind": (
        "Kind of hearing",
        (("first", "first (master)"), ("final", "final (individual)"), ("not_sure", "not sure")),
    ),
    "voluntary_departure": ("Voluntary departure granted", _TRI),
    "voluntary_departure_days": (
        "Voluntary departure period",
        (("60", "60 days or fewer"), ("120", "up to 120 days"), ("", "not known")),
    ),
    "board_decided": ("The Board has decided the appeal", _TRI),
    "moved": ("Moved since the court last had the address", _TRI),
}
ANSWER_CHOICES = tuple(
    (f"{field}={value}", f"{label}: {words}")
    for field, (label, values) in CORRECTABLE_ANSWERS.items()
    for value, words in values
)
# What a corrected date says about the answer it belongs to.
_DATE_IMPLIES = {
    "decision_date": {"judge_decided": "yes"},
    "voluntary_departure_date": {"voluntary_departure": "yes"},
    "board_decision_date": {"board_decided": "yes", "appeal_filed": "yes"},
}
_BANDS = {u.value: u for u in Urgency}
MONTH_CHOICES = tuple(
    (str(n), name)
    for n, name in enumerate(
        (
            "January", "February", "March", "April", "May", "June", "July",
            "August", "September", "October", "November", "December",
        ),
        start=1,
    )
)  # fmt: skip
ASKER_LABELS = {
    "self": "the person themself",
    "family": "a family member",
    "detained_person": "for someone in detention",
    "organisation": "an organisation referring them",
}
HARM_LABELS = HARM_FACTS  # the rules' plain words, one source
RELIEF_LABELS = {
    "asylum": "Asylum",
    "withholding": "Withholding of removal",
    "cat": "Convention Against Torture",
    "u_visa": "U visa",
    "t_visa": "T visa",
    "vawa": "VAWA",
    "sijs": "SIJS",
    "tps": "TPS",
    "parole": "Humanitarian parole",
}


def date_from_parts(day: str | None, month: str | None, year: str | None) -> PartialDate | None:
    """A corrected date from the staff form (day optional); None when all empty.
    Raises ValueError with a message for staff."""
    day, month, year = ((part or "").strip() for part in (day, month, year))
    if not (day or month or year):
        return None
    if not (month.isdigit() and 1 <= int(month) <= 12):
        raise ValueError("Choose the month.")
    if not (year.isdigit() and len(year) == 4 and 1900 <= int(year) <= 2100):
        raise ValueError("Enter the year with 4 digits.")
    if day and not day.isdigit():
        raise ValueError("The day must be a number.")
    try:
        return PartialDate(int(year), int(month), int(day) if day else None)
    except ValueError as exc:
        raise ValueError("Enter a real date.") from exc


@dataclass(frozen=True)
class CaseFacts:
    facts: dict  # the stored facts, decrypted
    band: Urgency
    set_by_staff: bool
    ranked: live_urgency.Ranked
    relief: tuple
    today: date

    def days_to(self, day: date) -> int:
        return (day - self.today).days


def read(row: HelpRequest, today: date | None = None) -> CaseFacts:
    """What the rules say about this case today. A request stored before the form
    asked for facts has none: the rules then see only the answers kept in plain columns."""
    today = today or timeutil.today()
    stored = facts.loads(row.facts) or _legacy_facts(row)
    rules_facts = facts.to_rules(stored)
    ranked = live_urgency.rank(rules_facts, today, live_urgency.thresholds())
    band = live_urgency.band_on(row, today) if row.urgency_set_by_staff else ranked.band
    return CaseFacts(
        facts=stored,
        band=band,
        set_by_staff=row.urgency_set_by_staff,
        ranked=ranked,
        relief=tuple(possible_relief(rules_facts)),
        today=today,
    )


def bring_row_up_to_date(row: HelpRequest, case: CaseFacts) -> bool:
    """Store what the rules say today when it differs from the row (a band that
    fell since, such as an appeal window that closed, is only applied here: the
    queue's read-time refresh applies the stored steps). Not when staff set the
    urgency by hand. Returns whether anything changed; the caller commits."""
    if row.urgency_set_by_staff or row.facts is None:
        # A request sent before the facts were asked keeps its stored assessment
        # until staff correct a fact: its facts are only what the old form asked.
        return False
    before = (row.urgency, row.urgency_steps, row.deadline_dates)
    live_urgency.store(row, case.ranked)
    return before != (row.urgency, row.urgency_steps, row.deadline_dates)


def correct_fact(
    row: HelpRequest,
    field: str,
    value: PartialDate | None,
    reason: str,
    actor: StaffUser,
    seen_version: int,
) -> None:
    """Set one fact (None clears it) and rank the case again at once."""
    _check_version(row, seen_version)
    if field not in CORRECTABLE:
        raise CaseworkError("Choose a fact from the list.")
    reason = _reason(reason, True, "correcting a fact")
    stored = facts.loads(row.facts) or _legacy_facts(row)
    stored[field] = facts.to_iso(value)
    if field == "hearing_date":
        row.hearing_date = value.earliest() if value else None
        if value is not None:
            stored["hearing"] = "yes"
    if value is not None:
        stored.update(_DATE_IMPLIES.get(field, {}))
    if field == "date_of_birth":
        # The band is the age when the request was sent, whenever it is corrected.
        row.age_band = age_bands.band(value, row.created_at.date())
    _rerank(row, stored, actor, field, reason)


def correct_answer(
    row: HelpRequest, choice: str, reason: str, actor: StaffUser, seen_version: int
) -> None:
    """Set one answer (``"field=value"`` from ``ANSWER_CHOICES``) and rank again."""
    _check_version(row, seen_version)
    field, _, value = choice.partition("=")
    allowed = dict(CORRECTABLE_ANSWERS.get(field, ("", ()))[1])
    if value not in allowed:
        raise CaseworkError("Choose an answer from the list.")
    reason = _reason(reason, True, "correcting an answer")
    stored = facts.loads(row.facts) or _legacy_facts(row)
    stored[field] = value
    _rerank(row, stored, actor, field, reason)


def _rerank(row: HelpRequest, stored: dict, actor: StaffUser, field: str, reason: str) -> None:
    row.facts = facts.dumps(stored)
    old = row.urgency
    case = read(_unset_by_staff(row))
    live_urgency.store(row, case.ranked)
    row.flags = json.dumps([f.text for f in case.ranked.flags])
    _record_change(row, actor, "fact", field, f"urgency {old}->{row.urgency}"[:32], reason)


def set_urgency(
    row: HelpRequest, band: str, reason: str, actor: StaffUser, seen_version: int
) -> None:
    """Set the band by hand ("" goes back to the rules). The rules' later steps
    (``urgency_steps``) still raise it, never lower it: a hearing coming near
    raises a case that staff lowered, and a case staff raised stays raised."""
    _check_version(row, seen_version)
    if band and band not in _BANDS:
        raise CaseworkError("Choose an urgency from the list.")
    reason = _reason(reason, True, "changing the urgency")
    old = row.urgency
    if band:
        row.urgency = _BANDS[band].value
        row.urgency_rank = _BANDS[band].rank
        row.urgency_set_by_staff = True
    else:
        live_urgency.store(_unset_by_staff(row), read(row).ranked)
    _record_change(row, actor, "urgency", old, row.urgency, reason)


def _unset_by_staff(row: HelpRequest) -> HelpRequest:
    row.urgency_set_by_staff = False
    return row


def _legacy_facts(row: HelpRequest) -> dict:
    """The facts a request stored before the form asked for them still has, in
    plain columns."""
    arrival = None
    if row.arrival_year and row.arrival_month:
        arrival = facts.to_iso(PartialDate(row.arrival_year, row.arrival_month, row.arrival_day))
    return {
        "asking_for": row.asker or "self",
        "in_us": True,
        "detained": row.detained,
        "hearing": row.hearing,
        "hearing_date": facts.to_iso(row.hearing_date),
        # Not asked by the old form: read as "no", as the assessment made then
        # did; staff who learn of an order correct the date of the decision.
        "judge_decided": "no",
        "i589_filed": row.i589_filed,
        "last_arrival": arrival,
        "claim_types": (row.claim_types or "").split(),
    }
