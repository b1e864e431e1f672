"""The queue says why a request stands where it does, and orders each urgency
band by the nearest hearing or deadline before waiting time."""

import re
from datetime import date, timedelta

import pytest

from intake import timeutil
from intake.cases import live_urgency
from intake.db import db
from intake.models import HelpRequest
from intake.models.help_request import NO_EVENT
from tests.support.form import dated, store_answers

TODAY = date(2026, 5, 1)


@pytest.fixture(autouse=True)
def frozen_today(monkeypatch):
    monkeypatch.setattr(timeutil, "today", lambda: TODAY)


def rows_of(page: str) -> list[tuple[str, str]]:
    """(reference, reason) of each queue row, in order."""
    found = re.findall(
        r'<th scope="row"><a href="/staff/cases/([0-9A-Z]+)[^"]*">.*?<td class="why">(.*?)</td>',
        page,
        re.S,
    )
    return [(ref, why) for ref, why in found]


def test_detained_and_a_hearing_in_20_days_come_above_high_requests_with_no_date(
    app, client, make_request, make_staff, login_as
):
    waiting_long = [
        make_request(urgency="high", created_at=timeutil.utcnow() - timedelta(days=30 + n))
        for n in range(3)
    ]
    with app.app_context():
        detained = store_answers(app, detained="yes", hearing="no", i589_filed="yes")
        hearing = store_answers(
            app, hearing="yes", i589_filed="yes", **dated("hearing", TODAY + timedelta(days=20))
        )
    assert (detained.urgency, hearing.urgency) == ("critical", "high")
    assert hearing.next_event_on == TODAY + timedelta(days=20)
    assert detained.next_event_on == NO_EVENT
    login_as(client, make_staff(role="reviewer"))

    rows = rows_of(client.get("/staff/").get_data(as_text=True))

    # The hearing was sent last, yet leads the high band: its date is nearest.
    expected = [detained, hearing, *sorted(waiting_long, key=lambda r: r.created_at)]
    assert [ref for ref, _ in rows] == [r.reference for r in expected]
    assert rows[0][1] == "Detained"
    # Filings were due 30 days before a hearing whose kind is not known (EOIR
    # Policy Manual, Appendix C): 10 days ago.
    assert rows[1][1] == "Hearing in 20 d; Deadline passed"
    assert [why for _, why in rows[2:]] == ["", "", ""]


def test_the_nearest_event_moves_on_once_it_has_passed(
    app, client, make_staff, login_as, monkeypatch
):
    """A hearing that has passed no longer orders the band: the next deadline does,
    from the plain list, with nothing decrypted."""
    with app.app_context():
        row = store_answers(
            app, hearing="yes", i589_filed="yes", **dated("hearing", TODAY + timedelta(days=3))
        )
        reference = row.reference
    later = TODAY + timedelta(days=5)
    monkeypatch.setattr(timeutil, "today", lambda: later)
    with app.app_context():
        assert live_urgency.bring_up_to_date(later) >= 1
        moved = db.session.execute(
            db.select(HelpRequest).filter_by(reference=reference)
        ).scalar_one()
        assert moved.next_event_on == NO_EVENT
    login_as(client, make_staff(role="reviewer"))
    assert rows_of(client.get("/staff/").get_data(as_text=True)) == [(reference, "Hearing passed")]


@pytest.mark.parametrize(
    ("columns", "reason"),
    [
        ({"detained": True}, "Detained"),
        ({"dated_events": '[["2026-05-11", "bia_appeal"]]'}, "Appeal due in 10 d"),
        ({"dated_events": '[["2026-05-01", "hearing"]]'}, "Hearing today"),
        ({"deadline_dates": '["2026-04-20"]'}, "Deadline passed"),
        ({"deadline_dates": '["2025-04-20"]'}, ""),  # long gone: the rules have moved on
        (
            {
                "detained": True,
                "dated_events": '[["2026-04-01", "sijs"], ["2026-05-21", "hearing"]]',
            },
            "Detained; Hearing in 20 d",
        ),
    ],
)
def test_short_reason_from_plain_columns(columns, reason):
    row = HelpRequest(detained=False, hearing_date=None, dated_events="[]", deadline_dates="[]")
    for name, value in columns.items():
        setattr(row, name, value)
    assert live_urgency.short_reason(row, TODAY, grace_days=30) == reason


def test_the_queue_page_names_the_order(client, make_request, make_staff, login_as):
    make_request()
    login_as(client, make_staff(role="reviewer"))
    text = " ".join(client.get("/staff/").get_data(as_text=True).split())
    assert "within each urgency the nearest hearing or deadline, then longest waiting" in text
