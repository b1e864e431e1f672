"""Measure the reports page at scale: a year of figures over 100,000 requests.

Fills a database with N ``seed-demo`` requests (default 100,000; the same
database and helpers as ``bench.queue_page``), then times ``/staff/reports/``
for the last 365 days through the Flask test client, logged in as an analyst:
by month and by week, for all requests and for one funder, and the CSV. Each
timed request computes the report afresh (``REPORT_CACHE_SECONDS`` 0), so the
figures are the database's work, not a cache's: the whole past months from
their tallies (``intake.staff.report_tallies``), the days around them from the
requests. One row times the view that must tally every month again (after
each month changed), and the last what a repeat view costs with the default
cache.

    python -m bench.reports_page --uri sqlite:////tmp/bench.sqlite3
    createdb -h 127.0.0.1 -U postgres intake_bench
    python -m bench.reports_page --uri postgresql+psycopg://postgres@127.0.0.1:5432/intake_bench

Never point it at a real database.
"""

import argparse
import statistics
import time
from datetime import timedelta

import sqlalchemy as sa

from bench.queue_page import BENCH_KEYS, logged_in_client, measure, prepare
from intake import create_app, timeutil
from intake.db import db
from intake.models import Funder, ReportTallied, StaffUser


def analyst_id(app) -> int:
    with app.app_context():
        found = db.session.execute(
            sa.select(StaffUser.id).where(StaffUser.role == "analyst")
        ).scalar()
        if found is None:
            user = StaffUser(email="analyst@bench.example", role="analyst")
            db.session.add(user)
            db.session.commit()
            found = user.id
        return found


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--uri", required=True, help="SQLAlchemy database URI (a scratch DB)")
    parser.add_argument("-n", type=int, default=100_000, help="requests to generate")
    parser.add_argument("--requests", type=int, default=30, help="timed requests per page")
    parser.add_argument("--fresh", action="store_true", help="regenerate even if present")
    args = parser.parse_args()

    settings = {
        **BENCH_KEYS,
        "SQLALCHEMY_DATABASE_URI": args.uri,
        "AUTO_MIGRATE": False,
        "RATELIMIT_ENABLED": False,
        "STAFF_IDLE_MINUTES": 600,
    }
    cold = create_app({**settings, "REPORT_CACHE_SECONDS": 0})
    prepare(cold, args.n, args.fresh)
    user = analyst_id(cold)
    client = logged_in_client(cold, user)
    with cold.app_context():
        funder = db.session.execute(sa.select(Funder.id).order_by(Funder.id)).scalar()
    today = timeutil.today()
    year = f"from={today - timedelta(days=364)}&to={today}"
    pages = [
        ("floor: /healthz", client, "/healthz"),
        ("a year by month", client, f"/staff/reports/?{year}&by=month"),
        ("a year by week", client, f"/staff/reports/?{year}&by=week"),
        ("a year, one funder", client, f"/staff/reports/?{year}&funder={funder}"),
        ("a year as CSV", client, f"/staff/reports/export.csv?{year}"),
        ("printable funder report", client, f"/staff/reports/funders/{funder}?{year}"),
    ]
    cached = create_app(settings)
    pages.append(
        ("a year by month, cached", logged_in_client(cached, user), f"/staff/reports/?{year}")
    )
    dialect = sa.make_url(args.uri).get_backend_name()
    print(f"\n{args.n} requests on {dialect}; {args.requests} timed GETs per row\n")
    print(f"{'page':32} {'median ms':>10} {'p95 ms':>8}")
    for name, page_client, url in pages:
        median, p95, _cpu = measure(page_client, url, args.requests)
        print(f"{name:32} {median:10.1f} {p95:8.1f}")
    median, p95 = measure_retallying(cold, client, f"/staff/reports/?{year}", 5)
    print(f"{'every month tallied again':32} {median:10.1f} {p95:8.1f}")


def measure_retallying(app, client, url: str, times: int) -> tuple[float, float]:
    """Median and slowest ms of ``url`` when no month's tallies may be used
    (as after a write to every month), each tallied again by the view."""
    samples = []
    for _ in range(times):
        with app.app_context():
            db.session.execute(sa.delete(ReportTallied))
            db.session.commit()
        started = time.perf_counter()
        assert client.get(url).status_code == 200
        samples.append((time.perf_counter() - started) * 1000)
    return statistics.median(samples), max(samples)


if __name__ == "__main__":
    main()
