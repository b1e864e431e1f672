"""The applicant's status page: no account, no cookie, nothing in the URL.

The applicant posts their reference and the status code the confirmation
showed them once; the page shows only where the request stands (received,
being reviewed, we tried to reach you, referred — to whom and how to contact
them —, closed) and the letters sent to them. Nothing else of their answers.

Every wrong pair gets the same page and the same status code, after the same
work: an unknown reference is compared against a dummy hash, and every lookup
writes one audit event. Wrong pairs are counted per reference and client, per
client and per reference (``ATTEMPTS``, intake.limits.Budget), so a code cannot
be guessed online and a stranger cannot lock the applicant out. Protected like
the form by the Fetch-Metadata/Origin check and a signed form token.
"""

from dataclasses import dataclass

from flask import Blueprint, abort, current_app, render_template, request
from flask_babel import lazy_gettext as _l
from sqlalchemy import select, update
from wtforms import Form, StringField
from wtforms.validators import InputRequired, Length

from intake import form_tokens, locales
from intake.cases import audit, status_codes
from intake.cases.help_requests import REFERENCE_LENGTH, format_reference
from intake.db import db
from intake.hardening import csrf
from intake.letters import drafts as letters
from intake.limits import Budget
from intake.locales import public_route
from intake.models import ContactAttempt, HelpRequest, ReferralOrganisation
from intake.models.help_request import Status

bp = Blueprint("status", __name__)
csrf.exempt(bp)  # no session cookie: form_tokens protects the lookup instead

TOKEN = "csrf_token"  # noqa: S105 - a field name, not a secret
# What the applicant is told, by case status. "Accepted" stays "being reviewed":
# staff tell the person themselves, and the page never promises representation.
SHOWN = {
    Status.NEW: "received",
    Status.IN_REVIEW: "reviewing",
    Status.ACCEPTED: "reviewing",
    Status.REFERRED: "referred",
    Status.DECLINED: "closed",
    Status.WITHDRAWN: "closed",
    Status.COULD_NOT_REACH: "tried_to_reach",
}
# Attempts that did not reach the person: an open case with one shows "we tried".
MISSED = frozenset({"no_answer", "wrong_number"})
ATTEMPTS = Budget(
    "status",
    per_pair="STATUS_REFERENCE_CLIENT_RATE_LIMIT",
    per_client="STATUS_RATE_LIMIT",
    per_subject="STATUS_REFERENCE_RATE_LIMIT",
)


class StatusForm(Form):
    reference = StringField(
        _l("Your reference"),
        [InputRequired(_l("Enter your reference.")), Length(max=40)],
        description=_l("It is on the page you saw after sending your request, like K7QM-4XPD-2H."),
        render_kw={"autocomplete": "off", "spellcheck": "false", "dir": "ltr"},
    )
    code = StringField(
        _l("Your status code"),
        [InputRequired(_l("Enter your status code.")), Length(max=40)],
        description=_l("It was shown once, under your reference, like 7QM4-XPD2."),
        render_kw={"autocomplete": "off", "spellcheck": "false", "dir": "ltr"},
    )


def posted_reference() -> str:
    return status_codes.normalise(request.form.get("reference"), REFERENCE_LENGTH)


@dataclass(frozen=True)
class Shown:
    """Everything the page may show of a case."""

    reference: str
    state: str
    referred_to: ReferralOrganisation | None
    letters: list  # the Letters sent, oldest first: in the applicant's language


def lookup():
    """GET: the empty form. POST: the state for a right pair, else the one refusal."""
    if request.method != "POST":
        return _form(StatusForm(), form_tokens.issue_token())
    if form_tokens.cross_site_refusal() is not None:
        abort(current_app.make_response((render_template("public/screening/refused.html"), 403)))
    try:
        form_tokens.read_token(request.form.get(TOKEN))
    except form_tokens.TokenExpired:
        return _form(StatusForm(request.form), form_tokens.issue_token(), expired=True)
    except form_tokens.TokenError:
        abort(current_app.make_response((render_template("public/screening/bad_token.html"), 400)))
    form = StatusForm(request.form)
    if not form.validate():
        return _form(form, request.form.get(TOKEN))
    code = status_codes.normalise(form.code.data, status_codes.CODE_LENGTH)
    reference = posted_reference()
    if not ATTEMPTS.may_try(reference):
        abort(429)
    shown = _check(reference, code)
    if shown is None:  # never says which half was wrong; the code is not sent back
        ATTEMPTS.count_wrong(reference)
        form.code.data = ""
        return _form(form, request.form.get(TOKEN), refused=True)
    return render_template("public/status/shown.html", shown=shown, languages=locales.KNOWN)


def _check(reference: str, code: str) -> Shown | None:
    """The case for this pair, with one audit event either way (no personal data:
    the reference only when it exists, never what was typed)."""
    row = db.session.execute(
        select(HelpRequest.id, HelpRequest.status, HelpRequest.status_code_hash).where(
            HelpRequest.reference == reference
        )
    ).one_or_none()
    match = status_codes.check(reference, code, row.status_code_hash if row else None)
    right = match.right
    if match.rehashed:  # hashed under an older key: now under the newest
        table = HelpRequest.__table__
        db.session.execute(
            update(table)
            .where(table.c.id == row.id)
            .values(status_code_hash=match.rehashed, updated_at=table.c.updated_at)
        )
    audit.record(
        "status.view" if right else "status.refused",
        "request",
        reference if row else "",
    )
    db.session.commit()
    if not right:
        return None
    return Shown(
        reference=format_reference(reference),
        state=_state(row.id, Status(row.status)),
        referred_to=letters.latest_referral(row.id) if row.status == Status.REFERRED else None,
        letters=letters.letters_of(row.id),
    )


def _state(request_id: int, status: Status) -> str:
    if status in (Status.NEW, Status.IN_REVIEW):
        missed = db.session.execute(
            select(ContactAttempt.outcome)
            .where(ContactAttempt.request_id == request_id)
            .order_by(ContactAttempt.at.desc(), ContactAttempt.id.desc())
            .limit(1)
        ).scalar_one_or_none()
        if missed in MISSED:
            return "tried_to_reach"
    return SHOWN[status]


def _form(form: StatusForm, token: str | None, *, refused=False, expired=False) -> str:
    return render_template(
        "public/status/form.html", form=form, token=token, refused=refused, expired=expired
    )


@bp.after_request
def never_cache(response):
    response.headers["Cache-Control"] = "no-store"
    return response


view = public_route(bp, "/status", endpoint="lookup", methods=["GET", "POST"])(lookup)
