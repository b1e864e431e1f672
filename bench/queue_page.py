"""Measure the staff queue page at scale.

Generates N synthetic help requests (default 100,000) straight into a database
with bulk Core inserts (the encrypted columns get one ciphertext, made once and
reused, so generation takes seconds), then times the queue page through the
Flask test client, logged in, for several pages and filters, and prints median
and 95th percentile latency.

    python bench/queue_page.py --uri sqlite:////tmp/bench.sqlite3
    createdb -h 127.0.0.1 -U postgres intake_bench
    python bench/queue_page.py --uri postgresql+psycopg://postgres@127.0.0.1:5432/intake_bench

The database is emptied and refilled unless it already holds exactly N requests
(use --fresh to force). Never point it at a real database.
"""

import argparse
import random
import statistics
import sys
import time
from datetime import timedelta
from pathlib import Path

import sqlalchemy as sa

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from intake import create_app  # noqa: E402
from intake.access import login_manager  # noqa: E402
from intake.db import db  # noqa: E402
from intake.models import HelpRequest, StaffUser  # noqa: E402
from intake.timeutil import utcnow  # noqa: E402

BENCH_KEYS = {
    "SECRET_KEY": "bench-secret-key",
    "ENCRYPTION_KEYS": "su20xohi1vgeHqJtSnqpew6O-qSJPQwF8JwHKiMrqNQ=",
    "LOOKUP_KEY": "bench-lookup-key",
}
CLAIMS = ["asylum", "withholding", "cat", "tps", "sijs", "t_visa", "u_visa", "vawa", "parole"]
LANGUAGES = [
    "Spanish",
    "French",
    "Haitian Creole",
    "Portuguese",
    "Arabic",
    "Dari",
    "Pashto",
    "Russian",
    "Ukrainian",
    "Mandarin",
    "Tigrinya",
    "English",
]
STATUSES = ["new"] * 5 + ["in_review"] * 2 + ["accepted", "referred", "declined"]
SCREENS = (
    ["eligible"] * 6 + ["needs_review"] * 2 + ["screened_out_represented", "screened_out_can_pay"]
)
URGENCIES = [("critical", 0)] + [("high", 1)] * 3 + [("normal", 2)] * 6
CROCKFORD = "0123456789ABCDEFGHJKMNPQRSTVWXYZ"


def plain_table():
    """help_request with plain Text in place of the Encrypted type: the rows
    carry ready-made ciphertext, so nothing is encrypted per row."""
    table = HelpRequest.__table__
    return sa.table(
        table.name,
        *(sa.column(c.name, sa.Text if c.name in ENCRYPTED else c.type) for c in table.columns),
    )


ENCRYPTED = (
    "name",
    "nationality",
    "phone",
    "email",
    "monthly_income",
    "detention_facility",
    "summary",
)


def generate(app, n: int, staff_ids: list[int], seed: int = 4) -> None:
    rng = random.Random(seed)  # noqa: S311 - synthetic data, reproducible
    with app.app_context():
        ring = app.extensions["intake.keyring"]
        name, nationality = ring.encrypt("Bench Applicant"), ring.encrypt("Bench Nationality")
        now = utcnow()
        table = plain_table()
        references = set()
        batch = []
        for _ in range(n):
            ref = "".join(rng.choices(CROCKFORD, k=8))
            while ref in references:
                ref = "".join(rng.choices(CROCKFORD, k=8))
            references.add(ref)
            urgency, rank = rng.choice(URGENCIES)
            created = now - timedelta(seconds=rng.randrange(0, 2 * 365 * 86400))
            claims = rng.sample(CLAIMS, rng.choice((1, 1, 2, 3)))
            batch.append(
                {
                    "reference": ref,
                    "created_at": created,
                    "updated_at": created,
                    "version": 1,
                    "status": rng.choice(STATUSES),
                    "assignee_id": rng.choice(staff_ids) if rng.random() < 0.2 else None,
                    "screen": rng.choice(SCREENS),
                    "screen_override": None,
                    "urgency": urgency,
                    "urgency_rank": rank,
                    "reasons": "[]",
                    "flags": "[]",
                    "income_percent": rng.randrange(0, 400),
                    "guideline_year": 2026,
                    "filing_deadline": None,
                    "hearing_date": None,
                    "represented": "no",
                    "can_pay": "no",
                    "household_size": rng.randrange(1, 8),
                    "claim_types": " " + " ".join(claims) + " ",
                    "detained": urgency == "critical",
                    "hearing": "no",
                    "arrival_year": 2025,
                    "arrival_month": 1,
                    "arrival_day": None,
                    "i589_filed": "no",
                    "minor": False,
                    "state": "NY",
                    "preferred_language": rng.choice(LANGUAGES),
                    "safe_to_message": "no",
                    "interface_language": "en",
                    "source": "",
                    "submission_key": None,
                    "name": name,
                    "nationality": nationality,
                    "phone": None,
                    "email": None,
                    "monthly_income": None,
                    "detention_facility": None,
                    "summary": None,
                    "phone_hash": f"{rng.randrange(n):064x}",
                    "email_hash": None,
                }
            )
            if len(batch) == 5000:
                db.session.execute(sa.insert(table), batch)
                batch = []
        if batch:
            db.session.execute(sa.insert(table), batch)
        db.session.commit()
    # Fresh planner statistics (and, on PostgreSQL, the visibility map that lets
    # counts use index-only scans), as autovacuum would provide in production.
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
        ids = [u.id for u in users]
    started = time.perf_counter()
    generate(app, n, ids)
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
    from intake.casework import Cursor

    with app.app_context():
        query = sa.select(HelpRequest).order_by(
            HelpRequest.urgency_rank, HelpRequest.created_at, HelpRequest.id
        )
        for column, value in where.items():
            attr = getattr(HelpRequest, column)
            query = query.where(attr.in_(value) if isinstance(value, tuple) else attr == value)
        row = db.session.execute(query.offset(position).limit(1)).scalar_one()
        return Cursor.after(row).encode()


def measure(client, url: str, times: int) -> tuple[float, float]:
    client.get(url)  # warm up
    samples = []
    for _ in range(times):
        started = time.perf_counter()
        response = client.get(url)
        samples.append((time.perf_counter() - started) * 1000)
        assert response.status_code == 200, (url, response.status_code)
    samples.sort()
    return statistics.median(samples), samples[int(len(samples) * 0.95) - 1]


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
        ("filter: language=Dari + screen", reviewer, "/staff/?language=Dari&screen=needs_review"),
        (
            "deep page, language=French",
            reviewer,
            "/staff/?language=French&after="
            + deep_cursor(app, args.n // 40, status=open_, preferred_language="French"),
        ),
        ("filter: unassigned", reviewer, "/staff/?assignee=none"),
        ("search by reference", reviewer, f"/staff/?reference={some_reference.lower()}"),
        ("volunteer: own cases", volunteer, "/staff/"),
    ]
    dialect = sa.make_url(args.uri).get_backend_name()
    print(f"\n{args.n} requests on {dialect}; {args.requests} timed GETs per row\n")
    print(f"{'page':40} {'median ms':>10} {'p95 ms':>10}")
    for label, client, url in pages:
        median, p95 = measure(client, url, args.requests)
        print(f"{label:40} {median:10.1f} {p95:10.1f}")


if __name__ == "__main__":
    main()
