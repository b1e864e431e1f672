"""Retention: closed requests are really deleted after the configured period."""

from datetime import datetime, timedelta
from pathlib import Path
from types import SimpleNamespace

import pytest
from sqlalchemy import Column, ForeignKey, Integer, Table, func, select, text

from intake import timeutil
from intake.cases.retention import purge
from intake.db import db
from intake.models import AuditEvent, Confirmation, HelpRequest, OutgoingMail, StaffUser
from intake.models.help_request import CLOSED_STATUSES
from intake.staff.cases import casework

NOW = datetime(2027, 6, 1, 9, 30)


@pytest.fixture
def frozen(monkeypatch):
    """The clock stands at ``frozen.now`` (NOW until a test moves it), for the
    purge and for every stored time (``updated_at`` included)."""
    clock = SimpleNamespace(now=NOW)
    monkeypatch.setattr(timeutil, "utcnow", lambda: clock.now)
    return clock


@pytest.fixture
def request_aged(make_request):
    """Factory: a request last changed ``age`` ago (days, or a timedelta)."""

    def make(status, age, **fields):
        changed = NOW - (age if isinstance(age, timedelta) else timedelta(days=age))
        return make_request(status=status, created_at=changed, updated_at=changed, **fields)

    return make


def references(app):
    with app.app_context():
        return set(db.session.execute(select(HelpRequest.reference)).scalars())


def purge_events(app):
    with app.app_context():
        query = select(AuditEvent.detail).where(AuditEvent.action == "retention.purge")
        return list(db.session.execute(query).scalars())


def test_purge_deletes_only_closed_requests_past_the_period(app, runner, frozen, request_aged):
    expired = [request_aged(s, 366).reference for s in CLOSED_STATUSES]
    kept = [request_aged(s, 364).reference for s in CLOSED_STATUSES]
    kept += [request_aged(s, 3000).reference for s in ("new", "in_review")]

    dry = runner.invoke(args=["purge", "--dry-run"])
    assert dry.exit_code == 0
    closed = len(CLOSED_STATUSES)  # accepted, referred, declined, withdrawn, could not reach
    assert f"Would delete {closed} closed requests unchanged since before 2026-06-01" in dry.output
    assert references(app) == set(expired + kept) and purge_events(app) == []

    result = runner.invoke(args=["purge"])
    assert result.exit_code == 0, result.output
    assert f"Deleted {closed} closed requests" in result.output
    assert references(app) == set(kept)
    assert purge_events(app) == [f"deleted {closed} requests closed before 2026-06-01"]

    again = runner.invoke(args=["purge"])
    assert "Deleted 0 closed requests" in again.output
    assert len(purge_events(app)) == 2


def test_the_period_is_exact_to_the_second(app, frozen, request_aged):
    """Unchanged for exactly RETENTION_DAYS: kept; one second longer: deleted."""
    period = timedelta(days=app.config["RETENTION_DAYS"])
    second = timedelta(seconds=1)
    younger = request_aged("declined", period - second).reference
    exactly = request_aged("declined", period).reference
    request_aged("declined", period + second)
    with app.app_context():
        assert purge().deleted == 1
    assert references(app) == {younger, exactly}


def test_a_request_closed_long_ago_then_reopened_is_kept(app, frozen, request_aged, make_staff):
    """Re-opening (a real status change) makes it open, and closing it again
    starts the period again from then."""
    staff = make_staff()
    case = request_aged("declined", 3000)

    def move(status, reason, disposition=""):
        with app.app_context():
            row = db.session.get(HelpRequest, case.id)
            actor = db.session.get(StaffUser, staff.id)
            casework.change_status(row, status, reason, actor, row.version, disposition)

    def purge_now():
        with app.app_context():
            return purge().deleted

    move("in_review", "The person wrote again")
    assert purge_now() == 0
    frozen.now = NOW + timedelta(days=2000)  # open cases are never purged, however old
    assert purge_now() == 0
    move("declined", "No longer eligible", "declined_no_claim")
    frozen.now += timedelta(days=app.config["RETENTION_DAYS"])
    assert purge_now() == 0
    frozen.now += timedelta(seconds=1)
    assert purge_now() == 1
    assert references(app) == set()


def test_retention_period_is_configurable(app, runner, frozen, request_aged):
    app.config["RETENTION_DAYS"] = 30
    request_aged("declined", 31)
    request_aged("declined", 29)
    assert "Deleted 1 closed requests" in runner.invoke(args=["purge"]).output
    assert len(references(app)) == 1


def test_purge_deletes_mail_records_finished_over_30_days_ago(app, frozen, request_aged):
    """Outbox rows hold no personal data and no link to a request; purge keeps
    those still waiting and recent records, and deletes the rest."""

    def mail(days_ago, **state):
        at = NOW - timedelta(days=days_ago)
        fields = {"kind": "critical_request", "created_at": at, "next_attempt_at": at}
        return OutgoingMail(**fields, **{k: NOW - timedelta(days=v) for k, v in state.items()})

    with app.app_context():
        request_aged("declined", 400)
        rows = {
            "waiting": mail(90),
            "sent recently": mail(29, sent_at=29),
            "given up recently": mail(29, failed_at=29),
            "sent long ago": mail(40, sent_at=31),
            "given up long ago": mail(40, failed_at=31),
        }
        db.session.add_all(rows.values())
        db.session.commit()
        ids = {name: row.id for name, row in rows.items()}
        assert purge().deleted == 1
        left = set(db.session.execute(select(OutgoingMail.id)).scalars())
    assert left == {ids["waiting"], ids["sent recently"], ids["given up recently"]}


def test_purge_deletes_confirmation_pages_whose_time_is_up(app, frozen, make_request):
    """A confirmation page keeps the status code for minutes; nothing else may
    come to sweep it, so purge does."""
    kept, done = make_request(), make_request()
    with app.app_context():
        for key, row, minutes in (("a" * 64, kept, 5), ("b" * 64, done, -1)):
            db.session.add(
                Confirmation(
                    key_hash=key,
                    request_id=row.id,
                    status_code="7QM4XPD2",
                    expires_at=NOW + timedelta(minutes=minutes),
                )
            )
        db.session.commit()
        purge()
        left = set(db.session.execute(select(Confirmation.key_hash)).scalars())
    assert left == {"a" * 64}


def test_the_audit_event_holds_no_personal_data(app, frozen, request_aged):
    reference = request_aged("withdrawn", 400, name="Secret Person").reference
    with app.app_context():
        purge()
        event = db.session.execute(select(AuditEvent)).scalar_one()
    assert event.action == "retention.purge" and event.actor_id is None
    assert "Secret Person" not in event.detail and reference not in event.detail


def test_dependent_rows_are_deleted_and_links_from_other_requests_cut(app, frozen, request_aged):
    """Tables added later (notes, status changes) are found on the metadata."""
    notes = Table(
        "test_retention_note",
        db.metadata,
        Column("id", Integer, primary_key=True),
        Column("request_id", ForeignKey("help_request.id"), nullable=False),
    )
    replies = Table(
        "test_retention_reply",
        db.metadata,
        Column("id", Integer, primary_key=True),
        Column("note_id", ForeignKey("test_retention_note.id"), nullable=False),
    )
    links = Table(
        "test_retention_link",
        db.metadata,
        Column("id", Integer, primary_key=True),
        Column("request_id", ForeignKey("help_request.id", ondelete="SET NULL"), nullable=True),
    )
    try:
        gone = request_aged("referred", 500)
        kept = request_aged("new", 500)
        with app.app_context():
            for table in (notes, replies, links):
                table.create(db.engine)
            db.session.execute(notes.insert(), [{"id": 1, "request_id": gone.id}])
            db.session.execute(notes.insert(), [{"id": 2, "request_id": kept.id}])
            db.session.execute(replies.insert(), [{"id": 1, "note_id": 1}, {"id": 2, "note_id": 2}])
            db.session.execute(links.insert(), [{"id": 1, "request_id": gone.id}])
            db.session.commit()

            assert purge().deleted == 1
            assert db.session.execute(select(notes.c.id)).scalars().all() == [2]
            assert db.session.execute(select(replies.c.id)).scalars().all() == [2]
            assert db.session.execute(select(links.c.request_id)).scalars().all() == [None]
    finally:
        with app.app_context():
            db.session.remove()
            for table in (replies, links, notes):
                table.drop(db.engine, checkfirst=True)
                db.metadata.remove(table)


def test_deleted_request_leaves_no_trace_in_the_database_file(
    app, database_uri, frozen, request_aged
):
    gone = request_aged(
        "declined", 400, name="Gone Person Qx7", summary="Gone summary Qx7", phone="212 555 0173"
    )
    values = [gone.name, gone.summary, gone.phone]
    with app.app_context():
        tokens = [
            db.session.execute(text(f"SELECT {c} FROM help_request")).scalar_one()  # noqa: S608
            for c in ("name", "summary", "phone")
        ]
        purge()
        count = db.session.execute(select(func.count()).select_from(HelpRequest)).scalar_one()
    assert count == 0
    secrets = [v.encode() for v in values + tokens]
    if database_uri.startswith("sqlite:///"):
        path = Path(database_uri.removeprefix("sqlite:///"))
        files = list(path.parent.glob(path.name + "*"))
        data = b"".join(f.read_bytes() for f in files)
        assert data and not [s for s in secrets if s in data]
    else:
        # PostgreSQL: the row is gone for every reader; dead tuples are left to
        # (auto)vacuum (SECURITY.md).
        with app.app_context():
            dump = db.session.execute(text("SELECT * FROM help_request")).all()
        assert dump == []
