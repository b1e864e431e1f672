"""After the queue: the case page's follow-up forms, and "my callbacks" (the week).

Views translate HTTP to the functions in ``outreach``, ``referrals`` (beside this module)
and ``intake.cases.conflicts`` and back; a refused change re-shows the case page (400)
with the message beside its field and everything typed kept.

    POST /staff/cases/<reference>/contacts                     staff.followup.record_contact
    POST /staff/cases/<reference>/callbacks                    staff.followup.book_callback
    POST /staff/cases/<reference>/callbacks/<id>               staff.followup.close_callback
    POST /staff/cases/<reference>/referrals                    staff.followup.refer
    POST /staff/cases/<reference>/referrals/<id>               staff.followup.referral_outcome
    POST /staff/cases/<reference>/referrals/<id>/packet        staff.followup.send_packet
    POST /staff/cases/<reference>/referrals/<id>/packet/<p>/revoke
                                                               staff.followup.revoke_packet
    POST /staff/cases/<reference>/adverse-parties              staff.followup.add_adverse_party
    GET  /staff/callbacks                                      staff.followup.my_callbacks
"""

from datetime import timedelta

from flask import Blueprint, abort, flash, render_template
from flask_login import current_user

from intake.cases import conflicts, packet_links
from intake.db import db
from intake.law import working_days
from intake.models import (
    Callback,
    HelpRequest,
    Referral,
    ReferralOrganisation,
    ReferralPacket,
    StaffUser,
)
from intake.staff.cases.casework import case_staff
from intake.staff.cases.views import back_to_case, load_case, render_case
from intake.staff.followup import outreach, referrals
from intake.staff.followup.forms import (
    AdversePartyForm,
    CallbackCloseForm,
    CallbackForm,
    ContactForm,
    OutcomeForm,
    PacketForm,
    ReferralForm,
    fill_organisation_choices,
    fill_owner_choices,
    organisation_of,
)

bp = Blueprint("followup", __name__)

REFUSED = (outreach.OutreachError, referrals.ReferralError, conflicts.ConflictError)
# The section of the case page each form belongs to: a saved form comes back there.
SECTIONS = {
    "contact_form": "reaching",
    "callback_form": "callbacks",
    "referral_form": "referral",
    "referral_outcome_form": "referral",
    "adverse_form": "conflicts",
}


def _change_or_show(
    help_request, form, form_name: str, change, error_field: str, done: str, **shown
):
    """Run ``change`` when the form is valid; otherwise, or when the rules refuse
    it, show the case page again with the message beside ``error_field``
    (``shown``: more for the case page, such as which referral's form it was)."""
    if form.validate_on_submit():
        try:
            change()
        except REFUSED as exc:
            db.session.rollback()
            form[error_field].errors = [*form[error_field].errors, str(exc)]
        else:
            flash(done, "success")
            return back_to_case(help_request, SECTIONS[form_name])
    return render_case(help_request, 400, **{form_name: form}, **shown)


@bp.post("/cases/<reference>/contacts")
def record_contact(reference: str):
    help_request = load_case(reference)
    form = ContactForm()

    def change():
        outreach.record_contact_attempt(
            help_request,
            current_user,
            channel=form.channel.data,
            outcome=form.outcome.data,
            note=form.note.data,
            override_reason=form.override_reason.data,
            contact=form.contact.data or outreach.contact_person(help_request.asker),
        )

    error_field = (
        "override_reason"
        if outreach.needs_override(
            help_request.safe_to_message, form.outcome.data or "", form.channel.data or ""
        )
        else "outcome"
    )
    return _change_or_show(
        help_request, form, "contact_form", change, error_field, "Attempt logged."
    )


@bp.post("/cases/<reference>/callbacks")
def book_callback(reference: str):
    help_request = load_case(reference)
    form = CallbackForm()
    fill_owner_choices(form)
    zone = outreach.office_calendar().zone

    def change():
        due_at = form.due_at(zone)
        if due_at is None:
            raise outreach.OutreachError("Enter the time as hours and minutes, such as 14:30.")
        owner = db.session.get(StaffUser, int(form.owner.data))
        if owner not in case_staff():
            raise outreach.OutreachError("Choose who will make the call.")
        outreach.book_callback(
            help_request,
            current_user,
            owner=owner,
            due_at=due_at,
            kind=form.kind.data,
            note=form.note.data,
        )

    return _change_or_show(help_request, form, "callback_form", change, "at", "Callback booked.")


def _of_case(model: type[Callback] | type[Referral], row_id: int, help_request: HelpRequest):
    """The case's own callback or referral; 404 when there is none with that id
    or it belongs to another case."""
    row = db.session.get(model, row_id)
    if row is None or row.request_id != help_request.id:
        abort(404)
    return row


@bp.post("/cases/<reference>/callbacks/<int:callback_id>")
def close_callback(reference: str, callback_id: int):
    help_request = load_case(reference)
    callback = _of_case(Callback, callback_id, help_request)
    form = CallbackCloseForm()
    if not form.validate_on_submit():
        abort(400)
    try:
        outreach.close_callback(callback, current_user, form.state.data, help_request.reference)
    except outreach.OutreachError as exc:
        db.session.rollback()
        flash(str(exc), "error")
        return back_to_case(help_request, "callbacks")
    flash(f"Callback marked {form.state.data}.", "success")
    return back_to_case(help_request, "callbacks")


@bp.post("/cases/<reference>/referrals")
def refer(reference: str):
    help_request = load_case(reference)
    form = ReferralForm()
    fill_organisation_choices(form)

    def change():
        referrals.refer(
            help_request,
            current_user,
            organisation=organisation_of(form.organisation.data),
            method=form.method.data,
            made_on=form.made_on.data,
            staff_confirms_consent=form.consent_confirmed.data,
            follow_up_on=form.follow_up_on.data,
            note=form.note.data,
        )

    error_field = (
        "consent_confirmed"
        if referrals.consent_basis(help_request.share_consent, form.consent_confirmed.data) is None
        else "organisation"
    )
    return _change_or_show(
        help_request, form, "referral_form", change, error_field, "Referral recorded."
    )


@bp.post("/cases/<reference>/referrals/<int:referral_id>")
def referral_outcome(reference: str, referral_id: int):
    help_request = load_case(reference)
    referral = _of_case(Referral, referral_id, help_request)
    form = OutcomeForm()

    def change():
        referrals.record_outcome(
            referral,
            current_user,
            help_request.reference,
            outcome=form.outcome.data,
            outcome_on=form.outcome_on.data,
            follow_up_on=form.follow_up_on.data,
        )

    return _change_or_show(
        help_request,
        form,
        "referral_outcome_form",
        change,
        "outcome",
        "Outcome recorded.",
        referral_outcome_for=referral.id,
    )


@bp.post("/cases/<reference>/referrals/<int:referral_id>/packet")
def send_packet(reference: str, referral_id: int):
    """Send the referral packet's link to the organisation and show the code once:
    the staff member tells it to the receiver by phone. Never flashed (the
    session cookie would carry it) and never shown again."""
    help_request = load_case(reference)
    referral = _of_case(Referral, referral_id, help_request)
    if not PacketForm().validate_on_submit():
        abort(400)
    try:
        sent = packet_links.send(help_request, referral, current_user)
    except packet_links.LinkError as exc:
        db.session.rollback()
        flash(str(exc), "error")
        return back_to_case(help_request, "referral")
    return render_template(
        "staff/followup/packet_sent.html",
        case=help_request,
        code=sent.code,
        packet=sent.packet,
        organisation=db.session.get(ReferralOrganisation, referral.organisation_id),
    )


@bp.post("/cases/<reference>/referrals/<int:referral_id>/packet/<int:packet_id>/revoke")
def revoke_packet(reference: str, referral_id: int, packet_id: int):
    help_request = load_case(reference)
    referral = _of_case(Referral, referral_id, help_request)
    packet = db.session.get(ReferralPacket, packet_id)
    if packet is None or packet.referral_id != referral.id:
        abort(404)
    if not PacketForm().validate_on_submit():
        abort(400)
    try:
        packet_links.revoke(packet, help_request.reference, current_user)
    except packet_links.LinkError as exc:
        db.session.rollback()
        flash(str(exc), "error")
    else:
        flash("The link was withdrawn: it opens nothing any more.", "success")
    return back_to_case(help_request, "referral")


@bp.post("/cases/<reference>/adverse-parties")
def add_adverse_party(reference: str):
    help_request = load_case(reference)
    form = AdversePartyForm()

    def change():
        conflicts.add_adverse_party(
            help_request,
            current_user,
            relationship=form.relationship.data,
            name=form.name.data,
            born=form.born.data,
        )

    return _change_or_show(
        help_request, form, "adverse_form", change, "name", "Adverse party recorded."
    )


@bp.get("/callbacks")
def my_callbacks():
    calendar = outreach.office_calendar()
    today = calendar.today()
    callbacks = outreach.my_callbacks(current_user, today, calendar)

    def to_office(moment):
        return working_days.to_office(moment, calendar.zone)

    # By office day, earlier ones nobody marked under today.
    by_day: dict = {}
    for callback in callbacks:
        by_day.setdefault(max(today, to_office(callback.due_at).date()), []).append(callback)
    ids = {c.request_id for c in callbacks}
    references = dict(
        db.session.execute(
            db.select(HelpRequest.id, HelpRequest.reference).where(HelpRequest.id.in_(ids))
        ).all()
    )
    return render_template(
        "staff/cases/callbacks.html",
        by_day=by_day,
        references=references,
        today=today,
        last_day=today + timedelta(days=outreach.WEEK - 1),
        start=working_days.office_day_bounds(today, calendar.zone)[0],
        to_office=to_office,
        kinds=outreach.CALLBACK_KINDS,
        states=outreach.CALLBACK_STATES,
        zone=calendar.zone,
    )
