"""How soon staff must act on a request, on any day, from its facts alone.

Each rule turns ``Facts`` into *windows*: spans of days during which the rule
ranks a request critical or high. Urgency on a day is the most urgent window
covering it, so the whole future of a request is known at submission:
``escalation_dates`` lists the days its band changes, and the app can store them
and compare with today's date when the queue is read (no job, no decryption).
"""

from dataclasses import dataclass
from datetime import date, timedelta

from intake.law.dates import days_ago, in_days, long_date, surely_aged
from intake.law.deadlines import (
    SIJS_KINDS,
    Deadline,
    all_deadlines,
    appeal_pending,
    board_decided,
    fear_review_label,
    sijs_deadline,
    sijs_state_court_deadline,
    sijs_window_end,
)
from intake.law.facts import Facts
from intake.law.sources import (
    POLICY,
    SRC_ADDRESS,
    SRC_APPOINTMENT,
    SRC_BIA_APPEAL,
    SRC_BOARD_DECISION,
    SRC_CREDIBLE_FEAR_REVIEW,
    SRC_DETENTION,
    SRC_FEAR_INTERVIEW,
    SRC_FINAL_ORDER,
    SRC_HEARING,
    SRC_IN_ABSENTIA_STAY,
    SRC_MINOR,
    SRC_MISSED_HEARING,
    SRC_REINSTATEMENT,
    SRC_VOLUNTARY_DEPARTURE,
)
from intake.law.vocabulary import Urgency


@dataclass(frozen=True)
class Thresholds:
    """Day counts and the income limit, from app configuration, so staff policy can
    change without touching the rules. A count is "within" when days left <= it."""

    critical_hearing_days: int = 14
    high_hearing_days: int = 60
    critical_deadline_days: int = 30
    high_deadline_days: int = 90
    income_limit_percent: int = 200  # at or below this % of the guideline: cannot pay
    # A deadline passed at most this many days ago still ranks high; one
    # passed longer ago becomes a flag ("exception needed") instead of flooding the queue.
    passed_deadline_grace_days: int = 30
    # SIJS is critical this many days before the 21st birthday. Generous on purpose:
    # the petition needs a state-court order first, which takes months (8 CFR 204.11(c)).
    sijs_critical_days: int = 180
    # Flag "turning 18" this many days ahead: many state juvenile courts lose
    # jurisdiction at 18, and the SIJS order must come from one.
    turning_18_flag_days: int = 365
    # After status ends, the request stays critical this long, then high: the
    # reasonable period to file has no fixed length (judged case by case); six
    # months is practice guidance only (a commentator's reading of Matter of
    # T-M-H- & S-W-C-), not a limit, so the request never drops below high.
    reasonable_period_critical_days: int = 183

    def __post_init__(self) -> None:
        # A misconfiguration must fail at start-up, not quietly mis-rank requests.
        if not 0 <= self.critical_hearing_days <= self.high_hearing_days:
            raise ValueError("need 0 <= critical_hearing_days <= high_hearing_days")
        if not 0 <= self.critical_deadline_days <= self.high_deadline_days:
            raise ValueError("need 0 <= critical_deadline_days <= high_deadline_days")
        if self.income_limit_percent <= 0:
            raise ValueError("income_limit_percent must be positive")
        for name in (
            "passed_deadline_grace_days",
            "sijs_critical_days",
            "turning_18_flag_days",
            "reasonable_period_critical_days",
        ):
            if getattr(self, name) < 0:
                raise ValueError(f"{name} must not be negative")


DEFAULT_THRESHOLDS = Thresholds()


@dataclass(frozen=True)
class Reason:
    text: str
    source: str


@dataclass(frozen=True)
class _Window:
    """A span of days during which one rule ranks a request. ``start`` is the first
    day (None: since ever), ``end`` the first day after (None: for ever). ``due`` is
    the date the reason counts towards, so its wording follows the reading day."""

    band: Urgency
    start: date | None
    end: date | None
    reason: str
    source: str
    due: date | None = None
    event: bool = False  # ``due`` is a hearing or appointment: "in 5 days", not "due in 5 days"
    latest: date | None = None  # the last possible day, when only the month is known

    def covers(self, day: date) -> bool:
        return (self.start is None or self.start <= day) and (self.end is None or day < self.end)

    def reason_on(self, day: date) -> Reason:
        if self.due is None:
            return Reason(self.reason, self.source)
        if self.latest is not None and self.latest != self.due:
            return Reason(f"{self.reason} {self._range_on(day)}.", self.source)
        days = (self.due - day).days
        if days < 0:
            when = f"was {'on' if self.event else 'due'} {long_date(self.due)}, {days_ago(-days)}"
        else:
            when = f"{'' if self.event else 'due '}{in_days(days)} ({long_date(self.due)})"
        return Reason(f"{self.reason} {when}.", self.source)

    def _range_on(self, day: date) -> str:
        """A last day known only as a range (a month-only date): never "passed"
        before its latest day has ended."""
        span = f"between {long_date(self.due)} and {long_date(self.latest)}"
        if day < self.due:
            soon = in_days((self.due - day).days)
            return f"due {soon} at the earliest ({span}; only the month is known)"
        if day <= self.latest:
            return f"may be due now: the last day is {span} (only the month is known)"
        return f"was due {span}, {days_ago((day - self.latest).days)} at the latest"


def _days_before(day: date, n: int) -> date:
    return day - timedelta(days=n)


def _after(day: date) -> date:
    return day + timedelta(days=1)


def _deadline_windows(
    deadline: Deadline, t: Thresholds, critical_from: date | None = None
) -> list[_Window]:
    """Every computed deadline ranks by the same thresholds as the one-year deadline:
    high within ``high_deadline_days``, critical within ``critical_deadline_days``
    (or from ``critical_from``, where the whole period is short) until its last
    possible day has ended, high again for the grace days after."""
    due, last, label, src = deadline.due, deadline.last_possible, deadline.label, deadline.source
    high_from = _days_before(due, t.high_deadline_days)
    critical = _days_before(due, t.critical_deadline_days)
    if critical_from is not None:
        critical = min(critical, critical_from)
    grace_end = _after(last) + timedelta(days=t.passed_deadline_grace_days)
    return [
        _Window(Urgency.HIGH, high_from, critical, label, src, due, latest=last),
        _Window(Urgency.CRITICAL, critical, _after(last), label, src, due, latest=last),
        _Window(Urgency.HIGH, _after(last), grace_end, label, src, due, latest=last),
    ]


def _critical_from(facts: Facts, deadline: Deadline) -> date | None:
    """Where the whole period is critical: from the event that starts it."""
    starts = {
        "bia_appeal": facts.decision_date.earliest() if facts.decision_date else None,
        "petition_for_review": (
            facts.board_decision_date.earliest() if facts.board_decision_date else None
        ),
        "fear_review": facts.fear_result_date,
        "voluntary_departure": facts.voluntary_departure_date,
        "voluntary_departure_bond": facts.voluntary_departure_date,
    }
    if deadline.kind == "in_absentia_reopen" and facts.in_absentia == "yes":
        return facts.decision_date.earliest()
    return starts.get(deadline.kind)


def _computed_deadline_windows(facts: Facts, t: Thresholds) -> list[_Window]:
    windows = []
    for deadline in all_deadlines(facts):
        if deadline.kind in SIJS_KINDS or deadline.asap:  # their own shapes, below
            continue
        windows += _deadline_windows(deadline, t, _critical_from(facts, deadline))
    return windows + _reasonable_period_windows(facts, t)


def _reasonable_period_windows(facts: Facts, t: Thresholds) -> list[_Window]:
    """Status held past the one-year anniversary: high as its end comes near,
    critical from the day it ends (file as soon as possible: the reasonable period
    is judged case by case, 8 CFR 208.4(a)(5)(iv)), then high, never lower."""
    found = [d for d in all_deadlines(facts) if d.kind == "reasonable_period"]
    if not found:
        return []
    deadline = found[0]
    ended, label, src = deadline.due, deadline.label, deadline.source
    critical_end = ended + timedelta(days=t.reasonable_period_critical_days)
    before = f"{label}; status ends"
    return [
        _Window(
            Urgency.HIGH,
            _days_before(ended, t.high_deadline_days),
            _days_before(ended, t.critical_deadline_days),
            before,
            src,
            ended,
            event=True,
        ),
        _Window(
            Urgency.CRITICAL,
            _days_before(ended, t.critical_deadline_days),
            critical_end,
            before,
            src,
            ended,
            event=True,
        ),
        _Window(Urgency.HIGH, critical_end, None, before, src, ended, event=True),
    ]


def _removal_order_windows(facts: Facts) -> list[_Window]:
    """A removal order with no appeal pending is never below high; a decision whose
    date is not known may still be inside the 30-day appeal window: critical. Once
    an appeal is filed the order waits on the Board; once the Board has decided, it
    is final, and high again."""
    if facts.judge_decided == "not_sure":
        reason = "Not sure whether a judge has decided the case or ordered removal: check at once."
        return [_Window(Urgency.HIGH, None, None, reason, SRC_FINAL_ORDER)]
    if facts.judge_decided != "yes":
        return []
    if appeal_pending(facts):
        return _board_windows(facts)
    if facts.decision_date is None:
        reason = (
            "A judge decided the case or ordered removal, date not given: "
            "the 30-day BIA appeal window may still be open."
        )
        return [_Window(Urgency.CRITICAL, None, None, reason, SRC_BIA_APPEAL)]
    decided = facts.decision_date.earliest()
    if facts.in_absentia == "yes":
        reason = (
            f"Ordered removed in absentia on {long_date(decided)}: removal can happen at any "
            "time; only filing a motion to reopen stops it."
        )
        return [_Window(Urgency.HIGH, decided, None, reason, SRC_IN_ABSENTIA_STAY)]
    reason = f"Removal order or decision of {long_date(decided)}, no appeal pending."
    return [_Window(Urgency.HIGH, decided, None, reason, SRC_FINAL_ORDER)]


def _board_windows(facts: Facts) -> list[_Window]:
    if facts.board_decided == "not_sure":
        reason = (
            "Appeal filed; not sure whether the Board has decided: if it has, a petition for "
            "review is due within 30 days — check at once."
        )
        return [_Window(Urgency.HIGH, None, None, reason, SRC_BOARD_DECISION)]
    if not board_decided(facts):
        return []
    if facts.board_decision_date is None:
        reason = (
            "The Board decided the appeal, date not given: the 30 days for a petition for "
            "review may still be running."
        )
        return [_Window(Urgency.CRITICAL, None, None, reason, SRC_BOARD_DECISION)]
    decided = facts.board_decision_date.earliest()
    reason = f"The Board decided the appeal on {long_date(decided)}: the order is final."
    return [_Window(Urgency.HIGH, decided, None, reason, SRC_FINAL_ORDER)]


def _sijs_windows(facts: Facts, t: Thresholds) -> list[_Window]:
    """Under 21 with the parent facts: high; critical ``sijs_critical_days`` before
    the state juvenile court's age limit (the order comes first) and before the
    21st birthday; the window closes once the person is 21 on every reading."""
    federal = sijs_deadline(facts)
    if federal is None:
        return []
    end = sijs_window_end(facts)
    windows = [_Window(Urgency.HIGH, None, end, federal.label, federal.source, federal.due)]
    for deadline in (sijs_state_court_deadline(facts), federal):
        last = min(_after(deadline.last_possible), end)
        windows.append(
            _Window(
                Urgency.CRITICAL,
                _days_before(deadline.due, t.sijs_critical_days),
                last,
                deadline.label,
                deadline.source,
                deadline.due,
                latest=deadline.last_possible,
            )
        )
    return windows


def _detention_windows(facts: Facts) -> list[_Window]:
    if facts.detained or facts.asking_for == "detained_person":
        return [
            _Window(Urgency.CRITICAL, None, None, "In immigration detention now.", SRC_DETENTION)
        ]
    return []


def _fear_interview_windows(facts: Facts) -> list[_Window]:
    """Expedited or reinstated removal: the interview decides whether the person is
    heard at all, and it comes within days (8 CFR 208.30, 208.31(b)). A negative
    finding: review by a judge must be asked for at once (its own deadline); not
    knowing whether an interview is coming is itself a reason to check."""
    result = facts.fear_result
    if result == "negative":
        if facts.fear_result_date is not None:
            return []  # the fear_review deadline ranks it
        reason = f"Negative fear finding, date not given: {fear_review_label(facts).lower()}."
        return [_Window(Urgency.CRITICAL, None, None, reason, SRC_CREDIBLE_FEAR_REVIEW)]
    if result == "positive":
        return []
    if result in ("waiting", "not_sure"):
        reason = (
            "Fear interview held, result not known yet: a negative finding needs review at once."
        )
        return [_Window(Urgency.CRITICAL, None, None, reason, SRC_FEAR_INTERVIEW)]
    if facts.fear_interview_scheduled or facts.fear_interview_date:
        when = f" on {long_date(facts.fear_interview_date)}" if facts.fear_interview_date else ""
        reason = f"Credible- or reasonable-fear interview scheduled{when}."
        return [_Window(Urgency.CRITICAL, None, None, reason, SRC_FEAR_INTERVIEW)]
    if facts.fear_interview_unsure:
        reason = "Not sure whether a credible- or reasonable-fear interview is coming: check."
        return [_Window(Urgency.HIGH, None, None, reason, SRC_FEAR_INTERVIEW)]
    return []


def _voluntary_departure_windows(facts: Facts) -> list[_Window]:
    """The dated periods rank as deadlines; without a date, or after the period, the
    stakes (a 10-year bar, INA 240B(d)) keep it in front of staff."""
    if facts.voluntary_departure == "no":
        return []
    if facts.voluntary_departure == "not_sure":
        reason = "Not sure whether voluntary departure was granted: check its deadline."
        return [_Window(Urgency.HIGH, None, None, reason, SRC_VOLUNTARY_DEPARTURE)]
    if facts.voluntary_departure_date is None:
        reason = "Granted voluntary departure, date not given: the time to leave may be running."
        return [_Window(Urgency.CRITICAL, None, None, reason, SRC_VOLUNTARY_DEPARTURE)]
    return []


def _address_windows(facts: Facts) -> list[_Window]:
    """A person in proceedings who moved must tell the court within 5 days: notices
    go to the last address given, and a missed hearing means an order in absentia."""
    in_proceedings = (
        facts.hearing != "no" or facts.hearing_date is not None or facts.judge_decided != "no"
    )
    if facts.moved == "no" or not in_proceedings:
        return []
    reason = (
        "Moved since the court last had the address: tell the court on Form EOIR-33 within "
        "5 days of moving."
    )
    return [_Window(Urgency.HIGH, None, None, reason, SRC_ADDRESS)]


def _dated_event_windows(on: date, label: str, src: str, t: Thresholds) -> list[_Window]:
    """A hearing or appointment: high within ``high_hearing_days``, critical within
    ``critical_hearing_days`` and on the day itself."""
    critical_from = _days_before(on, t.critical_hearing_days)
    high_from = _days_before(on, t.high_hearing_days)
    return [
        _Window(Urgency.HIGH, high_from, critical_from, label, src, on, event=True),
        _Window(Urgency.CRITICAL, critical_from, _after(on), label, src, on, event=True),
    ]


def _hearing_windows(facts: Facts, t: Thresholds) -> list[_Window]:
    if facts.hearing_date is None:
        if facts.hearing == "no":
            return []
        reason = (
            "Has a court hearing scheduled but gave no date: find out the date."
            if facts.hearing == "yes"
            else "Not sure whether a court hearing is scheduled: needs checking."
        )
        return [_Window(Urgency.HIGH, None, None, reason, SRC_HEARING)]
    windows = _dated_event_windows(facts.hearing_date, "Immigration court hearing", SRC_HEARING, t)
    if facts.judge_decided != "yes":
        # Past the hearing with no decision reported (or "not sure"): it may have been
        # missed, and an order in absentia made.
        reason = (
            f"Court hearing date {long_date(facts.hearing_date)} has passed: a missed hearing can "
            "mean a removal order in absentia — check at once."
        )
        windows.append(
            _Window(Urgency.CRITICAL, _after(facts.hearing_date), None, reason, SRC_MISSED_HEARING)
        )
    return windows


def _appointment_windows(facts: Facts, t: Thresholds) -> list[_Window]:
    """An asylum-office interview or ICE check-in ranks like a hearing; for the grace
    days after it, high: missing either can cost the case or lead to arrest."""
    on = facts.appointment_date
    if on is None:
        return []
    label = "Asylum-office interview or ICE check-in"
    reason = f"{label} on {long_date(on)} has passed: check that it took place."
    grace_end = _after(on) + timedelta(days=t.passed_deadline_grace_days)
    return [
        *_dated_event_windows(on, label, SRC_APPOINTMENT, t),
        _Window(Urgency.HIGH, _after(on), grace_end, reason, SRC_APPOINTMENT),
    ]


def _minor_windows(facts: Facts) -> list[_Window]:
    """Under 18 on the latest reading of the birth date: high until surely 18."""
    if facts.date_of_birth is None:
        return []
    eighteen = surely_aged(facts.date_of_birth, 18)
    return [
        _Window(Urgency.HIGH, None, eighteen, "The person seeking help is under 18.", SRC_MINOR)
    ]


def _reinstatement_windows(facts: Facts) -> list[_Window]:
    """A prior order can be reinstated without a hearing (INA 241(a)(5)): like a
    removal order with no appeal, never below high."""
    if facts.removed_before_and_returned == "no":
        return []
    reason = (
        "Removed before and came back: the prior order may be reinstated."
        if facts.removed_before_and_returned == "yes"
        else "Not sure whether they were removed before: a prior order may be reinstated."
    )
    return [_Window(Urgency.HIGH, None, None, reason, SRC_REINSTATEMENT)]


def _windows(facts: Facts, t: Thresholds) -> list[_Window]:
    return [
        *_detention_windows(facts),
        *_fear_interview_windows(facts),
        *_hearing_windows(facts, t),
        *_removal_order_windows(facts),
        *_voluntary_departure_windows(facts),
        *_address_windows(facts),
        *_reinstatement_windows(facts),
        *_appointment_windows(facts, t),
        *_computed_deadline_windows(facts, t),
        *_sijs_windows(facts, t),
        *_minor_windows(facts),
    ]


def _band(windows: list[_Window], day: date) -> Urgency:
    return min(
        (w.band for w in windows if w.covers(day)), key=lambda u: u.rank, default=Urgency.NORMAL
    )


def urgency(
    facts: Facts, today: date, thresholds: Thresholds = DEFAULT_THRESHOLDS
) -> tuple[Urgency, tuple[Reason, ...]]:
    """The band on ``today`` and its reasons, most urgent first (rules in the order
    above within a band: detention, fear interview, hearing, order, deadlines...)."""
    return _urgency(_windows(facts, thresholds), today, thresholds)


def urgency_and_escalation(
    facts: Facts, today: date, thresholds: Thresholds = DEFAULT_THRESHOLDS
) -> tuple[tuple[Urgency, tuple[Reason, ...]], "Escalation"]:
    """``urgency`` and ``escalation_dates`` together, from one reading of the
    rules' windows (what a new request needs, both at once)."""
    windows = _windows(facts, thresholds)
    return _urgency(windows, today, thresholds), _escalation(windows)


def _urgency(
    windows: list[_Window], today: date, thresholds: Thresholds
) -> tuple[Urgency, tuple[Reason, ...]]:
    covering = [w for w in windows if w.covers(today)]
    if not covering:
        nothing = (
            "Nothing urgent found: not detained, no fear interview, no court hearing or "
            f"appointment within {thresholds.high_hearing_days} days, no removal order, no "
            f"deadline within {thresholds.high_deadline_days} days, not under 18."
        )
        return Urgency.NORMAL, (Reason(nothing, POLICY),)
    ordered = sorted(covering, key=lambda w: w.band.rank)  # stable: rule order kept
    reasons = tuple(dict.fromkeys(w.reason_on(today) for w in ordered))
    return ordered[0].band, reasons


@dataclass(frozen=True)
class Escalation:
    """A request's band on every day: ``initial`` until the first change, then each
    ``(day, band)`` from that day on. Built from the facts alone, so the app can
    store it at submission (or after a staff correction) and read the band for
    any day without the personal answers."""

    initial: Urgency
    changes: tuple[tuple[date, Urgency], ...]


def escalation_dates(facts: Facts, thresholds: Thresholds = DEFAULT_THRESHOLDS) -> Escalation:
    """The days the band changes. Between two window edges no window starts or ends,
    so evaluating the band at each edge gives the band on every day: exact by
    construction, and tested day by day against ``urgency``."""
    return _escalation(_windows(facts, thresholds))


def _escalation(windows: list[_Window]) -> "Escalation":
    edges = sorted({d for w in windows for d in (w.start, w.end) if d is not None})
    initial = _band(windows, date.min)
    changes: list[tuple[date, Urgency]] = []
    current = initial
    for edge in edges:
        band = _band(windows, edge)
        if band is not current:
            changes.append((edge, band))
            current = band
    return Escalation(initial, tuple(changes))
