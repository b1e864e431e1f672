"""What staff must look at beyond the band: points to check that do not change
the urgency by themselves."""

from dataclasses import dataclass
from datetime import date

from intake.law.dates import add_years, long_date
from intake.law.deadlines import (
    MAINTAINED_STATUS_KINDS,
    appeal_pending,
    one_year_asylum_deadline,
    sijs_applies,
    sijs_window_end,
)
from intake.law.facts import Facts
from intake.law.sources import (
    SRC_EXCEPTIONS,
    SRC_MAINTAINED,
    SRC_MISSED_HEARING,
    SRC_PAROLE,
    SRC_PETITION_FOR_REVIEW,
    SRC_REINSTATEMENT,
    SRC_SIJS,
    SRC_STATE_COURT,
    SRC_UAC,
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
        flags.append(
            Flag(
                "Came as an unaccompanied child: exempt from the one-year asylum deadline; "
                "confirm the unaccompanied-child determination (disputed once they turn 18).",
                SRC_UAC,
            )
        )
    deadline = one_year_asylum_deadline(facts)
    if deadline is not None and deadline.due < today:
        flags.append(
            Flag(
                f"One-year deadline passed on {long_date(deadline.due)}: exception needed "
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
    if (
        deadline is not None
        and facts.status_kind in MAINTAINED_STATUS_KINDS
        and not facts.status_end
    ):
        flags.append(
            Flag(
                "Has or had status but gave no end date: if it lasted past the one-year "
                "deadline, the maintained-status exception may apply.",
                SRC_MAINTAINED,
            )
        )
    return flags


def _order_flags(facts: Facts, today: date) -> list[Flag]:
    flags = []
    if facts.judge_decided == "yes" and appeal_pending(facts):
        flags.append(
            Flag(
                "Appeal pending at the BIA: once the Board decides, a petition for review is "
                "due within 30 days.",
                SRC_PETITION_FOR_REVIEW,
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
    hearing = facts.hearing_date
    if hearing is not None and hearing < today and facts.judge_decided != "yes":
        flags.append(Flag(PAST_HEARING_FLAG, SRC_MISSED_HEARING))
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
    eighteen = add_years(dob.earliest(), 18)
    if (eighteen - today).days > t.turning_18_flag_days:
        return []
    when = "has turned 18" if eighteen <= today else f"turns 18 on {long_date(eighteen)}"
    text = (
        f"SIJS: {when}. Many state juvenile courts lose jurisdiction at 18; the court order "
        "SIJS needs may have to be obtained before then."
    )
    return [Flag(text, SRC_STATE_COURT)]


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
        *_youth_flags(facts, today, thresholds),
        *_abroad_flags(facts),
    ]
