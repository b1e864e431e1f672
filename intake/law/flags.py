"""What staff must look at beyond the band: points to check that do not change
the urgency by themselves."""

from dataclasses import dataclass
from datetime import date

from intake.law import juvenile_courts
from intake.law.dates import add_years, long_date
from intake.law.deadlines import (
    MAINTAINED_STATUS_KINDS,
    appeal_pending,
    board_decided,
    maintained_status,
    one_year_asylum_deadline,
    sijs_applies,
    sijs_window_end,
)
from intake.law.facts import Facts
from intake.law.sources import (
    SRC_ADDRESS,
    SRC_BOARD_DECISION,
    SRC_EXCEPTIONS,
    SRC_FEAR_INTERVIEW,
    SRC_HEARING_FILINGS,
    SRC_IN_ABSENTIA_STAY,
    SRC_MAINTAINED,
    SRC_MISSED_HEARING,
    SRC_PAROLE,
    SRC_REINSTATED_REVIEW,
    SRC_REINSTATEMENT,
    SRC_SIJS,
    SRC_STATE_COURT,
    SRC_UAC,
    SRC_UAC_TURNING_18,
    SRC_VOLUNTARY_DEPARTURE,
)
from intake.law.urgency import DEFAULT_THRESHOLDS, Thresholds


@dataclass(frozen=True)
class Flag:
    text: str
    source: str


PAST_HEARING_FLAG = "hearing date passed — check for a removal order in absentia"


def _one_year_flags(facts: Facts, today: date) -> list[Flag]:
    flags = []
    if facts.came_as_unaccompanied_child and facts.in_us and facts.fears_return:
        flags.append(_uac_flag(facts, today))
    deadline = one_year_asylum_deadline(facts)
    if deadline is not None and deadline.passed(today):
        when = (
            f"between {long_date(deadline.due)} and {long_date(deadline.last_possible)}"
            if deadline.is_range
            else f"on {long_date(deadline.due)}"
        )
        flags.append(
            Flag(
                f"One-year deadline passed {when}: exception needed "
                "(changed or extraordinary circumstances, filed within a reasonable period). "
                "Withholding of removal and CAT have no deadline.",
                SRC_EXCEPTIONS,
            )
        )
    if deadline is not None and facts.status_kind == "daca":
        flags.append(
            Flag(
                "Had DACA: deferred action is not a status named in 8 CFR 208.4(a)(5)(iv); "
                "check whether it supports an extraordinary-circumstances exception.",
                SRC_EXCEPTIONS,
            )
        )
    flags += _maintained_flags(facts, deadline)
    return flags


def _uac_flag(facts: Facts, today: date) -> Flag:
    """Exempt from the one-year deadline while an unaccompanied child; from 18 the
    exemption may end, so the flag says so rather than "exempt" for life."""
    if facts.date_of_birth is None:
        text = (
            "Came as an unaccompanied child: exempt from the one-year asylum deadline while "
            "under 18; date of birth not given — find out how close 18 is."
        )
        return Flag(text, SRC_UAC)
    eighteen = add_years(facts.date_of_birth.earliest(), 18)
    if today < eighteen:
        text = (
            "Came as an unaccompanied child: exempt from the one-year asylum deadline while "
            f"under 18 — turns 18 on {long_date(eighteen)}; file before then."
        )
        return Flag(text, SRC_UAC)
    text = (
        f"Came as an unaccompanied child, turned 18 on {long_date(eighteen)}: the exemption "
        "from the one-year deadline may have ended — file as soon as possible; an immigration "
        "judge decides the application if they are in proceedings."
    )
    return Flag(text, SRC_UAC_TURNING_18)


def _maintained_flags(facts: Facts, deadline) -> list[Flag]:
    state = maintained_status(facts)
    if state == "late_start":
        text = (
            f"{facts.status_kind.upper()} began more than a year after the last arrival: the "
            "maintained-status exception does not cover the time before it; that gap needs its "
            "own exception."
        )
        return [Flag(text, SRC_MAINTAINED)]
    if state == "unknown":
        text = (
            "Ask when the status began: the maintained-status exception applies only if it was "
            "held within the year after the last arrival."
        )
        return [Flag(text, SRC_MAINTAINED)]
    if (
        deadline is not None
        and facts.status_kind in MAINTAINED_STATUS_KINDS
        and not facts.status_end
    ):
        text = (
            "Has or had status but gave no end date: if it was held within the year after "
            "arrival and lasted past the one-year deadline, the maintained-status exception "
            "may apply."
        )
        return [Flag(text, SRC_MAINTAINED)]
    return []


def _order_flags(facts: Facts, today: date) -> list[Flag]:
    flags = []
    if facts.judge_decided == "yes" and appeal_pending(facts) and not board_decided(facts):
        flags.append(
            Flag(
                "Appeal pending at the BIA: once the Board decides, a petition for review is "
                "due within 30 days; ask whether it has decided.",
                SRC_BOARD_DECISION,
            )
        )
    if facts.removed_before_and_returned != "no":
        flags.append(
            Flag(
                "Prior removal order may be reinstated: no asylum; withholding of removal or "
                "CAT only, through a reasonable-fear interview.",
                SRC_REINSTATEMENT,
            )
        )
        flags.append(
            Flag(
                "A reinstated order: a petition for review is due within 30 days of the order "
                "itself, not of a later decision on withholding — find out its date.",
                SRC_REINSTATED_REVIEW,
            )
        )
    if facts.judge_decided == "yes" and facts.in_absentia != "no":
        flags.append(
            Flag(
                "Order in absentia: only filing a motion to reopen stops removal (within 180 "
                "days for exceptional circumstances, or at any time without proper notice or "
                "while in custody).",
                SRC_IN_ABSENTIA_STAY,
            )
        )
    hearing = facts.hearing_date
    if hearing is not None and hearing < today and facts.judge_decided != "yes":
        flags.append(Flag(PAST_HEARING_FLAG, SRC_MISSED_HEARING))
    return flags


def _court_flags(facts: Facts, today: date) -> list[Flag]:
    flags = []
    if facts.detained and facts.hearing_date is not None and facts.judge_decided != "yes":
        text = "Detained: the immigration court sets the filing deadlines — ask for them."
        flags.append(Flag(text, SRC_HEARING_FILINGS))
    if facts.moved != "no":
        text = (
            "Moved since the court last had the address: Form EOIR-33 within 5 days of moving "
            "(the Board: 5 working days); notices go to the last address given."
        )
        flags.append(Flag(text, SRC_ADDRESS))
    if facts.voluntary_departure == "yes":
        text = (
            "Voluntary departure: leaving late brings a $1,000-$5,000 penalty and a 10-year bar; "
            "a motion to reopen or reconsider ends the grant — advise before filing one."
        )
        flags.append(Flag(text, SRC_VOLUNTARY_DEPARTURE))
    if facts.fear_result == "positive":
        text = (
            "Positive fear finding: the case goes on (a notice to appear or an asylum-office "
            "hearing); the one-year asylum deadline still runs."
        )
        flags.append(Flag(text, SRC_FEAR_INTERVIEW))
    return flags


def _youth_flags(facts: Facts, today: date, t: Thresholds) -> list[Flag]:
    if not sijs_applies(facts):
        return []
    dob = facts.date_of_birth
    if today >= sijs_window_end(facts):
        text = (
            "Now 21 or older: SIJS needed a petition filed before the 21st birthday — "
            "check whether Form I-360 was filed."
        )
        return [Flag(text, SRC_SIJS)]
    age = juvenile_courts.counted_age(facts.state)
    limit_day = add_years(dob.earliest(), age)
    if (limit_day - today).days > t.turning_18_flag_days:
        return []
    when = f"has turned {age}" if limit_day <= today else f"turns {age} on {long_date(limit_day)}"
    where = facts.state or "the state (not given)"
    known = juvenile_courts.age_limit(facts.state) is not None
    reach = (
        f"juvenile courts in {where} can make the findings until {age}"
        if known
        else f"no source found for how long juvenile courts in {where} can act: counted as 18"
    )
    text = (
        f"SIJS: {when}; {reach}. The court order SIJS needs must come first; the federal "
        "petition (I-360) may be filed until 21."
    )
    return [Flag(text, f"{SRC_STATE_COURT}; {juvenile_courts.source(facts.state)}")]


def _abroad_flags(facts: Facts) -> list[Flag]:
    if facts.in_us:
        return []
    text = (
        "Outside the US: asylum can only be sought in the US or at its border; "
        "humanitarian parole may be the way in."
    )
    return [Flag(text, SRC_PAROLE)]


def flags(facts: Facts, today: date, thresholds: Thresholds = DEFAULT_THRESHOLDS) -> list[Flag]:
    """Points for staff to check that do not change the band by themselves."""
    return [
        *_one_year_flags(facts, today),
        *_order_flags(facts, today),
        *_court_flags(facts, today),
        *_youth_flags(facts, today, thresholds),
        *_abroad_flags(facts),
    ]
