"""A report: the database's counts (``queries``) named, ordered, rounded and
suppressed (``ranges``), ready for the page, the charts and the CSV alike —
all three read the same ``Cell`` objects, so a count hidden in one is hidden in
all.
"""

from dataclasses import dataclass
from datetime import date, datetime

from intake import timeutil
from intake.cases import choice_lists
from intake.law import age_bands
from intake.law.vocabulary import CLAIM_TYPES, Urgency
from intake.models import Outcome
from intake.models.outcome import DISPOSITION_LABELS, OUTCOME_LABELS
from intake.staff.cases.casework import SCREEN_LABELS, URGENCY_LABELS
from intake.staff.followup.referrals import OUTCOMES as REFERRAL_OUTCOMES
from intake.staff.reports import queries
from intake.staff.reports.queries import AWAITING, CLOSED_UNRECORDED, Kind, Scope
from intake.staff.reports.ranges import (
    Cell,
    Duration,
    Publishing,
    period_label,
    period_start,
    periods,
    suppress,
    top_n,
    total_cell,
    working_days_before,
)

FIXED_LABELS = {
    "urgency": {u.value: label for u, label in URGENCY_LABELS.items()},
    "detention": {"detained": "Detained", "not_detained": "Not detained"},
    "channel": {"partner": "Through a partner's site", "direct": "Directly on our site"},
    "screen": {s.value: label for s, label in SCREEN_LABELS.items()},
    "relief": {code: label[:1].upper() + label[1:] for code, label in CLAIM_TYPES},
    "disposition": {
        **{d.value: label for d, label in DISPOSITION_LABELS.items()},
        CLOSED_UNRECORDED: "Closed, no disposition recorded",
        "open": "Still open",
    },
}
TITLES = {
    "urgency": "Requests received by urgency",
    "language": "Preferred language",
    "nationality": "Nationality",
    "state": "US state",
    "relief": "Relief sought (a request may seek several)",
    "detention": "Detention",
    "channel": "Partner site or direct",
    "partner": "Requests by partner site",
    "screen": "Screen results",
    "disposition": "Dispositions",
    "outcome": "Outcomes of accepted cases",
    "age": "Age when the request was sent",
    "referral": "Referral outcomes by organisation",
}
REFERRAL_LABELS = {**REFERRAL_OUTCOMES, AWAITING: "Awaiting an answer"}
# Figures whose cells do not add up to the requests counted (multiple answers,
# or only some requests): no total is shown, so none can give a cell away.
NO_TOTAL = frozenset({"relief", "outcome", "partner", "referral"})


@dataclass(frozen=True)
class Figure:
    slug: str
    title: str
    cells: list[Cell]
    total: Cell | None

    @property
    def empty(self) -> bool:
        return all(c.count == 0 for c in self.cells)


@dataclass(frozen=True)
class PeriodRow:
    label: str
    start: date
    cells: list[Cell]  # one per urgency
    total: Cell


@dataclass(frozen=True)
class Report:
    """Everything the page, the charts and the CSV show."""

    scope: Scope
    rules: Publishing
    total: Cell
    received: list[PeriodRow]
    figures: list[Figure]
    closing: Duration
    first_contact: Duration
    overdue: Cell
    reply_within_days: int
    computed_at: datetime

    @property
    def durations(self) -> tuple[Duration, Duration]:
        return (self.first_contact, self.closing)

    @property
    def threshold(self) -> int:
        return self.rules.threshold


def _figure(slug: str, counts: list[tuple[str, str, int]], total: int, rules: Publishing) -> Figure:
    shown_total = slug not in NO_TOTAL
    return Figure(
        slug,
        TITLES[slug],
        suppress(counts, rules, total_shown=shown_total),
        total_cell("Total", total, rules) if shown_total else None,
    )


def _named(counts: dict[str, int], names: dict[str, str]) -> list[tuple[str, str, int]]:
    return [(code, str(names.get(code) or code or "Not given"), n) for code, n in counts.items()]


def fold_kinds(kinds: list[Kind]) -> dict[str, dict[str, int]]:
    """The fixed breakdowns (figure → code → requests) from the database's
    combinations: a loop over a few hundred groups, never over requests."""
    counts = {slug: dict.fromkeys(FIXED_LABELS[slug], 0) for slug in FIXED_LABELS}
    del counts["urgency"], counts["relief"]  # counted by day and by combination

    def add(slug: str, code: str, n: int) -> None:
        counts[slug][code] = counts[slug].get(code, 0) + n

    for kind in kinds:
        add("detention", "detained" if kind.detained else "not_detained", kind.count)
        add("channel", "direct" if kind.partner_id is None else "partner", kind.count)
        add("screen", kind.screen, kind.count)
        if kind.disposition is not None:
            add("disposition", kind.disposition, kind.count)
        if kind.is_open:
            add("disposition", "open", kind.count)
        elif kind.disposition is None:
            add("disposition", CLOSED_UNRECORDED, kind.count)
    return counts


def build_report(
    scope: Scope,
    *,
    rules: Publishing,
    top: int,
    today: date,
    reply_within_days: int,
) -> Report:
    reply_by = working_days_before(today, reply_within_days)
    counted = queries.count_all(scope, reply_by)
    total = counted.total
    kinds = counted.kind_list()
    fixed = fold_kinds(kinds)
    fixed["urgency"] = {u.value: 0 for u in Urgency}
    for by_urgency in counted.days.values():
        for urgency, n in by_urgency.items():
            fixed["urgency"][urgency] = fixed["urgency"].get(urgency, 0) + n
    relief = counted.relief()
    fixed["relief"] = {code: relief.get(code, 0) for code in FIXED_LABELS["relief"]}

    def fixed_figure(slug: str) -> Figure:
        labels = FIXED_LABELS[slug]
        counts = [(code, labels[code], fixed[slug][code]) for code in labels]
        return _figure(slug, counts, total, rules)

    breakdowns = counted.breakdowns
    languages = _named(breakdowns["language"], _languages())
    nationalities = _named(breakdowns["nationality"], _nationalities())
    states = _named(breakdowns["state"], dict(choice_lists.US_STATES))
    ages = breakdowns["age_band"]
    age_cells = [(code, label, ages.get(code, 0)) for code, label, _youngest in age_bands.BANDS]
    age_cells.append(("", age_bands.NOT_GIVEN, ages.get("", 0)))
    partner_counts: dict[int, int] = {}
    for kind in kinds:
        if kind.partner_id is not None:
            partner_counts[kind.partner_id] = partner_counts.get(kind.partner_id, 0) + kind.count
    names = queries.partner_names(partner_counts)
    partners = sorted((names[i], names[i], n) for i, n in partner_counts.items())
    outcomes = [(o.value, OUTCOME_LABELS[o], counted.outcomes.get(o.value, 0)) for o in Outcome]
    organisations = queries.organisation_names({org for org, _kind in counted.referrals})
    by_name: dict[tuple[str, str], int] = {}
    for (org, kind), n in counted.referrals.items():
        name = organisations.get(org, "")
        by_name[name, kind] = by_name.get((name, kind), 0) + n  # two entries may share a name
    referrals = [
        # The outcome first: a chart's label is cut short, the table has it whole.
        (f"{name}|{kind}", f"{REFERRAL_LABELS.get(kind, kind)}: {name}", n)
        for (name, kind), n in sorted(
            by_name.items(), key=lambda item: (item[0][0], _referral_order(item[0][1]))
        )
    ]

    figures = [
        fixed_figure("urgency"),
        _figure("language", top_n(languages, top), total, rules),
        _figure("nationality", top_n(nationalities, top), total, rules),
        _figure("state", top_n(states, top), total, rules),
        _figure("age", age_cells, total, rules),
        fixed_figure("relief"),
        fixed_figure("detention"),
        fixed_figure("channel"),
        _figure("partner", partners, total, rules),
        fixed_figure("screen"),
        fixed_figure("disposition"),
        _figure("outcome", outcomes, total, rules),
        _figure("referral", referrals, total, rules),
    ]
    return Report(
        scope=scope,
        rules=rules,
        total=total_cell("Requests received", total, rules),
        received=_received(scope, counted.days, rules),
        figures=figures,
        closing=Duration(
            "Time from request to closing", *counted.duration("hours_to_close"), rules
        ),
        first_contact=Duration(
            "Time from request to first contact attempt",
            *counted.duration("hours_to_first_contact"),
            rules,
        ),
        overdue=total_cell("Overdue", queries.overdue(kinds), rules),
        reply_within_days=reply_within_days,
        computed_at=timeutil.utcnow(),
    )


@dataclass(frozen=True)
class ReferralRow:
    organisation: str
    cells: list[Cell | None]  # one per REFERRAL_LABELS entry; None: no referral of that kind


def referral_grid(figure: Figure) -> list[ReferralRow]:
    """The referral figure's cells as organisation × outcome, for a table a
    person can read across (the CSV keeps one line per cell)."""
    kinds = list(REFERRAL_LABELS)
    rows: dict[str, list[Cell | None]] = {}
    for cell in figure.cells:
        name, kind = cell.key.rsplit("|", 1)
        rows.setdefault(name, [None] * len(kinds))[kinds.index(kind)] = cell
    return [ReferralRow(name, cells) for name, cells in rows.items()]


def _referral_order(kind: str) -> int:
    order = list(REFERRAL_LABELS)
    return order.index(kind) if kind in order else len(order)


def _received(scope: Scope, days: dict[date, dict[str, int]], rules: Publishing) -> list[PeriodRow]:
    """Days folded into the range's weeks or months, by urgency."""
    by = scope.date_range.by
    counts: dict[tuple[date, str], int] = {}
    for day, by_urgency in days.items():
        start = period_start(day, by)
        for urgency, n in by_urgency.items():
            counts[start, urgency] = counts.get((start, urgency), 0) + n
    rows = []
    for start in periods(scope.date_range):
        cells = [(u.value, URGENCY_LABELS[u], counts.get((start, u.value), 0)) for u in Urgency]
        period_total = sum(n for _code, _label, n in cells)
        rows.append(
            PeriodRow(
                period_label(start, scope.date_range.by),
                start,
                suppress(cells, rules),
                total_cell("Total", period_total, rules),
            )
        )
    return rows


def _languages() -> dict[str, str]:
    return {code: str(label) for code, label in choice_lists.LANGUAGES}


def _nationalities() -> dict[str, str]:
    return {code: str(label) for code, label in choice_lists.NATIONALITY_CHOICES}


def csv_rows(report: Report, scope_name: str):
    """The report as CSV rows: what the page shows, with the same "fewer than"
    text in place of every suppressed count (never the count)."""
    r = report.scope.date_range
    yield ("report", scope_name)
    yield ("received from", r.start.isoformat())
    yield ("received to", r.end.isoformat())
    yield ("counts", f"rounded to a multiple of {report.rules.base}")
    yield (
        "small counts",
        f"counts from 1 to {report.threshold - 1} shown as “fewer than {report.threshold}”",
    )
    yield ()
    yield ("figure", "category", "requests")
    yield ("Requests received", "Total", report.total.text)
    yield ("Overdue", f"open past {report.reply_within_days} working days", report.overdue.text)
    for duration in (report.first_contact, report.closing):
        yield (duration.label, "median", duration.text(duration.median_hours))
        yield (duration.label, "90th percentile", duration.text(duration.p90_hours))
        yield (duration.label, "requests", duration.requests.text)
    for row in report.received:
        for cell in row.cells:
            yield (f"Received, {row.label}", cell.label, cell.text)
        yield (f"Received, {row.label}", "Total", row.total.text)
    for figure in report.figures:
        for cell in figure.cells:
            yield (figure.title, cell.label, cell.text)
        if figure.total is not None:
            yield (figure.title, "Total", figure.total.text)
