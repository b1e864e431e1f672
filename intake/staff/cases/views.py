"""The staff triage queue and case pages.

A child of the /staff parent, which requires a login and the "cases"
permission for every page here; views translate HTTP to the functions in
``intake.staff.cases.casework`` and back.

    GET  /staff/                               staff.triage.queue
    POST /staff/take-next                      staff.triage.take_next
    GET  /staff/cases/<reference>              staff.triage.case
    POST /staff/cases/<reference>/notes        staff.triage.add_note
    POST /staff/cases/<reference>/assign       staff.triage.assign      (cases.all)
    POST /staff/cases/<reference>/status       staff.triage.change_status
    POST /staff/cases/<reference>/close        staff.triage.close
    POST /staff/cases/<reference>/screen       staff.triage.override_screen (cases.all)
    POST /staff/cases/<reference>/fact         staff.triage.correct_fact (cases.all)
    POST /staff/cases/<reference>/answer       staff.triage.correct_answer (cases.all)
    POST /staff/cases/<reference>/urgency      staff.triage.set_urgency (cases.all)
"""

from datetime import datetime
from urllib.parse import parse_qsl, urlencode

from flask import (
    Blueprint,
    abort,
    current_app,
    flash,
    redirect,
    render_template,
    request,
    url_for,
)
from flask_login import current_user
from flask_wtf import FlaskForm
from werkzeug.datastructures import MultiDict
from wtforms import (
    DateField,
    HiddenField,
    IntegerField,
    SelectChoice,
    SelectField,
    StringField,
    TextAreaField,
)
from wtforms.validators import DataRequired, InputRequired, Length, Optional, ValidationError

from intake import timeutil
from intake.cases import conflicts, live_urgency
from intake.db import db
from intake.law import sources
from intake.law.vocabulary import CLAIM_LABELS, CLAIM_TYPES, Urgency
from intake.letters import drafts as letters
from intake.mail import outbox
from intake.messages import reminders
from intake.models import Disposition, HelpRequest, Outcome, StaffUser
from intake.models.help_request import OPEN_STATUSES, STATUS_LABELS, TRANSITIONS
from intake.models.outcome import DISPOSITION_LABELS, OUTCOME_LABELS
from intake.staff.cases import casework
from intake.staff.cases import facts as case_facts
from intake.staff.cases.casework import CaseworkError, QueueFilters, StaleCase
from intake.staff.followup import forms as followup_forms
from intake.staff.followup import outreach
from intake.staff.messages import conversation
from intake.staff.roles import can, requires
from intake.timeutil import today, utcnow

bp = Blueprint("triage", __name__)


# --- forms -----------------------------------------------------------------------


class VersionedForm(FlaskForm):
    # The version of the case the person saw: a change to an older version is refused.
    version = IntegerField(widget=HiddenField.widget, validators=[InputRequired()])


class NoteForm(FlaskForm):
    text = TextAreaField(
        "Add a note",
        description="Internal: only staff see notes. Web and email addresses become links.",
        validators=[DataRequired("Write the note first."), Length(max=casework.NOTE_MAX)],
    )


class AssignForm(VersionedForm):
    assignee = SelectField("Assign to", validators=[Optional()])


class StatusForm(VersionedForm):
    status = SelectField("New status", validators=[DataRequired("Choose a status.")])
    reason = TextAreaField(
        "Reason",
        description="Required to move a case back or reopen it.",
        validators=[Length(max=casework.REASON_MAX)],
    )


class CloseForm(VersionedForm):
    """Closing asks one question: how it ended; the disposition decides the status."""

    disposition = SelectField(
        "How did it end?", validators=[DataRequired("Choose how the request ended.")]
    )
    reason = TextAreaField(
        "Reason for closing",
        validators=[DataRequired("Give a reason for closing."), Length(max=casework.REASON_MAX)],
    )


class OutcomeForm(FlaskForm):
    kind = SelectField(
        "Outcome",
        choices=[SelectChoice("", "Choose…")] + [SelectChoice(o.value, o.label) for o in Outcome],
        validators=[DataRequired("Choose an outcome.")],
    )
    happened_on = DateField(
        "Date it happened", validators=[DataRequired("Give the date it happened (YYYY-MM-DD).")]
    )


class ScreenForm(VersionedForm):
    screen = SelectField("Screen", validators=[Optional()])
    reason = TextAreaField(
        "Reason for the override",
        validators=[
            DataRequired("Give a reason for changing the screen."),
            Length(max=casework.REASON_MAX),
        ],
    )


class FactForm(VersionedForm):
    """Correct one fact; an empty date clears it."""

    fact = SelectField(
        "Fact to correct",
        choices=[
            SelectChoice(value, label)
            for value, label in [("", "Choose…"), *case_facts.CORRECTABLE.items()]
        ],
        validators=[DataRequired("Choose the fact to correct.")],
    )
    month = SelectField(
        "Month",
        choices=[
            SelectChoice(value, label)
            for value, label in [("", "Month"), *case_facts.MONTH_CHOICES]
        ],
    )
    day = StringField("Day (optional)", validators=[Length(max=2)])
    year = StringField("Year", validators=[Length(max=4)])
    reason = TextAreaField(
        "Reason for the correction",
        description="Required: where the right date comes from (a notice, a call...).",
        validators=[
            DataRequired("Give a reason for correcting the fact."),
            Length(max=casework.REASON_MAX),
        ],
    )

    def validate_month(self, field):
        try:
            self.value = case_facts.date_from_parts(self.day.data, field.data, self.year.data)
        except ValueError as exc:
            raise ValidationError(str(exc)) from exc


class AnswerForm(VersionedForm):
    """Correct one answer the rules read (a fear-screening result, the kind of hearing...)."""

    answer = SelectField(
        "Answer",
        choices=[
            SelectChoice(value, label)
            for value, label in [("", "Choose…"), *case_facts.ANSWER_CHOICES]
        ],
        validators=[DataRequired("Choose the answer to record.")],
    )
    reason = TextAreaField(
        "Reason for the correction",
        description="Required: where the right answer comes from (a notice, a call...).",
        validators=[
            DataRequired("Give a reason for correcting the answer."),
            Length(max=casework.REASON_MAX),
        ],
    )


class UrgencyForm(VersionedForm):
    urgency = SelectField(
        "Urgency",
        choices=[SelectChoice("", "As the rules say")]
        + [SelectChoice(u.value, casework.URGENCY_LABELS[u]) for u in Urgency],
        validators=[Optional()],
    )
    reason = TextAreaField(
        "Reason for setting the urgency",
        validators=[
            DataRequired("Give a reason for changing the urgency."),
            Length(max=casework.REASON_MAX),
        ],
    )


class ActionForm(FlaskForm):
    """A button that only needs CSRF protection (take the next case)."""


# --- the queue ------------------------------------------------------------------


@bp.get("/")
def queue():
    filters = QueueFilters.from_args(request.args)
    after = None
    if request.args.get("after"):
        after = casework.Cursor.decode(request.args["after"])
        if after is None:
            abort(400)
    rows, next_cursor = casework.queue_page(filters, current_user, after)
    rose = live_urgency.rose_since_seen(rows, current_user.id)
    staff = {s.id: s for s in casework.case_staff()} if casework.sees_all(current_user) else {}
    languages = casework.languages_in_use()
    return render_template(
        "staff/cases/queue.html",
        filters=filters,
        rows=rows,
        rose=rose,
        next_url=url_for(".queue", after=next_cursor.encode(), **filters.as_args())
        if next_cursor
        else None,
        first_url=url_for(".queue", **filters.as_args()) if after else None,
        counts=casework.status_counts(current_user),
        staff=staff,
        languages=languages,
        language_names=dict(languages),
        me=current_user.id,
        partners=casework.partner_names(),
        claim_types=CLAIM_TYPES,
        take_form=ActionForm(),
        # Admins look after the mail settings: they see notifications not delivered.
        mail_backlog=outbox.backlog() if can("staff") else None,
        # One url_for for the page, not one per row (each costs the language hooks).
        case_base=url_for(".case", reference="_")[:-1],
        # Each case link carries the filters, so the case can lead back to them.
        case_query=f"?{urlencode(from_queue(filters))}" if filters.as_args() else "",
        overdue_before=outreach.office_calendar().overdue_before(),
        open_statuses=OPEN_STATUSES,
        **_labels(),
    )


@bp.post("/take-next")
def take_next():
    if not ActionForm().validate_on_submit():
        abort(400)
    taken = casework.take_next(current_user)
    if taken is None:
        flash("There is no unassigned open case.", "info")
        return redirect(url_for(".queue"))
    flash(f"Case {taken.reference} is now assigned to you.", "success")
    return redirect(url_for(".case", reference=taken.reference))


# --- one case ---------------------------------------------------------------------


def queue_filters() -> QueueFilters:
    """The filters of the queue a case was opened from: its ``queue`` argument
    (the queue's own query string), read as the queue reads it, so only known
    filters come back and a link built from them can only lead to the queue."""
    return QueueFilters.from_args(MultiDict(parse_qsl(request.args.get("queue", "")[:600])))


def from_queue(filters: QueueFilters) -> dict[str, str]:
    """The argument a case URL carries to remember the queue's filters."""
    args = filters.as_args()
    return {"queue": urlencode(args)} if args else {}


def back_to_case(help_request: HelpRequest, section: str):
    """After a saved change: the case again at the section saved, or with
    "save and open the next" the next case in the same filtered queue."""
    filters = queue_filters()
    if request.form.get("then") == "next":
        following = casework.neighbour(help_request, filters, current_user)
        if following is None:
            flash("That was the last case in this queue.", "info")
            return redirect(url_for("staff.triage.queue", **filters.as_args()))
        return redirect(url_for("staff.triage.case", reference=following, **from_queue(filters)))
    return redirect(
        url_for(
            "staff.triage.case",
            reference=help_request.reference,
            **from_queue(filters),
            _anchor=section,
        )
    )


def load_case(reference: str) -> HelpRequest:
    """The case, if this person may see it (a volunteer: only cases assigned to them)."""
    help_request = casework.find_case(reference, current_user)
    if help_request is None:
        abort(404)
    return help_request


@bp.get("/cases/<reference>")
def case(reference: str):
    help_request = load_case(reference)
    # Today's reading of the facts; a band that fell since (an appeal window
    # closed) is stored here, as the queue's steps only carry it so far.
    facts_today = case_facts.read(help_request)
    case_facts.bring_row_up_to_date(help_request, facts_today)
    conflicts.index_request(help_request)  # requests older than the index join it
    casework.record_view(help_request)  # commits all three
    return render_case(help_request, facts_today=facts_today)


def render_case(
    help_request: HelpRequest,
    status_code: int = 200,
    stale: bool = False,
    facts_today: case_facts.CaseFacts | None = None,
    **forms,
):
    version = help_request.version
    facts_today = facts_today or case_facts.read(help_request)
    fact_form = forms.get("fact_form") or FactForm(formdata=None, version=version)
    answer_form = forms.get("answer_form") or AnswerForm(formdata=None, version=version)
    urgency_form = forms.get("urgency_form") or UrgencyForm(
        formdata=None,
        version=version,
        urgency=help_request.urgency if help_request.urgency_set_by_staff else "",
    )
    note_form = forms.get("note_form") or NoteForm(formdata=None)
    assign_form = forms.get("assign_form") or AssignForm(
        formdata=None, version=version, assignee=str(help_request.assignee_id or "")
    )
    status_form = forms.get("status_form") or StatusForm(formdata=None, version=version)
    outcome_form = forms.get("outcome_form") or OutcomeForm(formdata=None)
    closing_form = forms.get("closing_form") or CloseForm(formdata=None, version=version)
    closing_form.disposition.choices = _closing_choices(help_request)
    screen_form = forms.get("screen_form") or ScreenForm(
        formdata=None, version=version, screen=help_request.screen_override or ""
    )
    _fill_choices(help_request, assign_form, status_form, screen_form)
    for form in (
        assign_form,
        status_form,
        screen_form,
        fact_form,
        answer_form,
        urgency_form,
        closing_form,
    ):
        if stale or form.version.data is None:
            form.version.data = version
    prefixed = (
        ("note-", note_form),
        ("assign-", assign_form),
        ("status-", status_form),
        ("screen-", screen_form),
        ("fact-", fact_form),
        ("answer-", answer_form),
        ("urgency-", urgency_form),
        ("outcome-", outcome_form),
        ("close-", closing_form),
    )
    followup = followup_forms.case_sections(help_request, forms)
    prefixed += tuple(
        (prefix, followup[name]) for name, prefix in followup_forms.FORM_PREFIXES.items()
    ) + (
        (
            f"referral-outcome-{followup['referral_outcome_for']}-",
            followup["referral_outcome_form"],
        ),
    )
    errors = [
        (prefix + form[name].id, message)
        for prefix, form in prefixed
        for name, messages in form.errors.items()
        if name not in ("csrf_token", "version")
        for message in messages
    ]
    if any(
        form.csrf_token.errors or ("version" in form and form.version.errors)
        for _, form in prefixed[1:]
    ):
        errors.append(("main", "The form had expired or was incomplete: try again."))
    staff = {s.id: s for s in db.session.execute(db.select(StaffUser)).scalars()}
    filters = queue_filters()
    queue_arg = from_queue(filters)
    return (
        render_template(
            "staff/cases/case.html",
            queue_url=url_for("staff.triage.queue", **filters.as_args()),
            queue_arg=queue_arg,
            previous_case=casework.neighbour(help_request, filters, current_user, forward=False),
            next_case=casework.neighbour(help_request, filters, current_user),
            closing_form=closing_form,
            case=help_request,
            letters_sent=letters.letters_of(help_request.id),
            letter_kinds=letters.KINDS,
            stale=stale,
            errors=errors,
            note_form=note_form,
            assign_form=assign_form,
            status_form=status_form,
            screen_form=screen_form,
            fact_form=fact_form,
            answer_form=answer_form,
            urgency_form=urgency_form,
            facts=facts_today,
            asker_labels=case_facts.ASKER_LABELS,
            relief_labels=case_facts.RELIEF_LABELS,
            day_count_source=sources.SRC_DAY_COUNT,
            outcome_form=outcome_form,
            outcomes=casework.outcomes_of(help_request),
            duplicates=casework.find_duplicates(help_request, current_user),
            notes=casework.notes_of(help_request),
            reminders_sent=reminders.sent_for(help_request),
            reminder_form=ActionForm(formdata=None),
            reminder_kind=reminders.kind_label,
            reminder_channel=reminders.channel_label,
            history=casework.history_of(help_request),
            reasons=casework.json_list(help_request.reasons),
            flags=casework.json_list(help_request.flags),
            staff=staff,
            **followup,
            **conversation.case_section(help_request),
            **_labels(),
        ),
        status_code,
    )


def _fill_choices(help_request, assign_form, status_form, screen_form) -> None:
    assign_form.assignee.choices = [("", "Nobody")] + [
        (str(s.id), f"{s.email} ({s.role})") for s in casework.case_staff()
    ]
    # Closing is the close form's alone, which asks how the request ended; this
    # form only moves a case between the open statuses, or reopens it.
    next_statuses = [s for s in TRANSITIONS[help_request.status] if s in OPEN_STATUSES]
    status_form.status.choices = [("", "Choose…")] + [(s, STATUS_LABELS[s]) for s in next_statuses]
    screen_form.screen.choices = [("", "As computed")] + [
        (str(value), label) for value, label in casework.SCREEN_LABELS.items()
    ]


def _closing_choices(help_request: HelpRequest) -> list[tuple[str, str]]:
    """Every way an open case can end, as the close form offers them."""
    if help_request.status not in OPEN_STATUSES:
        return []
    return [("", "Choose…")] + [(d.value, d.label) for d in Disposition]


def _change_case(
    help_request: HelpRequest, form: FlaskForm, change, form_name: str, done: str, section: str
):
    """Run ``change`` if the form is valid; re-show the page with the errors, or
    with "someone else changed this case" (409) when the version is stale.
    Staleness is checked first: the choices offered depend on the case as it is now."""
    if (
        "version" in form
        and form.version.data is not None
        and form.version.data != (help_request.version)
    ):
        return render_case(help_request, 409, stale=True)
    if form.validate_on_submit():
        try:
            change()
        except StaleCase:
            db.session.rollback()
            db.session.refresh(help_request)
            return render_case(help_request, 409, stale=True)
        except CaseworkError as exc:
            db.session.rollback()
            # Shown next to the form's main field and in the error summary.
            form[exc.field or _error_field(form)].errors.append(str(exc))
            return render_case(help_request, 400, **{form_name: form})
        flash(done, "success")
        return back_to_case(help_request, section)
    return render_case(help_request, 400, **{form_name: form})


def _error_field(form: FlaskForm) -> str:
    return (
        "reason"
        if "reason" in form
        else next(n for n in form._fields if n not in ("csrf_token", "version"))
    )


# What each button of the reminders section changes, and what it then says.
REMINDER_CHOICES = {
    "stop": ({"stopped": True}, "Reminders stopped for this case."),
    "restart": ({"stopped": False}, "Reminders restarted for this case."),
    "detailed": ({"detailed": True}, "Reminders will say what each date is."),
    "minimal": (
        {"detailed": False},
        "Reminders will only say \u201can important appointment\u201d.",
    ),
}


@bp.post("/cases/<reference>/reminders")
def choose_reminders(reference: str):
    """Stop or restart the reminders of a case, or choose their wording (audited)."""
    help_request = load_case(reference)
    form = ActionForm()
    choice = REMINDER_CHOICES.get(request.form.get("do", ""))
    if choice is None or not form.validate_on_submit():
        abort(400)
    change, done = choice
    reminders.set_choice(help_request, actor=current_user, **change)
    db.session.commit()
    flash(done, "success")
    return back_to_case(help_request, "reminders")


@bp.post("/cases/<reference>/notes")
def add_note(reference: str):
    help_request = load_case(reference)
    form = NoteForm()
    return _change_case(
        help_request,
        form,
        lambda: casework.add_note(help_request, current_user, form.text.data),
        "note_form",
        "Note added.",
        "notes",
    )


@bp.post("/cases/<reference>/assign")
@requires("cases.all")
def assign(reference: str):
    help_request = load_case(reference)
    form = AssignForm()
    _fill_choices(help_request, form, StatusForm(formdata=None), ScreenForm(formdata=None))

    def change():
        assignee = (
            db.session.get(StaffUser, int(form.assignee.data)) if form.assignee.data else None
        )
        casework.assign(help_request, assignee, current_user, form.version.data)

    return _change_case(
        help_request, form, change, "assign_form", "Assignment saved.", "assignment"
    )


@bp.post("/cases/<reference>/status")
def change_status(reference: str):
    help_request = load_case(reference)
    form = StatusForm()
    _fill_choices(help_request, AssignForm(formdata=None), form, ScreenForm(formdata=None))
    return _change_case(
        help_request,
        form,
        lambda: casework.change_status(
            help_request,
            form.status.data,
            form.reason.data,
            current_user,
            form.version.data,
        ),
        "status_form",
        "Status changed.",
        "status",
    )


@bp.post("/cases/<reference>/close")
def close(reference: str):
    help_request = load_case(reference)
    form = CloseForm()
    form.disposition.choices = _closing_choices(help_request)
    return _change_case(
        help_request,
        form,
        lambda: casework.change_status(
            help_request,
            Disposition(form.disposition.data).status,
            form.reason.data,
            current_user,
            form.version.data,
            form.disposition.data,
        ),
        "closing_form",
        "Case closed.",
        "status",
    )


@bp.post("/cases/<reference>/outcomes")
def record_outcome(reference: str):
    help_request = load_case(reference)
    form = OutcomeForm()
    return _change_case(
        help_request,
        form,
        lambda: casework.record_outcome(
            help_request, form.kind.data, form.happened_on.data, current_user
        ),
        "outcome_form",
        "Outcome recorded.",
        "outcomes",
    )


@bp.post("/cases/<reference>/screen")
@requires("cases.all")
def override_screen(reference: str):
    help_request = load_case(reference)
    form = ScreenForm()
    _fill_choices(help_request, AssignForm(formdata=None), StatusForm(formdata=None), form)
    return _change_case(
        help_request,
        form,
        lambda: casework.override_screen(
            help_request, form.screen.data or "", form.reason.data, current_user, form.version.data
        ),
        "screen_form",
        "Screen saved.",
        "screen-override",
    )


@bp.post("/cases/<reference>/fact")
@requires("cases.all")
def correct_fact(reference: str):
    help_request = load_case(reference)
    form = FactForm()
    return _change_case(
        help_request,
        form,
        lambda: case_facts.correct_fact(
            help_request,
            form.fact.data,
            form.value,
            form.reason.data,
            current_user,
            form.version.data,
        ),
        "fact_form",
        "Fact corrected; the urgency follows it.",
        "correct",
    )


@bp.post("/cases/<reference>/answer")
@requires("cases.all")
def correct_answer(reference: str):
    help_request = load_case(reference)
    form = AnswerForm()
    return _change_case(
        help_request,
        form,
        lambda: case_facts.correct_answer(
            help_request, form.answer.data, form.reason.data, current_user, form.version.data
        ),
        "answer_form",
        "Answer corrected; the urgency follows it.",
        "correct",
    )


@bp.post("/cases/<reference>/urgency")
@requires("cases.all")
def set_urgency(reference: str):
    help_request = load_case(reference)
    form = UrgencyForm()
    return _change_case(
        help_request,
        form,
        lambda: case_facts.set_urgency(
            help_request, form.urgency.data or "", form.reason.data, current_user, form.version.data
        ),
        "urgency_form",
        "Urgency saved.",
        "correct",
    )


# --- helpers for templates -----------------------------------------------------------


def _labels() -> dict:
    return {
        "status_labels": STATUS_LABELS,
        "disposition_labels": DISPOSITION_LABELS,
        "outcome_labels": OUTCOME_LABELS,
        "screen_labels": casework.SCREEN_LABELS,
        "urgency_labels": casework.URGENCY_LABELS,
        "claim_labels": CLAIM_LABELS,
        "now": utcnow(),
        "today": today(),
    }


@bp.app_template_filter("cite")
def cite(source: str) -> str:
    """A rule's source, naming the organisation's own policy as its settings do."""
    return sources.cite(source, current_app.config["ORGANISATION_POLICY_SOURCE"])


@bp.app_template_filter("waited")
def waited(since: datetime) -> str:
    """How long a request has waited, coarse: "3 d", "5 h", "12 min"."""
    seconds = max(0, int((utcnow() - since).total_seconds()))
    if seconds >= 86400:
        return f"{seconds // 86400} d"
    if seconds >= 3600:
        return f"{seconds // 3600} h"
    return f"{seconds // 60} min"


@bp.app_template_filter("days_left")
def days_left(day) -> str:
    if day is None:
        return ""
    days = (day - today()).days
    if days < 0:
        return f"passed {-days} d ago"
    if days == 0:
        return "today"
    return f"{days} d left"


@bp.app_template_filter("why_now")
def why_now(row) -> str:
    """A queue row's short reason for today (no decryption)."""
    grace = current_app.config["URGENCY_PASSED_DEADLINE_GRACE_DAYS"]
    return live_urgency.short_reason(row, timeutil.today(), grace)


@bp.app_template_filter("harm_label")
def harm_label(code: str) -> str:
    return case_facts.HARM_LABELS.get(code, code)


@bp.app_template_filter("claim_list")
def claim_list(claim_types: str) -> str:
    return ", ".join(CLAIM_LABELS.get(code, code) for code in (claim_types or "").split())


# How the person agreed to be reached, in staff's words (intake.cases.stored_facts).
REACH_LABELS = {
    "text": "text message",
    "whatsapp": "WhatsApp",
    "call": "phone call",
    "email": "email",
    "helper": "through the helper",
}


@bp.app_template_filter("reach_label")
def reach_label(code: str) -> str:
    return REACH_LABELS.get(code, code)
