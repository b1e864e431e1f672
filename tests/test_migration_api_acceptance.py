"""The migration that stores when a referral was accepted gives referrals
accepted before it the start of their outcome's day, and no other referral a
time; run with alembic from the revision before it (SQLite, or PostgreSQL under
INTAKE_TEST_DATABASE_URI)."""

from datetime import date, datetime

from flask_migrate import downgrade, upgrade
from sqlalchemy import select

from intake import create_app
from intake.db import MIGRATIONS, db
from intake.models import Referral, ReferralOrganisation
from tests.support.apps import TEST_KEYS, apps_to_close
from tests.support.migrations import empty_database


def test_upgrading_stamps_the_referrals_accepted_before_it(tmp_path, make_request):
    with empty_database(tmp_path) as uri:
        app = create_app(
            {**TEST_KEYS, "SQLALCHEMY_DATABASE_URI": uri, "SEED_RELEASE": False},
            instance_path=str(tmp_path),
        )
        apps_to_close.append(app)
        with app.app_context():
            requests = [make_request(within=app).id for _ in range(4)]
            org = ReferralOrganisation(name="Ours", refer_by="phone", how_to_refer="1")
            db.session.add(org)
            db.session.flush()
            for request_id, (outcome, outcome_on) in zip(
                requests,
                (
                    ("accepted", date(2026, 11, 3)),
                    ("declined", date(2026, 11, 4)),
                    (None, None),
                    ("accepted", date(2026, 11, 20)),
                ),
                strict=True,
            ):
                db.session.add(
                    Referral(
                        request_id=request_id,
                        organisation_id=org.id,
                        made_on=date(2026, 11, 1),
                        method="email",
                        consent="form",
                        outcome=outcome,
                        outcome_on=outcome_on,
                    )
                )
            db.session.commit()
            db.session.remove()
            downgrade(directory=MIGRATIONS, revision="0005_reminder_channel")
            upgrade(directory=MIGRATIONS)
            stamped = list(
                db.session.execute(select(Referral.accepted_at).order_by(Referral.id)).scalars()
            )
            db.session.remove()
            db.engine.dispose()
    assert stamped == [datetime(2026, 11, 3), None, None, datetime(2026, 11, 20)]
