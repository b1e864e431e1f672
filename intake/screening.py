"""The public screening form: /help → check your answers → confirmation.

Every step is a POST carrying all the answers in the form itself (nothing in a
session, a cookie or a URL), re-validated in full each time. The cross-site
protection is a signed token plus an Origin check (``intake.form_tokens``), and
the token's nonce makes the final submit idempotent.
"""

from flask import Blueprint, abort, current_app, g, render_template, request
from sqlalchemy.exc import OperationalError
from werkzeug.datastructures import MultiDict

from . import choices, form_tokens, locales, page_cache
from .crypto import KeyUnavailable
from .help_requests import (
    create_request,
    find_by_submission_key,
    format_reference,
    source_for,
)
from .limits import limiter
from .locales import public_route
from .notify import notify_if_critical
from .rules import Screen
from .screening_form import DATES, HelpForm, parse_income
from .security import csrf

bp = Blueprint("screening", __name__)
csrf.exempt(bp)  # protected by intake.form_tokens instead: no session cookie

HONEYPOT = "website"
TOKEN = "form_token"  # noqa: S105 - a field name, not a secret
SCREENED_OUT = frozenset({Screen.REPRESENTED.value, Screen.CAN_PAY.value})


@bp.after_request
def never_cache(response):
    """Answers must not stay in a shared or back-button cache."""
    response.headers["Cache-Control"] = "no-store"
    return response


# --- steps --------------------------------------------------------------------


@public_route(bp, "/help", methods=["GET", "POST"])
def form():
    """The questions: empty on GET; filled again when "Change" posts the answers back."""
    if request.method != "POST":  # GET, and HEAD (which Flask routes here too)
        source = source_for(_from())
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
        answers, token, source_for(_from()), focus=request.form.get("change"), expired=expired
    )


@public_route(bp, "/help/check", methods=["POST"])
def check():
    nonce, token, expired = _guard()
    existing = find_by_submission_key(nonce)
    if existing is not None:  # back to a page of a request already sent
        return _render_confirmation(existing)
    answers = HelpForm(request.form)
    source = source_for(_from())
    if expired:
        return _render_form(answers, token, source, expired=True)
    if not answers.validate():
        return _render_form(answers, token, source)
    return _render_check(answers, token, source)


@public_route(bp, "/help/submit", methods=["POST"])
@limiter.limit(lambda: current_app.config["HELP_RATE_LIMIT"])
def submit():
    nonce, token, expired = _guard()
    existing = find_by_submission_key(nonce)
    if existing is not None:  # a double click or a retry: the same request, once
        return _render_confirmation(existing)
    answers = HelpForm(request.form)
    source = source_for(_from())
    if expired:
        return _render_form(answers, token, source, expired=True)
    if not answers.validate():
        return _render_form(answers, token, source)
    try:
        help_request = create_request(
            answers,
            submission_key=nonce,
            source=source,
            language=locales.current().code,
            app=current_app,
            partner_id=_framing_partner_id(),
        )
    except (OperationalError, KeyUnavailable) as exc:
        current_app.logger.error("help request not stored: %s", type(exc).__name__)
        return _render_check(answers, token, source, not_saved=True), 503
    notify_if_critical(help_request)  # after the commit; never raises
    return _render_confirmation(help_request)


# --- guards -------------------------------------------------------------------


def _guard() -> tuple[str, str, bool]:
    """Refuse cross-site posts, bots and bad tokens; return (nonce, token to carry
    on, whether the posted token had expired).

    An expired token is replaced, never a reason to lose answers: the caller
    re-renders the form with them and the new token.
    """
    refusal = form_tokens.cross_site_refusal()
    if refusal is form_tokens.Refusal.OPAQUE_ORIGIN:
        abort(_page("screening/new_tab.html", 403))
    if refusal is not None:
        abort(_page("screening/refused.html", 403))
    if request.form.get(HONEYPOT):
        abort(_page("screening/refused.html", 400))
    token = request.form.get(TOKEN)
    try:
        return form_tokens.read_token(token), token, False
    except form_tokens.TokenExpired as exc:
        return exc.nonce, form_tokens.issue_token(), True
    except form_tokens.TokenError:
        abort(_page("screening/bad_token.html", 400))


def _page(template: str, status: int):
    return current_app.make_response((render_template(template), status))


def _framing_partner_id() -> int | None:
    """The partner whose frame this is (set by intake.embed for /embed/help)."""
    partner = g.get("partner")
    return partner.id if partner is not None else None


def _from() -> str | None:
    return request.values.get("from")


# --- rendering ----------------------------------------------------------------


def _render_form(answers, token, source, *, focus=None, expired=False):
    fields = {f.name for f in answers}
    return render_template(
        "screening/form.html",
        form=answers,
        token=token,
        source=source,
        dates=DATES,
        focus=focus if focus in fields else None,
        expired=expired,
        has_errors=bool(answers.errors),
    )


def _render_check(answers, token, source, *, not_saved=False):
    return render_template(
        "screening/check.html",
        form=answers,
        token=token,
        source=source,
        carried=_carried(answers),
        choices=choices,
        # formatted for the visitor's locale by the template (1.234,50 US$ in Spanish)
        income=parse_income(answers.monthly_income.data),
        not_saved=not_saved,
    )


def _carried(answers) -> MultiDict:
    """Every answer as posted, for the hidden inputs of the check-answers page."""
    return MultiDict([(f.name, value) for f in answers for value in (f.raw_data or [])])


def _render_confirmation(help_request):
    return render_template(
        "screening/confirmation.html",
        help_request=help_request,
        reference=format_reference(help_request.reference),
        screened_out=help_request.screen in SCREENED_OUT,
        urgent=help_request.urgency_rank == 0,
    )
