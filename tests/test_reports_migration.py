"""The reports migration fills in what existing requests already say: the
closing date from their history, the nationality code from the encrypted
answer; dispositions stay unrecorded rather than guessed."""

from datetime import datetime

from flask_migrate import upgrade
from sqlalchemy import text

from intake import crypto
from intake.db import MIGRATIONS, _migrations, db
from tests.support.apps import scratch_app

BEFORE = "20261129facts"  # the revision before the reports migration


def test_existing_requests_get_closing_dates_and_nationality_codes(tmp_path):
    app = scratch_app(tmp_path)
    with app.app_context():
        _migrations(app)
        upgrade(directory=MIGRATIONS, revision=BEFORE)
        ring = crypto.keyring()
        columns = (
            "reference, created_at, updated_at, version, status, screen, urgency, "
            "urgency_rank, reasons, flags, represented, can_pay, household_size, claim_types, "
            "detained, hearing, i589_filed, minor, state, preferred_language, safe_to_message, "
            "interface_language, source, name, nationality"
        )
        values = (
            ":ref, '2026-01-01 10:00:00', '2026-01-05 10:00:00', 1, :status, 'eligible', "
            "'normal', 2, '[]', '[]', 'no', 'no', 1, ' asylum ', 0, 'no', 'no', 0, 'NY', 'es', "
            "'yes', 'en', 'help', :name, :nationality"
        )
        for ref, status, nationality in (("AAAA", "declined", "HT"), ("BBBB", "new", "VE")):
            db.session.execute(
                text(f"INSERT INTO help_request ({columns}) VALUES ({values})"),  # noqa: S608
                {
                    "ref": ref,
                    "status": status,
                    "name": ring.encrypt("Someone"),
                    "nationality": ring.encrypt(nationality),
                },
            )
        db.session.execute(
            text(
                "INSERT INTO case_status_change (request_id, at, kind, from_value, to_value)"
                " SELECT id, :at, 'status', 'in_review', 'declined' FROM help_request"
                " WHERE reference = 'AAAA'"
            ),
            {"at": datetime(2026, 1, 4, 9, 30)},
        )
        db.session.commit()
        upgrade(directory=MIGRATIONS)
        rows = db.session.execute(
            text(
                "SELECT reference, nationality_code, closed_at, disposition"
                " FROM help_request ORDER BY reference"
            )
        ).all()
    assert [(r[0], r[1], r[3]) for r in rows] == [("AAAA", "HT", None), ("BBBB", "VE", None)]
    assert str(rows[0][2]).startswith("2026-01-04 09:30")
    assert rows[1][2] is None
    with app.app_context():
        history = db.session.execute(text("SELECT count(*) FROM case_status_change")).scalar()
    assert history == 1  # the history itself is untouched


def test_existing_requests_get_their_day_first_contact_and_hours(tmp_path):
    app = scratch_app(tmp_path)
    with app.app_context():
        _migrations(app)
        upgrade(directory=MIGRATIONS, revision="20261129_letters")
        ring = crypto.keyring()
        columns = (
            "reference, created_at, updated_at, version, status, screen, urgency, "
            "urgency_rank, reasons, flags, represented, can_pay, household_size, claim_types, "
            "detained, hearing, i589_filed, minor, state, preferred_language, safe_to_message, "
            "interface_language, source, name, nationality, nationality_code, closed_at"
        )
        values = (
            ":ref, '2026-01-01 23:59:59.500000', '2026-01-05 10:00:00', 1, :status, "
            "'eligible', 'normal', 2, '[]', '[]', 'no', 'no', 1, ' asylum ', 0, 'no', 'no', 0, "
            "'NY', 'es', 'yes', 'en', 'help', :name, :nationality, 'HT', :closed"
        )
        for ref, status, closed in (
            ("AAAA", "declined", "2026-01-04 23:59:59.500000"),  # exactly 72 hours
            ("BBBB", "new", None),
        ):
            db.session.execute(
                text(f"INSERT INTO help_request ({columns}) VALUES ({values})"),  # noqa: S608
                {
                    "ref": ref,
                    "status": status,
                    "closed": closed,
                    "name": ring.encrypt("Someone"),
                    "nationality": ring.encrypt("HT"),
                },
            )
        for at in ("2026-01-02 05:00:00", "2026-01-02 01:30:00"):  # the earlier one is first
            db.session.execute(
                text(
                    "INSERT INTO contact_attempt (request_id, at, channel, outcome, contact)"
                    " SELECT id, :at, 'phone', 'no_answer', 'applicant' FROM help_request"
                    " WHERE reference = 'AAAA'"
                ),
                {"at": at},
            )
        db.session.commit()
        upgrade(directory=MIGRATIONS)
        rows = db.session.execute(
            text(
                "SELECT reference, created_on, first_contact_at, hours_to_first_contact,"
                " hours_to_close, age_band FROM help_request ORDER BY reference"
            )
        ).all()
    assert [(r[0], str(r[1]), r[3], r[4], r[5]) for r in rows] == [
        ("AAAA", "2026-01-01", 1, 72, None),
        ("BBBB", "2026-01-01", None, None, None),
    ]
    assert str(rows[0][2]).startswith("2026-01-02 01:30")
    assert rows[1][2] is None
