"""Measure the reports page at scale: a year of figures over 100,000 requests.

Fills a database with N ``seed-demo`` requests (default 100,000; the same
database and helpers as ``bench.queue_page``), then times ``/staff/reports/``
for the last twelve whole months through the Flask test client, logged in as an
analyst: by month and by week, for all requests and for one funder, and the
CSV. Every view counts afresh from the requests (``intake.staff.reports.queries``):
there is no cache to measure.

    python -m bench.reports_page --uri sqlite:////tmp/bench.sqlite3
    createdb -h 127.0.0.1 -U postgres intake_bench
    python -m bench.reports_page --uri postgresql+psycopg://postgres@127.0.0.1:5432/intake_bench

Never point it at a real database.
"""

import argparse

import sqlalchemy as sa

from bench.queue_page import BENCH_KEYS, logged_in_client, measure, prepare
from intake import create_app, timeutil
from intake.db import db
from intake.models import Funder, StaffUser
from intake.staff.reports.ranges import DateRange


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
        "RATELIMIT_ENABLED": False,  # the reports' own limit would refuse the timed views
        "STAFF_IDLE_MINUTES": 600,
    }
    app = create_app(settings)
    prepare(app, args.n, args.fresh)
    user = analyst_id(app)
    client = logged_in_client(app, user)
    with app.app_context():
        funder = db.session.execute(sa.select(Funder.id).order_by(Funder.id)).scalar()
    months = DateRange.default(timeutil.today()).as_form()
    year = f"from={months['from']}&to={months['to']}"
    weeks = DateRange.from_args({**months, "by": "week"}, timeutil.today()).as_form()
    pages = [
        ("floor: /healthz", client, "/healthz"),
        ("a year by month", client, f"/staff/reports/?{year}&by=month"),
        (
            "a year by week",
            client,
            f"/staff/reports/?from={weeks['from']}&to={weeks['to']}&by=week",
        ),
        ("a year, one funder", client, f"/staff/reports/?{year}&funder={funder}"),
        ("a year as CSV", client, f"/staff/reports/export.csv?{year}"),
        ("printable funder report", client, f"/staff/reports/funders/{funder}?{year}"),
    ]
    dialect = sa.make_url(args.uri).get_backend_name()
    print(f"\n{args.n} requests on {dialect}; {args.requests} timed GETs per row\n")
    # CPU: this process's (the app's and SQLite's), steadier on a busy machine.
    print(f"{'page':32} {'median ms':>10} {'p95 ms':>8} {'cpu ms':>8}")
    for name, page_client, url in pages:
        median, p95, cpu = measure(page_client, url, args.requests)
        print(f"{name:32} {median:10.1f} {p95:8.1f} {cpu:8.1f}")


if __name__ == "__main__":
    main()
