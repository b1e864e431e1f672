"""Referrals: the directory of organisations the office refers people to, the
organisations that fit a case, and each referral with the applicant's consent
and its outcome.

Sharing a person's request with another organisation discloses who they are and
why they fear return; it is done only with their consent (the form asks for it as
its own question, and staff may record consent the person gave them later). A
referral without consent is refused, and "Referred" as a status needs a referral
(``intake.staff.cases.casework.change_status``).

The fit ranking is pure; the state changes below it are audited with ids and
codes only.
"""

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, timedelta

from sqlalchemy import select

from intake import timeutil
from intake.cases import audit, choice_lists
from intake.cases import contact as phone_email
from intake.db import db
from intake.law.vocabulary import CLAIM_LABELS
from intake.models import HelpRequest, Referral, ReferralOrganisation, StaffUser

REFER_BY = {"phone": "Phone", "email": "Email", "web": "Web form"}
METHODS = {**REFER_BY, "letter": "Letter"}
CONSENT = {
    "form": "Agreed on the form",
    "told_staff": "Told a staff member",
}
OUTCOMES = {"accepted": "Accepted", "declined": "Declined", "no_answer": "No answer"}
LANGUAGE_CODES = frozenset(code for code, _ in choice_lists.LANGUAGES)
STATE_CODES = frozenset(code for code, _ in choice_lists.US_STATES)
RELIEF_CODES = frozenset(code for code in CLAIM_LABELS if code != "other")
NAME_MAX, HOW_MAX, NOTE_MAX, CENTRES_MAX = 160, 300, 2000, 2000
SUGGESTIONS = 5


class ReferralError(ValueError):
    """A change the rules refuse; the message is shown to the staff member."""


# --- rules (pure) -------------------------------------------------------------------


def codes(stored: str) -> frozenset[str]:
    """ " es fr " as {"es", "fr"}."""
    return frozenset((stored or "").split())


def stored_codes(values: Iterable[str]) -> str:
    return " " + " ".join(sorted(set(values))) + " "


@dataclass(frozen=True)
class CaseFacts:
    """What the fit ranking reads of a request."""

    language: str
    state: str
    reliefs: frozenset[str]
    detained: bool
    facility: str = ""


@dataclass(frozen=True)
class Fit:
    organisation: ReferralOrganisation
    matches: tuple[str, ...]  # what fits, in words, for staff
    gaps: tuple[str, ...]  # what does not


def _same_facility(facility: str, centres: str) -> bool:
    wanted = " ".join(facility.casefold().split())
    return bool(wanted) and any(
        wanted in " ".join(line.casefold().split()) or " ".join(line.casefold().split()) in wanted
        for line in centres.splitlines()
        if line.strip()
    )


def fit(org: ReferralOrganisation, case: CaseFacts) -> tuple[tuple, Fit]:
    """(sort key, explanation) of one organisation for one case.

    The order is lexicographic, so staff can tell why one comes before another:
    accepting new cases now; for a detained person, visiting their detention
    centre, then serving detained people at all; serving their state; speaking
    their language (every organisation speaks English); the number of forms of
    relief in common. A detained person can only be helped by someone who can
    reach the centre, and deadlines in detention are the shortest, so detention
    outranks the rest.
    """
    matches, gaps = [], []
    languages, states = codes(org.languages), codes(org.states)
    common = sorted(case.reliefs & codes(org.reliefs))
    at_centre = case.detained and _same_facility(case.facility, org.detention_centres)
    detention = case.detained and org.serves_detained
    if case.detained:
        if at_centre:
            matches.append("Visits the detention centre named")
        elif detention:
            matches.append("Serves people in detention")
        else:
            gaps.append("Does not serve people in detention")
    state = case.state in states
    state_name = choice_lists.label_for(choice_lists.US_STATES, case.state) or "the state"
    (matches if state else gaps).append(f"{'Serves' if state else 'Does not serve'} {state_name}")
    language = case.language == "en" or case.language in languages
    language_name = choice_lists.label_for(choice_lists.LANGUAGES, case.language) or "the language"
    (matches if language else gaps).append(
        f"{'Speaks' if language else 'Does not speak'} {language_name}"
    )
    if common:
        matches.append("Relief: " + ", ".join(CLAIM_LABELS[c] for c in common))
    elif case.reliefs:
        gaps.append("No form of relief in common")
    if not org.accepting:
        gaps.insert(0, "Not accepting new cases now")
    key = (not org.accepting, not at_centre, not detention, not state, not language, -len(common))
    return key, Fit(org, tuple(matches), tuple(gaps))


def rank(organisations: Iterable[ReferralOrganisation], case: CaseFacts) -> list[Fit]:
    """Active organisations, best fit first (ties by name)."""
    scored = [fit(org, case) for org in organisations if org.active]
    scored.sort(key=lambda pair: (pair[0], pair[1].organisation.name.casefold()))
    return [explained for _key, explained in scored]


def consent_basis(share_consent: bool, staff_confirms: bool) -> str | None:
    """How the applicant agreed to share their request, or None: they said yes on
    the form, or they told a staff member (who confirms it when referring). No
    on the form is not consent; staff may still record that the person agreed
    since, for instance on a call."""
    if staff_confirms:
        return "told_staff"
    if share_consent:
        return "form"
    return None


# --- queries -------------------------------------------------------------------------


def case_facts(help_request: HelpRequest) -> CaseFacts:
    return CaseFacts(
        language=help_request.preferred_language,
        state=help_request.state,
        reliefs=codes(help_request.claim_types) & RELIEF_CODES,
        detained=help_request.detained,
        facility=help_request.detention_facility or "",
    )


def directory(active_only: bool = False) -> list[ReferralOrganisation]:
    query = select(ReferralOrganisation).order_by(ReferralOrganisation.name)
    if active_only:
        query = query.where(ReferralOrganisation.active.is_(True))
    return list(db.session.execute(query).scalars())


def suggestions(help_request: HelpRequest, limit: int = SUGGESTIONS) -> list[Fit]:
    return rank(directory(active_only=True), case_facts(help_request))[:limit]


def referrals_of(help_request: HelpRequest) -> list[Referral]:
    query = (
        select(Referral)
        .where(Referral.request_id == help_request.id)
        .order_by(Referral.made_on, Referral.id)
    )
    return list(db.session.execute(query).scalars())


def has_referral(help_request: HelpRequest) -> bool:
    query = select(Referral.id).where(Referral.request_id == help_request.id).limit(1)
    return db.session.execute(query).first() is not None


# --- the directory -------------------------------------------------------------------------


@dataclass(frozen=True)
class OrganisationFields:
    name: str
    languages: tuple[str, ...] = ()
    states: tuple[str, ...] = ()
    reliefs: tuple[str, ...] = ()
    serves_detained: bool = False
    detention_centres: str = ""
    accepting: bool = True
    refer_by: str = "phone"
    how_to_refer: str = ""
    note: str = ""
    active: bool = True


def _checked(fields: OrganisationFields) -> dict:
    name = " ".join((fields.name or "").split())
    if not name:
        raise ReferralError("Enter the organisation's name.")
    if len(name) > NAME_MAX:
        raise ReferralError(f"The name is too long (at most {NAME_MAX} characters).")
    for values, known, what in (
        (fields.languages, LANGUAGE_CODES, "language"),
        (fields.states, STATE_CODES, "state"),
        (fields.reliefs, RELIEF_CODES, "form of relief"),
    ):
        if not set(values) <= known:
            raise ReferralError(f"Choose each {what} from the list.")
    if fields.refer_by not in REFER_BY:
        raise ReferralError("Choose how to refer.")
    how = (fields.how_to_refer or "").strip()
    if not how:
        raise ReferralError("Say how to refer: the number, address or web form.")
    if len(how) > HOW_MAX:
        raise ReferralError(f"How to refer is too long (at most {HOW_MAX} characters).")
    if fields.refer_by == "email" and not phone_email.looks_like_email(how):
        raise ReferralError("Enter the email address to refer to, such as intake@example.org.")
    if fields.refer_by == "web" and not how.startswith("https://"):
        raise ReferralError("Enter the web form's address, starting with https://.")
    centres = (fields.detention_centres or "").strip()
    note = (fields.note or "").strip()
    if len(centres) > CENTRES_MAX or len(note) > NOTE_MAX:
        raise ReferralError(f"Keep the detention centres and the note under {NOTE_MAX} characters.")
    return dict(
        name=name,
        languages=stored_codes(fields.languages),
        states=stored_codes(fields.states),
        reliefs=stored_codes(fields.reliefs),
        serves_detained=bool(fields.serves_detained),
        detention_centres=centres,
        accepting=bool(fields.accepting),
        refer_by=fields.refer_by,
        how_to_refer=how,
        note=note,
        active=bool(fields.active),
    )


def create_organisation(fields: OrganisationFields, actor: StaffUser) -> ReferralOrganisation:
    org = ReferralOrganisation(**_checked(fields))
    db.session.add(org)
    db.session.flush()
    audit.record("referral_org.create", "referral_org", org.id, "", actor.id)
    db.session.commit()
    return org


def update_organisation(
    org: ReferralOrganisation, fields: OrganisationFields, actor: StaffUser
) -> None:
    values = _checked(fields)
    changed = sorted(k for k, v in values.items() if getattr(org, k) != v)
    for key, value in values.items():
        setattr(org, key, value)
    audit.record("referral_org.update", "referral_org", org.id, " ".join(changed), actor.id)
    db.session.commit()


# --- referring a case -------------------------------------------------------------------------


def refer(
    help_request: HelpRequest,
    actor: StaffUser,
    *,
    organisation: ReferralOrganisation | None,
    method: str,
    made_on: date,
    staff_confirms_consent: bool = False,
    follow_up_on: date | None = None,
    note: str | None = None,
) -> Referral:
    """Record a referral. Refused without the applicant's consent to share."""
    consent = consent_basis(help_request.share_consent, staff_confirms_consent)
    if consent is None:
        raise ReferralError(
            "The applicant has not agreed to share their request. Ask them first, "
            "and tick the box once they have agreed."
        )
    if organisation is None or not organisation.active:
        raise ReferralError("Choose an organisation from the directory.")
    if method not in METHODS:
        raise ReferralError("Choose how the referral was made.")
    if follow_up_on is not None and follow_up_on < made_on:
        raise ReferralError("The follow-up date cannot be before the referral.")
    note = (note or "").strip()
    if len(note) > NOTE_MAX:
        raise ReferralError(f"The note is too long (at most {NOTE_MAX} characters).")
    referral = Referral(
        request_id=help_request.id,
        organisation_id=organisation.id,
        made_on=made_on,
        made_by_id=actor.id,
        method=method,
        consent=consent,
        follow_up_on=follow_up_on,
        note=note or None,
    )
    db.session.add(referral)
    db.session.flush()
    audit.record(
        "case.referral",
        "request",
        help_request.reference,
        f"referral={referral.id} org={organisation.id} method={method} consent={consent}",
        actor.id,
    )
    db.session.commit()
    return referral


def record_outcome(
    referral: Referral,
    actor: StaffUser,
    reference: str,
    *,
    outcome: str,
    outcome_on: date,
    follow_up_on: date | None = None,
) -> None:
    """What the organisation answered, when, and when to follow up next (a "no
    answer" without a follow-up date gets one a week later: nobody is left
    waiting on an organisation that never replied)."""
    if outcome not in OUTCOMES:
        raise ReferralError("Choose the outcome.")
    if outcome_on < referral.made_on:
        raise ReferralError("The outcome cannot be dated before the referral.")
    if follow_up_on is not None and follow_up_on < outcome_on:
        raise ReferralError("The follow-up date cannot be before the outcome.")
    if outcome == "no_answer" and follow_up_on is None:
        follow_up_on = outcome_on + timedelta(days=7)
    referral.outcome = outcome
    referral.outcome_on = outcome_on
    referral.follow_up_on = follow_up_on
    if outcome == "accepted" and referral.accepted_at is None:
        # Set once: the integration API lists accepted cases in this order.
        referral.accepted_at = timeutil.utcnow()
    audit.record(
        "case.referral_outcome",
        "request",
        reference,
        f"referral={referral.id} outcome={outcome}",
        actor.id,
    )
    db.session.commit()
