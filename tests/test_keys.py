"""Encryption at rest, key rotation, and a missing key refusing to store plaintext."""

from pathlib import Path

import pytest
from conftest import raw_engine
from cryptography.fernet import Fernet
from requests_factory import PERSONAL, add_request
from sqlalchemy import Column, Integer, MetaData, Table, func, select, text

from intake.crypto import Encrypted, KeyUnavailable
from intake.db import db
from intake.keys import encrypted_columns
from intake.models import HelpRequest, StaffUser

KEY_A = Fernet.generate_key().decode()
KEY_B = Fernet.generate_key().decode()


@pytest.fixture
def keyed_app(app_factory):
    """Factory: an app whose ENCRYPTION_KEYS are ``keys`` (newest first)."""
    return lambda *keys, **overrides: app_factory(ENCRYPTION_KEYS=",".join(keys), **overrides)


def write_requests(app, count=5):
    """Requests and a staff member's TOTP secret, written under ``app``'s key."""
    with app.app_context():
        made = [add_request() for _ in range(count)]
        db.session.add(StaffUser(email="staff@example.org", role="admin", totp_secret="TOTPSEED"))
        db.session.commit()
        return {r.id: {n: getattr(r, n) for n in (*PERSONAL, "summary")} for r in made}


def read_requests(app):
    with app.app_context():
        rows = db.session.execute(select(HelpRequest)).scalars()
        answers = {r.id: {n: getattr(r, n) for n in (*PERSONAL, "summary")} for r in rows}
        staff = db.session.execute(select(StaffUser)).scalar_one()
        return answers, staff.totp_secret


def stored_tokens(app):
    with app.app_context():
        return db.session.execute(text("SELECT name, updated_at FROM help_request")).all()


def test_generate_key_prints_a_fernet_key(runner):
    result = runner.invoke(args=["generate-key"])
    assert result.exit_code == 0
    Fernet(result.output.strip().encode())  # raises if it is not a key


def test_rotation_then_removing_the_old_key_keeps_every_row_readable(keyed_app):
    old = keyed_app(KEY_A)
    written = write_requests(old, count=5)
    before = stored_tokens(old)

    both = keyed_app(KEY_B, KEY_A)
    result = both.test_cli_runner().invoke(args=["rotate-keys", "--batch-size", "2"])
    assert result.exit_code == 0, result.output
    assert "help_request: 5 rows re-encrypted" in result.output
    assert "staff_user: 1 rows re-encrypted (totp_secret)" in result.output

    after = stored_tokens(old)
    assert {t for t, _ in before}.isdisjoint(t for t, _ in after)
    # Re-encryption is not a change: the retention clock did not move.
    assert sorted(u for _, u in before) == sorted(u for _, u in after)

    assert read_requests(keyed_app(KEY_B)) == (written, "TOTPSEED")
    # The old key alone can no longer read anything: the rows really moved.
    with pytest.raises(KeyUnavailable):
        read_requests(keyed_app(KEY_A))


def test_rotation_stops_clearly_on_a_value_no_key_can_read(keyed_app):
    write_requests(keyed_app(Fernet.generate_key().decode()), count=1)
    result = keyed_app(KEY_B, KEY_A).test_cli_runner().invoke(args=["rotate-keys"])
    assert result.exit_code == 1
    assert "no configured key can decrypt" in result.output
    assert "run rotate-keys again" in result.output


def test_encrypted_columns_are_found_by_type_including_future_tables():
    found = {g.table.name: [c.name for c in g.columns] for g in encrypted_columns()}
    assert found["help_request"] == [*PERSONAL, "summary"]
    assert found["staff_user"] == ["totp_secret"]
    later = MetaData()
    Table("later_notes", later, Column("id", Integer, primary_key=True), Column("body", Encrypted))
    assert [c.name for g in encrypted_columns(later) for c in g.columns] == ["body"]


def test_stored_values_hold_no_personal_answer(app, database_uri):
    written = write_requests(app, count=2)
    values = [v for answers in written.values() for v in answers.values()]
    engine = raw_engine(database_uri)
    with engine.connect() as conn:
        rows = conn.execute(text("SELECT * FROM help_request")).all()
        staff = conn.execute(text("SELECT totp_secret FROM staff_user")).scalar_one()
    engine.dispose()
    dump = repr(rows) + staff
    assert rows and not [v for v in values if v in dump]
    assert "TOTPSEED" not in dump
    if database_uri.startswith("sqlite:///"):
        with app.app_context():
            db.session.execute(text("PRAGMA wal_checkpoint(TRUNCATE)"))
        path = Path(database_uri.removeprefix("sqlite:///"))
        data = b"".join(p.read_bytes() for p in path.parent.glob(path.name + "*"))
        assert not [v for v in values if v.encode() in data]


@pytest.fixture
def keyless_app(keyed_app, monkeypatch):
    """Production with no key configured, and two test-only routes that store
    personal data the way the form will."""
    monkeypatch.delenv("INTAKE_ENCRYPTION_KEYS", raising=False)
    monkeypatch.delenv("INTAKE_LOOKUP_KEY", raising=False)
    keyless = keyed_app(
        PRODUCTION=True,
        LOOKUP_KEY="",
        PROPAGATE_EXCEPTIONS=False,
        WTF_CSRF_ENABLED=False,
    )

    @keyless.post("/test-submit")
    def submit():
        add_request(name="Plain Text Name")
        db.session.commit()
        return "stored"

    @keyless.post("/test-lookup")
    def lookup():
        from intake.crypto import keyring

        return keyring().lookup_hash("+15551234567")

    return keyless


def count_requests(app):
    with app.app_context():
        return db.session.execute(select(func.count()).select_from(HelpRequest)).scalar_one()


@pytest.mark.parametrize("path", ["/test-submit", "/test-lookup"])
def test_without_a_key_production_refuses_with_503_and_stores_nothing(keyless_app, path):
    response = keyless_app.test_client().post(path)
    assert response.status_code == 503
    page = response.get_data(as_text=True)
    assert "We cannot accept requests right now" in page
    assert "Nothing you sent has been saved" in page
    assert "Plain Text Name" not in page
    assert response.headers["Cache-Control"] == "no-store"
    assert response.headers["Content-Security-Policy"]
    assert count_requests(keyless_app) == 0


def test_an_invalid_key_counts_as_no_key(keyed_app):
    broken = keyed_app("not-a-fernet-key", PRODUCTION=True)
    with broken.app_context(), pytest.raises(KeyUnavailable):
        broken.extensions["intake.keyring"].encrypt("x")


def test_a_failed_write_never_shows_the_values_in_its_error(keyless_app, caplog):
    """hide_parameters: the SQLAlchemy error that wraps KeyUnavailable would
    otherwise quote the plaintext answers, and errors end up in logs."""
    from sqlalchemy.exc import StatementError

    caplog.set_level("DEBUG")
    with keyless_app.app_context(), pytest.raises(StatementError) as failure:
        made = add_request(name="Plain Text Name")
        answers = [getattr(made, n) for n in (*PERSONAL, "summary")]
        db.session.commit()
    assert isinstance(failure.value.orig, KeyUnavailable)
    assert not [a for a in answers if a in str(failure.value)]
    keyless_app.test_client().post("/test-submit")
    assert "Plain Text Name" not in caplog.text
