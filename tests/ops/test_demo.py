"""``flask --app intake seed-demo``: synthetic requests shaped exactly as the form stores them."""

import json
from collections import Counter
from datetime import date
from decimal import Decimal

import sqlalchemy as sa

from intake import crypto
from intake.cases import choice_lists
from intake.cases import contact as phone_email
from intake.cases import stored_facts as facts
from intake.cases.help_requests import thresholds_from
from intake.db import db
from intake.law import age_bands
from intake.law.flags import flags
from intake.law.screen import Means, screen_request
from intake.law.urgency import urgency
from intake.law.vocabulary import CLAIM_TYPES, Urgency
from intake.models import HelpRequest
from intake.ops.demo import KEY_PREFIX
from intake.staff.cases.casework import find_duplicates


def _requests(app) -> list[HelpRequest]:
    with app.app_context():
        rows = list(db.session.execute(sa.select(HelpRequest)).scalars())
        for row in rows:  # decrypt while the app context (the keyring) is there
            _ = (row.name, row.nationality, row.phone, row.email, row.monthly_income)
        return rows


def test_seed_demo_covers_every_claim_urgency_and_language(app, runner):
    result = runner.invoke(args=["seed-demo", "400"])
    assert result.exit_code == 0, result.output
    assert "Added 400 demo requests" in result.output
    rows = _requests(app)
    assert len(rows) == 400
    claims = Counter(c for r in rows for c in r.claim_types.split())
    assert set(claims) == {code for code, _ in CLAIM_TYPES}
    assert {r.urgency for r in rows} == {u.value for u in Urgency}
    assert {r.preferred_language for r in rows} == {code for code, _ in choice_lists.LANGUAGES}
    assert len({r.status for r in rows}) >= 5
    assert len({r.screen for r in rows}) == 4
    assert any(r.detained and r.detention_facility for r in rows)
    assert any(r.hearing_date for r in rows)
    months = {(r.created_at.year, r.created_at.month) for r in rows}
    assert len(months) >= 6  # spread over months, not all today
    assert len({r.reference for r in rows}) == 400
    assert all(r.submission_key.startswith(KEY_PREFIX) for r in rows)


def test_seed_demo_stores_what_the_form_would(app, runner):
    """Encrypted answers decrypt, hashes match the normalised contact details, and
    screen and urgency are what the rules give for the stored answers."""
    assert runner.invoke(args=["seed-demo", "150"]).exit_code == 0
    with app.app_context():
        raw = db.session.execute(sa.text("SELECT name, phone FROM help_request")).all()
        ring = crypto.keyring()
        thresholds = thresholds_from(app)
        rows = list(db.session.execute(sa.select(HelpRequest)).scalars())
        for (stored_name, _), row in zip(raw, rows, strict=False):
            assert stored_name != row.name and ring.decrypt(stored_name) in {r.name for r in rows}
        for row in rows:
            assert row.name and row.nationality
            if row.phone:
                assert row.phone_hash == ring.lookup_hash(phone_email.normalise_phone(row.phone))
                assert "555-01" in row.phone or "555 01" in row.phone or "555.01" in row.phone
            if row.email:
                assert row.email_hash == ring.lookup_hash(phone_email.normalise_email(row.email))
                assert row.email.split("@")[1].startswith("example.")
            stored = facts.loads(row.facts)
            rules_facts = facts.to_rules(stored)
            income = None if row.monthly_income is None else Decimal(row.monthly_income)
            means = Means(row.represented, row.can_pay, row.household_size, income, row.state)
            sent = row.created_at.date()
            screened = screen_request(rules_facts, means, thresholds)
            assert row.screen == screened.screen.value
            # Reasons, flags and the minor answer as a real request stores them on
            # the day it is sent.
            _band, reasons = urgency(rules_facts, sent, thresholds)
            assert json.loads(row.reasons) == [*screened.reasons, *(r.text for r in reasons)]
            flagged = flags(rules_facts, sent, thresholds)
            assert json.loads(row.flags) == [f.text for f in flagged]
            assert row.minor is age_bands.under_18(
                facts.parse_date(stored.get("date_of_birth")), sent
            )
            # Urgency is today's, from the stored facts (intake.cases.live_urgency).
            band, _reasons = urgency(rules_facts, date.today(), thresholds)
            assert row.urgency == band.value
            assert row.created_at.date() <= date.today()


def test_seed_demo_shares_a_few_phones_for_duplicate_search(app, runner):
    assert runner.invoke(args=["seed-demo", "1500"]).exit_code == 0
    with app.app_context():
        hashes = Counter(
            db.session.execute(
                sa.select(HelpRequest.phone_hash).where(HelpRequest.phone_hash.is_not(None))
            ).scalars()
        )
        shared = [h for h, n in hashes.items() if n > 1]
        assert 1 <= len(shared) <= 5  # a few numbers, not a collision per row
        row = db.session.execute(
            sa.select(HelpRequest).where(HelpRequest.phone_hash == shared[0]).limit(1)
        ).scalar_one()
        duplicates = find_duplicates(row)
        assert len(duplicates) == hashes[shared[0]] - 1
        # The same number written differently by different people.
        assert len({d.phone for d in [row, *duplicates]}) > 1


def test_seed_demo_tops_up_and_appends(app, runner):
    assert runner.invoke(args=["seed-demo", "30"]).exit_code == 0
    again = runner.invoke(args=["seed-demo", "30"])
    assert "Added 0 demo requests" in again.output
    assert runner.invoke(args=["seed-demo", "40"]).exit_code == 0
    assert runner.invoke(args=["seed-demo", "5", "--append"]).exit_code == 0
    with app.app_context():
        keys = list(db.session.execute(sa.select(HelpRequest.submission_key)).scalars())
    assert len(keys) == len(set(keys)) == 45


def test_seed_demo_refuses_production_unless_forced(app_factory):
    production = app_factory(PRODUCTION=True)
    runner = production.test_cli_runner()
    refused = runner.invoke(args=["seed-demo", "3"])
    assert refused.exit_code != 0
    assert "INTAKE_PRODUCTION" in refused.output
    with production.app_context():
        assert db.session.execute(sa.select(sa.func.count(HelpRequest.id))).scalar_one() == 0
    forced = runner.invoke(args=["seed-demo", "3", "--force"])
    assert forced.exit_code == 0, forced.output
    with production.app_context():
        assert db.session.execute(sa.select(sa.func.count(HelpRequest.id))).scalar_one() == 3
