"""The queue's order at band edges and the indexes that keep it fast.

Urgency is applied when the queue is read (intake.cases.live_urgency): a request whose
band changes today must sort with its new band in every view, page after page,
whichever index serves the view. Each view must also read its rows in queue
order from an index (no sort of every open request)."""

import html
import json
import re
from datetime import date, timedelta

import pytest
from sqlalchemy import event

from intake import timeutil
from intake.cases import retention
from intake.db import db
from intake.timeutil import utcnow

TODAY = date(2026, 5, 1)


@pytest.fixture(autouse=True)
def frozen_today(monkeypatch):
    monkeypatch.setattr(timeutil, "today", lambda: TODAY)


def steps(*changes) -> dict:
    """Live-urgency steps ahead, as stored: (day, rank) ..."""
    return {
        "urgency_steps": json.dumps([[day.isoformat(), rank] for day, rank in changes]),
        "urgency_changes_on": changes[0][0],
    }


def walk(client, url) -> tuple[list[str], list[str]]:
    """Every page from ``url`` through its "next" links: the references in
    order, and each row's urgency class."""
    refs, bands = [], []
    while url:
        body = client.get(url).get_data(as_text=True)
        refs += re.findall(r'<th scope="row"><a href="/staff/cases/([0-9A-Z-]+)[?"]', body)
        bands += re.findall(r'<tr class="urgency-(\w+)">', body)
        found = re.search(r'<a href="([^"]+)" rel="next">', body)
        url = html.unescape(found.group(1)) if found else None
    return refs, bands


# Each view below is served by its own index (intake.models.help_request).
VIEWS = [
    ("reviewer", "/staff/"),  # ix_help_request_queue_open
    ("reviewer", "/staff/?language=Spanish"),  # ..._queue_language
    ("reviewer", "/staff/?assignee=none"),  # ..._queue_open_assignee
    ("reviewer", "/staff/?status=new"),  # ix_help_request_queue
    ("reviewer", "/staff/?status=all"),  # ix_help_request_queue_all
    ("volunteer", "/staff/"),  # ..._queue_open_assignee, with the cursor on it
]


@pytest.mark.parametrize(("role", "url"), VIEWS)
def test_a_band_that_changes_today_sorts_with_its_new_band_on_every_page(
    client, make_staff, login_as, make_request, monkeypatch, role, url
):
    from intake.staff.cases import casework

    monkeypatch.setattr(casework, "PER_PAGE", 2)  # band edges fall across pages
    user = make_staff(role=role)
    login_as(client, user)
    assignee = {"assignee_id": user.id} if role == "volunteer" else {}
    now = utcnow()

    def made(urgency, days_ago, **more):
        return make_request(urgency=urgency, created_at=now - timedelta(days=days_ago), **more)

    critical_old = made("critical", 10, **assignee)
    # Normal until yesterday; a step today makes it critical (a hearing now 14 days away).
    rising = made("normal", 5, **assignee, **steps((TODAY, 0)))
    critical_new = made("critical", 1, **assignee)
    high = made("high", 3, **assignee)
    # Critical until yesterday; its appeal window closed today: normal now.
    falling = made("critical", 2, **assignee, **steps((TODAY, 2)))
    # Rises tomorrow, not today.
    tomorrow = made("normal", 9, **assignee, **steps((TODAY + timedelta(days=1), 0)))
    normal = made("normal", 7, **assignee)
    # Two steps have come (high, then critical): it has the band of the last.
    twice = made("normal", 4, **assignee, **steps((TODAY - timedelta(days=3), 1), (TODAY, 0)))

    refs, bands = walk(client, url)

    expected = [critical_old, rising, twice, critical_new, high, tomorrow, normal, falling]
    assert refs == [r.reference for r in expected]
    assert bands == ["critical"] * 4 + ["high"] + ["normal"] * 3
    # Read again the same day: the same order, nothing applied twice.
    assert walk(client, url)[0] == refs


def test_a_step_tomorrow_applies_tomorrow(client, make_staff, login_as, make_request, monkeypatch):
    login_as(client, make_staff("reviewer"))
    waiting = make_request(urgency="normal", **steps((TODAY + timedelta(days=1), 0)))
    critical = make_request(urgency="critical")  # made later: waiting is older
    assert walk(client, "/staff/") == (
        [critical.reference, waiting.reference],
        ["critical", "normal"],
    )
    monkeypatch.setattr(timeutil, "today", lambda: TODAY + timedelta(days=1))
    assert walk(client, "/staff/") == (
        [waiting.reference, critical.reference],
        ["critical", "critical"],
    )


@pytest.fixture
def queue_sql(app):
    """The queue's SELECT as the app sends it (statement and parameters), captured
    from the engine during one page view."""
    seen = []

    def capture(conn, cursor, statement, parameters, context, executemany):
        if "ORDER BY help_request.urgency_rank" in statement:
            seen.append((statement, parameters))

    with app.app_context():
        engine = db.engine
    event.listen(engine, "before_cursor_execute", capture)
    yield seen
    event.remove(engine, "before_cursor_execute", capture)


def plan_of(app, statement, parameters) -> str:
    """The plan of a captured statement, with its own parameters. On PostgreSQL
    (a few test rows, where a sequential scan and a sort are cheapest) scans and
    sorts are priced out, so the plan shows which index can give the order."""
    with app.app_context(), db.engine.connect() as conn:
        raw = conn.connection.driver_connection.cursor()
        if db.engine.dialect.name == "postgresql":
            for setting in ("enable_seqscan", "enable_bitmapscan", "enable_sort"):
                raw.execute(f"SET {setting} = off")
            raw.execute("EXPLAIN " + statement, parameters)
            return "\n".join(row[0] for row in raw.fetchall())
        raw.execute("EXPLAIN QUERY PLAN " + statement, parameters)
        return "\n".join(row[-1] for row in raw.fetchall())


OPEN_OR_ALL = r"ix_help_request_queue_(open|all)"  # a few test rows: either gives the order


@pytest.mark.parametrize(
    ("role", "args", "index"),
    [
        ("reviewer", "", OPEN_OR_ALL),
        ("reviewer", "claim=cat", OPEN_OR_ALL),
        ("reviewer", "assignee=none", r"ix_help_request_queue_open(_assignee)?"),
        ("reviewer", "language=fr", "ix_help_request_queue_language"),
        ("reviewer", "mine=1", "ix_help_request_queue_open_assignee"),
        ("volunteer", "", "ix_help_request_queue_open_assignee"),
        ("reviewer", "status=accepted", "ix_help_request_queue"),
        ("reviewer", "status=all", "ix_help_request_queue_all"),
    ],
)
def test_each_view_reads_its_rows_in_order_from_its_index(
    app, client, make_staff, login_as, make_request, queue_sql, role, args, index
):
    """First and deep pages: the index named, no sort (SQLite: no temporary
    B-tree for the ORDER BY; PostgreSQL: no Sort node). SQLite chooses from the
    statistics that the daily purge refreshes (PostgreSQL: autovacuum)."""
    user = make_staff(role=role)
    login_as(client, user)
    for n in range(3):
        make_request(preferred_language="fr", assignee_id=user.id if n else None)
    for _ in range(12):  # closed requests outnumber open ones, as they do in time
        make_request(status="accepted", preferred_language="fr", assignee_id=user.id)
    with app.app_context():
        retention.purge()
    cursor = "2.99991231.0.20260101T000000000000.1"
    for url in (f"/staff/?{args}", f"/staff/?{args}&after={cursor}"):
        queue_sql.clear()
        assert client.get(url).status_code == 200
        (statement, parameters), *_ = queue_sql
        plan = plan_of(app, statement, parameters)
        assert re.search(rf"\b{index}\b", plan), plan  # the index that gives the order...
        assert "TEMP B-TREE" not in plan and "Sort" not in plan, plan  # ...so no sort


@pytest.mark.parametrize("args", ["", "language=fr", "status=new"])
def test_a_case_finds_its_neighbours_in_the_queue_from_the_index(
    app, client, make_staff, login_as, make_request, queue_sql, args
):
    """The case page's previous and next case: one row each, read in order (or
    in reverse) from the index that serves the queue, never a sort."""
    from urllib.parse import quote

    login_as(client, make_staff(role="reviewer"))
    made = [make_request(preferred_language="fr") for _ in range(3)]
    for _ in range(12):
        make_request(status="accepted", preferred_language="fr")
    with app.app_context():
        retention.purge()
    queue_sql.clear()
    page = client.get(f"/staff/cases/{made[1].reference}?queue={quote(args)}").text
    assert (
        f"/staff/cases/{made[0].reference}" in page and f"/staff/cases/{made[2].reference}" in page
    )
    neighbours = [(s, p) for s, p in queue_sql if "LIMIT" in s]
    assert len(neighbours) == 2
    for statement, parameters in neighbours:
        plan = plan_of(app, statement, parameters)
        assert re.search(r"\bix_help_request_queue", plan), plan
        assert "TEMP B-TREE" not in plan and "Sort" not in plan, plan
