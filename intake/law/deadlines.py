"""Every deadline the facts set, with its source.

Dates and the safe side (the law leaves these choices; each takes the reading
that puts a person in front of staff sooner):
- A deadline counted from a date known only by its month is a range, from the
  last day counted from the 1st to the last day counted from the month's end
  (``intake.law.days.last_day``): ranked from its earliest day, passed only
  after its latest day.
- A last day on a Saturday, Sunday or federal holiday runs to the next business
  day where a source says so (``intake.law.days``); staff see both days. The
  petition for review, the judge's review of a fear finding and filings due
  before a hearing are not rolled: no source found rolls them, and the earlier
  day is the safe one.
- "Not sure" counts as the answer that keeps a deadline running.

The one-year deadline as USCIS counts it: the day of last arrival is "day zero";
the last day to file is its anniversary (Minasyan v. Mukasey, 553 F.3d 1224 (9th
Cir. 2009); 8 CFR 208.4(a)(2)(ii)), then rolled past a weekend or holiday.

Maintained status (8 CFR 208.4(a)(5)(iv)) is an exception to the one-year
deadline, not a later deadline: it applies only when the status or parole was
held within the year after the last arrival and lasted past the anniversary,
and then the application must be filed within "a reasonable period" after it
ends, judged case by case. So it is shown as "file as soon as possible" from the
day status ends, never as a date months away.
"""

from dataclasses import dataclass
from datetime import date, timedelta

from intake.law import juvenile_courts
from intake.law.dates import PartialDate, add_years, long_date, surely_aged
from intake.law.days import LastDay, add_business_days, exact, last_day, roll
from intake.law.facts import Facts
from intake.law.sources import (
    SRC_BIA_APPEAL,
    SRC_BOARD_DECISION,
    SRC_CREDIBLE_FEAR_REVIEW,
    SRC_HEARING_FILINGS,
    SRC_IN_ABSENTIA,
    SRC_MAINTAINED,
    SRC_ONE_YEAR,
    SRC_REASONABLE_FEAR_REVIEW,
    SRC_REINSTATED_REVIEW,
    SRC_REOPEN_90,
    SRC_SIJS,
    SRC_STATE_COURT,
    SRC_UAC_TURNING_18,
    SRC_VOLUNTARY_DEPARTURE,
)


@dataclass(frozen=True)
class Deadline:
    kind: str  # stable code, e.g. "bia_appeal"; never reworded
    due: date  # the last day on the earliest reading, after any weekend/holiday roll
    label: str
    source: str
    note: str = ""
    computed: date | None = None  # the last day as counted, before the roll
    latest: date | None = None  # the last day on the latest reading of a partial date
    asap: bool = False  # no fixed day: "as soon as possible" from ``due``

    @property
    def last_possible(self) -> date:
        return self.latest or self.due

    @property
    def is_range(self) -> bool:
        return self.last_possible != self.due

    def passed(self, today: date) -> bool:
        """Only after the last possible day has ended (never for "as soon as possible")."""
        return not self.asap and today > self.last_possible


def _deadline(kind: str, last: LastDay, label: str, source: str, note: str = "") -> Deadline:
    """A deadline from its counted last day, with the roll and the range said in its note."""
    note += last.rolled_note()
    if last.is_range:
        note += (
            f" Only the month was given: the last day is between {long_date(last.due)} and "
            f"{long_date(last.latest)}; act by the first."
        )
    return Deadline(kind, last.due, label, source, note.strip(), last.computed, last.latest)


# 8 CFR 208.4(a)(5)(iv) names TPS, lawful immigrant or nonimmigrant status and
# parole; deferred action (DACA) is not among them.
MAINTAINED_STATUS_KINDS = frozenset({"tps", "parole", "visa"})

# "April 1, 1997, whichever is later" (8 CFR 208.4(a)(2)(ii)).
ONE_YEAR_RULE_START = date(1997, 4, 1)


def _anniversary(day: date, *, late: bool) -> date:
    return max(add_years(day, 1, late=late), add_years(ONE_YEAR_RULE_START, 1))


def one_year_last_day(last_arrival: PartialDate) -> LastDay:
    """The anniversary of the last arrival, rolled. A 29 February arrival ends on
    28 February on the earliest reading, 1 March on the latest."""
    early = _anniversary(last_arrival.earliest(), late=False)
    late = _anniversary(last_arrival.latest(), late=True)
    return LastDay(early, roll(early), roll(late))


def one_year_deadline(last_arrival: PartialDate) -> date:
    """The one-year asylum filing deadline's last day on the earliest reading, rolled."""
    return one_year_last_day(last_arrival).due


def _one_year_applies(facts: Facts) -> bool:
    return (
        facts.in_us
        and facts.fears_return
        and facts.i589_filed != "yes"
        and facts.last_arrival is not None
    )


def one_year_asylum_deadline(facts: Facts) -> Deadline | None:
    """One year from the last arrival whenever the person fears return, whatever they
    ticked. None when it does not apply: abroad, I-589 filed, arrival unknown, an
    unaccompanied child (``uac_turning_18``), or status maintained within the year
    (``reasonable_period``)."""
    if not _one_year_applies(facts) or facts.came_as_unaccompanied_child:
        return None
    if maintained_status(facts) == "applies":
        return None
    note = "Withholding of removal and CAT have no filing deadline (8 CFR 208.4(a))."
    return _deadline(
        "one_year",
        one_year_last_day(facts.last_arrival),
        "One-year asylum filing deadline",
        SRC_ONE_YEAR,
        note,
    )


def maintained_status(facts: Facts) -> str | None:
    """Whether the maintained-status exception (8 CFR 208.4(a)(5)(iv)) may apply:
    "applies" when status or parole was held within the year after the last arrival
    and lasted past the anniversary; "unknown" when it lasted past the anniversary
    but when it began was not given; "late_start" when it began after the year
    (the time before it needs its own exception); None otherwise."""
    if not _one_year_applies(facts) or facts.came_as_unaccompanied_child:
        return None
    ended = maintained_status_end(facts)
    if ended is None:
        return None
    year = one_year_last_day(facts.last_arrival)
    if ended < year.due:
        return None
    if facts.status_start is None:
        return "unknown"
    return "late_start" if facts.status_start.earliest() > year.latest else "applies"


def reasonable_period_deadline(facts: Facts) -> Deadline | None:
    """File as soon as possible after status ends: the reasonable period has no
    fixed length (8 CFR 208.4(a)(5)(iv); judged case by case)."""
    if maintained_status(facts) not in ("applies", "unknown"):
        return None
    ended = maintained_status_end(facts)
    label = (
        f"Asylum after {facts.status_kind.upper()} ends: file as soon as possible — a reasonable "
        "period is judged case by case"
    )
    note = (
        f"Status held past the one-year anniversary ends or ended on {long_date(ended)}. "
        "No fixed number of days or months is safe."
    )
    if facts.status_start is None:
        note += " When the status began was not given: it counts only if held within the year."
    return Deadline("reasonable_period", ended, label, SRC_MAINTAINED, note, asap=True)


def maintained_status_end(facts: Facts) -> date | None:
    """The end of a status that 8 CFR 208.4(a)(5)(iv) counts, read as early as given."""
    if facts.status_kind not in MAINTAINED_STATUS_KINDS or facts.status_end is None:
        return None
    return facts.status_end.earliest()


def uac_turning_18_deadline(facts: Facts) -> Deadline | None:
    """An unaccompanied child is exempt from the one-year deadline only while a
    child (6 U.S.C. 279(g)(2): under 18): file before the 18th birthday, when the
    exemption may end."""
    if not _one_year_applies(facts) or not facts.came_as_unaccompanied_child:
        return None
    if facts.date_of_birth is None:
        return None
    last = last_day(facts.date_of_birth, _day_before_birthday(18), rolls=False)
    note = (
        "After 18, whether the exemption from the one-year deadline still applies is not "
        "settled in the sources found: file before then."
    )
    label = "Asylum as an unaccompanied child (before the 18th birthday)"
    return _deadline("uac_turning_18", last, label, SRC_UAC_TURNING_18, note)


def _day_before_birthday(age: int):
    return lambda born: add_years(born, age) - timedelta(days=1)


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
    last = last_day(facts.decision_date, _plus(30))
    note = (
        "The Board must receive the appeal (Form EOIR-26) by this day; a motion to reconsider "
        "is due the same day (8 CFR 1003.23(b)(1))."
    )
    return _deadline("bia_appeal", last, "BIA appeal", SRC_BIA_APPEAL, note)


def _plus(days: int):
    return lambda day: day + timedelta(days=days)


def motion_to_reopen_deadline(facts: Facts) -> Deadline | None:
    """90 days (8 CFR 1003.23(b)(1)), counted from the judge's decision: the order
    becomes final up to 30 days later, so this is the earlier reading."""
    if not _has_order(facts) or appeal_pending(facts):
        return None
    last = last_day(facts.decision_date, _plus(90))
    note = "No time limit for changed country conditions (INA 240(c)(7)(C)(ii))."
    return _deadline("motion_to_reopen", last, "Motion to reopen", SRC_REOPEN_90, note)


def in_absentia_reopen_deadline(facts: Facts) -> Deadline | None:
    """180 days for exceptional circumstances (INA 240(b)(5)(C)(i)); counted also when
    the person is not sure the order was made in absentia."""
    if not _has_order(facts) or facts.in_absentia == "no":
        return None
    last = last_day(facts.decision_date, _plus(180))
    note = (
        "At any time if they did not receive notice of the hearing or were in federal or "
        "state custody (INA 240(b)(5)(C)(ii)); filing a motion under either clause stays "
        "removal. No appeal lies from an in absentia order (8 CFR 1240.15)."
    )
    label = "Motion to reopen an in absentia order (exceptional circumstances)"
    return _deadline("in_absentia_reopen", last, label, SRC_IN_ABSENTIA, note)


def board_decided(facts: Facts) -> bool:
    return appeal_pending(facts) and facts.board_decided == "yes"


def board_deadlines(facts: Facts) -> list[Deadline]:
    """After the Board decides: a petition for review within 30 days of the final
    order (INA 242(b)(1)), a motion to reconsider within 30 days and to reopen
    within 90 (8 CFR 1003.2(b)(2), (c)(2))."""
    if not board_decided(facts) or facts.board_decision_date is None:
        return []
    decided = facts.board_decision_date
    note = (
        "Counted from the Board's decision; not moved past a weekend or holiday (no source "
        "found says the court of appeals does). The petition does not stop removal unless "
        "the court orders a stay (INA 242(b)(3)(B))."
    )
    source = SRC_BOARD_DECISION
    if facts.removed_before_and_returned != "no":
        # Withholding-only proceedings after a reinstated order: the Board's decision
        # is not the final order, and the 30 days may already have run from the order.
        note = (
            "If this was a withholding-only case (a reinstated order), the 30 days ran from "
            "the reinstated order itself, not from the Board's decision: check at once. " + note
        )
        source = f"{SRC_REINSTATED_REVIEW}; {SRC_BOARD_DECISION}"
    review = _deadline(
        "petition_for_review",
        last_day(decided, _plus(30), rolls=False),
        "Petition for review in the court of appeals",
        source,
        note,
    )
    reconsider = _deadline(
        "board_reconsider",
        last_day(decided, _plus(30)),
        "Motion to reconsider at the Board",
        SRC_BOARD_DECISION,
    )
    reopen = _deadline(
        "board_reopen",
        last_day(decided, _plus(90)),
        "Motion to reopen at the Board",
        SRC_BOARD_DECISION,
        "No time limit for changed country conditions (INA 240(c)(7)(C)(ii)).",
    )
    return [review, reconsider, reopen]


def reasonable_fear(facts: Facts) -> bool:
    """A reasonable-fear screening is for a reinstated order (8 CFR 208.31(a)); any
    other fear screening is read as credible fear, whose 7 days are the shorter."""
    return facts.removed_before_and_returned == "yes"


def fear_review_days(facts: Facts) -> int:
    return 10 if reasonable_fear(facts) else 7


def fear_review_label(facts: Facts) -> str:
    return f"Ask for review by an immigration judge — {fear_review_days(facts)} days"


def fear_review_deadline(facts: Facts) -> Deadline | None:
    """A negative fear finding: review must be asked for when the finding is served,
    and the judge concludes it within 7 days of a credible-fear finding
    (INA 235(b)(1)(B)(iii)(III)) or 10 of a reasonable-fear one (8 CFR 208.31(g))."""
    if facts.fear_result != "negative" or facts.fear_result_date is None:
        return None
    days = fear_review_days(facts)
    source = SRC_REASONABLE_FEAR_REVIEW if reasonable_fear(facts) else SRC_CREDIBLE_FEAR_REVIEW
    note = (
        "Ask for review at once, on the form the officer gives with the finding: a person "
        "who does not answer is taken to decline review, and removal follows. The judge "
        f"decides within {days} days of the finding."
    )
    last = exact(facts.fear_result_date + timedelta(days=days), rolls=False)
    return _deadline("fear_review", last, fear_review_label(facts), source, note)


# INA 240B(b)(2): at most 60 days when granted at the end of proceedings; when the
# period is not known, the shorter is the safe reading.
DEFAULT_VOLUNTARY_DEPARTURE_DAYS = 60


def voluntary_departure_deadlines(facts: Facts) -> list[Deadline]:
    """Leave by the last day of the period (rolled: Monsalvo Velazquez); the bond
    within 5 business days of the grant at the end of proceedings (8 CFR
    1240.26(c)(3)); a period of 120 days is the one granted before the end
    (INA 240B(a)(2)(A)), without a bond."""
    if facts.voluntary_departure != "yes" or facts.voluntary_departure_date is None:
        return []
    granted = facts.voluntary_departure_date
    days = facts.voluntary_departure_days or DEFAULT_VOLUNTARY_DEPARTURE_DAYS
    note = (
        "Staying past it: a civil penalty of $1,000 to $5,000 and 10 years without most relief "
        "(INA 240B(d)). A motion to reopen or reconsider, or a petition for review, ends the "
        "grant (8 CFR 1240.26(e)(1), (i))."
    )
    found = [
        _deadline(
            "voluntary_departure",
            exact(granted + timedelta(days=days)),
            f"Leave the US under voluntary departure ({days} days)",
            SRC_VOLUNTARY_DEPARTURE,
            note,
        )
    ]
    if days <= DEFAULT_VOLUNTARY_DEPARTURE_DAYS:
        bond = add_business_days(granted, 5)
        found.append(
            Deadline(
                "voluntary_departure_bond",
                bond,
                "Voluntary departure bond (5 business days)",
                SRC_VOLUNTARY_DEPARTURE,
                "Not posting it turns the grant into an order of removal.",
                bond,
                bond,
            )
        )
    return found


def hearing_filings_deadline(facts: Facts) -> Deadline | None:
    """Filings are due 30 days before a final (individual) hearing, 15 before a first
    (master) hearing when a ruling is sought (EOIR Policy Manual, Appendix C); the
    hearing is day 0. Not sure which: the 30 days. Detained: the court sets them."""
    if facts.hearing_date is None or facts.detained or facts.judge_decided == "yes":
        return None
    if facts.hearing_kind == "first":
        days, label = 15, "Filings before the first (master) hearing, if asking for a ruling"
    else:
        days, label = 30, "Filings before the final (individual) hearing"
    note = "Counted back from the hearing (day 0); the court must receive them by this day."
    if facts.hearing_kind == "not_sure":
        note += " Which kind of hearing is not known: counted as a final hearing."
    last = exact(facts.hearing_date - timedelta(days=days), rolls=False)
    return _deadline("hearing_filings", last, label, SRC_HEARING_FILINGS, note)


def sijs_applies(facts: Facts) -> bool:
    """SIJS is for a juvenile "present in the United States" (INA 101(a)(27)(J))."""
    return facts.abused_by_parent_under_21 and facts.in_us and facts.date_of_birth is not None


def sijs_deadline(facts: Facts) -> Deadline | None:
    """The last day to file Form I-360 for SIJS: the day before the 21st birthday on
    the earliest reading of the birth date (8 CFR 204.11(b)); a range when only the
    month of birth is known."""
    if not sijs_applies(facts):
        return None
    last = last_day(facts.date_of_birth, _day_before_birthday(21), rolls=False)
    note = "Once filed before 21, the petition is not denied for age (age-out protection)."
    return _deadline("sijs", last, "SIJS petition (before the 21st birthday)", SRC_SIJS, note)


def sijs_state_court_deadline(facts: Facts) -> Deadline | None:
    """The juvenile-court order SIJS needs must come while the state's court still
    has jurisdiction: before the state's age limit, 18 where it is not known."""
    if not sijs_applies(facts):
        return None
    limit = juvenile_courts.age_limit(facts.state)
    age = juvenile_courts.counted_age(facts.state)
    last = last_day(facts.date_of_birth, _day_before_birthday(age), rolls=False)
    where = facts.state or "the state (not given)"
    if limit is None:
        note = f"Juvenile-court age limit in {where} not found in the sources: counted as 18."
    else:
        note = f"Juvenile courts in {facts.state} can make the findings until {limit}."
    note += " The federal petition (I-360) may still be filed until 21."
    label = f"SIJS: juvenile-court order (before {age} in {facts.state or 'the state'})"
    source = f"{SRC_STATE_COURT}; {juvenile_courts.source(facts.state)}"
    return _deadline("sijs_state_court", last, label, source, note)


def sijs_window_end(facts: Facts) -> date:
    """The first day the person is 21 on every reading of the birth date."""
    return surely_aged(facts.date_of_birth, 21)


def _one(rule):
    return lambda facts: [d] if (d := rule(facts)) is not None else []


_DEADLINE_RULES = (
    _one(one_year_asylum_deadline),
    _one(reasonable_period_deadline),
    _one(uac_turning_18_deadline),
    _one(bia_appeal_deadline),
    _one(motion_to_reopen_deadline),
    _one(in_absentia_reopen_deadline),
    board_deadlines,
    _one(fear_review_deadline),
    voluntary_departure_deadlines,
    _one(hearing_filings_deadline),
    _one(sijs_state_court_deadline),
    _one(sijs_deadline),
)

SIJS_KINDS = frozenset({"sijs", "sijs_state_court"})


def all_deadlines(facts: Facts) -> list[Deadline]:
    return [d for rule in _DEADLINE_RULES for d in rule(facts)]


def deadlines(facts: Facts, today: date) -> list[Deadline]:
    """Every deadline that matters on ``today``, soonest first. Passed deadlines stay
    (staff must see them); SIJS goes once the person is 21 on every reading (a flag
    says so instead)."""
    found = [
        d
        for d in all_deadlines(facts)
        if d.kind not in SIJS_KINDS or today < sijs_window_end(facts)
    ]
    return sorted(found, key=lambda d: d.due)
