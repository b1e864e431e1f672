"""The referral packet as the receiving organisation opens it: no account, no
cookie, nothing in the URL but the link's token.

    GET, POST /referral/<token>          packet.open    the code, then the packet
    POST      /referral/<token>/pdf      packet.pdf     the packet as a PDF
    POST      /referral/<token>/json     packet.json    the packet as JSON (docs/referral-packet.md)
    POST      /referral/<token>/answer   packet.answer  accepted, or declined with a reason

(each also under a language prefix, ``/es/referral/<token>``). An unknown,
expired, revoked or locked link and a wrong code all get one page
(``unavailable.html``, 404) that says nothing of which it was; the audit log
says. The page's furniture is translated; the packet itself is in English as
the rules write it, and the person's answers are shown as they gave them.
POSTs are checked like the form's (Fetch-Metadata/Origin); the buttons after
the code carry a signed token of the opening (``packet_links.opening``).
"""

import json

from flask import Blueprint, Response, abort, current_app, render_template, request
from flask_babel import lazy_gettext as _l
from wtforms import Form, RadioField, StringField, TextAreaField
from wtforms.fields.choices import SelectChoice
from wtforms.validators import InputRequired, Length

from intake import form_tokens, timeutil
from intake.cases import packet as packet_content
from intake.cases import packet_links
from intake.cases.packet_links import LinkError
from intake.db import db
from intake.hardening import csrf
from intake.letters import drafts as letters
from intake.letters import pdf
from intake.limits import limiter
from intake.locales import public_route
from intake.models import HelpRequest, Referral, ReferralOrganisation, ReferralPacket

bp = Blueprint("packet", __name__)
csrf.exempt(bp)  # no session cookie: the signed form and opening tokens protect the posts

TOKEN = "csrf_token"  # noqa: S105 - a field name, not a secret
OPENING = "opening"


class CodeForm(Form):
    code = StringField(
        _l("Code"),
        [InputRequired(_l("Enter the code.")), Length(max=40)],
        description=_l(
            "The staff member who made the referral gives you this code by phone, like 7QM4-XPD2."
        ),
        render_kw={"autocomplete": "off", "spellcheck": "false", "dir": "ltr"},
    )


class AnswerForm(Form):
    answer = RadioField(
        _l("Your answer"),
        choices=[
            SelectChoice("accepted", _l("We accept the case")),
            SelectChoice("declined", _l("We cannot take the case")),
        ],
        validators=[InputRequired(_l("Choose whether you accept the case."))],
    )
    reason = TextAreaField(
        _l("Reason"),
        description=_l("Needed if you cannot take the case."),
        validators=[Length(max=packet_links.REASON_MAX, message=_l("The reason is too long."))],
    )


def unavailable(packet: ReferralPacket | None, why: str):
    """The one page for every link that opens nothing."""
    packet_links.refuse(packet, why)
    return render_template("public/packet/unavailable.html"), 404


def _live(token: str) -> tuple[ReferralPacket | None, str | None]:
    packet = packet_links.find(token)
    return packet, packet_links.why_not(packet)


def _cross_site() -> None:
    if form_tokens.cross_site_refusal() is not None:
        abort(current_app.make_response((render_template("public/screening/refused.html"), 403)))


def _content(packet: ReferralPacket) -> dict:
    referral = db.session.get(Referral, packet.referral_id)
    help_request = db.session.get(HelpRequest, referral.request_id)
    organisation = db.session.get(ReferralOrganisation, referral.organisation_id)
    return packet_content.build(
        help_request,
        referral,
        organisation,
        letters.letters_of(help_request.id),
        timeutil.today(),
    )


def _page(
    packet: ReferralPacket,
    form: AnswerForm | None = None,
    status: int = 200,
    opening: str | None = None,
    **shown,
):
    """The opened packet. ``opening`` is the token posted by the page's buttons
    (kept as it is, so switching language never lengthens an opening); a new
    one is made when the code was just given."""
    referral = db.session.get(Referral, packet.referral_id)
    token = request.view_args["token"]
    return render_template(
        "public/packet/packet.html",
        packet=_content(packet),
        opening=opening or packet_links.opening(packet),
        form=form or AnswerForm(),
        answered=packet.answer
        or (referral.outcome if referral.outcome in packet_links.ANSWERS else None),
        token=token,
        switch_opening=token,
        **shown,
    ), status


def open_packet(token: str, lang: str | None = None):
    packet, why = _live(token)
    if why:
        return unavailable(packet, why)
    if request.method != "POST":
        return render_template(
            "public/packet/code.html", form=CodeForm(), token=form_tokens.issue_token()
        )
    _cross_site()
    if OPENING in request.form:
        return _switched(packet)
    try:
        form_tokens.read_token(request.form.get(TOKEN))
    except form_tokens.TokenError:
        return render_template(
            "public/packet/code.html", form=CodeForm(), token=form_tokens.issue_token()
        ), 400
    form = CodeForm(request.form)
    if not form.validate():
        return render_template(
            "public/packet/code.html", form=form, token=request.form.get(TOKEN)
        ), 400
    if not packet_links.check_code(packet, form.code.data):
        return render_template("public/packet/unavailable.html"), 404
    packet_links.record_opening(packet)
    return _page(packet)


def _switched(packet: ReferralPacket):
    """The language switcher of an opened packet posts its opening token here:
    the packet again, in the language chosen, audited as an opening like any
    showing of the packet. An opening too old (or not this link's) gets the
    code page, as a fresh visit would."""
    posted = request.form.get(OPENING)
    if not packet_links.opened(packet, posted):
        return render_template(
            "public/packet/code.html", form=CodeForm(), token=form_tokens.issue_token()
        )
    packet_links.record_opening(packet)
    return _page(packet, opening=posted)


def _opened(token: str) -> ReferralPacket | Response:
    """The packet of a live link whose page was opened with the code recently."""
    _cross_site()
    packet, why = _live(token)
    if why:
        return unavailable(packet, why)
    if not packet_links.opened(packet, request.form.get(OPENING)):
        return unavailable(packet, "not_opened")
    return packet


def download_pdf(token: str, lang: str | None = None):
    packet = _opened(token)
    if not isinstance(packet, ReferralPacket):
        return packet
    packet_links.record_opening(packet, "pdf")
    title, body = packet_content.as_text(_content(packet))
    response = Response(
        pdf.render(title, body, "en", mixed_scripts=True), mimetype="application/pdf"
    )
    response.headers["Content-Disposition"] = 'attachment; filename="referral-packet.pdf"'
    return response


def download_json(token: str, lang: str | None = None):
    packet = _opened(token)
    if not isinstance(packet, ReferralPacket):
        return packet
    packet_links.record_opening(packet, "json")
    body = json.dumps(_content(packet), ensure_ascii=False, indent=2)
    response = Response(body, mimetype="application/json")
    response.headers["Content-Disposition"] = 'attachment; filename="referral-packet.json"'
    return response


MESSAGES = {
    "choose": _l("Choose whether you accept the case."),
    "reason": _l("Say why you cannot take the case."),
    "long": _l("The reason is too long."),
}


def answer(token: str, lang: str | None = None):
    packet = _opened(token)
    if not isinstance(packet, ReferralPacket):
        return packet
    form = AnswerForm(request.form)
    if not form.validate():
        return _page(packet, form, 400, opening=request.form.get(OPENING))
    try:
        packet_links.answer(packet, form.answer.data, form.reason.data)
    except LinkError as exc:
        db.session.rollback()
        if str(exc) == "already":
            return _page(packet, status=409, opening=request.form.get(OPENING))
        field = form.answer if str(exc) == "choose" else form.reason
        field.errors = [*field.errors, MESSAGES[str(exc)]]
        return _page(packet, form, 400, opening=request.form.get(OPENING))
    return render_template("public/packet/answered.html", answer=packet.answer)


@bp.after_request
def never_cache(response):
    response.headers["Cache-Control"] = "no-store"
    return response


# One budget per client for all the packet's pages: links are unguessable and
# codes counted per link; this keeps any one client from hammering them.
limited = limiter.shared_limit(lambda: current_app.config["PACKET_RATE_LIMIT"], scope="packet")
for rule, endpoint, methods, view in (
    ("/referral/<token>", "open", ["GET", "POST"], open_packet),
    ("/referral/<token>/pdf", "pdf", ["POST"], download_pdf),
    ("/referral/<token>/json", "json", ["POST"], download_json),
    ("/referral/<token>/answer", "answer", ["POST"], answer),
):
    public_route(bp, rule, endpoint=endpoint, methods=methods)(limited(view))
