"""The benchmark, in one command: the app against the framework's floor, on
SQLite and on PostgreSQL, under gunicorn, driven by wrk.

    python -m bench.run                 # both databases, 10 s per wrk run
    python -m bench.run --quick         # 3 s per run
    python -m bench.run --rounds 5      # five rounds of each page and its floor (default 3)
    python -m bench.run --no-postgres   # SQLite only
    python -m bench.run --rebuild       # re-seed the cached 100,000-request databases

(from the repository root: it starts its servers with the test suite's
launcher, tests/support/servers.py).

For each database it copies a cached seeded database (the bundled release, a
reviewer with a known password and TOTP secret, and ``seed-demo`` requests;
built on first use), starts the app (``intake.wsgi``) and the floor
(``bench/floor.py``) with the test suite's launcher (``Gunicorn``: the
repository's gunicorn.conf.py) and the same worker count, in production mode
with benchmark keys and the per-client form limit raised (wrk's connections
share one address), then runs wrk against:
the release page and the form (against the floor's GET), a full submission
(``bench/submit.lua``: GET the form, POST it with its token; against the floor's
one-INSERT POST), in rounds (``--rounds``, each page and its floor once a round,
the verdict the median of the rounds' ratios), and the staff queue logged in
through the real login. It
checks that every submission wrk counted is in the database, weighs the pages
(gzipped, with their CSS and scripts), records each worker's peak resident
memory (VmHWM, sampled during the run, since gunicorn recycles workers), prints
a table and a PASS/MISS line per target, and exits 1 on a MISS.
"""

import argparse
import os
import re
import shutil
import statistics
import subprocess
import sys
import threading
import time
from dataclasses import dataclass, field
from pathlib import Path

from bench.floor import create_table
from bench.weight import weigh
from tests.support import ROOT
from tests.support.servers import Gunicorn, get, post
from tests.support.tokens import csrf_token

BENCH = ROOT / "bench"

WRK = shutil.which("wrk") or "/usr/bin/wrk"
KEYS = {  # benchmark-only keys: never use them for real data
    "INTAKE_SECRET_KEY": "bench-secret-key-not-for-production",
    "INTAKE_ENCRYPTION_KEYS": "su20xohi1vgeHqJtSnqpew6O-qSJPQwF8JwHKiMrqNQ=",
    "INTAKE_LOOKUP_KEY": "bench-lookup-key",
    "INTAKE_CONFLICT_KEY": "bench-conflict-key",
    "INTAKE_STATUS_CODE_KEY": "bench-status-code-key",
}
# The form's per-client limit (HELP_RATE_LIMIT) would stop wrk, whose
# connections all come from 127.0.0.1, after 10; the limiter stays on.
HELP_RATE_LIMIT = "1000000 per second"
STAFF_EMAIL = "reviewer@bench.example"
STAFF_PASSWORD = "bench reviewer passphrase"  # noqa: S105 - benchmark account
STAFF_TOTP = "JBSWY3DPEHPK3PXPJBSWY3DPEHPK3PXP"
RELEASE_PATH = "/press/russian-delegation-visit-to-syria-viewed-with-skepticism"
DEFAULT_PG = "postgresql+psycopg://postgres@127.0.0.1:5432"
DEFAULT_REDIS = "redis://127.0.0.1:6379/0"

# The targets the app must meet (docs/benchmarks.md lists them).
RELEASE_RATIO = 0.8
FORM_RATIO = 0.7
SUBMISSION_RATIO = 0.5
QUEUE_P95_MS = 50.0
RELEASE_GZ = 14_000
FORM_GZ = 20_000
WORKER_RSS_MB = 80.0


# --- wrk ----------------------------------------------------------------------


@dataclass
class WrkResult:
    requests: int = 0
    rps: float = 0.0
    p50: float = 0.0  # milliseconds
    p95: float = 0.0
    p99: float = 0.0
    non_2xx: int = 0
    socket_errors: int = 0
    extra: dict = field(default_factory=dict)  # what a script's done() printed


_UNITS = {"us": 0.001, "ms": 1.0, "s": 1000.0, "m": 60_000.0}


def to_ms(text: str) -> float:
    """wrk's "812.00us", "1.23ms", "2.01s" as milliseconds."""
    match = re.fullmatch(r"([0-9.]+)(us|ms|s|m)", text.strip())
    if not match:
        raise ValueError(f"not a wrk duration: {text!r}")
    return float(match[1]) * _UNITS[match[2]]


def parse_wrk(output: str) -> WrkResult:
    """The numbers of a ``wrk --latency`` run (plus KEY value pairs a script printed)."""
    result = WrkResult()
    if match := re.search(r"^\s*(\d+) requests in", output, re.M):
        result.requests = int(match[1])
    if match := re.search(r"^Requests/sec:\s*([0-9.]+)", output, re.M):
        result.rps = float(match[1])
    for percent, name in ((50, "p50"), (99, "p99")):
        if match := re.search(rf"^\s*{percent}%\s+(\S+)", output, re.M):
            setattr(result, name, to_ms(match[1]))
    if match := re.search(r"Non-2xx or 3xx responses:\s*(\d+)", output):
        result.non_2xx = int(match[1])
    if match := re.search(
        r"Socket errors: connect (\d+), read (\d+), write (\d+), timeout (\d+)", output
    ):
        result.socket_errors = sum(int(g) for g in match.groups())
    for line in output.splitlines():
        if line.startswith("SUBMITTED "):
            words = line.split()
            result.extra = {k: int(v) for k, v in zip(words[::2], words[1::2], strict=True)}
    return result


P95_SCRIPT = BENCH / "p95.lua"


def run_wrk(
    url: str,
    *,
    duration: float,
    connections: int,
    script: Path | None = None,
    script_args: tuple[str, ...] = (),
    headers: tuple[str, ...] = (),
) -> WrkResult:
    """One wrk run. p95 comes from the latency histogram through a done() hook
    (wrk --latency prints 50/75/90/99 only); a script with its own done() gives
    it through ``extra`` instead."""
    threads = max(1, min(2, connections))
    command = [WRK, f"-t{threads}", f"-c{connections}", f"-d{duration}s", "--latency"]
    for header in headers:
        command += ["-H", header]
    command += ["-s", str(script or P95_SCRIPT), url]
    if script_args:
        command += ["--", *script_args]
    output = subprocess.run(command, capture_output=True, text=True, check=True).stdout  # noqa: S603
    result = parse_wrk(output)
    if match := re.search(r"^P95_US (\d+)", output, re.M):
        result.p95 = int(match[1]) / 1000
    if "P95_US" in result.extra:
        result.p95 = result.extra["P95_US"] / 1000
    return result


# --- servers ------------------------------------------------------------------


def children(pid: int) -> list[int]:
    try:
        text = Path(f"/proc/{pid}/task/{pid}/children").read_text()
    except OSError:
        return []
    return [int(p) for p in text.split()]


def vm_kb(pid: int, name: str, file: str = "status") -> int | None:
    """A "Name: N kB" line of /proc/<pid>/status (or smaps_rollup, for Pss)."""
    try:
        for line in Path(f"/proc/{pid}/{file}").read_text().splitlines():
            if line.startswith(name + ":"):
                return int(line.split()[1])
    except OSError:
        return None
    return None


class Server(Gunicorn):
    """The test suite's gunicorn (the repository's gunicorn.conf.py, a port of its
    own), with a sampler of its workers' peak RSS while it runs."""

    def __init__(self, name: str, app: str, env: dict, workers: int, log_dir: Path):
        log = log_dir / f"{name}.log"
        log.unlink(missing_ok=True)  # this run's output only
        environment = {**os.environ, **env, "PYTHONPATH": str(ROOT)}
        super().__init__(environment, log, workers=workers, app=app)
        self.name = name
        self.peak_kb: dict[int, int] = {}  # worker pid -> VmHWM
        self.rss_kb: dict[int, int] = {}  # worker pid -> VmRSS when last seen
        self.pss_kb: dict[int, int] = {}  # worker pid -> Pss (shared pages split) last seen
        self.final_mb = (0.0, 0.0, 0.0)
        self._stop = threading.Event()
        self._sampler = threading.Thread(target=self._sample, daemon=True)

    def start(self, ready_path: str = RELEASE_PATH, timeout: float = 60) -> "Server":
        super().start(ready_path, timeout)
        self._sampler.start()
        return self

    def _sample(self) -> None:
        while not self._stop.is_set():
            self.sample()
            self._stop.wait(0.25)

    def sample(self) -> None:
        for pid in children(self.process.pid):
            peak, resident = vm_kb(pid, "VmHWM"), vm_kb(pid, "VmRSS")
            if peak and resident:
                self.peak_kb[pid] = max(peak, self.peak_kb.get(pid, 0))
                self.rss_kb[pid] = resident
                self.pss_kb[pid] = vm_kb(pid, "Pss", "smaps_rollup") or 0

    def stop(self) -> None:
        if self.process is not None:
            self.sample()
            self.final_mb = self.memory_mb()
        self._stop.set()
        super().stop()

    def memory_mb(self) -> tuple[float, float, float]:
        """(largest resident size of a worker at the end of the run, its
        proportional share (Pss: pages shared with the master and the other
        workers counted in part), largest peak (VmHWM) of any worker during the
        run), in MB."""
        live = [p for p in children(self.process.pid) if p in self.rss_kb] or list(self.rss_kb)
        rss = max((self.rss_kb[p] for p in live), default=0)
        pss = max((self.pss_kb.get(p, 0) for p in live), default=0)
        return rss / 1024, pss / 1024, max(self.peak_kb.values(), default=0) / 1024


def session_cookie(response) -> str:
    for value in response.headers.get("set-cookie", "").split("\n"):
        if value.startswith("session="):
            return value.split(";", 1)[0]
    raise RuntimeError("no session cookie")


def staff_login(base: str) -> str:
    """Log the benchmark reviewer in through /staff/login; returns the Cookie header."""
    from intake.staff.accounts import second_factor

    form = get(base + "/staff/login")
    cookie = session_cookie(form)
    response = post(
        base + "/staff/login",
        {
            "csrf_token": csrf_token(form.text),
            "email": STAFF_EMAIL,
            "password": STAFF_PASSWORD,
            "code": second_factor.code_for(STAFF_TOTP, second_factor.current_step()),
        },
        headers={"Cookie": cookie},
    )
    if response.status != 302:
        raise RuntimeError(f"staff login failed: {response.status}")
    cookie = session_cookie(response)
    queue = get(base + "/staff/", headers={"Cookie": cookie})
    if queue.status != 200 or "queue" not in queue.text.lower():
        raise RuntimeError(f"staff queue not reachable after login: {queue.status}")
    return cookie


# --- databases ----------------------------------------------------------------


def seed_env(uri: str) -> dict:
    return {**os.environ, **KEYS, "INTAKE_SQLALCHEMY_DATABASE_URI": uri, "PYTHONPATH": str(ROOT)}


def build_seed(uri: str, count: int) -> None:
    """Schema, the bundled release, the reviewer, and ``count`` demo requests."""
    started = time.perf_counter()
    subprocess.run(  # noqa: S603 - our own command line
        [sys.executable, "-m", "flask", "--app", "intake", "seed-demo", str(count)],
        cwd=ROOT,
        env=seed_env(uri),
        check=True,
    )
    from intake import create_app
    from intake.db import db
    from intake.models import StaffUser
    from intake.staff.accounts import passwords

    app = create_app(
        {
            "SQLALCHEMY_DATABASE_URI": uri,
            "AUTO_MIGRATE": False,
            **{k.removeprefix("INTAKE_"): v for k, v in KEYS.items()},
        }
    )
    with app.app_context():
        db.session.add(
            StaffUser(
                email=STAFF_EMAIL,
                role="reviewer",
                password_hash=passwords.hash_password(STAFF_PASSWORD),
                totp_secret=STAFF_TOTP,
            )
        )
        db.session.commit()
        with db.engine.connect() as conn:
            conn = conn.execution_options(isolation_level="AUTOCOMMIT")
            is_pg = db.engine.dialect.name == "postgresql"
            # Planner statistics (and PostgreSQL's visibility map), as autovacuum
            # would have them in production.
            conn.execute(db.text("VACUUM ANALYZE" if is_pg else "ANALYZE"))
        db.engine.dispose()
    print(f"  seeded {count} requests in {time.perf_counter() - started:.0f} s")


def count_rows(uri: str, sql: str) -> int:
    import sqlalchemy as sa

    engine = sa.create_engine(uri)
    try:
        with engine.connect() as conn:
            return conn.execute(sa.text(sql)).scalar_one()
    finally:
        engine.dispose()


def schema_head() -> str:
    """The newest migration: the seeds are cached per schema, so a seed made
    before a migration is never benchmarked against code that needs it."""
    from alembic.script import ScriptDirectory

    from intake.db import MIGRATIONS

    return ScriptDirectory(MIGRATIONS).get_current_head()[:24]


class SqliteDatabases:
    name = "sqlite"

    def __init__(self, cache: Path, count: int, rebuild: bool, run_dir: Path):
        seed = cache / f"seed-{count}-{schema_head()}.sqlite3"
        if rebuild or not seed.exists():
            print(f"building the SQLite seed {seed} ...")
            seed.unlink(missing_ok=True)
            build_seed(f"sqlite:///{seed}", count)
        self.app_file = run_dir / "app.sqlite3"
        shutil.copyfile(seed, self.app_file)
        self.app_uri = f"sqlite:///{self.app_file}"
        self.floor_uri = f"sqlite:///{run_dir / 'floor.sqlite3'}"

    def drop(self) -> None:
        pass  # the run folder is removed with the rest


class PostgresDatabases:
    """A fresh database per run, copied from a cached seeded template; dropped after."""

    name = "postgresql"

    def __init__(self, server: str, count: int, rebuild: bool):
        import psycopg

        self.server = server
        self.admin = psycopg.connect(
            server.replace("postgresql+psycopg", "postgresql") + "/postgres", autocommit=True
        )
        seed = f"intake_bench_seed_{count}_{schema_head()}"
        # Named per run: another run on the same server must not drop these.
        self.run_db = f"intake_bench_run_{os.getpid()}"
        self.floor_db = f"intake_bench_floor_{os.getpid()}"
        exists = self.admin.execute(
            "SELECT 1 FROM pg_database WHERE datname = %s", (seed,)
        ).fetchone()
        if rebuild or not exists:
            print(f"building the PostgreSQL seed database {seed} ...")
            self.admin.execute(f'DROP DATABASE IF EXISTS "{seed}"')
            self.admin.execute(f'CREATE DATABASE "{seed}"')
            try:
                build_seed(f"{server}/{seed}", count)
            except BaseException:
                self.admin.execute(f'DROP DATABASE IF EXISTS "{seed}"')
                raise
        for name in (self.run_db, self.floor_db):
            self.admin.execute(f'DROP DATABASE IF EXISTS "{name}"')
        self.admin.execute(f'CREATE DATABASE "{self.run_db}" TEMPLATE "{seed}"')
        self.admin.execute(f'CREATE DATABASE "{self.floor_db}"')
        self.app_uri = f"{server}/{self.run_db}"
        self.floor_uri = f"{server}/{self.floor_db}"

    def drop(self) -> None:
        for name in (self.run_db, self.floor_db):
            self.admin.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        self.admin.close()


# --- the run ------------------------------------------------------------------


@dataclass
class Row:
    page: str
    db: str
    result: WrkResult
    floor: str | None = None  # the label of the row this one is a ratio of
    note: str = ""
    unit: str = "req/s"
    rounds: list[float] = field(default_factory=list)  # each round's rate, in order

    @property
    def rate(self) -> float:
        return self.result.rps


@dataclass
class Report:
    rows: list[Row] = field(default_factory=list)
    weights: dict[str, int] = field(default_factory=dict)  # page -> gzipped bytes
    # server -> (RSS at the end, Pss at the end, VmHWM peak) in MB
    rss: dict[str, tuple[float, float, float]] = field(default_factory=dict)
    checks: list[tuple[str, bool, str]] = field(default_factory=list)

    def find(self, page: str, db: str) -> Row | None:
        return next((r for r in self.rows if r.page == page and r.db == db), None)

    def round_ratios(self, row: Row) -> list[float]:
        """The row's rate over its floor's, round by round (each round measures
        both, one after the other, so a disturbance hits a pair, not one side)."""
        floor = self.find(row.floor, row.db) if row.floor else None
        if floor is None:
            return []
        if row.rounds and len(row.rounds) == len(floor.rounds):
            pairs = zip(row.rounds, floor.rounds, strict=True)
            return [rate / base for rate, base in pairs if base]
        return [row.rate / floor.rate] if floor.rate else []

    def ratio(self, row: Row) -> float | None:
        """The median of the rounds' ratios: the verdict."""
        ratios = self.round_ratios(row)
        return statistics.median(ratios) if ratios else None


def limit_storage(redis_uri: str | None) -> dict[str, str]:
    """The app's rate-limit counters: in Redis, as production keeps them when
    several workers share one limit (under a prefix of this run's own), or in
    each worker's memory with ``--no-redis``."""
    if not redis_uri:
        return {}
    return {
        "INTAKE_RATELIMIT_STORAGE_URI": redis_uri,
        "INTAKE_RATELIMIT_KEY_PREFIX": f"intake-bench-{os.getpid()}",
    }


def measure_database(dbs, args, report: Report, run_dir: Path) -> None:
    engine = dbs.name
    app_env = {
        **KEYS,
        "INTAKE_PRODUCTION": "true",
        "INTAKE_HELPLINE_PHONE": "none",
        "INTAKE_TRUSTED_HOSTS": "localhost,127.0.0.1",
        "INTAKE_PUBLIC_BASE_URL": "http://127.0.0.1",
        "INTAKE_AUTO_MIGRATE": "false",
        "INTAKE_SQLALCHEMY_DATABASE_URI": dbs.app_uri,
        "INTAKE_HELP_RATE_LIMIT": HELP_RATE_LIMIT,
        **limit_storage(args.redis),
    }
    floor_env = {"FLOOR_DATABASE_URI": dbs.floor_uri, "FLOOR_RELEASE_URI": dbs.app_uri}
    logs = run_dir.parent / "logs"  # kept after the run, for a server that failed
    logs.mkdir(exist_ok=True)
    app = Server(f"app-{engine}", "intake.wsgi:app", app_env, args.workers, logs)
    create_table(dbs.floor_uri)
    floor = Server(f"floor-{engine}", "bench.floor:create_app()", floor_env, args.workers, logs)
    servers = (app, floor)
    try:
        app.start()
        floor.start()
        cookie = staff_login(app.url)
        if engine == "sqlite" or not report.weights:
            weigh_pages(app, cookie, report)
        before = count_rows(dbs.app_uri, SUBMITTED_SQL)
        wrk = dict(duration=args.duration, connections=args.connections)
        warm = dict(duration=1, connections=args.connections)
        for server, path in ((floor, RELEASE_PATH), (app, RELEASE_PATH), (app, "/help")):
            run_wrk(server.url + path, **warm)  # workers up, caches filled
        plan = [
            ("floor GET (bare Flask)", None, lambda: run_wrk(floor.url + RELEASE_PATH, **wrk)),
            # The app's fixed cost per request (hooks, limiter, log, headers), no page.
            (
                "app /healthz (no page)",
                "floor GET (bare Flask)",
                lambda: run_wrk(app.url + "/healthz", **wrk),
            ),
            (
                "release page",
                "floor GET (bare Flask)",
                lambda: run_wrk(app.url + RELEASE_PATH, **wrk),
            ),
            (
                "form GET /help",
                "floor GET (bare Flask)",
                lambda: run_wrk(app.url + "/help", **wrk),
            ),
            (
                "storage floor POST",
                None,
                lambda: run_wrk(floor.url + "/floor/insert", script=BENCH / "post.lua", **wrk),
            ),
            (
                "full submission",
                "storage floor POST",
                lambda: run_wrk(
                    app.url + "/help",
                    script=BENCH / "submit.lua",
                    script_args=("check",) if args.with_check else (),
                    **wrk,
                ),
            ),
            (
                f"staff queue ({args.requests:,})",
                None,
                lambda: run_wrk(
                    app.url + "/staff/",
                    duration=args.duration,
                    connections=args.queue_connections,
                    headers=(f"Cookie: {cookie}",),
                ),
            ),
        ]
        # The pages measured against a floor go in rounds (each round runs every
        # floor and page once, one after another), so drift on a shared machine
        # (another process, a checkpoint) reaches both sides of a ratio alike.
        # The queue, measured against a bound, goes once.
        measured: dict[str, list[WrkResult]] = {}
        rounds = [plan[:-1]] * args.rounds + [plan[-1:]]
        for number, round_plan in enumerate(rounds, 1):
            for page, _floor_page, go in round_plan:
                which = f" (round {number} of {args.rounds})" if number <= args.rounds else ""
                print(f"  {engine}: {page}{which} ...", flush=True)
                result = go()
                if page == "full submission":
                    seconds = result.extra.get("DURATION_US", 1) / 1e6
                    result.rps = result.extra.get("SUBMITTED", 0) / seconds
                measured.setdefault(page, []).append(result)
        for page, floor_page, _go in plan:
            results = measured[page]
            median = sorted(results, key=lambda r: r.rps)[(len(results) - 1) // 2]
            row = Row(page, engine, median, floor_page, rounds=[r.rps for r in results])
            if page == "full submission":
                row.unit = "subm/s"
                submitted = sum(r.extra.get("SUBMITTED", 0) for r in results)
                failed = sum(r.extra.get("FAILED", 0) for r in results)
                stored = count_rows(dbs.app_uri, SUBMITTED_SQL) - before
                # answers wrk had not read when each round stopped
                in_flight = args.connections * len(results)
                ok = submitted <= stored <= submitted + in_flight and submitted > 0
                report.checks.append(
                    (
                        f"{engine}: submissions stored = counted by wrk",
                        ok,
                        f"{stored} rows, wrk saw {submitted} confirmations "
                        f"(+ up to {in_flight} in flight), {failed} failed",
                    )
                )
            if page == "storage floor POST":
                stored = count_rows(dbs.floor_uri, "SELECT count(*) FROM floor_request")
                done = sum(r.requests for r in results)
                slack = 2 * args.connections * len(results)
                report.checks.append(
                    (
                        f"{engine}: storage floor rows = wrk requests",
                        done <= stored <= done + slack,
                        f"{stored} rows, wrk completed {done}",
                    )
                )
            report.rows.append(row)
    finally:
        for server in servers:
            server.stop()
        report.rss[app.name] = app.final_mb
        report.rss[floor.name] = floor.final_mb


SUBMITTED_SQL = "SELECT count(*) FROM help_request WHERE submission_key NOT LIKE 'demo:%'"


def weigh_pages(app: Server, cookie: str, report: Report) -> None:
    def fetch(path: str, cookie: str | None = None) -> bytes:
        response = get(app.url + path, headers={"Cookie": cookie} if cookie else None)
        if response.status != 200:
            raise RuntimeError(f"{path}: {response.status}")
        return response.body

    report.weights["release page"] = weigh(fetch, RELEASE_PATH)[2]
    report.weights["form /help"] = weigh(fetch, "/help")[2]
    report.weights["staff queue"] = weigh(lambda p: fetch(p, cookie), "/staff/")[2]


def targets(report: Report) -> list[tuple[str, bool, str]]:
    """(target, met, measured) for each target."""
    out = []
    for row in report.rows:
        ratio = report.ratio(row)
        if row.page == "release page":
            out.append(
                (
                    f"{row.db}: release ≥ {RELEASE_RATIO}× floor req/s",
                    ratio >= RELEASE_RATIO,
                    f"{ratio:.2f}×",
                )
            )
        if row.page == "form GET /help":
            out.append(
                (
                    f"{row.db}: form ≥ {FORM_RATIO}× floor req/s",
                    ratio >= FORM_RATIO,
                    f"{ratio:.2f}×",
                )
            )
        if row.page == "full submission":
            out.append(
                (
                    f"{row.db}: submission ≥ {SUBMISSION_RATIO}× storage floor",
                    ratio >= SUBMISSION_RATIO,
                    f"{ratio:.2f}×",
                )
            )
        if row.page.startswith("staff queue"):
            out.append(
                (
                    f"{row.db}: queue p95 ≤ {QUEUE_P95_MS:.0f} ms",
                    row.result.p95 <= QUEUE_P95_MS,
                    f"{row.result.p95:.1f} ms",
                )
            )
    if "release page" in report.weights:
        size = report.weights["release page"]
        out.append(
            (f"release page ≤ {RELEASE_GZ // 1000} KB gzipped", size <= RELEASE_GZ, f"{size:,} B")
        )
        size = report.weights["form /help"]
        out.append((f"form page ≤ {FORM_GZ // 1000} KB gzipped", size <= FORM_GZ, f"{size:,} B"))
    for name, (mb, _pss, _peak) in report.rss.items():
        if name.startswith("app-"):
            out.append(
                (
                    f"{name}: worker RSS after the run ≤ {WORKER_RSS_MB:.0f} MB",
                    0 < mb <= WORKER_RSS_MB,
                    f"{mb:.1f} MB",
                )
            )
    return out


def render(report: Report, args) -> str:
    lines = [
        f"{'page / endpoint':<28} {'db':<10} {'rate':>9} {'unit':<6} {'p50 ms':>7} {'p95 ms':>7} "
        f"{'p99 ms':>7} {'vs floor':>8} {'errors':>6}  each round"
    ]
    for row in report.rows:
        ratio = report.ratio(row)
        errors = row.result.non_2xx + row.result.socket_errors + row.result.extra.get("FAILED", 0)
        if ratio is not None:
            each = " ".join(f"{r:.2f}×" for r in report.round_ratios(row))
        else:  # a floor (or the queue): its own rate, round by round
            each = " ".join(f"{r:.0f}" for r in row.rounds) if len(row.rounds) > 1 else ""
        lines.append(
            f"{row.page:<28} {row.db:<10} {row.rate:>9.1f} {row.unit:<6} {row.result.p50:>7.1f} "
            f"{row.result.p95:>7.1f} {row.result.p99:>7.1f} "
            f"{(f'{ratio:.2f}×' if ratio is not None else ''):>8} {errors:>6}  {each}".rstrip()
        )
    lines.append(
        "(a row's figures are its median round's; vs floor is the median of its rounds' ratios)"
    )
    lines.append("")
    lines.append(
        "gzipped bytes (HTML + its CSS and scripts): "
        + ", ".join(f"{page} {size:,}" for page, size in report.weights.items())
    )
    lines.append(
        "worker memory, MB (largest RSS at the end / its Pss / largest VmHWM peak in the run): "
        + ", ".join(
            f"{name} {end:.1f} / {pss:.1f} / {peak:.1f}"
            for name, (end, pss, peak) in report.rss.items()
        )
    )
    lines.append(
        "  (an app worker's peak includes the 64 MiB Argon2 allocation of the staff login)"
    )
    lines.append("")
    for name, ok, detail in report.checks:
        lines.append(f"{'OK  ' if ok else 'FAIL'} {name}: {detail}")
    for name, ok, detail in targets(report):
        lines.append(f"{'PASS' if ok else 'MISS'} {name}: {detail}")
    return "\n".join(lines)


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--duration", type=float, default=10, help="seconds per wrk run")
    parser.add_argument("--connections", type=int, default=8, help="wrk connections (public pages)")
    parser.add_argument(
        "--queue-connections",
        type=int,
        help="wrk connections for the staff queue (default: one per worker)",
    )
    parser.add_argument("--workers", type=int, default=2, help="gunicorn workers per server")
    parser.add_argument("--requests", type=int, default=100_000, help="seeded help requests")
    parser.add_argument(
        "--rounds", type=int, default=3, help="rounds of the pages measured against a floor"
    )
    parser.add_argument("--quick", action="store_true", help="3 s per wrk run")
    parser.add_argument("--rebuild", action="store_true", help="re-seed the cached databases")
    parser.add_argument("--no-postgres", action="store_true", help="SQLite only")
    parser.add_argument(
        "--postgres", default=DEFAULT_PG, help="PostgreSQL server URI (no database)"
    )
    parser.add_argument(
        "--redis", default=DEFAULT_REDIS, help="Redis for the app's rate-limit counters"
    )
    parser.add_argument(
        "--no-redis", action="store_true", help="rate-limit counters in each worker's memory"
    )
    parser.add_argument(
        "--with-check", action="store_true", help="submission also POSTs /help/check"
    )
    parser.add_argument(
        "--cache", type=Path, default=ROOT / "instance" / "bench", help="seed cache"
    )
    args = parser.parse_args(argv)
    if args.quick:
        args.duration = min(args.duration, 3)
    args.queue_connections = args.queue_connections or args.workers
    if args.no_redis:
        args.redis = None
    args.cache.mkdir(parents=True, exist_ok=True)
    run_dir = args.cache / f"run-{os.getpid()}"
    run_dir.mkdir()
    print(
        f"benchmark: {args.workers} gunicorn workers per server (gunicorn.conf.py), wrk "
        f"{args.duration:g} s per run, {args.rounds} rounds, {args.connections} connections "
        f"({args.queue_connections} for the queue), {args.requests:,} seeded requests, "
        f"{os.cpu_count()} CPUs\napp: INTAKE_PRODUCTION=true; HELP_RATE_LIMIT raised to "
        f"{HELP_RATE_LIMIT!r} (the form's per-client limit would stop wrk after 10); "
        f"rate-limit counters in {args.redis or 'each worker memory'}"
    )
    report = Report()
    try:
        engines = [lambda: SqliteDatabases(args.cache, args.requests, args.rebuild, run_dir)]
        if not args.no_postgres:
            engines.append(lambda: PostgresDatabases(args.postgres, args.requests, args.rebuild))
        for make in engines:
            dbs = make()
            try:
                measure_database(dbs, args, report, run_dir)
            finally:
                dbs.drop()
    finally:
        shutil.rmtree(run_dir, ignore_errors=True)
        print()
        print(render(report, args))
    failed = [t for t in targets(report) if not t[1]] + [c for c in report.checks if not c[1]]
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
