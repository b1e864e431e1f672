"""Measure the staff queue page at scale.

Fills a database with N ``seed-demo`` requests (default 100,000; intake.ops.demo),
then times the queue page through the
Flask test client, logged in, for several pages and every filter, and prints
median and 95th percentile latency and the median CPU time per request.

    python -m bench.queue_page --uri sqlite:////tmp/bench.sqlite3
    createdb -h 127.0.0.1 -U postgres intake_bench
    python -m bench.queue_page --uri postgresql+psycopg://postgres@127.0.0.1:5432/intake_bench

The database is emptied and refilled unless it already holds exactly N requests
(use --fresh to force). Never point it at a real database.
"""

import argparse
import statistics
import time

import sqlalchemy as sa

from intake import create_app
from intake.db import db
from intake.models import HelpRequest, StaffUser
from intake.ops.demo import seed_demo
from intake.staff.accounts.sessions import login_manager

BENCH_KEYS = {
    "SECRET_KEY": "bench-secret-key",
    "ENCRYPTION_KEYS": "su20xohi1vgeHqJtSnqpew6O-qSJPQwF8JwHKiMrqNQ=",
    "LOOKUP_KEY": "bench-lookup-key",
}


def generate(app, n: int) -> None:
    """``seed-demo``'s requests (intake.ops.demo), then fresh planner statistics (and,
    on PostgreSQL, the visibility map that lets counts use index-only scans), as
    autovacuum would provide in production."""
    with app.app_context():
        seed_demo(app, n)
    with app.app_context(), db.engine.connect() as conn:
        conn = conn.execution_options(isolation_level="AUTOCOMMIT")
        is_pg = db.engine.dialect.name == "postgresql"
        conn.execute(sa.text("VACUUM ANALYZE" if is_pg else "ANALYZE"))


def prepare(app, n: int, fresh: bool) -> dict[str, int]:
    with app.app_context():
        db.create_all()
        count = db.session.execute(sa.select(sa.func.count(HelpRequest.id))).scalar_one()
        staff = {u.role: u.id for u in db.session.execute(sa.select(StaffUser)).scalars()}
    if count == n and not fresh and {"reviewer", "volunteer"} <= staff.keys():
        print(f"reusing {count} requests")
        return staff
    with app.app_context():
        db.drop_all()
        db.create_all()
        users = [
            StaffUser(email=f"{role}{i}@bench.example", role=role)
            for i, role in enumerate(["reviewer", "volunteer"] * 5)
        ]
        db.session.add_all(users)
        db.session.commit()
        staff = {u.role: u.id for u in users}
    started = time.perf_counter()
    generate(app, n)
    print(f"generated {n} requests in {time.perf_counter() - started:.1f} s")
    return staff


def logged_in_client(app, user_id: int):
    client = app.test_client()
    with app.app_context():
        user = db.session.get(StaffUser, user_id)
        user_key = user.get_id()
    with app.test_request_context(environ_base=client.environ_base):
        identifier = login_manager._session_identifier_generator()
    with client.session_transaction() as s:
        s["_user_id"], s["_fresh"], s["_id"] = user_key, True, identifier
        s["staff_login_at"] = s["staff_seen_at"] = time.time()
    return client


def deep_cursor(app, position: int, **where) -> str:
    """The cursor of the row at ``position`` in queue order (as a "next" link has it)."""
    from intake.staff.cases.casework import QUEUE_ORDER, Cursor

    with app.app_context():
        query = sa.select(HelpRequest).order_by(*QUEUE_ORDER)
        for column, value in where.items():
            attr = getattr(HelpRequest, column)
            query = query.where(attr.in_(value) if isinstance(value, tuple) else attr == value)
        row = db.session.execute(query.offset(position).limit(1)).scalar_one()
        return Cursor.after(row).encode()


def measure(client, url: str, times: int) -> tuple[float, float, float]:
    """Median and 95th percentile wall-clock ms, and the median CPU ms this
    process spent per request (the app, and SQLite's own work; not PostgreSQL's
    server), which waits for no other process: on a shared, busy machine it is
    the steadier figure."""
    client.get(url)  # warm up
    samples, cpu = [], []
    for _ in range(times):
        started, cpu_started = time.perf_counter(), time.process_time()
        response = client.get(url)
        cpu.append((time.process_time() - cpu_started) * 1000)
        samples.append((time.perf_counter() - started) * 1000)
        assert response.status_code == 200, (url, response.status_code)
    samples.sort()
    return statistics.median(samples), samples[int(len(samples) * 0.95) - 1], statistics.median(cpu)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--uri", required=True, help="SQLAlchemy database URI (a scratch DB)")
    parser.add_argument("-n", type=int, default=100_000, help="requests to generate")
    parser.add_argument("--requests", type=int, default=200, help="timed requests per page")
    parser.add_argument("--fresh", action="store_true", help="regenerate even if present")
    args = parser.parse_args()

    app = create_app(
        {
            **BENCH_KEYS,
            "SQLALCHEMY_DATABASE_URI": args.uri,
            "AUTO_MIGRATE": False,
            "RATELIMIT_ENABLED": False,
            "STAFF_IDLE_MINUTES": 600,
        }
    )
    staff = prepare(app, args.n, args.fresh)
    reviewer = logged_in_client(app, staff["reviewer"])
    volunteer = logged_in_client(app, staff["volunteer"])
    half = args.n * 7 // 20  # about the middle of the open cases
    with app.app_context():
        some_reference = db.session.execute(
            sa.select(HelpRequest.reference).limit(1).offset(args.n // 2)
        ).scalar_one()
    open_ = ("new", "in_review")
    pages = [
        # What any request costs on this machine (no page, no query): read the
        # rows below against it when the machine is busy.
        ("floor: /healthz", reviewer, "/healthz"),
        ("first page (open)", reviewer, "/staff/"),
        (
            "deep page (open, ~35,000 in)",
            reviewer,
            f"/staff/?after={deep_cursor(app, half, status=open_)}",
        ),
        ("first page, all statuses", reviewer, "/staff/?status=all"),
        (
            "deep page, all statuses",
            reviewer,
            f"/staff/?status=all&after={deep_cursor(app, args.n // 2)}",
        ),
        ("filter: claim=cat", reviewer, "/staff/?claim=cat"),
        (
            "filter: language=prs (Dari) + screen",
            reviewer,
            "/staff/?language=prs&screen=needs_review",
        ),
        (
            "deep page, language=fr",
            reviewer,
            "/staff/?language=fr&after="
            + deep_cursor(app, args.n // 100, status=open_, preferred_language="fr"),
        ),
        ("filter: unassigned", reviewer, "/staff/?assignee=none"),
        ("search by reference", reviewer, f"/staff/?reference={some_reference.lower()}"),
        ("volunteer: own cases", volunteer, "/staff/"),
        # Every other filter the queue offers, and deep pages where a filter
        # fixes a column (the rarest language near its end).
        ("filter: screen=can pay (rarest)", reviewer, "/staff/?screen=screened_out_can_pay"),
        ("filter: overdue", reviewer, "/staff/?overdue=1"),
        ("filter: came through our site", reviewer, "/staff/?partner=direct"),
        ("filter: mine", reviewer, "/staff/?mine=1"),
        ("filter: assignee (a volunteer)", reviewer, f"/staff/?assignee={staff['volunteer']}"),
        ("status: accepted", reviewer, "/staff/?status=accepted"),
        (
            "deep page, status accepted",
            reviewer,
            "/staff/?status=accepted&after=" + deep_cursor(app, args.n // 10, status="accepted"),
        ),
        (
            "deep page, language=vi (near its end)",
            reviewer,
            "/staff/?language=vi&after="
            + deep_cursor(app, args.n * 3 // 1000, status=open_, preferred_language="vi"),
        ),
        (
            "deep page, volunteer's own cases",
            volunteer,
            "/staff/?after="
            + deep_cursor(app, args.n // 100, status=open_, assignee_id=staff["volunteer"]),
        ),
    ]
    dialect = sa.make_url(args.uri).get_backend_name()
    print(f"\n{args.n} requests on {dialect}; {args.requests} timed GETs per row\n")
    print(f"{'page':40} {'median ms':>10} {'p95 ms':>10} {'CPU ms':>10}")
    for label, client, url in pages:
        median, p95, cpu = measure(client, url, args.requests)
        print(f"{label:40} {median:10.1f} {p95:10.1f} {cpu:10.1f}")


if __name__ == "__main__":
    main()
