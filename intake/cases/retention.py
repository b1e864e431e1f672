"""Retention: closed requests are really deleted after ``RETENTION_DAYS``.

``flask --app intake purge`` (run daily) deletes every help request whose status
is closed (accepted, referred, declined, withdrawn) and whose row has not
changed for ``RETENTION_DAYS``: ``updated_at`` moves on every change to the
request, its status included, and never on key rotation.

Rows of other tables that belong to a request (notes, status changes, …) are
found on the metadata through their foreign keys to ``help_request`` and deleted
first, so tables added later are covered without changes here; a nullable
reference declared ``ondelete="SET NULL"`` (or one from another request, such as
a "duplicate of" link) is cut instead, since the row is not the deleted
request's. The conflict index (``conflict_key``) goes with its request: a
deleted person is no longer found by the conflict check (intake.cases.conflicts;
SECURITY.md). The audit log keeps its events: they name references and
statuses, never personal data, and one ``retention.purge`` event records the count.

Deletion is real: SQLite runs with ``secure_delete`` (freed pages are zeroed)
and the write-ahead log is checkpointed and truncated afterwards, so the old
pages do not linger in the -wal file. On PostgreSQL, deleted tuples stay in the
data files until (auto)vacuum reuses them; see SECURITY.md.

Records of staff notifications (``outgoing_mail``) hold no personal data and no
reference to a request; ``purge`` deletes those sent or given up more than 30
days ago (``intake.mail.outbox.purge_finished``).

Text and WhatsApp messages go with their request; those from numbers no
request took (the inbox) are deleted once older than ``RETENTION_DAYS``. A
number's STOP is kept (only its keyed hash), so it is never written to again.

The form keeps no server-side drafts (an unfinished answer lives only in the
visitor's page), so there are no drafts to purge.
"""

from dataclasses import dataclass
from datetime import date, datetime, timedelta

import click
from flask import Flask, current_app
from sqlalchemy import Table, delete, select, text, update

from intake import timeutil
from intake.cases import audit
from intake.db import db
from intake.mail import outbox
from intake.messages import inbound
from intake.models import Confirmation, HelpRequest
from intake.models.help_request import CLOSED_STATUSES

CHUNK = 500


@dataclass(frozen=True)
class PurgeResult:
    deleted: int
    closed_before: date


def cutoff() -> datetime:
    """Requests closed and unchanged since before this moment are deleted."""
    return timeutil.utcnow() - timedelta(days=current_app.config["RETENTION_DAYS"])


def expired_ids(before: datetime) -> list[int]:
    query = (
        select(HelpRequest.id)
        .where(HelpRequest.status.in_(CLOSED_STATUSES), HelpRequest.updated_at < before)
        .order_by(HelpRequest.id)
    )
    return list(db.session.execute(query).scalars())


def purge(dry_run: bool = False) -> PurgeResult:
    """Delete expired requests and their dependent rows; one audit event."""
    before = cutoff()
    ids = expired_ids(before)
    result = PurgeResult(len(ids), before.date())
    if dry_run:
        return result
    table = HelpRequest.__table__
    for start in range(0, len(ids), CHUNK):
        chunk = ids[start : start + CHUNK]
        delete_rows(table, chunk)
    outbox.purge_finished()
    # Messages from numbers no request took are kept as long as a closed case.
    inbound.purge_unattached(before)
    # Confirmation pages whose time is up, should no request have come since to
    # sweep them: each holds a status code.
    db.session.execute(delete(Confirmation).where(Confirmation.expires_at <= timeutil.utcnow()))
    audit.record(
        "retention.purge",
        target_type="help_request",
        detail=f"deleted {len(ids)} requests closed before {result.closed_before.isoformat()}",
    )
    db.session.commit()
    _tidy_sqlite()
    return result


def delete_rows(table: Table, ids: list) -> None:
    """Delete ``ids`` of ``table`` after every row that depends on them."""
    if not ids:
        return
    (pk,) = table.primary_key.columns
    for child, column, nullify in references_to(table):
        if nullify:
            db.session.execute(update(child).where(column.in_(ids)).values({column.name: None}))
        elif len(child.primary_key.columns) > 1:
            # A link table (request_funder): nothing depends on its rows.
            db.session.execute(delete(child).where(column.in_(ids)))
        else:
            (child_pk,) = child.primary_key.columns
            child_ids = list(db.session.execute(select(child_pk).where(column.in_(ids))).scalars())
            delete_rows(child, child_ids)
    db.session.execute(delete(table).where(pk.in_(ids)))


def references_to(table: Table):
    """(table, column, nullify) for every foreign key pointing at ``table``."""
    for other in db.metadata.sorted_tables:
        for fk in other.foreign_keys:
            if fk.column.table is table:
                nullify = fk.parent.nullable and (
                    other is table or (fk.ondelete or "").upper() == "SET NULL"
                )
                yield other, fk.parent, nullify


def _tidy_sqlite() -> None:
    """Shrink the write-ahead log, and refresh the planner's statistics, which
    SQLite (unlike PostgreSQL's autovacuum) keeps only when told: without them
    it cannot tell that the queue's partial indexes give a page in order, and
    sorts every open request for each page instead."""
    if db.engine.dialect.name == "sqlite":
        db.session.execute(text("PRAGMA wal_checkpoint(TRUNCATE)"))
        db.session.execute(text("ANALYZE"))
        db.session.commit()


def init_app(app: Flask) -> None:
    @app.cli.command("purge")
    @click.option("--dry-run", is_flag=True, help="Only count what would be deleted.")
    def purge_command(dry_run: bool):
        """Delete closed requests unchanged for RETENTION_DAYS (run daily)."""
        result = purge(dry_run=dry_run)
        verb = "Would delete" if dry_run else "Deleted"
        click.echo(
            f"{verb} {result.deleted} closed requests unchanged since before "
            f"{result.closed_before.isoformat()}."
        )
