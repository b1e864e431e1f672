"""The queue as CSV, safe to open in a spreadsheet.

A cell that begins with = + - @ (or a tab or carriage return), even after
leading spaces, would be run as a formula by Excel, LibreOffice or Sheets
("CSV injection"); such cells get a leading single quote, which the programs
show as text. The export carries what the queue shows — no names or contact
details."""

import csv
import io
from collections.abc import Iterable, Iterator
from datetime import date

from .casework import SCREEN_LABELS, STATUS_LABELS, URGENCY_LABELS
from .models import HelpRequest
from .models.outcome import DISPOSITION_LABELS
from .rules import CLAIM_LABELS

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
    requests: Iterable[HelpRequest],
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
