"""The migration to E.164 phone numbers recomputes the lookup hashes of requests
stored before it, with the app's keys, so they still match new requests; run
with alembic from the revision before it (SQLite, or PostgreSQL under
INTAKE_TEST_DATABASE_URI)."""

from flask_migrate import downgrade, upgrade
from sqlalchemy import select

from intake import create_app, crypto
from intake.cases import contact
from intake.db import MIGRATIONS, db
from intake.models import HelpRequest
from tests.support.apps import TEST_KEYS, apps_to_close
from tests.support.migrations import empty_database


def old_hash(ring, phone: str) -> str:
    """The hash as stored before: the digits, a US number without its leading 1."""
    digits = "".join(ch for ch in phone if ch.isdigit())
    return ring.lookup_hash(digits[1:] if len(digits) == 11 and digits[0] == "1" else digits)


def test_upgrading_from_the_messages_revision_recomputes_phone_hashes(tmp_path, make_request):
    with empty_database(tmp_path) as uri:
        app = create_app(
            {**TEST_KEYS, "SQLALCHEMY_DATABASE_URI": uri, "SEED_RELEASE": False},
            instance_path=str(tmp_path),
        )
        apps_to_close.append(app)
        with app.app_context():
            ring = crypto.keyring()
            typed = ("+1 (212) 555-0142", "+44 20 7946 0958", "12345")
            for phone in typed:
                make_request(within=app, phone=phone, phone_hash=old_hash(ring, phone))
            make_request(within=app, email="only@example.org", phone_hash=None)
            db.session.remove()
            downgrade(directory=MIGRATIONS, revision="0002_messages")
            upgrade(directory=MIGRATIONS)
            rows = db.session.execute(
                select(HelpRequest.phone, HelpRequest.phone_hash).order_by(HelpRequest.id)
            ).all()
            new_form = contact.lookup_hashes(ring, "212.555.0142", None)[0]
            british = contact.lookup_hashes(ring, "011 44 20 7946 0958", None)[0]
            unparsed = contact.lookup_hashes(ring, "12345", None)[0]
            db.session.remove()
            db.engine.dispose()
    assert [phone for phone, _ in rows] == [*typed, None]
    # Each hash is now that of the E.164 form: "212.555.0142" typed today matches.
    assert [h for _, h in rows] == [new_form, british, unparsed, None]
    assert rows[0][1] != old_hash(ring, typed[0])
