"""Encryption at rest, key rotation (encryption and lookup keys), and a missing
key refusing to store plaintext."""

import secrets
from pathlib import Path

import pytest
from cryptography.fernet import Fernet
from sqlalchemy import Column, Integer, MetaData, Table, func, select, text

from intake.cases.contact import normalise_phone
from intake.crypto import Encrypted, KeyUnavailable
from intake.db import db
from intake.models import HelpRequest, Note, StaffUser, StatusChange
from intake.ops.keys import encrypted_columns
from tests.support.apps import raw_engine
from tests.support.form import marked_answers, personal_values, submit_help

KEY_A = Fernet.generate_key().decode()
KEY_B = Fernet.generate_key().decode()
PERSONAL = ("name", "nationality", "phone", "email", "monthly_income", "detention_facility")
ANSWERS = (*PERSONAL, "summary", "facts")


def markers() -> dict:
    """A unique value for every encrypted answer of a request."""
    marker = secrets.token_hex(6)
    return {name: f"{name}-{marker}" for name in ANSWERS}


@pytest.fixture
def keyed_app(app_factory):
    """Factory: an app whose ENCRYPTION_KEYS are ``keys`` (newest first)."""
    return lambda *keys, **overrides: app_factory(ENCRYPTION_KEYS=",".join(keys), **overrides)


@pytest.fixture
def write_requests(make_request):
    """Requests and a staff member's TOTP secret, written under ``app``'s key."""

    def write(app, count=5):
        made = [make_request(within=app, **markers()) for _ in range(count)]
        with app.app_context():
            db.session.add(
                StaffUser(email="staff@example.org", role="admin", totp_secret="TOTPSEED")
            )
            db.session.commit()
        return {r.id: {n: getattr(r, n) for n in ANSWERS} for r in made}

    return write


def read_requests(app):
    with app.app_context():
        rows = db.session.execute(select(HelpRequest)).scalars()
        answers = {r.id: {n: getattr(r, n) for n in ANSWERS} for r in rows}
        staff = db.session.execute(select(StaffUser)).scalar_one()
        return answers, staff.totp_secret


def stored_tokens(app):
    with app.app_context():
        return db.session.execute(text("SELECT name, updated_at FROM help_request")).all()


def test_generate_key_prints_a_fernet_key(runner):
    result = runner.invoke(args=["generate-key"])
    assert result.exit_code == 0
    Fernet(result.output.strip().encode())  # raises if it is not a key


def test_rotation_then_removing_the_old_key_keeps_every_row_readable(keyed_app, write_requests):
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


def test_rotation_stops_clearly_on_a_value_no_key_can_read(keyed_app, write_requests):
    write_requests(keyed_app(Fernet.generate_key().decode()), count=1)
    result = keyed_app(KEY_B, KEY_A).test_cli_runner().invoke(args=["rotate-keys"])
    assert result.exit_code == 1
    assert "no configured key can decrypt" in result.output
    assert "run rotate-keys again" in result.output


def test_encrypted_columns_are_found_by_type_including_future_tables():
    found = {g.table.name: [c.name for c in g.columns] for g in encrypted_columns()}
    assert found["help_request"] == list(ANSWERS)
    assert found["staff_user"] == ["totp_secret"]
    later = MetaData()
    Table("later_notes", later, Column("id", Integer, primary_key=True), Column("body", Encrypted))
    assert [c.name for g in encrypted_columns(later) for c in g.columns] == ["body"]


# --- lookup key -------------------------------------------------------------------


def duplicates_of(app, request) -> list[str]:
    from intake.staff.cases.casework import find_duplicates

    with app.app_context():
        found = find_duplicates(db.session.get(HelpRequest, request.id))
        return [r.reference for r in found]


def stored_hashes(app) -> dict:
    with app.app_context():
        query = text("SELECT id, phone_hash, email_hash, updated_at FROM help_request")
        return {row.id: tuple(row) for row in db.session.execute(query)}


def test_rotate_keys_recomputes_lookup_hashes_under_a_new_lookup_key(app_factory, make_request):
    old = app_factory(LOOKUP_KEY="lookup-key-A")
    rosa = make_request(within=old, phone="+1 (212) 555-0142", email="Rosa@Example.org")
    make_request(within=old, phone="212 555 0199")
    no_contact = make_request(within=old)
    new = app_factory(LOOKUP_KEY="lookup-key-B")
    # The same person again, written differently, after the lookup key changed.
    by_phone = make_request(within=new, phone="1-212-555-0142")
    by_email = make_request(within=new, email=" rosa@example.ORG")
    before = stored_hashes(new)
    assert duplicates_of(new, by_phone) == [] and duplicates_of(new, by_email) == []

    result = new.test_cli_runner().invoke(args=["rotate-keys", "--batch-size", "2"])
    assert result.exit_code == 0, result.output
    # Only the two rows stored under key A changed; the newer ones were right.
    assert "help_request: 2 rows with new lookup hashes" in result.output
    assert duplicates_of(new, by_phone) == [rosa.reference]
    assert duplicates_of(new, by_email) == [rosa.reference]

    after = stored_hashes(new)
    assert after[no_contact.id] == before[no_contact.id]
    assert before[no_contact.id][1:3] == (None, None)
    assert {i: row[3] for i, row in after.items()} == {i: row[3] for i, row in before.items()}
    assert after[rosa.id][1:3] != before[rosa.id][1:3]
    again = new.test_cli_runner().invoke(args=["rotate-keys"])
    assert "help_request: 0 rows with new lookup hashes" in again.output


def test_rotate_keys_without_a_lookup_key_stops_clearly(keyed_app, make_request):
    stored = keyed_app(KEY_A)
    make_request(within=stored, phone="212 555 0142")
    keyless = keyed_app(KEY_A, PRODUCTION=True, LOOKUP_KEY="")
    result = keyless.test_cli_runner().invoke(args=["rotate-keys"])
    assert result.exit_code == 1
    assert "lookup hashes: no lookup key configured" in result.output


# --- what is stored ---------------------------------------------------------------


def raw_rows(database_uri) -> str:
    """Every row of every table as stored (no decryption), read outside the app."""
    engine = raw_engine(database_uri)
    try:
        with engine.connect() as conn:
            return "\n".join(
                repr(conn.execute(text(f"SELECT * FROM {table.name}")).all())  # noqa: S608
                for table in db.metadata.sorted_tables
            )
    finally:
        engine.dispose()


def database_files(database_uri) -> bytes:
    path = Path(database_uri.removeprefix("sqlite:///"))
    return b"".join(p.read_bytes() for p in sorted(path.parent.glob(path.name + "*")))


def found_in(data: bytes, values: list[str]) -> list[str]:
    """Values present as UTF-8 or UTF-16, as typed or in lower case."""
    return [
        value
        for value in values
        for form in {value, value.lower()}
        for encoding in ("utf-8", "utf-16-le", "utf-16-be")
        if form.encode(encoding) in data
    ]


def test_a_request_sent_through_the_form_is_stored_without_a_personal_value(
    app, client, database_uri
):
    """Every table read raw (both databases), and on SQLite the database and -wal
    files byte by byte, before and after a checkpoint: no answer in any form."""
    import hashlib

    answers = marked_answers()
    _, done = submit_help(client, answers)
    assert done.status_code == 200
    note, reason = f"Note {secrets.token_hex(6)}", f"Reason {secrets.token_hex(6)}"
    with app.app_context():
        row = db.session.execute(select(HelpRequest)).scalar_one()
        # Stored as typed (read through the key), so the search below is meaningful.
        assert (row.name, row.email) == (answers["name"], answers["email"])
        assert row.phone == normalise_phone(answers["phone"])  # stored in E.164
        assert row.detention_facility == answers["detention_facility"]
        db.session.add(Note(request_id=row.id, text=note))
        db.session.add(
            StatusChange(
                request_id=row.id,
                kind="status",
                from_value="new",
                to_value="in_review",
                reason=reason,
            )
        )
        db.session.commit()
    values = [*personal_values(answers), note, reason]
    # A plain (unkeyed) hash of a phone number can be reversed by trying them all.
    plain_hashes = [hashlib.sha256(v.encode()).hexdigest() for v in personal_values(answers)]

    dump = raw_rows(database_uri)
    assert [v for v in values if v.lower() in dump.lower()] == []
    assert [h for h in plain_hashes if h in dump] == []
    engine = raw_engine(database_uri)
    try:
        with engine.connect() as conn:
            columns = ", ".join(ANSWERS)
            stored = [
                *conn.execute(text(f"SELECT {columns} FROM help_request")).one(),  # noqa: S608
                conn.execute(text("SELECT text FROM case_note")).scalar_one(),
                conn.execute(text("SELECT reason FROM case_status_change")).scalar_one(),
            ]
    finally:
        engine.dispose()
    # Short answers (nationality "ER") cannot be searched for: every one is a token.
    assert all(value.startswith("gAAAAA") for value in stored), stored

    if database_uri.startswith("sqlite:///"):
        assert found_in(database_files(database_uri), values) == []  # -wal not yet checkpointed
        with app.app_context():
            db.session.execute(text("PRAGMA wal_checkpoint(TRUNCATE)"))
        assert found_in(database_files(database_uri), values) == []


# --- without a usable key ---------------------------------------------------------


@pytest.fixture
def production_app(app_factory, monkeypatch):
    """Factory: a production app with the given keys and none from the environment."""
    monkeypatch.delenv("INTAKE_ENCRYPTION_KEYS", raising=False)
    monkeypatch.delenv("INTAKE_LOOKUP_KEY", raising=False)
    return lambda **keys: app_factory(PRODUCTION=True, PROPAGATE_EXCEPTIONS=False, **keys)


def count_requests(app):
    with app.app_context():
        return db.session.execute(select(func.count()).select_from(HelpRequest)).scalar_one()


MISSING_KEYS = {
    "no-keys": {"ENCRYPTION_KEYS": "", "LOOKUP_KEY": ""},
    "no-encryption-key": {"ENCRYPTION_KEYS": ""},
    "invalid-encryption-key": {"ENCRYPTION_KEYS": "not-a-fernet-key"},
    "no-lookup-key": {"LOOKUP_KEY": ""},
}


@pytest.mark.parametrize("keys", MISSING_KEYS.values(), ids=MISSING_KEYS)
def test_without_a_usable_key_the_form_refuses_with_503_keeps_the_answers_stores_nothing(
    production_app, keys, caplog
):
    caplog.set_level("DEBUG")
    keyless = production_app(**keys)
    answers = marked_answers()
    check, done = submit_help(keyless.test_client(), answers)
    assert done.status_code == 503
    page = done.get_data(as_text=True)
    assert "We could not save your request" in page and "Nothing was sent" in page
    for field in ("name", "phone", "email", "summary", "detention_facility", "monthly_income"):
        assert f'<input type="hidden" name="{field}" value="{answers[field]}">' in page
    assert done.headers["Cache-Control"] == "no-store"
    assert "object-src 'none'" in done.headers["Content-Security-Policy"]
    assert count_requests(keyless) == 0
    assert "help request not stored: KeyUnavailable" in caplog.text
    assert [v for v in personal_values(answers) if v in caplog.text] == []


def test_without_a_key_any_other_page_that_needs_one_is_a_503(app, production_app, make_staff):
    """Staff login reads the encrypted TOTP secret: the app-wide handler answers."""
    from tests.support.staff import next_totp_code, post_login

    user = make_staff()
    keyless = production_app(ENCRYPTION_KEYS="")
    response = post_login(keyless.test_client(), user, next_totp_code(app, user))
    assert response.status_code == 503
    assert "We cannot accept requests right now" in response.text
    assert response.headers["Cache-Control"] == "no-store"


def test_an_invalid_key_counts_as_no_key(keyed_app):
    broken = keyed_app("not-a-fernet-key", PRODUCTION=True)
    with broken.app_context(), pytest.raises(KeyUnavailable):
        broken.extensions["intake.keyring"].encrypt("x")


def test_a_failed_write_never_shows_the_values_in_its_error(production_app, make_request):
    """hide_parameters: the SQLAlchemy error that wraps KeyUnavailable would
    otherwise quote the plaintext answers, and errors end up in logs."""
    from sqlalchemy.exc import StatementError

    keyless = production_app(ENCRYPTION_KEYS="", LOOKUP_KEY="")
    values = markers()
    with pytest.raises(StatementError) as failure:
        make_request(within=keyless, phone_hash=None, email_hash=None, **values)
    assert isinstance(failure.value.orig, KeyUnavailable)
    assert [v for v in values.values() if v in str(failure.value)] == []
    assert count_requests(keyless) == 0
