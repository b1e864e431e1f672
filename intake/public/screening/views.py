"""The public screening form: /help (question pages) → check your answers →
confirmation.

Every step is a POST carrying all the answers in the form itself (nothing in a
session, a cookie or a URL), re-validated in full each time. The cross-site
protection is a signed token plus an Origin check (``intake.form_tokens``), and
the token's nonce makes the final submit idempotent.
"""

import functools
import re
from dataclasses import dataclass
from datetime import date, timedelta
from zoneinfo import ZoneInfo

from flask import (
    Blueprint,
    abort,
    current_app,
    g,
    redirect,
    render_template,
    request,
    url_for,
)
from sqlalchemy.exc import DBAPIError
from werkzeug.datastructures import MultiDict

from intake import form_tokens, locales, timeutil
from intake.cases import choice_lists, status_codes
from intake.cases import stored_facts as facts
from intake.cases.help_requests import (
    DEFAULT_SOURCE,
    create_request,
    find_by_submission_key,
    format_reference,
    source_for,
)
from intake.crypto import KeyUnavailable
from intake.errors import rollback_quietly
from intake.hardening import csrf
from intake.input_hygiene import parse_income
from intake.law import working_days
from intake.law.vocabulary import Screen
from intake.limits import limiter
from intake.locales import public_route
from intake.mail.outbox import deliver_after
from intake.public import page_cache
from intake.public.screening import confirmations
from intake.public.screening.form import (
    DATES_BY_NAME,
    STEP_COUNT,
    STEPS,
    HelpForm,
    step_of,
)

bp = Blueprint("screening", __name__)
csrf.exempt(bp)  # protected by intake.form_tokens instead: no session cookie

HONEYPOT = "website"
TOKEN = "csrf_token"  # noqa: S105 - a field name, not a secret
SCREENED_OUT = frozenset({Screen.REPRESENTED.value, Screen.CAN_PAY.value})
# How soon to try again when the database is out of reach (as errors.py says).
RETRY_AFTER = {"Retry-After": "30"}


@bp.after_request
def never_cache(response):
    """Answers must not stay in a shared or back-button cache."""
    response.headers["Cache-Control"] = "no-store"
    return response


# --- steps --------------------------------------------------------------------


def keeps_answers(step: str):
    """A step whose database is out of reach (down, or locked past the timeout)
    answers 503 with every posted answer back in the page and "try again":
    ``step="check"`` on the check page (the final submit), else on the form.
    Nothing is stored: the transaction is rolled back. A GET has no answers to
    keep and gets the site's 503 page."""

    def decorator(view):
        @functools.wraps(view)
        def wrapper(*args, **kwargs):
            try:
                return view(*args, **kwargs)
            except DBAPIError as exc:
                if request.method != "POST":
                    raise
                rollback_quietly()
                current_app.logger.error("database unavailable: %s", type(exc.orig).__name__)
                return _unavailable(step)

        return wrapper

    return decorator


def _unavailable(step: str):
    answers = HelpForm(request.form)
    token, source = request.form.get(TOKEN), _posted_source()
    if step == "check" and answers.validate():
        return _render_check(answers, token, source, not_saved=True), 503, RETRY_AFTER
    number = _posted_number("step") or 1
    return _render_step(answers, number, token, source, unavailable=True), 503, RETRY_AFTER


def _posted_source() -> str:
    """The posted source, unchecked (checking needs the database): it only goes
    back into the page, and the submit that stores it checks it (source_for)."""
    slug = _source_slug() or ""
    return slug if re.fullmatch(r"[a-z0-9-]{1,160}", slug) else DEFAULT_SOURCE


@public_route(bp, "/help", methods=["GET", "POST"])
@keeps_answers("form")
def form():
    """The question pages. GET: the first, empty. POST: every answer so far comes
    back with the page (``step`` says which page's questions it showed) and one
    of: continue (the next page once this one's answers are valid, "Check your
    answers" after the last), ``to`` a page (Back, or a language switch: no
    errors shown), or ``change`` a question (from "Check your answers")."""
    if request.method != "POST":  # GET, and HEAD (which Flask routes here too)
        # The empty form is the same for everyone but its token: kept with a
        # slot that each visitor's own new token fills. What it names as its
        # source is the release's to change: its stamp is read first.
        stamp = page_cache.stamp_for(_source_slug())
        source = source_for(_source_slug())
        page = _render_step(HelpForm(), 1, page_cache.TOKEN_SLOT, source)
        return page_cache.keep(page, stamp, token=True)
    nonce, token, expired = _guard()
    answers = HelpForm(request.form)
    existing = find_by_submission_key(nonce)
    if existing is not None:  # already sent: show it rather than invite a second request
        return _to_confirmation(existing)
    source = source_for(_source_slug())
    change = request.form.get("change")
    if step_of(change):
        return _render_step(answers, step_of(change), token, source, focus=change, review=True)
    if _posted_number("to") or expired:
        return _render_step(
            answers,
            _posted_number("to") or _posted_number("step") or 1,
            token,
            source,
            expired=expired,
            review=_reviewing(),
        )
    number = _posted_number("step") or 1
    valid = answers.validate()
    if not answers.keep_errors_of(number):
        return _render_step(answers, number, token, source, review=_reviewing())
    if number == len(STEPS) or (valid and _reviewing()):
        if not valid:  # an earlier page was never answered (a changed answer asks more)
            return _render_step(answers, answers.first_step_with_errors, token, source)
        return _render_check(answers, token, source)
    return _render_step(answers, number + 1, token, source, review=_reviewing())


def _posted_number(name: str) -> int | None:
    """A step number from the posted form, or None when absent or out of range."""
    value = request.form.get(name, "")
    return int(value) if value.isdigit() and 1 <= int(value) <= len(STEPS) else None


def _reviewing() -> bool:
    """The person came from "Check your answers" to change one answer: Continue
    goes back there once every answer is valid."""
    return request.form.get("review") == "1"


@public_route(bp, "/help/check", methods=["POST"])
@keeps_answers("form")
def check():
    posted, page = _posted_answers()
    if page is not None:
        return page
    return _render_check(posted.answers, posted.token, posted.source)


@public_route(bp, "/help/submit", methods=["POST"])
@limiter.limit(lambda: current_app.config["HELP_RATE_LIMIT"])
@keeps_answers("check")
def submit():
    posted, page = _posted_answers(storing=True)
    if page is not None:
        return page
    page = {}  # the confirmation's key, kept in the request's own transaction

    def keep_confirmation(row) -> None:
        page["key"], page["request"] = confirmations.add(row), row

    try:
        help_request = create_request(
            posted.answers,
            submission_key=posted.nonce,
            source=posted.source,
            language=locales.current().code,
            app=current_app,
            partner_id=_framing_partner_id(),
            with_request=keep_confirmation,
        )
    except KeyUnavailable:  # the database being out of reach: see keeps_answers
        existing = find_by_submission_key(posted.nonce)  # sent before the key went
        if existing is not None:
            return _to_confirmation(existing)
        current_app.logger.error("help request not stored: KeyUnavailable")
        return _render_check(posted.answers, posted.token, posted.source, not_saved=True), 503
    # Post, then redirect: Back and reload never offer to send the answers again.
    # The notification was queued with the request; it is sent once this answer is out.
    # A request found stored already (a double click racing itself) has no page yet.
    key = page["key"] if page.get("request") is help_request else None
    return deliver_after(_to_confirmation(help_request, key))


@public_route(bp, "/help/sent/<key>")
def sent(key):
    """The confirmation, for as long as its page is kept (then a plain "gone")."""
    found = confirmations.find(key)
    if found is None:
        return render_template("public/screening/sent_gone.html"), 404
    help_request, code = found
    return _render_confirmation(help_request, code)


def _to_confirmation(help_request, key: str | None = None):
    """Redirect to the confirmation page of ``help_request``: the page under
    ``key`` when the submission stored it with the request, else kept now."""
    try:
        key = key or confirmations.keep(help_request)
    except DBAPIError:
        # Stored, but its page could not be kept: show it now rather than
        # "not saved". A reload of this page would post the answers again, and
        # find the same request by its token.
        rollback_quietly()
        return current_app.make_response(
            _render_confirmation(help_request, getattr(help_request, "status_code", None))
        )
    # A partner's form (its /embed/ twins) goes on to its own twin, which
    # records nothing but keeps the frame.
    partner = g.get("partner") if request.blueprint == "embed" else None
    if partner is not None:
        return redirect(url_for("embed.help_sent", key=key, partner=partner.key), code=303)
    return redirect(url_for("screening.sent", key=key), code=303)


# --- guards -------------------------------------------------------------------


@dataclass(frozen=True)
class Posted:
    nonce: str
    token: str
    answers: HelpForm
    source: str


def _posted_answers(storing: bool = False) -> tuple[Posted | None, str | None]:
    """The guarded, valid answers of a check or submit step, or the page to show
    instead: the request this token already sent (a retry, a double click, the
    back button), or the form again (expired token, errors) with every answer.

    ``storing``: valid answers go on to be stored under the nonce, whose unique
    column finds a request already sent (``create_request`` returns it), so the
    lookup is left to the INSERT; any other answer looks first, as the check does.
    """
    nonce, token, expired = _guard()
    if not storing or expired:
        existing = find_by_submission_key(nonce)
        if existing is not None:
            return None, _to_confirmation(existing)
    answers = HelpForm(request.form)
    source = source_for(_source_slug())
    if expired:  # an expired token: no errors, just the answers again
        return None, _render_step(answers, 1, token, source, expired=True)
    if not answers.validate():  # the first page with a problem, with its errors
        existing = find_by_submission_key(nonce) if storing else None
        if existing is not None:
            return None, _to_confirmation(existing)
        number = answers.first_step_with_errors
        answers.keep_errors_of(number)
        return None, _render_step(answers, number, token, source)
    return Posted(nonce, token, answers, source), None


def _guard() -> tuple[str, str, bool]:
    """Refuse cross-site posts, bots and bad tokens; return (nonce, token to carry
    on, whether the posted token had expired).

    An expired token is replaced, never a reason to lose answers: the caller
    re-renders the form with them and the new token.
    """
    refusal = form_tokens.cross_site_refusal()
    if refusal is form_tokens.Refusal.OPAQUE_ORIGIN:
        abort(_page("public/screening/new_tab.html", 403))
    if refusal is not None:
        abort(_page("public/screening/refused.html", 403))
    if request.form.get(HONEYPOT):
        abort(_page("public/screening/refused.html", 400))
    token = request.form.get(TOKEN)
    try:
        return form_tokens.read_token(token), token, False
    except form_tokens.TokenExpired as exc:
        return exc.nonce, form_tokens.issue_token(), True
    except form_tokens.TokenError:
        abort(_page("public/screening/bad_token.html", 400))


def _page(template: str, status: int):
    return current_app.make_response((render_template(template), status))


def _framing_partner_id() -> int | None:
    """The partner whose frame this is (set by intake.public.embed for /embed/help)."""
    partner = g.get("partner")
    return partner.id if partner is not None else None


def _source_slug() -> str | None:
    """The slug of the release the visitor came from, as the page sent it."""
    return request.values.get("from")


# --- rendering ----------------------------------------------------------------


def _render_step(
    answers, number, token, source, *, focus=None, expired=False, unavailable=False, review=False
):
    """Question page ``number``: its questions shown, every other answer carried
    in hidden inputs (the page sets no cookie, and answers never go in a URL)."""
    asked = STEPS[number - 1].fields
    return render_template(
        "public/screening/step.html",
        form=answers,
        number=number,
        step=STEPS[number - 1],
        step_count=STEP_COUNT,
        last=number == len(STEPS),
        token=token,
        source=source,
        carried=_carried(answers, leave_out=asked),
        dates=DATES_BY_NAME,
        focus=focus if focus in asked else None,
        expired=expired,
        unavailable=unavailable,
        review=review,
        has_errors=bool(answers.errors),
        switch_step=number,
    )


def _render_check(answers, token, source, *, not_saved=False):
    return render_template(
        "public/screening/check.html",
        form=answers,
        token=token,
        source=source,
        carried=_carried(answers),
        step_count=STEP_COUNT,
        steps=STEPS,
        switch_check=True,
        choices=choice_lists,
        # formatted for the visitor's locale by the template (1.234,50 US$ in Spanish)
        income=parse_income(answers.monthly_income.data),
        not_saved=not_saved,
    )


def _carried(answers, leave_out=()) -> MultiDict:
    """Every answer as posted but those of ``leave_out``, for hidden inputs."""
    return MultiDict(
        [
            (f.name, value)
            for f in answers
            if f.name not in leave_out
            for value in (f.raw_data or [])
        ]
    )


# Hotlines shown on the confirmation when the person ticked the fact they serve.
HOTLINES = {
    "hurt_by_citizen_or_resident_family": "domestic_violence",
    "forced_labour_or_sex": "trafficking",
}


def _render_confirmation(help_request, status_code=None):
    stored = facts.loads(help_request.facts)
    harms = stored.get("harms") or ()
    return render_template(
        "public/screening/confirmation.html",
        help_request=help_request,
        reference=format_reference(help_request.reference),
        # Only for the page that stored it: a retry finds the request, not its code.
        status_code=status_codes.format_code(status_code) if status_code else None,
        screened_out=help_request.screen in SCREENED_OUT,
        urgent=help_request.urgency_rank == 0,
        hotlines={HOTLINES[h] for h in harms if h in HOTLINES},
        reply_by=_reply_by(help_request),
        hearing_soon=_hearing_soon(stored),
    )


def _reply_by(help_request) -> date:
    """The last working day of the promised reply, counted in the office's calendar."""
    config = current_app.config
    zone = ZoneInfo(config["OFFICE_TIMEZONE"])
    sent_on = working_days.office_date(help_request.created_at, zone)
    closed = working_days.parse_closed_days(config["OFFICE_CLOSED_DAYS"])
    return working_days.reply_due(sent_on, config["REPLY_WITHIN_DAYS"], closed)


def _hearing_soon(stored: dict) -> date | None:
    """The hearing's date when it is within the days that make a case critical
    (URGENCY_CRITICAL_HEARING_DAYS): the person should call, not wait."""
    hearing = facts.parse_date(stored.get("hearing_date"))
    if hearing is None or hearing.day is None:
        return None
    today = timeutil.today()
    when = hearing.earliest()
    soon = current_app.config["URGENCY_CRITICAL_HEARING_DAYS"]
    return when if today <= when <= today + timedelta(days=soon) else None
