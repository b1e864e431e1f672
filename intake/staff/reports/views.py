"""``/staff/reports``: figures, charts and CSV for admins and analysts.

Nothing here reads a person: the figures are aggregates the database computes
(``queries``), over whole weeks or months, rounded and small counts suppressed
(``ranges``), so the ``analyst`` role — reports only — never meets a name,
contact, free text or reference. Charts are SVG drawn here (``charts``): no
script reaches the browser. Every view and download is written to the audit log
and rate limited per member of staff: differencing many reports is the one way
left to narrow a count down, and it takes many views.
"""

from dataclasses import replace

from flask import Blueprint, Response, abort, current_app, render_template, request
from flask_login import current_user
from markupsafe import Markup

from intake import timeutil
from intake.cases import audit, choice_lists
from intake.cases.funding import Coverage, all_funders
from intake.db import db
from intake.law.vocabulary import CLAIM_LABELS
from intake.limits import limiter
from intake.models import Funder
from intake.staff.cases.export import csv_lines
from intake.staff.reports import charts
from intake.staff.reports.figures import (
    REFERRAL_LABELS,
    Report,
    build_report,
    csv_rows,
    referral_grid,
)
from intake.staff.reports.queries import Scope
from intake.staff.reports.ranges import DateRange, Publishing

# A child of the /staff parent (intake.staff): login, the "reports" permission
# (admins and analysts) and no-store come from there.
bp = Blueprint("reports", __name__, url_prefix="/reports")


def _staff_key() -> str:
    """Counted per member of staff: colleagues behind one office address do not
    share a limit, and one person cannot spread a burst over addresses."""
    return f"staff-{current_user.get_id()}"


# One limit shared by the page, the funder report and the CSV.
limited = limiter.shared_limit(
    lambda: current_app.config["REPORT_RATE_LIMIT"], scope="reports", key_func=_staff_key
)


def _scope(funder_id: int | None = None) -> tuple[Scope, str | None]:
    """The range from the query string; the funder from it (or the URL)."""
    date_range = DateRange.from_args(request.args, timeutil.today())
    error = None
    if funder_id is None:
        text = (request.args.get("funder") or "").strip()
        if text:
            if text.isdigit() and db.session.get(Funder, int(text)) is not None:
                funder_id = int(text)
            else:
                error = "Unknown funder: all requests are shown."
    return Scope(date_range, funder_id), error


def _report(scope: Scope, action: str) -> Report:
    """The report for ``scope``, counted afresh, and its viewing audited."""
    config = current_app.config
    r = scope.date_range
    audit.record(action, "funder", str(scope.funder_id or ""), f"{r.start}..{r.end} by {r.by}")
    db.session.commit()
    return build_report(
        scope,
        rules=Publishing(config["REPORT_SMALL_COUNT_THRESHOLD"], config["REPORT_ROUND_TO"]),
        top=config["REPORT_TOP_N"],
        today=timeutil.today(),
        reply_within_days=config["REPLY_WITHIN_DAYS"],
    )


def _charts(report: Report) -> dict[str, Markup]:
    drawn = {f.slug: charts.bar_chart(f.cells, f.title) for f in report.figures if f.cells}
    referrals = next(f for f in report.figures if f.slug == "referral")
    drawn["referral"] = charts.small_multiples(
        {
            row.organisation: [
                replace(cell, label=cell.label.split(": ", 1)[0]) for cell in row.cells if cell
            ]
            for row in referral_grid(referrals)
        },
        referrals.title,
    )
    rows = report.received
    series = {
        cell.label: [row.cells[index] for row in rows] for index, cell in enumerate(rows[0].cells)
    }
    drawn["received"] = charts.line_chart(
        [row.label for row in rows], series, "Requests received by urgency"
    )
    drawn["durations"] = charts.duration_chart(report.durations)
    return drawn


def _scope_name(scope: Scope) -> str:
    if scope.funder_id is None:
        return "All requests"
    return f"Requests counting for {db.session.get(Funder, scope.funder_id).name}"


@bp.route("/")
@limited
def index():
    scope, funder_error = _scope()
    report = _report(scope, "reports.view")
    range_args = scope.date_range.as_args()
    args = {**range_args, **({"funder": scope.funder_id} if scope.funder_id else {})}
    return render_template(
        "staff/reports/index.html",
        report=report,
        charts=_charts(report),
        referral_grid=referral_grid,
        referral_labels=REFERRAL_LABELS,
        funders=all_funders(),
        funder_error=funder_error,
        scope_name=_scope_name(scope),
        args=args,
        range_args=range_args,
    )


@bp.route("/export.csv")
@limited
def export():
    scope, _error = _scope()
    report = _report(scope, "reports.csv")
    r = scope.date_range
    name = f"report-{r.start}-{r.end}" + (f"-funder-{scope.funder_id}" if scope.funder_id else "")
    return Response(
        "".join(csv_lines(csv_rows(report, _scope_name(scope)))),
        mimetype="text/csv",
        headers={"Content-Disposition": f'attachment; filename="{name}.csv"'},
    )


@bp.route("/funders/<int:funder_id>")
@limited
def funder_report(funder_id: int):
    funder = db.session.get(Funder, funder_id) or abort(404)
    scope, _error = _scope(funder_id)
    report = _report(scope, "reports.funder")
    return render_template(
        "staff/reports/funder.html",
        funder=funder,
        coverage=describe_coverage(funder),
        report=report,
        charts=_charts(report),
        referral_grid=referral_grid,
        referral_labels=REFERRAL_LABELS,
        range_args=scope.date_range.as_args(),
        prepared=timeutil.today(),
    )


def describe_coverage(funder: Funder) -> str:
    terms = Coverage.of(funder)
    until = f" to {terms.active_until:%-d %B %Y}" if terms.active_until else ", still running"
    parts = [f"funded from {terms.active_from:%-d %B %Y}{until}"]
    states = dict(choice_lists.US_STATES)
    languages = {code: str(label) for code, label in choice_lists.LANGUAGES}
    for codes, names, what in (
        (terms.states, states, "in"),
        (terms.claim_types, CLAIM_LABELS, "seeking"),
        (terms.languages, languages, "speaking"),
    ):
        if codes:
            parts.append(f"{what} " + ", ".join(sorted(str(names.get(c, c)) for c in codes)))
    return "; ".join(parts)
