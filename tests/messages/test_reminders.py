"""Reminders of the dates the rules know (`flask --app intake send-reminders`):
on the right office day, in the person's language, once however often the
command runs, never without consent, when not safe, after STOP or once staff
stopped them; minimal wording unless staff chose detailed."""

import email
import email.policy
import json
from datetime import date, datetime, timedelta

import pytest
from flask_babel import force_locale, gettext

from intake import crypto, timeutil
from intake.cases.contact import lookup_hashes
from intake.db import db
from intake.mail import outbox
from intake.messages import reminders
from intake.models import AuditEvent, HelpRequest, Message, MessageOptOut, Reminder
from tests.support.messages import PHONE, TWILIO, messages
from tests.support.staff import post_case
from tests.support.twilio_standin import TwilioStandIn

# Midnight in New York (the office's zone, UTC-4 in May) is 04:00 UTC.
START = datetime(2026, 5, 1, 4, 0)  # 1 May, office time
HEARING = date(2026, 5, 9)  # 8 days out


class Clock:
    def __init__(self, monkeypatch, at: datetime):
        self.at = at
        monkeypatch.setattr(timeutil, "utcnow", lambda: self.at)


@pytest.fixture
def clock(monkeypatch):
    return Clock(monkeypatch, START)


@pytest.fixture
def hearing_case(make_request):
    """A Spanish speaker with a court hearing on 9 May who chose texts, said
    messages are safe and gave a phone."""

    def make(reach_by=("text",), safe="yes", facts=None, **overrides):
        stored = {
            "hearing": "yes",
            "hearing_date": HEARING.isoformat(),
            "judge_decided": "no",
            "reach_by": list(reach_by),
            **(facts or {}),
        }
        values = {
            "phone": PHONE,
            "safe_to_message": safe,
            "preferred_language": "es",
            "interface_language": "es",
            "created_at": START,
            "facts": json.dumps(stored),
            **overrides,
        }
        return make_request(**values)

    return make


def run_hourly(app, clock, hours: int, start: datetime = START):
    """``send-reminders`` once an hour, as cron would run it."""
    runner = app.test_cli_runner()
    for hour in range(hours):
        clock.at = start + timedelta(hours=hour)
        result = runner.invoke(args=["send-reminders"])
        assert result.exit_code == 0, result.output


def reminder_rows(app) -> list[tuple]:
    with app.app_context():
        rows = db.session.execute(db.select(Reminder).order_by(Reminder.id)).scalars()
        return [(r.kind, r.event_on, r.days_before, r.outcome, r.language) for r in rows]


def test_a_hearing_8_days_out_is_reminded_7_days_before_in_spanish_once(app, clock, hearing_case):
    case = hearing_case()
    run_hourly(app, clock, hours=24 * 3)  # 1 to 3 May, every hour
    (message,) = messages(app, request_id=case.id)
    assert (message.kind, message.channel, message.language) == ("reminder", "sms", "es")
    # Sent on the first run of 2 May in New York (04:00 UTC), not at UTC midnight.
    assert message.created_at == datetime(2026, 5, 2, 4, 0)
    assert "9 de mayo de 2026" in message.body
    assert "una cita importante" in message.body
    assert "Human Rights First" in message.body or app.config["ORGANISATION_NAME"] in message.body
    assert reminder_rows(app) == [("hearing", HEARING, 7, "queued", "es")]


def test_the_next_offsets_come_on_their_own_days(app, clock, hearing_case):
    hearing_case()
    run_hourly(app, clock, hours=24 * 8)  # 1 to 8 May
    assert [(kind, days) for kind, _, days, *_ in reminder_rows(app)] == [
        ("hearing", 7),
        ("hearing", 2),
        ("hearing", 1),
    ]


def test_a_missed_offset_day_sends_no_stale_reminder(app, clock, hearing_case):
    case = hearing_case()
    # The job did not run on 2 May (7 days before); it runs again on 3 May.
    run_hourly(app, clock, hours=24, start=datetime(2026, 5, 3, 4, 0))
    assert messages(app, request_id=case.id) == []
    assert reminder_rows(app) == []


def test_the_offsets_are_a_setting(app_factory, clock, hearing_case):
    three_days = app_factory(REMINDER_OFFSETS_DAYS="3")
    case = hearing_case()
    run_hourly(three_days, clock, hours=24 * 8)
    (message,) = messages(three_days, request_id=case.id)
    assert message.created_at.date() == date(2026, 5, 6)


@pytest.mark.parametrize(
    "overrides",
    [
        {"reach_by": ()},  # chose no way: no consent
        {"reach_by": ("call", "email")},  # chose no way we send reminders by
        {"safe": "no"},
        {"safe": "not_sure"},
        {"status": "closed_referred"},
    ],
)
def test_no_reminder_without_consent_or_when_not_safe(app, clock, hearing_case, overrides):
    case = hearing_case(**overrides)
    run_hourly(app, clock, hours=24 * 3)
    assert messages(app, request_id=case.id) == []
    assert reminder_rows(app) == []


def test_no_reminder_after_stop(app, clock, hearing_case):
    case = hearing_case()
    with app.app_context():
        phone_hash = lookup_hashes(crypto.keyring(), PHONE, None)[0]
        db.session.add(MessageOptOut(phone_hash=phone_hash))
        db.session.commit()
    run_hourly(app, clock, hours=24 * 3)
    assert messages(app, request_id=case.id) == []
    # Attempted once, and staff can see why nothing went.
    assert reminder_rows(app) == [("hearing", HEARING, 7, "not sent: the number sent STOP", "es")]


def test_staff_stop_reminders_for_a_case_and_it_is_audited(
    app, client, clock, hearing_case, make_staff, login_as
):
    case = hearing_case()
    clock.at = datetime(2026, 4, 30, 14, 0)  # the day before: staff decide
    login_as(client, make_staff("reviewer"))
    page = client.get(f"/staff/cases/{case.reference}").get_data(as_text=True)
    assert "No reminders sent yet." in page
    assert post_case(client, case.reference, "reminders", do="stop").status_code == 302
    run_hourly(app, clock, hours=24 * 3)
    assert messages(app, request_id=case.id) == []
    with app.app_context():
        actions = db.session.execute(db.select(AuditEvent.action)).scalars().all()
        assert "reminders.stopped" in actions
    login_as(client, make_staff("reviewer"))  # days later: a new login
    page = client.get(f"/staff/cases/{case.reference}").get_data(as_text=True)
    assert "Stopped for this case." in page and "Restart reminders" in page


def test_staff_see_every_reminder_sent_on_the_case_page(
    app, client, clock, hearing_case, make_staff, login_as
):
    case = hearing_case()
    run_hourly(app, clock, hours=24 * 2)
    login_as(client, make_staff("reviewer"))
    page = client.get(f"/staff/cases/{case.reference}").get_data(as_text=True)
    assert "Court hearing" in page and "2026-05-09" in page and "queued" in page
    assert "No reminders sent yet." not in page


def test_detailed_wording_only_when_staff_choose_it(
    app, client, clock, hearing_case, make_staff, login_as
):
    minimal, detailed = hearing_case(), hearing_case(phone="+12125550199")
    login_as(client, make_staff("reviewer"))
    assert post_case(client, detailed.reference, "reminders", do="detailed").status_code == 302
    run_hourly(app, clock, hours=24 * 2)
    (plain,) = messages(app, request_id=minimal.id)
    (told,) = messages(app, request_id=detailed.id)
    assert "audiencia" not in plain.body and "corte" not in plain.body
    assert "su audiencia en la corte de inmigración" in told.body
    with app.app_context():
        assert db.session.get(HelpRequest, detailed.id).reminders_detailed


def test_every_dated_thing_the_rules_know_is_reminded(app):
    stored = {
        "hearing": "yes",
        "hearing_date": "2026-06-10",
        "hearing_kind": "final",
        "judge_decided": "no",
        "appointment_kind": "ice_check_in",
        "appointment_date": "2026-05-20",
        "fear_interview": "yes",
        "fear_interview_date": "2026-05-12",
        "voluntary_departure": "yes",
        "voluntary_departure_date": "2026-04-20",
        "voluntary_departure_days": "60",
    }
    with app.app_context():
        found = dict((kind, on) for on, kind in reminders.dated_things(stored, date(2026, 5, 1)))
    assert found["hearing"] == date(2026, 6, 10)
    assert found["ice_check_in"] == date(2026, 5, 20)
    assert found["fear_interview"] == date(2026, 5, 12)
    # 60 days from the grant is 19 June, a federal holiday: the rules roll it to Monday.
    assert found["voluntary_departure"] == date(2026, 6, 22)
    assert found["hearing_filings"] == date(2026, 5, 11)  # a computed deadline


def test_a_move_the_court_was_not_told_of_is_reminded_once(app, clock, hearing_case):
    case = hearing_case(facts={"moved": "yes", "hearing_date": "2026-07-01"})
    run_hourly(app, clock, hours=24 * 3)
    (message,) = messages(app, request_id=case.id)
    assert "5 días" in message.body and "corte" not in message.body  # minimal
    assert [row[0] for row in reminder_rows(app)] == ["change_of_address"]


def test_the_language_falls_back_to_the_form_then_english(app, make_request):
    with app.app_context():
        dari = HelpRequest(preferred_language="prs", interface_language="en")
        tigrinya = HelpRequest(preferred_language="ti", interface_language="ar")
        unknown = HelpRequest(preferred_language="ti", interface_language="xx")
        assert [reminders.language_of(r) for r in (dari, tigrinya, unknown)] == [
            "fa_AF",
            "ar",
            "en",
        ]


def test_every_language_has_every_reminder_text(app):
    for code in app.config["LANGUAGES"]:
        if code == "en":
            continue
        with app.test_request_context(), force_locale(code):
            for text in reminders.TEXTS:
                assert gettext(str(text._args[0])) != str(text._args[0]), (code, text)


def test_two_runs_at_the_same_moment_send_one_reminder(app, clock, hearing_case, monkeypatch):
    case = hearing_case()
    clock.at = datetime(2026, 5, 2, 4, 0)
    # Both runs find nothing sent yet; the unique key lets only one commit.
    monkeypatch.setattr(reminders, "already_attempted", lambda *args: False)
    with app.app_context():
        assert reminders.send_due() == {"queued": 1, "not_sent": 0}
        assert reminders.send_due() == {"queued": 0, "not_sent": 0}
    assert len(messages(app, request_id=case.id)) == 1
    assert len(reminder_rows(app)) == 1


# --- WhatsApp outside its 24 hours: the approved reminder template -----------------

TEMPLATE_SID = "HX" + "b" * 32


@pytest.fixture
def standin():
    server = TwilioStandIn()
    yield server
    server.stop()


def whatsapp_from_the_person(app, request_id: int, at: datetime) -> None:
    with app.app_context():
        db.session.add(
            Message(
                request_id=request_id,
                direction="in",
                channel="whatsapp",
                kind="inbound",
                body="Hola",
                phone=PHONE,
                state="received",
                created_at=at,
            )
        )
        db.session.commit()


def test_whatsapp_only_outside_24_hours_gets_the_approved_template_once(
    app_factory, standin, clock, hearing_case
):
    app = app_factory(
        **TWILIO, TWILIO_API_BASE=standin.url, WHATSAPP_TEMPLATES={"reminder/es": TEMPLATE_SID}
    )
    case = hearing_case(reach_by=("whatsapp",))
    # The person last wrote 3 days before the reminder's day (2 May).
    whatsapp_from_the_person(app, case.id, datetime(2026, 4, 29, 4, 0))
    run_hourly(app, clock, hours=24 * 3)
    with app.app_context():
        assert outbox.deliver_due() == (1, 0)
    run_hourly(app, clock, hours=24, start=datetime(2026, 5, 3, 4, 0))
    with app.app_context():
        assert outbox.deliver_due() == (0, 0)
    (request,) = standin.requests  # once, however often the command ran
    assert request.form["To"] == f"whatsapp:{PHONE}"
    assert request.form["ContentSid"] == TEMPLATE_SID
    assert json.loads(request.form["ContentVariables"]) == {"1": "9 de mayo de 2026"}
    assert "Body" not in request.form  # never the text outside the 24 hours
    (_inbound, sent) = messages(app, request_id=case.id)
    assert (sent.kind, sent.channel, sent.template, sent.state) == (
        "reminder",
        "whatsapp",
        "reminder",
        "sent",
    )
    assert "una cita importante" in sent.body and "9 de mayo de 2026" in sent.body
    with app.app_context():
        (row,) = db.session.execute(db.select(Reminder)).scalars()
        assert (row.outcome, row.channel, row.message_id) == ("queued", "whatsapp", sent.id)


def test_the_template_is_minimal_even_when_staff_chose_detailed(
    app_factory, standin, clock, hearing_case
):
    app = app_factory(
        **TWILIO, TWILIO_API_BASE=standin.url, WHATSAPP_TEMPLATES={"reminder/es": TEMPLATE_SID}
    )
    case = hearing_case(reach_by=("whatsapp",), reminders_detailed=True)
    run_hourly(app, clock, hours=24 * 2)
    (sent,) = messages(app, request_id=case.id)
    assert sent.template == "reminder" and "audiencia" not in sent.body
    with app.app_context():
        assert not db.session.execute(db.select(Reminder.detailed)).scalar_one()


def test_whatsapp_only_without_a_template_in_the_language_is_recorded(
    app_factory, standin, clock, hearing_case
):
    # Approved in English only: the Spanish speaker is not sent English.
    app = app_factory(
        **TWILIO, TWILIO_API_BASE=standin.url, WHATSAPP_TEMPLATES={"reminder/en": TEMPLATE_SID}
    )
    case = hearing_case(reach_by=("whatsapp",))
    whatsapp_from_the_person(app, case.id, datetime(2026, 4, 29, 4, 0))
    run_hourly(app, clock, hours=24 * 3)
    assert [m.direction for m in messages(app, request_id=case.id)] == ["in"]
    assert reminder_rows(app) == [
        ("hearing", HEARING, 7, f"not sent: {reminders.NO_TEMPLATE}", "es")
    ]


def test_within_24_hours_whatsapp_gets_the_free_text(app_factory, standin, clock, hearing_case):
    app = app_factory(
        **TWILIO, TWILIO_API_BASE=standin.url, WHATSAPP_TEMPLATES={"reminder/es": TEMPLATE_SID}
    )
    case = hearing_case(reach_by=("whatsapp",))
    whatsapp_from_the_person(app, case.id, datetime(2026, 5, 2, 1, 0))  # 3 hours before
    run_hourly(app, clock, hours=24 * 2)
    with app.app_context():
        assert outbox.deliver_due() == (1, 0)
    (request,) = standin.requests
    assert "ContentSid" not in request.form and "9 de mayo de 2026" in request.form["Body"]


# --- Email, for a person who chose it and not texts or WhatsApp -----------------------

ADDRESS = "persona@example.org"


@pytest.fixture
def email_case(hearing_case):
    def make(**overrides):
        overrides.setdefault("reach_by", ("email",))
        overrides.setdefault("email", ADDRESS)
        return hearing_case(**overrides)

    return make


def send_mail(app) -> tuple[int, int]:
    with app.app_context():
        return outbox.deliver_due()


def test_email_only_gets_one_spanish_email_reminder(app, mail_client, sink, clock, email_case):
    case = email_case()
    run_hourly(app, clock, hours=24 * 3)
    assert send_mail(app) == (1, 0)
    run_hourly(app, clock, hours=24, start=datetime(2026, 5, 3, 4, 0))
    assert send_mail(app) == (0, 0)
    (sent,) = sink.messages  # once
    assert sent["to"] == [ADDRESS]
    mail = email.message_from_bytes(sent["data"], policy=email.policy.default)
    subject, body = str(mail["Subject"]), mail.get_content()
    organisation = app.config["ORGANISATION_NAME"]
    for text in (subject, body):
        assert "una cita importante" in text and "9 de mayo de 2026" in text
        assert organisation in text
    assert "audiencia" not in subject + body and case.reference not in body
    assert messages(app, request_id=case.id) == []  # no text, no WhatsApp
    assert reminder_rows(app) == [("hearing", HEARING, 7, "queued", "es")]
    with app.app_context():
        assert db.session.execute(db.select(Reminder.channel)).scalar_one() == "email"


def test_email_reminder_says_the_helpline(app_factory, sink, clock, email_case):
    app = app_factory(
        MAIL_SERVER="127.0.0.1",
        MAIL_PORT=sink.port,
        MAIL_SECURITY="none",
        HELPLINE_PHONE="+1 212 555 0100",
    )
    email_case()
    run_hourly(app, clock, hours=24 * 2)
    assert send_mail(app) == (1, 0)
    (sent,) = sink.messages
    body = email.message_from_bytes(sent["data"], policy=email.policy.default).get_content()
    assert "¿Preguntas? Llame al +1 212 555 0100." in body


@pytest.mark.parametrize("safe", ["no", "not_sure"])
def test_no_email_reminder_when_not_safe(app, mail_client, sink, clock, email_case, safe):
    email_case(safe=safe)
    email_case(email="safe@example.org")  # the same, but safe
    run_hourly(app, clock, hours=24 * 3)
    assert send_mail(app) == (1, 0)
    assert [sent["to"] for sent in sink.messages] == [["safe@example.org"]]
    assert len(reminder_rows(app)) == 1


def test_no_email_reminder_without_an_address(app, mail_client, sink, clock, hearing_case):
    hearing_case(reach_by=("email",))
    run_hourly(app, clock, hours=24 * 3)
    assert send_mail(app) == (0, 0) and reminder_rows(app) == []


def test_no_email_reminder_after_staff_stop_reminders(
    app, mail_client, sink, clock, email_case, make_staff, login_as
):
    stopped, stopped_later = email_case(), email_case()
    login_as(mail_client, make_staff("reviewer"))
    assert post_case(mail_client, stopped.reference, "reminders", do="stop").status_code == 302
    run_hourly(app, clock, hours=24 * 2)
    # Queued for the other; staff stop it before the outbox sends it.
    assert [r[3] for r in reminder_rows(app)] == ["queued"]
    login_as(mail_client, make_staff("reviewer"))  # a day later: a new login
    assert (
        post_case(mail_client, stopped_later.reference, "reminders", do="stop").status_code == 302
    )
    assert send_mail(app) == (0, 1)  # built as nothing: given up, not sent
    assert sink.messages == []


def test_no_email_reminder_once_consent_or_the_request_is_gone(
    app, mail_client, sink, clock, email_case
):
    unsafe_now, purged = email_case(), email_case()
    run_hourly(app, clock, hours=24 * 2)
    with app.app_context():
        db.session.get(HelpRequest, unsafe_now.id).safe_to_message = "no"
        db.session.delete(db.session.get(HelpRequest, purged.id))
        db.session.commit()
    assert send_mail(app) == (0, 2)  # each built as nothing: given up, not sent
    assert sink.messages == []


def test_texts_come_before_email(app, mail_client, sink, clock, email_case):
    case = email_case(reach_by=("text", "email"))
    run_hourly(app, clock, hours=24 * 2)
    (message,) = messages(app, request_id=case.id)
    assert message.channel == "sms"
    with app.app_context():
        assert db.session.execute(db.select(Reminder.channel)).scalar_one() == "sms"


def test_the_case_page_shows_each_reminders_channel(
    app, client, clock, email_case, make_staff, login_as
):
    case = email_case()
    run_hourly(app, clock, hours=24 * 2)
    login_as(client, make_staff("reviewer"))
    page = client.get(f"/staff/cases/{case.reference}").get_data(as_text=True)
    assert '<th scope="col">By</th>' in page and "<td>Email</td>" in page
    assert "Sent by email" in page
