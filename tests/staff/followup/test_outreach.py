"""Reaching the person safely: the rules (pure) and the state changes."""

from datetime import datetime, timedelta

import pytest

from intake import timeutil
from intake.db import db
from intake.models import AuditEvent, ContactAttempt, HelpRequest, StaffUser
from intake.staff.followup import outreach
from intake.staff.followup.outreach import Attempt, OutreachError, UnreachedPolicy

DAY = datetime(2026, 12, 1, 15, 0)


# --- rules ---------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("safe", "outcome", "needed"),
    [
        ("no", "left_message", True),
        ("not_sure", "left_message", True),
        (None, "left_message", True),
        ("yes", "left_message", False),
        ("no", "no_answer", False),
        ("no", "reached", False),
    ],
)
def test_a_message_needs_an_override_unless_the_applicant_said_it_is_safe(safe, outcome, needed):
    assert outreach.needs_override(safe, outcome, "phone") is needed


@pytest.mark.parametrize("channel", ["text", "whatsapp", "email", "letter"])
@pytest.mark.parametrize("outcome", ["reached", "no_answer", "wrong_number", "unsafe"])
@pytest.mark.parametrize("safe", ["no", "not_sure", None])
def test_writing_needs_an_override_whatever_the_outcome(safe, outcome, channel):
    assert outreach.needs_override(safe, outcome, channel)
    assert not outreach.needs_override("yes", outcome, channel)


@pytest.mark.parametrize("channel", ["phone", "in_person", "helper"])
def test_speaking_needs_no_override_unless_a_message_is_left(channel):
    assert not outreach.needs_override("no", "no_answer", channel)
    assert outreach.needs_override("no", "left_message", channel)


@pytest.mark.parametrize(
    ("asker", "contact"),
    [
        ("self", "applicant"),
        ("family", "helper"),
        ("detained_person", "helper"),
        ("organisation", "helper"),
    ],
)
def test_the_helper_is_the_contact_when_a_helper_asked(asker, contact):
    assert outreach.contact_person(asker) == contact


def attempts(*spec):
    return [Attempt(DAY + timedelta(days=d), outcome) for d, outcome in spec]


POLICY = UnreachedPolicy(attempts=3, days=7)


@pytest.mark.parametrize(
    ("spec", "allowed"),
    [
        ([(0, "no_answer"), (3, "no_answer")], False),  # two attempts only
        ([(0, "no_answer"), (3, "no_answer"), (6, "no_answer")], False),  # 6 days apart
        ([(0, "no_answer"), (3, "left_message"), (7, "wrong_number")], True),  # 3 over 7 days
        ([(0, "no_answer"), (1, "no_answer"), (2, "no_answer"), (3, "no_answer")], False),
        # Reached on day 4: only the attempts after it count.
        ([(0, "no_answer"), (2, "no_answer"), (4, "reached"), (8, "no_answer")], False),
        ([(4, "reached"), (5, "no_answer"), (9, "unsafe"), (12, "no_answer")], True),
    ],
)
def test_could_not_reach_only_after_the_configured_attempts_over_the_period(spec, allowed):
    assert outreach.may_close_unreached(attempts(*spec), POLICY) is allowed


def test_the_policy_is_configuration():
    tries = attempts((0, "no_answer"), (1, "no_answer"))
    assert outreach.may_close_unreached(tries, UnreachedPolicy(2, 1))
    assert not outreach.may_close_unreached(tries, UnreachedPolicy(3, 1))
    assert not outreach.may_close_unreached([], UnreachedPolicy(0, 0))


# --- state changes -----------------------------------------------------------------------


@pytest.fixture
def staff_member(make_staff):
    return make_staff("reviewer")


def load(app, model, pk):
    return db.session.get(model, pk)


def test_a_message_against_the_safe_contact_answer_is_refused_without_a_reason(
    app, make_request, staff_member
):
    case = make_request(safe_to_message="no")
    with app.app_context():
        row, actor = load(app, HelpRequest, case.id), load(app, StaffUser, staff_member.id)
        with pytest.raises(OutreachError, match="not say it is safe"):
            outreach.record_contact_attempt(row, actor, channel="phone", outcome="left_message")
        db.session.rollback()
        assert db.session.execute(db.select(ContactAttempt)).first() is None
        attempt = outreach.record_contact_attempt(
            row,
            actor,
            channel="phone",
            outcome="left_message",
            override_reason="Hearing tomorrow; she asked us to call her sister's phone.",
        )
        assert attempt.override_reason.startswith("Hearing tomorrow")
        actions = db.session.execute(db.select(AuditEvent.action)).scalars().all()
        assert actions == ["case.contact", "case.contact_override"]
        assert "Hearing" not in " ".join(db.session.execute(db.select(AuditEvent.detail)).scalars())


def test_an_override_reason_is_not_kept_where_nothing_was_overridden(
    app, make_request, staff_member
):
    case = make_request(safe_to_message="yes")
    with app.app_context():
        row, actor = load(app, HelpRequest, case.id), load(app, StaffUser, staff_member.id)
        attempt = outreach.record_contact_attempt(
            row, actor, channel="text", outcome="left_message", override_reason="typed anyway"
        )
        assert attempt.override_reason is None


def test_a_text_that_reached_the_person_is_refused_without_a_reason(
    app, make_request, staff_member
):
    case = make_request(safe_to_message="no")
    with app.app_context():
        row, actor = load(app, HelpRequest, case.id), load(app, StaffUser, staff_member.id)
        for channel in ("text", "whatsapp", "email", "letter"):
            with pytest.raises(OutreachError, match="not say it is safe"):
                outreach.record_contact_attempt(row, actor, channel=channel, outcome="reached")
            db.session.rollback()
        assert db.session.execute(db.select(ContactAttempt)).first() is None
        attempt = outreach.record_contact_attempt(
            row, actor, channel="whatsapp", outcome="reached", override_reason="She wrote first."
        )
        assert attempt.override_reason == "She wrote first."


@pytest.mark.parametrize(
    ("outcome", "contacted"),
    [("no_answer", False), ("wrong_number", False), ("reached", True), ("left_message", True)],
)
def test_reaching_or_leaving_a_message_marks_the_request_contacted(
    app, make_request, staff_member, outcome, contacted
):
    case = make_request(safe_to_message="yes")
    with app.app_context():
        row, actor = load(app, HelpRequest, case.id), load(app, StaffUser, staff_member.id)
        outreach.record_contact_attempt(row, actor, channel="phone", outcome=outcome)
        db.session.expire_all()
        assert load(app, HelpRequest, case.id).contacted is contacted


@pytest.mark.parametrize(
    ("fields", "message"),
    [
        ({"channel": "pigeon", "outcome": "reached"}, "how you tried"),
        ({"channel": "phone", "outcome": "maybe"}, "what happened"),
        ({"channel": "phone", "outcome": "reached", "contact": "neighbour"}, "who you contacted"),
        ({"channel": "phone", "outcome": "reached", "note": "x" * 1001}, "too long"),
    ],
)
def test_bad_attempts_are_refused(app, make_request, staff_member, fields, message):
    case = make_request()
    with app.app_context():
        row, actor = load(app, HelpRequest, case.id), load(app, StaffUser, staff_member.id)
        with pytest.raises(OutreachError, match=message):
            outreach.record_contact_attempt(row, actor, **fields)


def test_could_not_reach_reads_the_case_attempts(app, make_request, staff_member, monkeypatch):
    case = make_request()
    with app.app_context():
        row, actor = load(app, HelpRequest, case.id), load(app, StaffUser, staff_member.id)
        for day in (0, 4, 8):
            monkeypatch.setattr(timeutil, "utcnow", lambda d=day: DAY + timedelta(days=d))
            assert not outreach.can_close_unreached(row)
            outreach.record_contact_attempt(row, actor, channel="phone", outcome="no_answer")
        assert outreach.can_close_unreached(row)
        app.config["COULD_NOT_REACH_ATTEMPTS"] = 4
        assert not outreach.can_close_unreached(row)


def freeze(monkeypatch, moment: datetime):
    monkeypatch.setattr(timeutil, "utcnow", lambda: moment)


def test_the_overdue_filter_counts_working_days_in_office_time(app, make_request, monkeypatch):
    # Friday 4 December 2026, 11:00 in New York.
    friday = make_request(created_at=datetime(2026, 12, 4, 16, 0))
    contacted = make_request(created_at=datetime(2026, 12, 4, 16, 0), contacted=True)
    closed = make_request(created_at=datetime(2026, 12, 4, 16, 0), status="declined")
    # Friday 23:30 in New York is already Saturday in UTC: still a Friday request.
    late = make_request(created_at=datetime(2026, 12, 5, 4, 30))
    with app.app_context():
        calendar = outreach.office_calendar()

        def overdue_now():
            query = db.select(HelpRequest.id).where(outreach.overdue_condition(calendar))
            return set(db.session.execute(query).scalars())

        freeze(monkeypatch, datetime(2026, 12, 9, 22, 0))  # Wednesday evening
        assert overdue_now() == set()
        freeze(monkeypatch, datetime(2026, 12, 11, 5, 30))  # Friday 00:30 in New York
        assert overdue_now() == {friday.id, late.id}
        rows = {r.id: r for r in db.session.execute(db.select(HelpRequest)).scalars()}
        assert outreach.is_overdue(rows[friday.id], calendar)
        assert not outreach.is_overdue(rows[contacted.id], calendar)
        assert not outreach.is_overdue(rows[closed.id], calendar)


def test_callbacks_are_booked_closed_once_and_listed_for_their_owner(
    app, make_request, make_staff, monkeypatch
):
    case = make_request()
    owner, other = make_staff("volunteer"), make_staff("reviewer")
    freeze(monkeypatch, datetime(2026, 12, 2, 13, 0))  # Wednesday 08:00 New York
    with app.app_context():
        row = load(app, HelpRequest, case.id)
        booker, who = load(app, StaffUser, other.id), load(app, StaffUser, owner.id)
        today = outreach.book_callback(row, booker, owner=who, due_at=datetime(2026, 12, 2, 20, 0))
        tomorrow = outreach.book_callback(
            row, booker, owner=who, due_at=datetime(2026, 12, 3, 15, 0), kind="appointment"
        )
        theirs = outreach.book_callback(
            row, booker, owner=booker, due_at=datetime(2026, 12, 2, 18, 0)
        )
        with pytest.raises(OutreachError, match="has not passed"):
            outreach.book_callback(row, booker, owner=who, due_at=datetime(2026, 12, 1, 9, 0))
        with pytest.raises(OutreachError, match="callback or an appointment"):
            outreach.book_callback(
                row, booker, owner=who, due_at=datetime(2026, 12, 3, 9), kind="visit"
            )
        calendar = outreach.office_calendar()
        # The week from today (tomorrow's appointment too), only the owner's own.
        mine = outreach.my_callbacks(who, calendar.today(), calendar)
        assert [c.id for c in mine] == [today.id, tomorrow.id]
        assert [c.id for c in outreach.my_callbacks(who, calendar.today(), calendar, 1)] == [
            today.id
        ]
        assert theirs.id not in [c.id for c in mine]
        far = outreach.book_callback(row, booker, owner=who, due_at=datetime(2026, 12, 10, 15, 0))
        assert far.id not in [c.id for c in outreach.my_callbacks(who, calendar.today(), calendar)]
        # The next day, yesterday's unmarked callback is still listed; once marked, not.
        freeze(monkeypatch, datetime(2026, 12, 3, 13, 0))
        assert [c.id for c in outreach.my_callbacks(who, calendar.today(), calendar)] == [
            today.id,
            tomorrow.id,
        ]
        outreach.close_callback(today, booker, "missed", row.reference)
        with pytest.raises(OutreachError, match="already closed"):
            outreach.close_callback(today, booker, "done", row.reference)
        assert [c.id for c in outreach.my_callbacks(who, calendar.today(), calendar)] == [
            tomorrow.id
        ]
