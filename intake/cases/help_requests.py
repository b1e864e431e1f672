"""Creating a request for help from validated screening answers.

Plain functions the screening views call: the rules' inputs from the form, the
columns the rules decide, the stored row with its random reference, and the
lookup that makes a retried submission find the request it already made.
"""

import json
from collections.abc import Callable
from datetime import date

from flask import Flask
from sqlalchemy import insert, inspect
from sqlalchemy.exc import IntegrityError, StatementError
from sqlalchemy.orm import make_transient_to_detached
from wtforms import Form

from intake import crypto, timeutil
from intake.cases import conflicts, funding, live_urgency, status_codes
from intake.cases import contact as phone_email
from intake.cases import stored_facts as facts
from intake.cases.live_urgency import thresholds_from
from intake.db import db
from intake.input_hygiene import parse_income
from intake.law import age_bands
from intake.law.screen import Means, screen_request
from intake.law.urgency import Thresholds
from intake.mail import critical
from intake.models import HelpRequest, Release
from intake.models.help_request import keep_derived

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


def means_from(form: Form) -> Means:
    """The screen's answers besides the facts, from a validated form."""
    return Means(
        represented=form.represented.data,
        can_pay=form.can_pay.data,
        household_size=int(form.household_size.data),
        monthly_income_usd=parse_income(form.monthly_income.data),
        state=form.state.data,
    )


def find_by_submission_key(key: str) -> HelpRequest | None:
    return db.session.execute(
        db.select(HelpRequest).filter_by(submission_key=key)
    ).scalar_one_or_none()


def create_request(
    form: Form,
    *,
    submission_key: str,
    source: str,
    language: str,
    app: Flask,
    partner_id: int | None = None,
    with_request: Callable[[HelpRequest], None] | None = None,
) -> HelpRequest:
    """Assess and store one request in one transaction, with the staff
    notification it calls for; return it once committed, with its new status
    code in ``status_code`` (an attribute only: the stored form is its HMAC).
    ``with_request(row)`` adds what else belongs in that transaction (the
    confirmation page): it runs once the row has its id, before the commit.

    If the same submission was stored meanwhile (a double click racing itself),
    return that one. Raises OperationalError (database down) or
    crypto.KeyUnavailable (no encryption key) after rolling back.
    """
    columns = columns_for(
        facts.from_form(form),
        means_from(form),
        timeutil.today(),
        thresholds_from(app),
        preferred_language=form.preferred_language.data,
        safe_to_message=form.safe_to_message.data,
        name=form.name.data,
        nationality=form.nationality.data,
        phone=phone_email.normalise_phone(form.phone.data) if form.phone.data else None,
        email=form.email.data or None,
        detention_facility=form.detention_facility.data or None,
        summary=form.summary.data or None,
    )
    code = status_codes.new_code()
    for _attempt in range(5):
        row = HelpRequest(
            **columns, asker=form.asker.data, share_consent=form.share_consent.data == "yes"
        )
        row.reference = new_reference()
        row.status_code_hash = status_codes.code_hash(row.reference, code)
        row.submission_key = submission_key
        row.source = source
        row.interface_language = language
        row.partner_id = partner_id  # the partner's frame it came through, if any
        try:
            # Worked out before anything is written: no conflict key, nothing stored.
            entries = conflicts.entries_of_request(row)
            _insert(row)
            critical.queue_if_critical(row)  # same transaction: stored ⇒ staff will be told
            conflicts.add_entries(row, entries)  # and in the conflict index, likewise
            funding.link_new_request(row)
            # Not a column: the confirmation shows it this once, then it is gone.
            row.status_code = code
            if with_request is not None:
                with_request(row)
            _commit_keeping_values()
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


_COLUMNS = tuple((a.key, a.columns[0].key) for a in inspect(HelpRequest).column_attrs)


def _insert(row: HelpRequest) -> None:
    """INSERT the new ``row`` as one Core statement, then put it in the session
    as the stored row it now is (its defaults and id filled in, nothing to
    flush). The ORM's unit of work would issue the same INSERT at several times
    the cost, for one wide row written once."""
    keep_derived(row)
    given = row.__dict__
    values = {column: given[key] for key, column in _COLUMNS if key in given}
    result = db.session.connection().execute(insert(HelpRequest.__table__), values)
    stored = result.last_inserted_params()
    row.id = result.inserted_primary_key[0]
    for key, column in _COLUMNS:
        if key not in given and column in stored:
            setattr(row, key, stored[column])
    make_transient_to_detached(row)
    db.session.add(row)


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


def columns_for(
    stored_facts: dict,
    means: Means,
    today: date,
    thresholds: Thresholds,
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
    """The stored columns of a request sent on ``today`` (personal answers still
    plain: the ``Encrypted`` columns encrypt them on write). The one place the
    rules' verdict becomes columns: ``intake.ops.demo`` builds its synthetic requests
    here too, so they are screened, ranked and worded exactly as real ones."""
    rules_facts = facts.to_rules(stored_facts)
    screened = screen_request(rules_facts, means, thresholds)
    ranked = live_urgency.rank(rules_facts, today, thresholds)
    birth = facts.parse_date(stored_facts.get("date_of_birth"))
    arrival = rules_facts.last_arrival
    income = means.monthly_income_usd
    phone_hash, email_hash = phone_email.lookup_hashes(crypto.keyring(), phone, email)
    return dict(
        screen=screened.screen.value,
        income_percent=screened.income_percent,
        guideline_year=screened.guideline_year,
        **live_urgency.columns(ranked),
        # What staff read first: the screen, then why the request ranks as it does
        # today (the case page works the reasons out again for the day it is read).
        reasons=json.dumps([*screened.reasons, *(r.text for r in ranked.reasons)]),
        flags=json.dumps([f.text for f in ranked.flags]),
        facts=facts.dumps(stored_facts),
        hearing_date=rules_facts.hearing_date,
        represented=means.represented,
        can_pay=means.can_pay,
        household_size=means.household_size,
        claim_types=" " + " ".join(sorted(rules_facts.claim_types)) + " ",
        detained=rules_facts.detained,
        hearing=rules_facts.hearing,
        arrival_year=arrival.year if arrival else None,
        arrival_month=arrival.month if arrival else None,
        arrival_day=arrival.day if arrival else None,
        i589_filed=rules_facts.i589_filed,
        minor=age_bands.under_18(birth, today),
        age_band=age_bands.band(birth, today),
        state=means.state,
        preferred_language=preferred_language,
        safe_to_message=safe_to_message,
        name=name,
        nationality=nationality,
        nationality_code=nationality[:16],  # a code from the list, plain for the reports
        phone=phone,
        email=email,
        monthly_income=None if income is None else str(income),
        detention_facility=detention_facility if rules_facts.detained else None,
        summary=summary,
        phone_hash=phone_hash,
        email_hash=email_hash,
    )
