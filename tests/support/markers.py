"""What each test needs, as markers: ``browser`` (headless Chromium), ``database``
(an app, a database or a server of the app), ``pure`` (neither), and ``slow``
(takes seconds); ``races`` marks a browser test whose requests race each other
in the database. conftest imports the hook."""

import os
from pathlib import Path

import pytest

TESTS = Path(__file__).resolve().parents[1]
# Names a test module uses when it builds apps or databases itself, outside the
# fixtures (scratch apps for migrations, gunicorn on a fresh database...).
BUILDS_APPS = ("create_app", "make_test_app", "scratch_app", "fresh_database", "INTAKE_TEST_")
# Folders and files whose tests take seconds each: servers, browsers, processes,
# or many requests over large tables.
SLOW = ("faults", "browser", "test_bench.py", "test_access_matrix.py", "test_report_exact.py")


def _builds_apps(path: Path, seen: dict[Path, bool]) -> bool:
    if path not in seen:
        source = path.read_text()
        seen[path] = any(name in source for name in BUILDS_APPS)
    return seen[path]


def pytest_collection_modifyitems(config, items):
    """Mark every test. The PostgreSQL pass (INTAKE_TEST_DATABASE_URI set)
    deselects the pure tests: the SQLite pass runs them, and nothing in them can
    differ by database. It deselects the browser tests too, but those that race
    requests: a browser test drives pages whose every database step an HTTP test
    of the same page also takes, in both passes; what the browser adds (scripts,
    focus, layout, axe) is the same whatever the database."""
    seen: dict[Path, bool] = {}
    for item in items:
        path = Path(item.path)
        parts = path.relative_to(TESTS).parts if path.is_relative_to(TESTS) else path.parts
        if parts[0] == "browser":
            item.add_marker(pytest.mark.browser)
        if "database_uri" in getattr(item, "fixturenames", ()) or _builds_apps(path, seen):
            item.add_marker(pytest.mark.database)
        elif not item.get_closest_marker("browser"):
            item.add_marker(pytest.mark.pure)
        if parts[0] in SLOW or path.name in SLOW:
            item.add_marker(pytest.mark.slow)
    if os.environ.get("INTAKE_TEST_DATABASE_URI"):
        left_out = [item for item in items if _same_on_every_database(item)]
        if left_out:
            config.hook.pytest_deselected(items=left_out)
            items[:] = [item for item in items if not _same_on_every_database(item)]


def _same_on_every_database(item) -> bool:
    if item.get_closest_marker("pure"):
        return True
    return bool(item.get_closest_marker("browser")) and not item.get_closest_marker("races")
