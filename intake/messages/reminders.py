"""Reminders of the dates the rules know: ``flask --app intake send-reminders``.

Safe to run every hour (the README says how to schedule it). Each run, for every
open request whose person said messages are safe and chose text, WhatsApp or
email (with an address), and whose reminders staff have not stopped:

- the dated things are read from the stored facts, as the rules read them: the
  court hearing, the asylum-office interview or ICE check-in, the credible- or
  reasonable-fear interview, and every deadline ``intake.law.deadlines``
  computes (the voluntary-departure date among them), each on its earliest
  reading; a move the court has not been told of (the 5-day change-of-address
  duty, which has no date the form knows) is reminded once, within 5 days of
  the request;
- a reminder is due when today, in the office's time zone (``timeutil.today``),
  is exactly ``REMINDER_OFFSETS_DAYS`` days before one of them. Only that day:
  a run that missed it sends nothing late;
- each (request, thing, date, days before) is attempted once: a ``Reminder`` row
  with a unique key records it, with the message queued or why none could be
  (the number sent STOP, WhatsApp's 24-hour rule...) and the channel it went
  by, and staff see them on the case page. The row and the message are
  committed together.

The channel: text or WhatsApp as ``sending.choose_channel`` picks it; outside
WhatsApp's 24 hours, when the person can get no text, the approved WhatsApp
template ``reminder`` in their language (``TEMPLATE``: the minimal wording, its
one variable the date) if WHATSAPP_TEMPLATES lists it. A person who chose email
and neither texts nor WhatsApp is emailed through the outbox (``MAIL_KIND``):
the message is built when it is sent, and nothing is sent if meanwhile staff
stopped reminders, consent changed, or the request was closed or deleted.

The words are minimal unless staff chose detailed reminders for the case: a
phone may be seen or seized, so by default the text says only the organisation,
"an important appointment", the date and the organisation's number; never the
person's name, the legal matter or a status code. They are in the person's
language: the language they prefer when it is one the public pages are
translated into, else the one they used the form in, else English. The texts
are ordinary catalogue strings (``pybabel extract`` finds them here) and each
of the public languages has them (tests/messages/test_reminders.py checks).
"""

from dataclasses import dataclass
from datetime import date, timedelta
from email.message import EmailMessage

import click
from babel.dates import format_date
from flask import Flask, current_app
from flask_babel import force_locale, gettext
from flask_babel import lazy_gettext as _l
from sqlalchemy import select
from sqlalchemy.exc import IntegrityError

from intake import locales, timeutil
from intake.cases import audit, stored_facts
from intake.db import db
from intake.law.deadlines import deadlines
from intake.law.working_days import office_date
from intake.mail import registry
from intake.messages import consent, sending
from intake.models import HelpRequest, Message, Reminder
from intake.models.help_request import OPEN_STATUSES

QUEUED = "queued"
CHANGE_OF_ADDRESS = "change_of_address"
EMAIL = "email"
# The outbox kind of a reminder by email: "reminder:<Reminder id>".
MAIL_KIND = "reminder"
# The approved WhatsApp template of a dated reminder, as listed in
# WHATSAPP_TEMPLATES ("reminder/es=HX..."): the minimal wording, its one
# variable {{1}} the date (docs/messaging.md).
TEMPLATE = "reminder"
NO_TEMPLATE = "WhatsApp: over 24 hours, no approved reminder template"
CHANNEL_LABELS = {**consent.CHANNEL_LABELS, EMAIL: "Email"}
ADDRESS_DAYS = 5
# What each dated thing is called in a detailed reminder; a deadline the rules
# compute that is not named here is "a deadline in your immigration case".
WHAT = {
    "hearing": _l("your immigration court hearing"),
    "asylum_office": _l("your interview at the asylum office"),
    "ice_check_in": _l("your check-in with ICE"),
    "fear_interview": _l("your credible-fear or reasonable-fear interview"),
    "voluntary_departure": _l("the last day to leave the United States under voluntary departure"),
}
A_DEADLINE = _l("a deadline in your immigration case")
MINIMAL = _l("%(organisation)s: a reminder of an important appointment on %(date)s.")
DETAILED = _l("%(organisation)s: a reminder of %(what)s on %(date)s.")
ADDRESS_MINIMAL = _l("%(organisation)s: a reminder of something important to do within 5 days.")
ADDRESS_DETAILED = _l(
    "%(organisation)s: if you have moved, tell the immigration court your new address "
    "within 5 days (Form EOIR-33)."
)
QUESTIONS = _l("Questions? Call %(phone)s.")
TEXTS = (
    *WHAT.values(),
    A_DEADLINE,
    MINIMAL,
    DETAILED,
    ADDRESS_MINIMAL,
    ADDRESS_DETAILED,
    QUESTIONS,
)
# A language the person prefers (intake.cases.choice_lists) as the catalogue
# that speaks it, where the code differs.
CATALOGUE_OF = {"pt": "pt_BR", "prs": "fa_AF", "fa": "fa_AF", "zh-cmn": "zh_Hans"}
# How staff read each dated thing in the list of reminders sent.
KIND_LABELS = {
    "hearing": "Court hearing",
    "asylum_office": "Asylum-office interview",
    "ice_check_in": "ICE check-in",
    "appointment": "Asylum-office interview or ICE check-in",
    "fear_interview": "Fear interview",
    CHANGE_OF_ADDRESS: "Change of address (5 days)",
}


@dataclass(frozen=True)
class Due:
    kind: str
    on: date
    days_before: int


def dated_things(stored: dict, today: date) -> list[tuple[date, str]]:
    """(date, kind) of every dated thing the rules know from the stored facts."""
    facts = stored_facts.to_rules(stored)
    found = set()
    if facts.hearing_date:
        found.add((facts.hearing_date, "hearing"))
    if facts.appointment_date:
        kind = stored.get("appointment_kind")
        found.add(
            (
                facts.appointment_date,
                kind if kind in ("asylum_office", "ice_check_in") else "appointment",
            )
        )
    if facts.fear_interview_date:
        found.add((facts.fear_interview_date, "fear_interview"))
    # "As soon as possible" has no day to count back from.
    found.update((d.due, d.kind) for d in deadlines(facts, today) if not d.asap)
    return sorted(found)


def must_tell_court_of_move(stored: dict) -> bool:
    """Moved (or not sure) since the court last had the address, and in proceedings."""
    facts = stored_facts.to_rules(stored)
    in_proceedings = (
        facts.hearing != "no" or facts.hearing_date is not None or facts.judge_decided != "no"
    )
    return facts.moved != "no" and in_proceedings


def due_on(help_request: HelpRequest, stored: dict, today: date, offsets) -> list[Due]:
    """The reminders due today: exactly ``offsets`` days before each dated thing."""
    due = [
        Due(kind, on, days)
        for on, kind in dated_things(stored, today)
        for days in offsets
        if on - timedelta(days=days) == today
    ]
    sent_on = office_date(help_request.created_at, timeutil.office_zone())
    if must_tell_court_of_move(stored) and today - sent_on <= timedelta(days=ADDRESS_DAYS):
        due.append(Due(CHANGE_OF_ADDRESS, sent_on, 0))
    return due


def language_of(help_request: HelpRequest) -> str:
    """The catalogue to write in: preferred language, else the form's, else English."""
    offered = current_app.config["LANGUAGES"]
    preferred = help_request.preferred_language or ""
    for code in (CATALOGUE_OF.get(preferred, preferred), help_request.interface_language):
        if code in offered:
            return code
    return locales.DEFAULT


def date_in(on: date, language: str) -> str:
    """``on`` as the reminder writes it in ``language`` ("9 de mayo de 2026")."""
    return format_date(on, "long", locale=locales.FORMAT_LOCALES.get(language, language))


def wording(due: Due, language: str, detailed: bool) -> str:
    """The reminder's text in ``language``."""
    cfg = current_app.config
    with force_locale(language):
        names = {"organisation": cfg["ORGANISATION_NAME"], "date": date_in(due.on, language)}
        if due.kind == CHANGE_OF_ADDRESS:
            text = gettext(ADDRESS_DETAILED if detailed else ADDRESS_MINIMAL, **names)
        elif detailed:
            text = gettext(DETAILED, what=str(WHAT.get(due.kind, A_DEADLINE)), **names)
        else:
            text = gettext(MINIMAL, **names)
        if cfg.get("HELPLINE_PHONE"):
            text += " " + gettext(QUESTIONS, phone=cfg["HELPLINE_PHONE"])
    return text


def subject(due: Due, language: str) -> str:
    """An emailed reminder's subject: the minimal wording, whatever the body says
    (a subject is read in lists and notifications)."""
    cfg = current_app.config
    with force_locale(language):
        if due.kind == CHANGE_OF_ADDRESS:
            return gettext(ADDRESS_MINIMAL, organisation=cfg["ORGANISATION_NAME"])
        return gettext(
            MINIMAL, organisation=cfg["ORGANISATION_NAME"], date=date_in(due.on, language)
        )


def phone_channels(stored: dict) -> list[str]:
    """The message channels the person chose, in ``consent.CHANNELS`` order."""
    chosen = consent.reach_by(stored)
    return [c for c in consent.CHANNELS if consent.CONSENT_WORD[c] in chosen]


def by_email(help_request: HelpRequest, stored: dict) -> bool:
    """Reminded by email: the person chose email and gave an address, and chose
    neither texts nor WhatsApp (those come first: a phone is where people read)."""
    return (
        EMAIL in consent.reach_by(stored)
        and bool(help_request.email)
        and not phone_channels(stored)
    )


def may_be_reminded(help_request: HelpRequest, stored: dict) -> bool:
    """Consent to texts, WhatsApp or email, given beside "safe to leave a
    message"; the rest (STOP, WhatsApp's rule) is asked of
    ``sending.choose_channel``."""
    return (
        help_request.safe_to_message == "yes"
        and not help_request.reminders_stopped
        and (bool(phone_channels(stored)) or by_email(help_request, stored))
    )


def already_attempted(request_id: int, due: Due) -> bool:
    return (
        db.session.execute(
            select(Reminder.id).where(
                Reminder.request_id == request_id,
                Reminder.kind == due.kind,
                Reminder.event_on == due.on,
                Reminder.days_before == due.days_before,
            )
        ).first()
        is not None
    )


def remind(help_request: HelpRequest, due: Due, today: date) -> Reminder:
    """Queue one reminder (or record why it could not be sent), not committed."""
    stored = stored_facts.loads(help_request.facts)
    language = language_of(help_request)
    detailed = help_request.reminders_detailed
    now = timeutil.utcnow()
    reminder = Reminder(
        request_id=help_request.id,
        kind=due.kind,
        event_on=due.on,
        days_before=due.days_before,
        language=language,
        detailed=detailed,
        created_at=now,
    )
    if by_email(help_request, stored):
        reminder.channel, reminder.outcome = EMAIL, QUEUED
        db.session.add(reminder)
        db.session.flush()
        registry.queue(MAIL_KIND, str(reminder.id), now)
        return reminder
    channel, why = sending.choose_channel(help_request, stored, None, None, now, language)
    template = None
    chosen = phone_channels(stored)
    if channel is None:
        # Why not, as it reads for a channel the person chose (not one they did not).
        if chosen:
            why = sending.choose_channel(help_request, stored, None, chosen[0], now, language)[1]
        # Outside WhatsApp's 24 hours: the approved template, when there is one.
        if consent.WHATSAPP in chosen and due.kind != CHANGE_OF_ADDRESS:
            if sending.approved_content(TEMPLATE, language):
                channel, _ = sending.choose_channel(
                    help_request, stored, TEMPLATE, consent.WHATSAPP, now, language
                )
                template = TEMPLATE if channel else None
            elif why == sending.OUTSIDE_WINDOW:
                why = NO_TEMPLATE
    message = None
    if channel:
        detailed = detailed and template is None  # the approved wording is the minimal one
        message = sending.send_to_request(
            help_request,
            wording(due, language, detailed),
            channel=channel,
            template=template,
            kind="reminder",
            now=now,
            language=language,
        )
        why = "" if message else "refused"
    reminder.message_id = message.id if message else None
    reminder.channel = message.channel if message else None
    reminder.outcome = QUEUED if message else f"not sent: {why}"[:80]
    reminder.detailed = detailed
    db.session.add(reminder)
    return reminder


def template_variables(message: Message) -> dict[str, str]:
    """The approved reminder template's variable: {{1}}, the date, in the
    message's language (the organisation's name and number are in the template)."""
    reminder = db.session.execute(
        select(Reminder).where(Reminder.message_id == message.id)
    ).scalar_one_or_none()
    if reminder is None:
        return {}
    return {"1": date_in(reminder.event_on, message.language or reminder.language)}


def email_message(reminder_id: str, _base: str) -> EmailMessage | None:
    """A reminder by email, built when it is sent: None (nothing is sent) when the
    reminder or its request is gone, the request is closed, staff stopped its
    reminders, or the person no longer consents (email chosen, an address,
    messages safe)."""
    reminder = db.session.get(Reminder, int(reminder_id)) if reminder_id.isdigit() else None
    help_request = db.session.get(HelpRequest, reminder.request_id) if reminder else None
    if help_request is None or help_request.status not in {s.value for s in OPEN_STATUSES}:
        return None
    stored = stored_facts.loads(help_request.facts)
    if not may_be_reminded(help_request, stored) or not by_email(help_request, stored):
        return None
    due = Due(reminder.kind, reminder.event_on, reminder.days_before)
    return registry.email(
        subject(due, reminder.language),
        current_app.config["MAIL_FROM"],
        help_request.email,
        wording(due, reminder.language, reminder.detailed) + "\n",
    )


registry.register(MAIL_KIND, email_message)
sending.CONTENT_VARIABLES["reminder"] = template_variables


def send_due(today: date | None = None) -> dict[str, int]:
    """One run: every reminder due today, each committed with its message."""
    today = today or timeutil.today()
    offsets = current_app.config["REMINDER_OFFSETS_DAYS"]
    counts = {"queued": 0, "not_sent": 0}
    ids = (
        db.session.execute(
            select(HelpRequest.id).where(
                HelpRequest.status.in_([s.value for s in OPEN_STATUSES]),
                HelpRequest.safe_to_message == "yes",
                HelpRequest.reminders_stopped.is_(False),
            )
        )
        .scalars()
        .all()
    )
    for request_id in ids:
        help_request = db.session.get(HelpRequest, request_id)
        if help_request is None:  # purged meanwhile
            continue
        stored = stored_facts.loads(help_request.facts)
        if not may_be_reminded(help_request, stored):
            continue
        for due in due_on(help_request, stored, today, offsets):
            if already_attempted(request_id, due):
                continue
            reminder = remind(help_request, due, today)
            try:
                db.session.commit()
            except IntegrityError:  # another run took it first (the unique key)
                db.session.rollback()
                continue
            counts["queued" if reminder.outcome == QUEUED else "not_sent"] += 1
        db.session.expire_all()
    return counts


def set_choice(help_request: HelpRequest, *, stopped=None, detailed=None, actor=None) -> None:
    """Staff stop or restart reminders for a case, or choose their wording (audited,
    not committed)."""
    if stopped is not None and stopped != help_request.reminders_stopped:
        help_request.reminders_stopped = stopped
        audit.record(
            "reminders.stopped" if stopped else "reminders.restarted",
            "request",
            help_request.reference,
            actor_id=getattr(actor, "id", None),
        )
    if detailed is not None and detailed != help_request.reminders_detailed:
        help_request.reminders_detailed = detailed
        audit.record(
            "reminders.detailed" if detailed else "reminders.minimal",
            "request",
            help_request.reference,
            actor_id=getattr(actor, "id", None),
        )


def sent_for(help_request: HelpRequest) -> list[Reminder]:
    """Every reminder attempted for a case, newest first (for the case page)."""
    return list(
        db.session.execute(
            select(Reminder)
            .where(Reminder.request_id == help_request.id)
            .order_by(Reminder.created_at.desc(), Reminder.id.desc())
        ).scalars()
    )


def channel_label(reminder: Reminder) -> str:
    """How staff read the channel a reminder went by ("" when none)."""
    return CHANNEL_LABELS.get(reminder.channel or "", "")


def kind_label(kind: str) -> str:
    """How staff read a dated thing (a deadline: its code, in words)."""
    return KIND_LABELS.get(kind, kind.replace("_", " ").capitalize())


def init_app(app: Flask) -> None:
    @app.cli.command("send-reminders")
    def send_reminders_command():
        """Send the reminders due today (safe to run every hour)."""
        counts = send_due()
        click.echo(f"Reminders: {counts['queued']} queued, {counts['not_sent']} could not be sent.")
