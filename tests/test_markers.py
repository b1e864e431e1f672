"""Every test is marked by what it needs, and the PostgreSQL pass leaves out the
tests that cannot differ by database (tests/support/markers.py): the pure ones,
and the browser ones but those that race requests."""

from types import SimpleNamespace

import pytest

from tests.support.markers import TESTS, pytest_collection_modifyitems


class Item:
    """What the hook reads of a collected test."""

    def __init__(self, path: str, *fixtures: str, marks=()):
        self.path = TESTS / path
        self.fixturenames = list(fixtures)
        self.marks: set[str] = set(marks)

    def add_marker(self, mark):
        self.marks.add(mark.name)

    def get_closest_marker(self, name):
        return name if name in self.marks else None


def collect(monkeypatch, database: str | None):
    if database:
        monkeypatch.setenv("INTAKE_TEST_DATABASE_URI", database)
    else:
        monkeypatch.delenv("INTAKE_TEST_DATABASE_URI", raising=False)
    items = {
        "rules": Item("law/test_dates.py", "tmp_path"),  # no app, no database
        "triage": Item("staff/cases/test_triage.py", "database_uri", "app"),
        "scratch": Item("test_migrations.py", "tmp_path"),  # builds its own apps
        "browser": Item("browser/test_browser_press.py", "page", "database_uri"),
        "racing": Item(
            "browser/test_browser_screening.py", "page", "database_uri", marks=("races",)
        ),
        "faults": Item("faults/test_durability.py", "tmp_path"),
    }
    deselected = []
    hook = SimpleNamespace(pytest_deselected=lambda items: deselected.extend(items))
    config = SimpleNamespace(hook=hook)
    kept = list(items.values())
    pytest_collection_modifyitems(config, kept)
    return items, kept, deselected


def test_each_test_is_marked_by_what_it_needs(monkeypatch):
    items, kept, deselected = collect(monkeypatch, None)
    assert {name: item.marks for name, item in items.items()} == {
        "rules": {"pure"},
        "triage": {"database"},
        "scratch": {"database"},
        "browser": {"browser", "database", "slow"},
        "racing": {"browser", "database", "slow", "races"},
        "faults": {"database", "slow"},
    }
    assert kept == list(items.values()) and deselected == []


def test_the_postgresql_pass_leaves_out_pure_and_browser_tests_but_races(monkeypatch):
    items, kept, deselected = collect(monkeypatch, "postgresql+psycopg://db.example/intake")
    assert deselected == [items["rules"], items["browser"]]
    assert kept == [items["triage"], items["scratch"], items["racing"], items["faults"]]


@pytest.mark.parametrize("marker", ["pure", "database", "browser", "slow", "races"])
def test_the_markers_are_registered(pytestconfig, marker):
    """--strict-markers refuses a marker pyproject does not name."""
    assert any(line.startswith(f"{marker}:") for line in pytestconfig.getini("markers"))
