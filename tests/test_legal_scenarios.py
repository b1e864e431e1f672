"""The table of legal scenarios (bench/legal_scenarios.toml) is checked by its own
command outside the suite; these tests keep that command honest and runnable."""

import subprocess
import sys
import tomllib

from bench import scenarios

ROOT = scenarios.TABLE.parent.parent


def test_the_command_checks_every_scenario_and_all_pass():
    done = subprocess.run(
        [sys.executable, "-m", "bench.scenarios"], cwd=ROOT, capture_output=True, text=True
    )
    count = len(tomllib.loads(scenarios.TABLE.read_text())["scenario"])
    assert done.returncode == 0, done.stdout
    assert done.stdout.splitlines()[-1] == f"{count} passed, 0 failed"
    assert count >= 30 and "FAIL" not in done.stdout


def test_every_scenario_names_its_source_and_expects_something():
    for scenario in tomllib.loads(scenarios.TABLE.read_text())["scenario"]:
        assert scenario["source"].strip(), scenario["name"]
        assert scenarios.EXPECTATIONS & scenario.keys(), scenario["name"]


def write(tmp_path, text: str):
    path = tmp_path / "table.toml"
    path.write_text(text)
    return str(path)


def test_a_wrong_expectation_fails_the_command(tmp_path, capsys):
    table = write(
        tmp_path,
        """
[[scenario]]
name = "BIA appeal counted wrongly"
source = "8 CFR 1003.38(b)"
today = 2026-03-10
facts = { judge_decided = "yes", decision_date = "2026-02-18" }
band = "normal"
deadlines = { bia_appeal = 2026-03-21 }
screen = "needs_review"
""",
    )
    assert scenarios.main([table]) == 1
    out = capsys.readouterr().out
    assert "FAIL BIA appeal counted wrongly" in out
    assert "band critical, expected normal" in out
    assert "2026, 3, 20" in out and "expected {'bia_appeal'" in out
    assert out.splitlines()[-1] == "0 passed, 1 failed"


def test_an_unknown_fact_or_key_or_no_expectation_fails(tmp_path, capsys):
    table = write(
        tmp_path,
        """
[[scenario]]
name = "typo in a fact"
source = "x"
today = 2026-03-10
facts = { afraid_to_retrun = true }
band = "normal"

[[scenario]]
name = "typo in a key"
source = "x"
today = 2026-03-10
bnad = "normal"

[[scenario]]
name = "nothing expected"
source = "x"
today = 2026-03-10
facts = { detained = true }
""",
    )
    assert scenarios.main([table]) == 1
    out = capsys.readouterr().out
    assert "unknown facts: ['afraid_to_retrun']" in out
    assert "unknown keys ['bnad']" in out
    assert "expects nothing" in out
    assert out.splitlines()[-1] == "0 passed, 3 failed"
