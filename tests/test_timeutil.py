"""``timeutil.today`` is the office's date: a deadline due today stays open until
midnight where the office is, not until 7 pm when UTC's day ends."""

from datetime import date, datetime

from intake import timeutil


def test_late_evening_in_new_york_is_still_that_day(monkeypatch, app):
    monkeypatch.setattr(timeutil, "utcnow", lambda: datetime(2026, 3, 11, 2, 30))  # 21:30 EST
    with app.app_context():
        app.config["OFFICE_TIMEZONE"] = "America/New_York"
        assert timeutil.today() == date(2026, 3, 10)
        app.config["OFFICE_TIMEZONE"] = "Asia/Kolkata"
        assert timeutil.today() == date(2026, 3, 11)


def test_outside_an_app_the_default_office_zone_counts(monkeypatch):
    monkeypatch.setattr(timeutil, "utcnow", lambda: datetime(2026, 7, 1, 3, 59))  # 23:59 EDT
    assert timeutil.today() == date(2026, 6, 30)
