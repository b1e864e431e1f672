"""Every deadline the facts set, with its source.

Dates and the safe side (the law leaves these choices; each takes the reading
that puts a person in front of staff sooner):
- A month-only date counts from the 1st of the month (``PartialDate.earliest``).
- A deadline falling on a weekend or legal holiday is shown on that day, not on
  the next business day that 8 CFR 1003.38(b) and 8 CFR 1208.4(a)(2)(ii) would
  allow (see also Monsalvo Velazquez v. Bondi, 604 U.S. ___ (2025), on the
  immigration meaning of "days"): staff act on the earlier day.
- "Not sure" counts as the answer that keeps a deadline running.

The one-year deadline as USCIS counts it. The Affirmative Asylum Procedures
Manual (May 2016) could be found only as its table of contents, not its text on
the rule; what USCIS tells asylum officers was found in its RAIO Asylum Division
training lesson "One-Year Filing Deadline" (May 6, 2013, at 5-6, as a
practitioner's summary quotes it) and in 8 CFR 208.4:
- The day of last arrival is "day zero"; the last day to file is its anniversary
  (Minasyan v. Mukasey, 553 F.3d 1224 (9th Cir. 2009), which rejected the
  reading that ended the year the day before). ``one_year_deadline`` returns the
  anniversary; on the anniversary the request is critical ("due today"), the day
  after it has passed.
- A last day on a Saturday, Sunday or legal holiday runs to the next business
  day (8 CFR 208.4(a)(2)(ii), 1208.4(a)(2)(ii), in line with the definition of
  "day" in 8 CFR 1.1(h), now 1.2: final rule, 65 FR 76121 (2000)); shown on the
  earlier day all the same (above).
- Maintained status (8 CFR 208.4(a)(5)(iv)): filing within a "reasonable period"
  after status ends. Its length is decided case by case (Matter of T-M-H- &
  S-W-C-), so the outer limit shown is six months after the end and the request
  is high from the day status ends, not only 90 days before that limit: a
  shorter period may be the reasonable one.
"""

from dataclasses import dataclass
from datetime import date, timedelta

from intake.law.dates import PartialDate, add_months, add_years, long_date, surely_aged
from intake.law.facts import Facts
from intake.law.sources import (
    SRC_BIA_APPEAL,
    SRC_IN_ABSENTIA,
    SRC_MAINTAINED,
    SRC_ONE_YEAR,
    SRC_REOPEN_90,
    SRC_SIJS,
)


@dataclass(frozen=True)
class Deadline:
    kind: str  # stable code, e.g. "bia_appeal"; never reworded
    due: date  # the last day, on the safe (earlier) reading
    label: str
    source: str
    note: str = ""


# 8 CFR 208.4(a)(5)(iv) names TPS, lawful immigrant or nonimmigrant status and
# parole; deferred action (DACA) is not among them.
MAINTAINED_STATUS_KINDS = frozenset({"tps", "parole", "visa"})


def one_year_deadline(last_arrival: PartialDate) -> date:
    """The one-year asylum filing deadline: the anniversary of the last arrival.

    A 29 February arrival has no anniversary; the deadline is then 28 February, the
    earlier of the two candidate days, so it is never shown later than it may be.
    A month-and-year arrival counts from the first of the month, for the same reason.
    Weekend and holiday extensions are deliberately not applied.
    """
    start = last_arrival.earliest()
    try:
        return start.replace(year=start.year + 1)
    except ValueError:  # 29 February
        return date(start.year + 1, 2, 28)


# "April 1, 1997, whichever is later" (8 CFR 208.4(a)(2)(ii)).
ONE_YEAR_RULE_START = date(1997, 4, 1)


def one_year_asylum_deadline(facts: Facts) -> Deadline | None:
    """One year from the last arrival whenever the person fears return, whatever they
    ticked; moved by maintained status (8 CFR 208.4(a)(5)(iv)). None when it does not
    apply: abroad, I-589 filed, arrival unknown, or an unaccompanied child (a flag)."""
    if not (facts.in_us and facts.fears_return) or facts.i589_filed == "yes":
        return None
    if facts.last_arrival is None or facts.came_as_unaccompanied_child:
        return None
    anniversary = one_year_deadline(facts.last_arrival)
    due = max(anniversary, add_years(ONE_YEAR_RULE_START, 1))
    note = "Withholding of removal and CAT have no filing deadline (8 CFR 208.4(a))."
    note += _month_only_note(facts.last_arrival, "arrival")
    status_end = maintained_status_end(facts)
    if status_end is not None and status_end >= due:
        # Status lasted past the anniversary: file within a reasonable period after
        # it ends. No fixed period in the rule; T-M-H- reads "reasonable period" with
        # the rule's supplementary information (65 FR 76121 (2000)), and six months is
        # the most practice allows. The outer limit is the due date shown;
        # its thresholds rank it high 90 days ahead, so staff see it well before.
        due = add_months(status_end, 6)
        note = (
            f"Counted from the end of {facts.status_kind.upper()} on {long_date(status_end)}: "
            "a reasonable period after status ends, six months at most. "
            + note
            + _month_only_note(facts.status_end, "the end of status")
        )
        return Deadline("one_year", due, "One-year asylum filing deadline", SRC_MAINTAINED, note)
    return Deadline("one_year", due, "One-year asylum filing deadline", SRC_ONE_YEAR, note)


def _month_only_note(when: PartialDate, what: str) -> str:
    if not when.month_only:
        return ""
    return f" Only the month and year of {what} were given: counted from the 1st."


def maintained_status_end(facts: Facts) -> date | None:
    """The end of a status that 8 CFR 208.4(a)(5)(iv) counts, read as early as given."""
    if facts.status_kind not in MAINTAINED_STATUS_KINDS or facts.status_end is None:
        return None
    return facts.status_end.earliest()


def _has_order(facts: Facts) -> bool:
    return facts.judge_decided == "yes" and facts.decision_date is not None


def appeal_pending(facts: Facts) -> bool:
    # "Not sure" counts as no appeal: the 30-day window then stays visible.
    return facts.appeal_filed == "yes"


def bia_appeal_deadline(facts: Facts) -> Deadline | None:
    """30 calendar days after the judge's decision (8 CFR 1003.38(b)); none for an
    order in absentia (8 CFR 1240.15) unless the person is not sure it was one."""
    if not _has_order(facts) or appeal_pending(facts) or facts.in_absentia == "yes":
        return None
    due = facts.decision_date.earliest() + timedelta(days=30)
    note = (
        "The Board must receive the appeal (Form EOIR-26) by this day; a motion to reconsider "
        "is due the same day (8 CFR 1003.23(b)(1))."
    ) + _month_only_note(facts.decision_date, "the decision")
    return Deadline("bia_appeal", due, "BIA appeal", SRC_BIA_APPEAL, note)


def motion_to_reopen_deadline(facts: Facts) -> Deadline | None:
    """90 days (8 CFR 1003.23(b)(1)), counted from the judge's decision: the order
    becomes final up to 30 days later, so this is the earlier reading."""
    if not _has_order(facts) or appeal_pending(facts):
        return None
    due = facts.decision_date.earliest() + timedelta(days=90)
    note = "No time limit for changed country conditions (INA 240(c)(7)(C)(ii))."
    note += _month_only_note(facts.decision_date, "the decision")
    return Deadline("motion_to_reopen", due, "Motion to reopen", SRC_REOPEN_90, note)


def in_absentia_reopen_deadline(facts: Facts) -> Deadline | None:
    """180 days for exceptional circumstances (INA 240(b)(5)(C)(i)); counted also when
    the person is not sure the order was made in absentia."""
    if not _has_order(facts) or facts.in_absentia == "no":
        return None
    due = facts.decision_date.earliest() + timedelta(days=180)
    note = (
        "At any time if they did not receive notice of the hearing or were in federal or "
        "state custody (INA 240(b)(5)(C)(ii)); filing stays removal. No appeal lies from an "
        "in absentia order (8 CFR 1240.15)."
    ) + _month_only_note(facts.decision_date, "the order")
    label = "Motion to reopen an in absentia order (exceptional circumstances)"
    return Deadline("in_absentia_reopen", due, label, SRC_IN_ABSENTIA, note)


def sijs_applies(facts: Facts) -> bool:
    """SIJS is for a juvenile "present in the United States" (INA 101(a)(27)(J))."""
    return facts.abused_by_parent_under_21 and facts.in_us and facts.date_of_birth is not None


def sijs_deadline(facts: Facts) -> Deadline | None:
    """The last day to file Form I-360 for SIJS: the day before the 21st birthday on
    the earliest reading of the birth date (8 CFR 204.11(b))."""
    if not sijs_applies(facts):
        return None
    due = add_years(facts.date_of_birth.earliest(), 21) - timedelta(days=1)
    note = "Once filed before 21, the petition is not denied for age (age-out protection)."
    note += _month_only_note(facts.date_of_birth, "birth")
    return Deadline("sijs", due, "SIJS petition (before the 21st birthday)", SRC_SIJS, note)


def sijs_window_end(facts: Facts) -> date:
    """The first day the person is 21 on every reading of the birth date."""
    return surely_aged(facts.date_of_birth, 21)


_DEADLINE_RULES = (
    one_year_asylum_deadline,
    bia_appeal_deadline,
    motion_to_reopen_deadline,
    in_absentia_reopen_deadline,
    sijs_deadline,
)


def all_deadlines(facts: Facts) -> list[Deadline]:
    return [d for rule in _DEADLINE_RULES if (d := rule(facts)) is not None]


def deadlines(facts: Facts, today: date) -> list[Deadline]:
    """Every deadline that matters on ``today``, soonest first. Passed deadlines stay
    (staff must see them); SIJS goes once the person is 21 on every reading (a flag
    says so instead)."""
    found = [d for d in all_deadlines(facts) if d.kind != "sijs" or today < sijs_window_end(facts)]
    return sorted(found, key=lambda d: d.due)
