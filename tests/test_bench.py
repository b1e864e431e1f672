"""The benchmark's pieces, cheaply: wrk output parsing, the submission script
against a live app (a second of wrk), the floor app, and the verdicts. The full
benchmark (gunicorn, 100,000 requests, minutes) is run by hand: python -m bench.run."""

import subprocess
import sys

import sqlalchemy as sa

from bench import floor, run
from intake.db import db
from intake.models import HelpRequest
from tests.support import ROOT
from tests.support.servers import get

WRK_OUTPUT = """\
Running 3s test @ http://127.0.0.1:40000/help
  2 threads and 8 connections
  Thread Stats   Avg      Stdev     Max   +/- Stdev
    Latency    12.51ms    3.02ms  40.11ms   80.00%
    Req/Sec   320.12     20.50   360.00     70.00%
  Latency Distribution
     50%  812.00us
     75%   14.20ms
     90%   16.80ms
     99%    1.02s
  1915 requests in 3.01s, 12.34MB read
  Socket errors: connect 0, read 2, write 0, timeout 1
  Non-2xx or 3xx responses: 4
Requests/sec:    636.21
Transfer/sec:      4.10MB
SUBMITTED 950 FAILED 4 PAGES 1915 DURATION_US 3010000 P95_US 17500
"""


def test_wrk_output_is_read_with_units_and_the_scripts_counts():
    result = run.parse_wrk(WRK_OUTPUT)
    assert result.requests == 1915 and result.rps == 636.21
    assert (result.p50, result.p99) == (0.812, 1020.0)
    assert (result.non_2xx, result.socket_errors) == (4, 3)
    assert result.extra == {
        "SUBMITTED": 950,
        "FAILED": 4,
        "PAGES": 1915,
        "DURATION_US": 3_010_000,
        "P95_US": 17_500,
    }


def test_verdicts_compare_each_row_with_its_floor():
    report = run.Report()
    report.rows = [
        run.Row("floor GET (bare Flask)", "sqlite", run.WrkResult(rps=1000)),
        run.Row("release page", "sqlite", run.WrkResult(rps=850), "floor GET (bare Flask)"),
        run.Row("form GET /help", "sqlite", run.WrkResult(rps=650), "floor GET (bare Flask)"),
        run.Row("storage floor POST", "sqlite", run.WrkResult(rps=400)),
        run.Row("full submission", "sqlite", run.WrkResult(rps=150), "storage floor POST"),
        run.Row("staff queue (100,000)", "sqlite", run.WrkResult(p95=61.0)),
    ]
    report.weights = {"release page": 5_700, "form /help": 21_000, "staff queue": 7_000}
    report.rss = {"app-sqlite": (75.0, 40.0, 140.0), "floor-sqlite": (45.0, 30.0, 45.0)}
    verdicts = {name: ok for name, ok, _ in run.targets(report)}
    assert verdicts == {
        "sqlite: release ≥ 0.8× floor req/s": True,
        "sqlite: form ≥ 0.7× floor req/s": False,
        "sqlite: submission ≥ 0.5× storage floor": False,
        "sqlite: queue p95 ≤ 50 ms": False,
        "release page ≤ 14 KB gzipped": True,
        "form page ≤ 20 KB gzipped": False,
        "app-sqlite: worker RSS after the run ≤ 80 MB": True,
    }
    table = run.render(report, None)
    assert "0.85×" in table and "0.38×" in table
    assert "MISS sqlite: queue p95 ≤ 50 ms: 61.0 ms" in table


def test_a_ratio_is_the_median_of_its_rounds_each_against_its_own_floor():
    report = run.Report()
    floor, page = "floor GET (bare Flask)", "release page"
    report.rows = [
        run.Row(floor, "sqlite", run.WrkResult(rps=1000), rounds=[1000, 500, 1000]),
        run.Row(page, "sqlite", run.WrkResult(rps=800), floor, rounds=[700, 450, 800]),
    ]
    # Round by round: 0.70, 0.90, 0.80. The medians' ratio (800 / 1000) would
    # hide that the second round's floor was disturbed.
    assert report.round_ratios(report.rows[1]) == [0.7, 0.9, 0.8]
    assert report.ratio(report.rows[1]) == 0.8
    table = run.render(report, None)
    assert "0.70× 0.90× 0.80×" in table
    assert "1000 500 1000" in table  # the floor's own rounds
    report.rows[1].rounds = [450, 800]  # a round missing: the medians, not a mismatched pair
    assert report.ratio(report.rows[1]) == 0.8


def _stored(app) -> int:
    with app.app_context():
        return db.session.execute(sa.select(sa.func.count(HelpRequest.id))).scalar_one()


def test_submission_script_counts_what_is_stored(app, live_server):
    """bench/submit.lua with the check step: GET /help, POST check, POST submit;
    every confirmation it counts is a stored request."""
    assert get(live_server.url + "/help").status == 200  # templates compiled before the clock runs
    result = run.run_wrk(
        live_server.url + "/help",
        duration=2,
        connections=2,
        script=run.BENCH / "submit.lua",
        script_args=("check",),
    )
    live_server.stop()  # let answers in flight finish before counting
    submitted = result.extra["SUBMITTED"]
    assert submitted > 0 and result.extra["FAILED"] == 0
    assert result.extra["PAGES"] >= 3 * submitted  # three pages per submission
    assert submitted <= _stored(app) <= submitted + 2
    assert result.p95 > 0


def test_floor_answers_the_release_text_and_stores_one_row_per_post(seeded, tmp_path, monkeypatch):
    floor_uri = f"sqlite:///{tmp_path / 'floor.sqlite3'}"
    monkeypatch.setenv("FLOOR_DATABASE_URI", floor_uri)
    monkeypatch.setenv("FLOOR_RELEASE_URI", seeded.config["SQLALCHEMY_DATABASE_URI"])
    floor.create_table(floor_uri)
    client = floor.create_app().test_client()
    page = client.get(run.RELEASE_PATH).get_data(as_text=True)
    assert "Russian Delegation Visit to Syria" in page
    for _ in range(3):
        assert client.post("/floor/insert", data="name=x").status_code == 200
    assert run.count_rows(floor_uri, "SELECT count(*) FROM floor_request") == 3


def test_the_request_profiler_times_and_profiles_a_path():
    done = subprocess.run(
        [sys.executable, "-m", "bench.profile_request"]
        + ["/healthz", "--requests", "20", "--top", "5"],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=120,
        check=True,
    )
    assert "/healthz: 200 OK" in done.stdout and "ms per request" in done.stdout
    assert "function calls" in done.stdout  # cProfile's table follows


def test_the_reports_benchmark_runs_on_a_small_database(tmp_path):
    """bench.reports_page end to end on 200 requests (the real run is 100,000)."""
    done = subprocess.run(
        [sys.executable, "-m", "bench.reports_page"]
        + ["--uri", f"sqlite:///{tmp_path}/r.sqlite3", "-n", "200", "--requests", "2"],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=300,
        check=True,
    )
    rows = ("a year by month", "a year by week", "a year, one funder", "a year as CSV")
    for row in (*rows, "printable funder report"):
        assert row in done.stdout
    assert "200 requests on sqlite" in done.stdout
