"""The queue as CSV, safe to open in a spreadsheet.

A cell that begins with = + - @ (or a tab or carriage return), even after
leading spaces, would be run as a formula by Excel, LibreOffice or Sheets
("CSV injection"); such cells get a leading single quote, which the programs
show as text. The export carries what the queue shows — no names or contact
details — and the plain columns the reports count (nationality code, age band,
disposition, closing date).

    GET /staff/export.csv    staff.export.download   (cases.export, and a recent login)
"""

import csv
import io
from collections.abc import Iterable, Iterator
from datetime import date

from flask import (
    Blueprint,
    Response,
    current_app,
    render_template,
    request,
    session,
    stream_with_context,
)
from flask_login import current_user

from intake.cases import audit
from intake.db import db
from intake.law import age_bands
from intake.law.vocabulary import CLAIM_LABELS
from intake.models import StaffUser
from intake.models.help_request import STATUS_LABELS
from intake.models.outcome import DISPOSITION_LABELS
from intake.staff.cases import casework
from intake.staff.cases.casework import SCREEN_LABELS, URGENCY_LABELS, QueueFilters
from intake.timeutil import today, utcnow

bp = Blueprint("export", __name__)

FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")
HEADER = (
    "reference",
    "received (UTC)",
    "status",
    "urgency",
    "screen",
    "screen overridden",
    "claim types",
    "preferred language",
    "state",
    "filing deadline",
    "filing deadline days left",
    "hearing date",
    "hearing days left",
    "assignee",
    "nationality",
    "came through",
    "disposition",
    "closed (UTC)",
    # Added last, so spreadsheets built on the earlier columns keep working.
    "age band at submission",
)


def neutralise(value) -> str:
    """The cell as text, with a quote in front when a spreadsheet would run it."""
    if isinstance(value, int):  # numbers we computed, such as days left
        return str(value)
    text = "" if value is None else str(value)
    if text.lstrip(" \u00a0\n").startswith(FORMULA_STARTS):
        return "'" + text
    return text


def _days(day: date | None, today: date) -> int | str:
    return "" if day is None else (day - today).days


def queue_rows(
    requests: Iterable,  # rows of casework.QUEUE_COLUMNS
    staff_emails: dict[int, str],
    today: date,
    partners: dict[int, str] | None = None,
) -> Iterator[tuple]:
    partners = partners or {}
    yield HEADER
    for r in requests:
        screen = r.screen_override or r.screen
        yield (
            r.reference,
            r.created_at.strftime("%Y-%m-%d %H:%M"),
            STATUS_LABELS.get(r.status, r.status),
            URGENCY_LABELS.get(r.urgency, r.urgency),
            SCREEN_LABELS.get(screen, screen),
            "yes" if r.screen_override else "no",
            "; ".join(CLAIM_LABELS.get(c, c) for c in r.claim_types.split()),
            r.preferred_language,
            r.state,
            r.filing_deadline.isoformat() if r.filing_deadline else "",
            _days(r.filing_deadline, today),
            r.hearing_date.isoformat() if r.hearing_date else "",
            _days(r.hearing_date, today),
            staff_emails.get(r.assignee_id, "") if r.assignee_id else "",
            r.nationality_code,
            partners.get(r.partner_id, f"partner #{r.partner_id}") if r.partner_id else "our site",
            DISPOSITION_LABELS.get(r.disposition, r.disposition or ""),
            r.closed_at.strftime("%Y-%m-%d %H:%M") if r.closed_at else "",
            age_bands.label(r.age_band),
        )


def csv_lines(rows: Iterable[tuple]) -> Iterator[str]:
    """Stream the rows as CSV text, one line at a time, every cell neutralised."""
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    for row in rows:
        writer.writerow([neutralise(cell) for cell in row])
        yield buffer.getvalue()
        buffer.seek(0)
        buffer.truncate()


@bp.get("/export.csv")
def download():
    if not recent_login():
        audit.record("export.refused", "queue", "", "login not recent")
        db.session.commit()
        minutes = current_app.config["EXPORT_RECENT_LOGIN_MINUTES"]
        return render_template("staff/cases/reauth.html", minutes=minutes), 403
    filters = QueueFilters.from_args(request.args)
    query = casework.queue_query(filters, current_user)
    count = db.session.execute(
        db.select(db.func.count()).select_from(query.order_by(None).subquery())
    ).scalar_one()
    audit.record("export.csv", "queue", "", f"rows={count} {filters.describe()}")
    db.session.commit()
    staff = {s.id: s.email for s in db.session.execute(db.select(StaffUser)).scalars()}
    partners = casework.partner_names()

    def lines():
        # Rows are read in batches while the response is sent, not held in memory.
        result = db.session.execute(query.execution_options(yield_per=500))
        try:
            yield from csv_lines(queue_rows(result, staff, today(), partners))
        finally:  # also when the download is abandoned: free the server-side cursor
            result.close()

    name = f"queue-{utcnow():%Y%m%d-%H%M}.csv"
    return Response(
        stream_with_context(lines()),
        mimetype="text/csv",
        headers={
            "Content-Disposition": f'attachment; filename="{name}"',
            "Cache-Control": "no-store",
        },
    )


def recent_login() -> bool:
    """The export needs a login within EXPORT_RECENT_LOGIN_MINUTES; the staff
    login keeps its time (epoch seconds) in ``session["staff_login_at"]``."""
    login_at = session.get("staff_login_at")
    if not isinstance(login_at, int | float) or isinstance(login_at, bool):
        return False
    age = utcnow().timestamp() - login_at
    return 0 <= age <= current_app.config["EXPORT_RECENT_LOGIN_MINUTES"] * 60
