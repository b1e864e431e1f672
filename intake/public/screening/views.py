"""The public screening form: /help → check your answers → confirmation.

Every step is a POST carrying all the answers in the form itself (nothing in a
session, a cookie or a URL), re-validated in full each time. The cross-site
protection is a signed token plus an Origin check (``intake.form_tokens``), and
the token's nonce makes the final submit idempotent.
"""

import functools
import re
from dataclasses import dataclass

from flask import Blueprint, abort, current_app, g, render_template, request
from sqlalchemy.exc import DBAPIError
from werkzeug.datastructures import MultiDict

from intake import form_tokens, locales
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
from intake.law.vocabulary import Screen
from intake.limits import limiter
from intake.locales import public_route
from intake.mail.outbox import deliver_after
from intake.public import page_cache
from intake.public.screening.form import DATES_BY_NAME, HelpForm

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
    return _render_form(answers, token, source, unavailable=True), 503, RETRY_AFTER


def _posted_source() -> str:
    """The posted source, unchecked (checking needs the database): it only goes
    back into the page, and the submit that stores it checks it (source_for)."""
    slug = _source_slug() or ""
    return slug if re.fullmatch(r"[a-z0-9-]{1,160}", slug) else DEFAULT_SOURCE


@public_route(bp, "/help", methods=["GET", "POST"])
@keeps_answers("form")
def form():
    """The questions: empty on GET; filled again when "Change" posts the answers back."""
    if request.method != "POST":  # GET, and HEAD (which Flask routes here too)
        source = source_for(_source_slug())
        # The empty form is the same for everyone but its token: cached with a
        # slot that each visitor's own new token fills.
        page = page_cache.cached(
            lambda: _render_form(HelpForm(), page_cache.TOKEN_SLOT, source), source
        )
        return page.replace(page_cache.TOKEN_SLOT, form_tokens.issue_token())
    nonce, token, expired = _guard()
    answers = HelpForm(request.form)
    existing = find_by_submission_key(nonce)
    if existing is not None:  # already sent: show it rather than invite a second request
        return _render_confirmation(existing)
    return _render_form(
        answers,
        token,
        source_for(_source_slug()),
        focus=request.form.get("change"),
        expired=expired,
    )


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
    posted, page = _posted_answers()
    if page is not None:
        return page
    try:
        help_request = create_request(
            posted.answers,
            submission_key=posted.nonce,
            source=posted.source,
            language=locales.current().code,
            app=current_app,
            partner_id=_framing_partner_id(),
        )
    except KeyUnavailable:  # the database being out of reach: see keeps_answers
        current_app.logger.error("help request not stored: KeyUnavailable")
        return _render_check(posted.answers, posted.token, posted.source, not_saved=True), 503
    # The notification was queued with the request; it is sent once this page is out.
    return deliver_after(current_app.make_response(_render_confirmation(help_request)))


# --- guards -------------------------------------------------------------------


@dataclass(frozen=True)
class Posted:
    nonce: str
    token: str
    answers: HelpForm
    source: str


def _posted_answers() -> tuple[Posted | None, str | None]:
    """The guarded, valid answers of a check or submit step, or the page to show
    instead: the request this token already sent (a retry, a double click, the
    back button), or the form again (expired token, errors) with every answer."""
    nonce, token, expired = _guard()
    existing = find_by_submission_key(nonce)
    if existing is not None:
        return None, _render_confirmation(existing)
    answers = HelpForm(request.form)
    source = source_for(_source_slug())
    if expired or not answers.validate():  # an expired token: no errors, just the form
        return None, _render_form(answers, token, source, expired=expired)
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


def _render_form(answers, token, source, *, focus=None, expired=False, unavailable=False):
    fields = {f.name for f in answers}
    return render_template(
        "public/screening/form.html",
        form=answers,
        token=token,
        source=source,
        dates=DATES_BY_NAME,
        focus=focus if focus in fields else None,
        expired=expired,
        unavailable=unavailable,
        has_errors=bool(answers.errors),
    )


def _render_check(answers, token, source, *, not_saved=False):
    return render_template(
        "public/screening/check.html",
        form=answers,
        token=token,
        source=source,
        carried=_carried(answers),
        choices=choice_lists,
        # formatted for the visitor's locale by the template (1.234,50 US$ in Spanish)
        income=parse_income(answers.monthly_income.data),
        not_saved=not_saved,
    )


def _carried(answers) -> MultiDict:
    """Every answer as posted, for the hidden inputs of the check-answers page."""
    return MultiDict([(f.name, value) for f in answers for value in (f.raw_data or [])])


# Hotlines shown on the confirmation when the person ticked the fact they serve.
HOTLINES = {
    "hurt_by_citizen_or_resident_family": "domestic_violence",
    "forced_labour_or_sex": "trafficking",
}


def _render_confirmation(help_request):
    harms = facts.loads(help_request.facts).get("harms") or ()
    return render_template(
        "public/screening/confirmation.html",
        help_request=help_request,
        reference=format_reference(help_request.reference),
        # Only on the page that stored it: a retry finds the request, not its code.
        status_code=status_codes.format_code(help_request.status_code)
        if getattr(help_request, "status_code", None)
        else None,
        screened_out=help_request.screen in SCREENED_OUT,
        urgent=help_request.urgency_rank == 0,
        hotlines={HOTLINES[h] for h in harms if h in HOTLINES},
    )
