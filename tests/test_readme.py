"""CI runs exactly the test command the README gives."""

import re
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def test_ci_runs_the_readme_test_command():
    readme = (ROOT / "README.md").read_text()
    ci = (ROOT / ".ci" / "run").read_text()
    commands = re.findall(r"```sh\n(.+?)\n```", readme)
    test_command = next(c for c in commands if "pytest" in c)
    assert f"  {test_command}\n" in ci
    assert "run_tests\n" in ci and ci.count("run_tests\n") >= 2


def test_every_intake_variable_in_the_readme_is_read_somewhere():
    """``INTAKE_X`` is a setting ``X`` (create_app reads every ``INTAKE_*`` variable
    for the settings it knows) or a variable read by name by the server config or
    the test harness."""
    from intake import settings

    readme = (ROOT / "README.md").read_text()
    names = set(re.findall(r"\bINTAKE_([A-Z][A-Z0-9_]*[A-Z0-9])\b", readme))
    assert {"SECRET_KEY", "PROXY_FIX", "MAIL_MAX_ATTEMPTS"} <= names
    harness = [ROOT / "tests" / "conftest.py", *sorted((ROOT / "tests" / "support").glob("*.py"))]
    readers = "".join(path.read_text() for path in [ROOT / "gunicorn.conf.py", *harness])
    unknown = {
        name for name in names if not hasattr(settings, name) and f'"INTAKE_{name}"' not in readers
    }
    assert unknown == set()


def test_every_flask_command_in_the_readme_exists(app):
    from flask.cli import routes_command, run_command, shell_command
    from flask_migrate.cli import db as migrate_group

    readme = (ROOT / "README.md").read_text()
    used = set(re.findall(r"flask --app intake ([a-z-]+)(?: ([a-z-]+))?", readme))
    assert ("send-mail", "") in used and ("db", "upgrade") in used
    commands = {**app.cli.commands, "db": migrate_group}
    for builtin in (routes_command, run_command, shell_command):
        commands[builtin.name] = builtin
    for name, sub in used:
        assert name in commands, name
        if name == "db":
            assert sub in migrate_group.commands, f"db {sub}"
