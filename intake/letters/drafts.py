"""Letters to the applicant, in the language they prefer: request received, not
able to take the case (non-engagement), referred, could not reach you.

Each letter is drafted from the case in the applicant's preferred language when
the interface has a catalogue for it, else the language they used the form in
(staff may choose another), shown to staff, who may
edit it, and stored encrypted as sent (``intake.models.letter``). The wording
is a machine-assisted draft not yet reviewed by a fluent legal reviewer, like
every catalogue (intake/translations/README.md).
"""

import string
from dataclasses import dataclass
from datetime import date

from babel import dates
from flask import current_app
from flask_babel import force_locale, gettext
from flask_babel import lazy_gettext as _l
from sqlalchemy import select

from intake import locales
from intake.cases import stored_facts
from intake.cases.choice_lists import CATALOGUE_OF_LANGUAGE
from intake.cases.help_requests import format_reference
from intake.db import db
from intake.law.deadlines import Deadline, deadlines
from intake.letters import direction as letter_direction
from intake.models import HelpRequest, Letter, LetterTemplate, Referral, ReferralOrganisation

RECEIVED = "received"
NON_ENGAGEMENT = "non_engagement"
REFERRED = "referred"
COULD_NOT_REACH = "could_not_reach"
# Staff see these names (staff pages are English); the applicant sees the letter.
KINDS = {
    RECEIVED: "Request received",
    NON_ENGAGEMENT: "Not able to take the case (non-engagement)",
    REFERRED: "Referred to another organisation",
    COULD_NOT_REACH: "Could not reach you",
}
EOIR_PRO_BONO = "https://www.justice.gov/eoir/list-pro-bono-legal-service-providers"
AILA_SEARCH = "https://ailalawyer.com"
BODY_MAX = 8000  # characters a letter may have once staff have edited it
# What an editor's wording (LetterTemplate) may name, each as {name}.
PLACEHOLDERS = ("date", "name", "reference", "organisation", "deadline", "where_else")


@dataclass(frozen=True)
class Draft:
    kind: str
    language: str  # catalogue code, e.g. "es"
    subject: str
    body: str  # plain text, paragraphs separated by blank lines


def filing_deadline(help_request: HelpRequest) -> date | None:
    """The one-year asylum filing deadline as stored when the request was sent or a
    fact was last corrected (``intake.cases.live_urgency.store``)."""
    return help_request.filing_deadline


# What each deadline the rules compute asks of the applicant, in their words.
DEADLINE_WORDS = {
    "one_year": _l("Apply for asylum (Form I-589): one year after your last arrival"),
    "reasonable_period": _l("Apply for asylum after your status or parole ends"),
    "uac_turning_18": _l("Apply for asylum before you turn 18"),
    "bia_appeal": _l("Appeal to the Board of Immigration Appeals"),
    "motion_to_reopen": _l("Ask the immigration court to reopen your case"),
    "in_absentia_reopen": _l(
        "Ask the immigration court to reopen an order made because you missed a hearing"
    ),
    "petition_for_review": _l("Ask a federal court of appeals to review the Board's decision"),
    "board_reconsider": _l("Ask the Board of Immigration Appeals to reconsider its decision"),
    "board_reopen": _l("Ask the Board of Immigration Appeals to reopen your case"),
    "fear_review": _l("Ask an immigration judge to review the decision on your fear"),
    "voluntary_departure": _l("Leave the United States under voluntary departure"),
    "voluntary_departure_bond": _l("Pay the voluntary departure bond"),
    "hearing_filings": _l("Send your documents to the immigration court before your hearing"),
    "sijs_state_court": _l(
        "Get the state juvenile court order for Special Immigrant Juvenile Status"
    ),
    "sijs": _l("Apply for Special Immigrant Juvenile Status (Form I-360) before you turn 21"),
}


def letter_deadlines(help_request: HelpRequest, today: date) -> list[Deadline]:
    """Every deadline the rules compute from the case's facts on ``today``; a request
    stored before the facts were kept has only its stored one-year deadline."""
    stored = stored_facts.loads(help_request.facts) if help_request.facts else {}
    if stored:
        return deadlines(stored_facts.to_rules(stored), today)
    if help_request.filing_deadline is None:
        return []
    due = help_request.filing_deadline
    return [Deadline("one_year", due, "", "", computed=due, latest=due)]


def letter_language(help_request: HelpRequest) -> str:
    """The language the applicant said they prefer, when letters are written in
    it; else the one they used the form in, if still offered; else English."""
    offered = current_app.config["LANGUAGES"]
    preferred = CATALOGUE_OF_LANGUAGE.get(help_request.preferred_language)
    return next(
        (code for code in (preferred, help_request.interface_language) if code in offered), "en"
    )


def format_date_in(value: date, language: str) -> str:
    """A date as the language writes it ("7 de febrero de 2027")."""
    return dates.format_date(value, "long", locale=locales.FORMAT_LOCALES.get(language, language))


def draft(
    help_request: HelpRequest,
    kind: str,
    today: date,
    referred_to: ReferralOrganisation | None = None,
    language: str = "",
) -> Draft:
    """The letter of ``kind`` for this case, in ``language`` (an offered
    catalogue code) or else the applicant's (``letter_language``)."""
    if language not in current_app.config["LANGUAGES"]:
        language = letter_language(help_request)
    with force_locale(language):
        values = {
            "name": help_request.name,
            "reference": format_reference(help_request.reference),
            "organisation": current_app.config["ORGANISATION_NAME"],
            "date": format_date_in(today, language),
        }
        values["today"] = today
        subject = gettext("Your request for legal help (reference %(reference)s)", **values)
        edited = edited_wording(kind, language)
        if edited is not None:
            values["deadline"] = "\n\n".join(_deadlines_run(help_request, language, today))
            values["where_else"] = "\n\n".join(_where_else(referred_to))
            return _drafted(help_request, kind, language, subject, edited.format_map(values))
        body = [values["date"], gettext("Dear %(name)s,", **values)]
        body += _PARAGRAPHS[kind](help_request, values, referred_to, language)
        body.append(values["organisation"])
    return _drafted(help_request, kind, language, subject, "\n\n".join(body))


def _drafted(help_request: HelpRequest, kind: str, language: str, subject: str, body: str):
    return Draft(
        kind,
        language,
        as_sent(help_request, language, subject),
        as_sent(help_request, language, body),
    )


def as_sent(help_request: HelpRequest, language: str, text: str) -> str:
    """A letter's text as drafted and again as sent, after staff edited it (they
    cannot see the isolates in the box): left-to-right tokens isolated in a
    right-to-left language, no other bidi control kept (``intake.letters.direction``)."""
    reference = format_reference(help_request.reference)
    return letter_direction.isolated(text, language, reference)


def edited_wording(kind: str, language: str) -> str | None:
    """An editor's wording of this letter in this language, if there is one."""
    return db.session.execute(
        select(LetterTemplate.body).filter_by(kind=kind, language=language)
    ).scalar_one_or_none()


def unknown_placeholders(wording: str) -> list[str]:
    """What in an editor's wording is not a plain {placeholder} we fill: an unknown
    name, an attribute or index ({name.x}, {name[0]}), a format ({date:%Y}), or a
    lone brace. Empty when the wording is safe to fill with ``format_map``."""
    try:
        parsed = list(string.Formatter().parse(wording))
    except ValueError:
        return ["a lone { or }"]
    return [
        "{" + field + (":" + spec if spec else "") + ("!" + conv if conv else "") + "}"
        for _text, field, spec, conv in parsed
        if field is not None and (field not in PLACEHOLDERS or spec or conv)
    ]


def _received(help_request, values, referred_to, language) -> list[str]:
    return [
        gettext(
            "We received your request for legal help. Your reference is %(reference)s.", **values
        ),
        gettext(
            "What happens next: our legal staff will read your request and contact you in the way "
            "you chose. Give your reference when you talk to us."
        ),
        gettext(
            "We are not your lawyer yet. We will tell you in writing whether we can take your case."
        ),
        *_deadlines_run(help_request, language, values["today"]),
    ]


def _non_engagement(help_request, values, referred_to, language) -> list[str]:
    return [
        gettext(
            "Thank you for asking %(organisation)s for help (reference %(reference)s). We are "
            "sorry: we are not able to take your case.",
            **values,
        ),
        gettext(
            "We are not your lawyer. We have not agreed to represent you, and we will not act for "
            "you in court or with the immigration authorities."
        ),
        *_deadlines_run(help_request, language, values["today"]),
        *_where_else(referred_to),
    ]


def _referred(help_request, values, referred_to, language) -> list[str]:
    return [
        gettext(
            "We have referred your request (reference %(reference)s) to another organisation "
            "that may be able to help you. They decide themselves whether they can take your case.",
            **values,
        ),
        *_organisation(referred_to),
        gettext("We are not your lawyer."),
        *_deadlines_run(help_request, language, values["today"]),
    ]


def _could_not_reach(help_request, values, referred_to, language) -> list[str]:
    return [
        gettext(
            "We tried to reach you about your request for legal help (reference %(reference)s), "
            "but we could not. If you still need help, contact us and give your reference.",
            **values,
        ),
        gettext("We are not your lawyer."),
        *_deadlines_run(help_request, language, values["today"]),
        *_where_else(None),
    ]


def _deadlines_run(help_request, language, today) -> list[str]:
    """Every deadline the rules computed, each written as the applicant must read it:
    a passed one as passed, with what may still be possible; then what the dates
    rest on, and who may advise them (8 CFR 1292.1) without stopping them filing."""
    found = letter_deadlines(help_request, today)
    paragraphs = [gettext("Deadlines still run: they do not stop because you asked us for help.")]
    if found:
        paragraphs.append(gettext("From what you told us, these deadlines may apply to you:"))
        paragraphs += [_deadline_line(d, language, today) for d in found]
        paragraphs.append(
            gettext(
                "These dates are based only on what you told us. A deadline may be earlier. We "
                "have not reviewed your case."
            )
        )
    paragraphs.append(
        gettext(
            "A lawyer or an accredited representative of a recognised organisation (and a few "
            "others the rules allow) may advise you or represent you. You may also file forms "
            "yourself: do not let a deadline pass while you look for help."
        )
    )
    return paragraphs


def _deadline_line(deadline: Deadline, language: str, today: date) -> str:
    what = str(DEADLINE_WORDS.get(deadline.kind, deadline.label))
    first = format_date_in(deadline.due, language)
    if deadline.asap:
        return "- " + gettext("%(what)s: as soon as possible.", what=what)
    if deadline.passed(today):
        return "- " + gettext(
            "%(what)s: the last day was %(date)s. That day has passed. Something may still be "
            "possible, for example an exception to the deadline: see a lawyer or accredited "
            "representative now.",
            what=what,
            date=_span(deadline, language),
        )
    if deadline.is_range:
        return "- " + gettext(
            "%(what)s: between %(first)s and %(last)s (we only know the month). Act before the "
            "first date.",
            what=what,
            first=first,
            last=format_date_in(deadline.last_possible, language),
        )
    return "- " + gettext("%(what)s: by %(date)s.", what=what, date=first)


def _span(deadline: Deadline, language: str) -> str:
    """The last day, or both ends of it when only the month of the start is known."""
    first = format_date_in(deadline.due, language)
    if not deadline.is_range:
        return first
    return f"{first} \u2013 {format_date_in(deadline.last_possible, language)}"


def _organisation(referred_to) -> list[str]:
    if referred_to is None:
        return []
    line = referred_to.name
    if referred_to.how_to_refer:
        line += " — " + gettext("How to contact them") + ": " + referred_to.how_to_refer
    return [line]


def _where_else(referred_to) -> list[str]:
    return [
        gettext("Where else to get help:"),
        *_organisation(referred_to),
        gettext("Free legal service providers listed by the immigration courts (EOIR)")
        + ": "
        + EOIR_PRO_BONO,
        gettext("Find an immigration lawyer (American Immigration Lawyers Association)")
        + ": "
        + AILA_SEARCH,
    ]


_PARAGRAPHS = {
    RECEIVED: _received,
    NON_ENGAGEMENT: _non_engagement,
    REFERRED: _referred,
    COULD_NOT_REACH: _could_not_reach,
}


def latest_referral(request_id: int) -> ReferralOrganisation | None:
    """The organisation of the case's latest referral, if any."""
    return db.session.execute(
        select(ReferralOrganisation)
        .join(Referral, Referral.organisation_id == ReferralOrganisation.id)
        .where(Referral.request_id == request_id)
        .order_by(Referral.made_at.desc(), Referral.id.desc())
        .limit(1)
    ).scalar_one_or_none()


def letters_of(request_id: int) -> list[Letter]:
    """The letters sent on a case, oldest first."""
    query = select(Letter).filter_by(request_id=request_id).order_by(Letter.sent_at, Letter.id)
    return list(db.session.execute(query).scalars())
