"""The forms of the case page's follow-up sections (reaching the person,
callbacks, referrals, conflict check) and what those sections show.

Kept apart from the views so the case page (``triage.render_case``) can build
them without importing the views that post them.
"""

from datetime import time

from flask_login import current_user
from flask_wtf import FlaskForm
from wtforms import BooleanField, DateField, RadioField, SelectField, StringField, TextAreaField
from wtforms.fields.choices import SelectChoice
from wtforms.validators import DataRequired, InputRequired, Length, Optional

from intake import timeutil
from intake.cases import conflicts, packet_links
from intake.db import db
from intake.law import working_days
from intake.models import HelpRequest, ReferralOrganisation
from intake.models.outcome import OUTCOME_LABELS
from intake.staff.cases.casework import case_staff
from intake.staff.followup import outreach, referrals
from intake.staff.roles import can


def options(pairs, blank: bool = False) -> list[SelectChoice]:
    """WTForms choices from (value, label) pairs, "Choose…" first when ``blank``."""
    return [
        SelectChoice(v, str(label))
        for v, label in ([("", "Choose…")] if blank else []) + list(pairs)
    ]


class ContactForm(FlaskForm):
    channel = SelectField(
        "How",
        choices=options(outreach.CHANNELS.items(), blank=True),
        validators=[DataRequired("Choose how you tried to reach the person.")],
    )
    outcome = RadioField(
        "What happened",
        choices=options(outreach.OUTCOMES.items()),
        validators=[InputRequired("Choose what happened.")],
    )
    contact = RadioField(
        "Who",
        choices=options([("applicant", "The applicant"), ("helper", "The helper")]),
        validators=[Optional()],
    )
    note = TextAreaField(
        "Note",
        description="Optional. Short; never what the person told you in detail.",
        validators=[Length(max=outreach.NOTE_MAX)],
    )
    override_reason = TextAreaField(
        "Why write or leave a message anyway",
        description=(
            "Needed for “Left a message”, and for any text, WhatsApp, email or letter, "
            "when the applicant did not say a message is safe."
        ),
        validators=[Length(max=outreach.NOTE_MAX)],
    )


class CallbackForm(FlaskForm):
    kind = RadioField(
        "Kind",
        choices=options(outreach.CALLBACK_KINDS.items()),
        default="callback",
        validators=[InputRequired("Choose a callback or an appointment.")],
    )
    day = DateField("Date", validators=[InputRequired("Enter the date, such as 2026-12-01.")])
    at = StringField(
        "Time (office time, 24-hour)",
        description="For example 14:30.",
        validators=[InputRequired("Enter the time, such as 14:30."), Length(max=5)],
    )
    owner = SelectField(
        "Who will call", validators=[DataRequired("Choose who will make the call.")]
    )
    note = TextAreaField(
        "Note", description="Optional.", validators=[Length(max=outreach.NOTE_MAX)]
    )

    def due_at(self, zone) -> "tuple | None":
        """The stored (UTC) time, or None with an error on ``at``."""
        try:
            hours, minutes = (int(p) for p in (self.at.data or "").split(":"))
            wall = time(hours, minutes)
        except ValueError:
            self.at.errors = [
                *self.at.errors,
                "Enter the time as hours and minutes, such as 14:30.",
            ]
            return None
        return working_days.from_office(self.day.data, wall, zone)


class CallbackCloseForm(FlaskForm):
    state = SelectField(
        "Mark",
        choices=options([("done", "Done"), ("missed", "Missed")]),
        validators=[DataRequired("Choose done or missed.")],
    )


class ReferralForm(FlaskForm):
    organisation = SelectField(
        "Organisation", validators=[DataRequired("Choose an organisation from the directory.")]
    )
    method = SelectField(
        "How",
        choices=options(referrals.METHODS.items(), blank=True),
        validators=[DataRequired("Choose how the referral was made.")],
    )
    made_on = DateField(
        "Referred on", validators=[InputRequired("Enter the date, such as 2026-12-01.")]
    )
    follow_up_on = DateField("Follow up on", description="Optional.", validators=[Optional()])
    consent_confirmed = BooleanField(
        "The applicant told me they agree to share their request with this organisation"
    )
    note = TextAreaField(
        "Note", description="Optional.", validators=[Length(max=referrals.NOTE_MAX)]
    )


class OutcomeForm(FlaskForm):
    outcome = SelectField(
        "Outcome",
        choices=options(referrals.OUTCOMES.items(), blank=True),
        validators=[DataRequired("Choose the outcome.")],
    )
    outcome_on = DateField("On", validators=[InputRequired("Enter the date, such as 2026-12-01.")])
    follow_up_on = DateField("Follow up on", description="Optional.", validators=[Optional()])


class PacketForm(FlaskForm):
    """Send or withdraw a referral packet's link: a button, with the CSRF token."""


class AdversePartyForm(FlaskForm):
    relationship = SelectField(
        "Who they are",
        choices=options(conflicts.RELATIONSHIPS.items(), blank=True),
        validators=[DataRequired("Choose who this person is to the applicant.")],
    )
    name = StringField(
        "Name",
        validators=[DataRequired("Enter the person's name."), Length(max=conflicts.NAME_MAX)],
    )
    born = DateField(
        "Date of birth", description="Optional, such as 1980-03-02.", validators=[Optional()]
    )


def fill_owner_choices(form: CallbackForm) -> None:
    form.owner.choices = options(
        [(str(s.id), f"{s.email} ({s.role})") for s in case_staff()], blank=True
    )


def fill_organisation_choices(form: ReferralForm) -> None:
    form.organisation.choices = options(
        [(str(o.id), o.name) for o in referrals.directory(active_only=True)], blank=True
    )


def new_forms(help_request: HelpRequest, given: dict) -> dict:
    """The follow-up forms: those given (posted, with their errors) and fresh ones."""
    calendar = outreach.office_calendar()
    today = calendar.today()
    fresh = {
        "contact_form": lambda: ContactForm(
            formdata=None, contact=outreach.contact_person(help_request.asker)
        ),
        "callback_form": lambda: CallbackForm(
            formdata=None, day=today, owner=str(current_user.id), kind="callback"
        ),
        "referral_form": lambda: ReferralForm(formdata=None, made_on=today),
        "adverse_form": lambda: AdversePartyForm(formdata=None),
    }
    forms = {name: given.get(name) or make() for name, make in fresh.items()}
    fill_owner_choices(forms["callback_form"])
    fill_organisation_choices(forms["referral_form"])
    return forms


FORM_PREFIXES = {
    "contact_form": "contact-",
    "callback_form": "callback-",
    "referral_form": "referral-",
    "adverse_form": "adverse-",
}


def case_sections(help_request: HelpRequest, given: dict) -> dict:
    """Everything the follow-up sections of the case page show."""
    calendar = outreach.office_calendar()
    forms = new_forms(help_request, given)
    organisations = {o.id: o for o in referrals.directory()}
    made = referrals.referrals_of(help_request)
    packets: dict[int, list] = {}
    for packet in packet_links.packets_of([r.id for r in made]):
        packets.setdefault(packet.referral_id, []).append(packet)
    reported: dict[int, list] = {}
    for outcome in packet_links.receiver_outcomes_of([r.id for r in made]):
        reported.setdefault(outcome.referral_id, []).append(outcome)
    return {
        **forms,
        "referral_outcome_form": given.get("referral_outcome_form") or OutcomeForm(formdata=None),
        "fresh_outcome_form": lambda referral: OutcomeForm(
            formdata=None, outcome_on=calendar.today(), follow_up_on=referral.follow_up_on
        ),
        "referral_outcome_for": given.get("referral_outcome_for"),
        "attempts": outreach.attempts_of(help_request),
        "callbacks": outreach.callbacks_of(help_request),
        "close_form": CallbackCloseForm(formdata=None),
        "message_safe": outreach.message_is_safe(help_request.safe_to_message),
        "contact_person": outreach.contact_person(help_request.asker),
        "overdue": outreach.is_overdue(help_request, calendar),
        "reply_due": working_days.reply_due(
            working_days.office_date(help_request.created_at, calendar.zone),
            calendar.reply_days,
            calendar.closed,
        ),
        "unreached_ok": outreach.can_close_unreached(help_request),
        "unreached_policy": outreach.unreached_policy(),
        "suggestions": referrals.suggestions(help_request),
        "referrals": made,
        "packets": packets,
        "receiver_outcomes": reported,
        "receiver_outcome_labels": OUTCOME_LABELS,
        "packet_form": PacketForm(formdata=None),
        "packet_consent": lambda referral: packet_links.has_consent(help_request, referral),
        "packet_recipient": lambda org: packet_links.recipient_of(org) if org else None,
        "organisations": organisations,
        "adverse_parties": conflicts.adverse_parties_of(help_request),
        "conflict_check": conflicts.check(help_request, current_user, can("cases.all")),
        "office_zone": calendar.zone,
        "to_office": lambda moment: working_days.to_office(moment, calendar.zone),
        "channel_labels": outreach.CHANNELS,
        "contact_outcome_labels": outreach.OUTCOMES,
        "callback_kinds": outreach.CALLBACK_KINDS,
        "callback_states": outreach.CALLBACK_STATES,
        "method_labels": referrals.METHODS,
        "consent_labels": referrals.CONSENT,
        "referral_outcomes": referrals.OUTCOMES,
        "relationship_labels": conflicts.RELATIONSHIPS,
        "now_utc": timeutil.utcnow(),
    }


def organisation_of(org_id: str | None) -> ReferralOrganisation | None:
    return (
        db.session.get(ReferralOrganisation, int(org_id)) if org_id and org_id.isdigit() else None
    )
