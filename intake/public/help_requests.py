"""Creating a request for help from validated screening answers.

Plain functions the screening views call: the rules' inputs from the form, the
assessment, the stored row with its random reference, and the lookup that makes
a retried submission find the request it already made.
"""

import json
from datetime import date

from flask import Flask
from sqlalchemy.exc import IntegrityError, StatementError

from intake import (
    age_bands,
    conflicts,
    crypto,
    facts,
    funding,
    live_urgency,
    notify,
    phone_email,
    timeutil,
)
from intake.db import db
from intake.live_urgency import thresholds_from
from intake.models import HelpRequest, Release
from intake.public import status_codes
from intake.public.screening_form import HelpForm, parse_income
from intake.rules import Answers, Assessment, Facts, PartialDate, assess, screen_request

REFERENCE_LENGTH = 10  # 50 random bits: not guessable, not sequential
DEFAULT_SOURCE = "help"


def new_reference() -> str:
    return status_codes.random_symbols(REFERENCE_LENGTH)


def format_reference(reference: str) -> str:
    """ "K7QM4XPD2H" → "K7QM-4XPD-2H": easier to read out and copy."""
    return "-".join(reference[i : i + 4] for i in range(0, len(reference), 4))


def source_for(slug: str | None) -> str:
    """The release the person came from, if it exists; otherwise the form itself.
    Never echoes an arbitrary value into the stored request."""
    if slug and len(slug) <= 160:
        found = db.session.execute(
            db.select(Release.slug).filter_by(slug=slug, is_published=True)
        ).scalar_one_or_none()
        if found:
            return found
    return DEFAULT_SOURCE


def under_18(birth: PartialDate | None, today: date) -> bool:
    """Under 18 on the latest reading of a month-only birth date (the last day of
    the month): a person who may still be a child is treated as one."""
    if birth is None:
        return False
    if birth.day is None:
        following = date(birth.year + birth.month // 12, birth.month % 12 + 1, 1)
        latest = date.fromordinal(following.toordinal() - 1)
    else:
        latest = birth.earliest()
    try:
        eighteenth = latest.replace(year=latest.year + 18)
    except ValueError:  # 29 February: the later reading, 1 March
        eighteenth = date(latest.year + 18, 3, 1)
    return today < eighteenth


def answers_from(form: HelpForm) -> Answers:
    """The screen's inputs from a validated form (urgency comes from the facts)."""
    hearing_date = form.date_value("hearing")
    return Answers(
        represented=form.represented.data,
        can_pay=form.can_pay.data,
        household_size=int(form.household_size.data),
        monthly_income_usd=parse_income(form.monthly_income.data),
        state=form.state.data,
        claim_types=frozenset(form.claim_types.data),
        detained=form.detained.data == "yes",
        hearing=form.hearing.data,
        hearing_date=hearing_date.earliest() if hearing_date else None,
        last_arrival=form.date_value("arrival"),
        i589_filed=form.i589_filed.data,
        minor=under_18(form.date_value("birth"), timeutil.today()),
    )


def find_by_submission_key(key: str) -> HelpRequest | None:
    return db.session.execute(
        db.select(HelpRequest).filter_by(submission_key=key)
    ).scalar_one_or_none()


def create_request(
    form: HelpForm,
    *,
    submission_key: str,
    source: str,
    language: str,
    app: Flask,
    partner_id: int | None = None,
) -> HelpRequest:
    """Assess and store one request in one transaction, with the staff
    notification it calls for; return it once committed, with its new status
    code in ``status_code`` (an attribute only: the stored form is its HMAC).

    If the same submission was stored meanwhile (a double click racing itself),
    return that one. Raises OperationalError (database down) or
    crypto.KeyUnavailable (no encryption key) after rolling back.
    """
    answers = answers_from(form)
    today, thresholds = timeutil.today(), thresholds_from(app)
    stored_facts = facts.from_form(form)
    rules_facts = facts.to_rules(stored_facts)
    assessment = assess(answers, today, thresholds, facts=rules_facts)
    ranked = live_urgency.rank(rules_facts, today, thresholds)
    code = status_codes.new_code()
    for _attempt in range(5):
        row = _build(form, answers, assessment, stored_facts, rules_facts, ranked)
        row.reference = new_reference()
        row.status_code_hash = status_codes.code_hash(row.reference, code)
        row.submission_key = submission_key
        row.source = source
        row.interface_language = language
        row.partner_id = partner_id  # the partner's frame it came through, if any
        db.session.add(row)
        notify.queue_if_critical(row)  # same transaction: stored ⇒ staff will be told
        conflicts.index_request(row)  # and in the conflict index, in the same transaction
        try:
            db.session.flush()  # the id, for the funders it counts for
            funding.link_new_request(row)
            _commit_keeping_values()
            # Not a column: the confirmation shows it this once, then it is gone.
            row.status_code = code
            return row
        except IntegrityError:
            db.session.rollback()
            existing = find_by_submission_key(submission_key)
            if existing is not None:
                return existing
            # Otherwise the reference collided (about 1 in 10^15): draw another.
        except StatementError as exc:
            db.session.rollback()
            # SQLAlchemy wraps what the Encrypted column raised while binding.
            if isinstance(exc.orig, crypto.KeyUnavailable):
                raise exc.orig from exc
            raise
        except BaseException:
            db.session.rollback()
            raise
    raise RuntimeError("could not draw a unique reference")


def _commit_keeping_values() -> None:
    """Commit without expiring what was written: the new row's values are exactly
    those just stored, and reloading them would read and decrypt every answer
    again only to show the confirmation."""
    session = db.session()
    expire = session.expire_on_commit
    session.expire_on_commit = False
    try:
        db.session.commit()
    finally:
        session.expire_on_commit = expire


def _build(
    form: HelpForm,
    answers: Answers,
    assessment: Assessment,
    stored_facts: dict,
    rules_facts: Facts,
    ranked: live_urgency.Ranked,
) -> HelpRequest:
    row = HelpRequest(
        **columns_for(
            answers,
            assessment,
            preferred_language=form.preferred_language.data,
            safe_to_message=form.safe_to_message.data,
            name=form.name.data,
            nationality=form.nationality.data,
            phone=form.phone.data or None,
            email=form.email.data or None,
            detention_facility=form.detention_facility.data or None,
            summary=form.summary.data or None,
        ),
        asker=form.asker.data,
        share_consent=form.share_consent.data == "yes",
        facts=facts.dumps(stored_facts),
        age_band=age_bands.band(form.date_value("birth"), timeutil.today()),
    )
    live_urgency.store(row, ranked)
    # What staff read first: the screen, then why the request ranks as it does
    # today (the case page works the reasons out again for the day it is read).
    screen_reasons = screen_request(answers, rules_facts, live_urgency.thresholds()).reasons
    row.reasons = json.dumps([*screen_reasons, *(r.text for r in ranked.reasons)])
    row.flags = json.dumps([f.text for f in ranked.flags])
    return row


def columns_for(
    answers: Answers,
    assessment: Assessment,
    *,
    preferred_language: str,
    safe_to_message: str,
    name: str,
    nationality: str,
    phone: str | None,
    email: str | None,
    detention_facility: str | None,
    summary: str | None,
) -> dict:
    """The stored columns of a request (personal answers still plain: the
    ``Encrypted`` columns encrypt them on write), as the form stores them. Also
    used by ``intake.demo`` so synthetic requests are shaped exactly the same."""
    arrival = answers.last_arrival
    income = answers.monthly_income_usd
    phone_hash, email_hash = phone_email.lookup_hashes(crypto.keyring(), phone, email)
    return dict(
        screen=assessment.screen.value,
        urgency=assessment.urgency.value,
        urgency_rank=assessment.urgency.rank,
        reasons=json.dumps(list(assessment.reasons)),
        flags=json.dumps(list(assessment.flags)),
        income_percent=assessment.income_percent,
        guideline_year=assessment.guideline_year,
        filing_deadline=assessment.filing_deadline,
        hearing_date=answers.hearing_date,
        represented=answers.represented,
        can_pay=answers.can_pay,
        household_size=answers.household_size,
        claim_types=" " + " ".join(sorted(answers.claim_types)) + " ",
        detained=answers.detained,
        hearing=answers.hearing,
        arrival_year=arrival.year if arrival else None,
        arrival_month=arrival.month if arrival else None,
        arrival_day=arrival.day if arrival else None,
        i589_filed=answers.i589_filed,
        minor=answers.minor,
        state=answers.state,
        preferred_language=preferred_language,
        safe_to_message=safe_to_message,
        name=name,
        nationality=nationality,
        nationality_code=nationality[:16],  # a code from the list, plain for the reports
        phone=phone,
        email=email,
        monthly_income=None if income is None else str(income),
        detention_facility=detention_facility if answers.detained else None,
        summary=summary,
        phone_hash=phone_hash,
        email_hash=email_hash,
    )
