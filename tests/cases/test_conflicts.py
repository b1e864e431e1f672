"""Conflict check: normalised names and dates of birth as keyed hashes, found
across requests and across a purge, never stored in clear."""

import hmac
from datetime import date, datetime, timedelta

import pytest
from sqlalchemy import select, text

from intake import timeutil
from intake.cases import conflicts
from intake.cases.conflicts import ConflictError
from intake.cases.retention import purge
from intake.db import db
from intake.models import ConflictKey, HelpRequest, StaffUser
from tests.support.apps import raw_engine
from tests.support.form import marked_answers, submit_help


@pytest.mark.parametrize(
    ("a", "b"),
    [
        ("María García-López", "maria garcia lopez"),
        ("GARCÍA LÓPEZ, María", "María García López"),
        ("José  Ortiz", "JOSE ORTIZ"),
        ("Ａｍｉｒ", "amir"),  # full-width letters
        ("Nguyễn Văn An", "nguyen van an"),
        ("O'Brien\u200b Sean", "sean o brien"),  # zero-width space removed
    ],
)
def test_names_that_differ_only_in_form_normalise_alike(a, b):
    assert conflicts.normalise_name(a) == conflicts.normalise_name(b)


def test_different_names_stay_different():
    assert conflicts.normalise_name("Ana Ruiz") != conflicts.normalise_name("Ana Ruiz Soto")
    assert conflicts.normalise_name("محمد علي") != conflicts.normalise_name("علي")
    assert conflicts.normalise_name("!!!") == ""


RING = conflicts.ConflictHasher(b"test-conflict-key", 4)
BORN = date(1980, 3, 2)


def test_one_hash_holds_the_name_and_the_date_of_birth_together():
    same_day = {RING.hash(name, BORN) for name in ("Ana Ruiz", "Omar Haddad", "Li Wei")}
    assert len(same_day) == 3  # born the same day: nothing in common
    namesakes = {RING.hash("Ana Ruiz", day) for day in (BORN, date(1981, 3, 2), None)}
    assert len(namesakes) == 3
    assert RING.hash("RUIZ, Ána", BORN) == RING.hash("ana ruiz", BORN)


def test_the_hash_is_keyed_and_slow():
    other_key = conflicts.ConflictHasher(b"another-key", 4)
    assert other_key.hash("Ana Ruiz", BORN) != RING.hash("Ana Ruiz", BORN)
    dearer = conflicts.ConflictHasher(b"test-conflict-key", 5)
    assert dearer.hash("Ana Ruiz", BORN) != RING.hash("Ana Ruiz", BORN)  # the work is in it
    plain = hmac.new(b"test-conflict-key", conflicts.person_message("Ana Ruiz", BORN), "sha256")
    assert RING.hash("Ana Ruiz", BORN) != plain.hexdigest()


def test_match_strength():
    dated = conflicts.probe_for(RING, "Ana Ruiz", BORN)
    undated = conflicts.probe_for(RING, "Ana Ruiz", None)
    full, bare = RING.hash("Ana Ruiz", BORN), RING.hash("Ana Ruiz", None)
    assert conflicts.strength(dated, full, False) == conflicts.STRONG
    assert conflicts.strength(dated, bare, True) == conflicts.WEAK
    assert conflicts.strength(undated, bare, True) == conflicts.WEAK
    assert conflicts.strength(undated, full, False) is None  # a date is never guessed
    other_day = RING.hash("Ana Ruiz", date(1990, 1, 1))
    assert conflicts.strength(dated, other_day, False) is None


@pytest.fixture
def reviewer(make_staff):
    return make_staff("reviewer")


def indexed_request(app, make_request, **fields):
    case = make_request(**fields)
    with app.app_context():
        conflicts.index_request(db.session.get(HelpRequest, case.id))
        db.session.commit()
    return case


def test_an_abuser_recorded_on_one_case_is_found_as_the_applicant_of_another(
    app, make_request, reviewer
):
    victim = indexed_request(app, make_request, name="Rosa Méndez")
    abuser = indexed_request(
        app, make_request, name="CARLOS   mendez-ruiz", facts='{"date_of_birth": "1980-03-02"}'
    )
    unrelated = indexed_request(app, make_request, name="Carla Mendez")
    with app.app_context():
        actor = db.session.get(StaffUser, reviewer.id)
        conflicts.add_adverse_party(
            db.session.get(HelpRequest, victim.id),
            actor,
            relationship="abuser",
            name="Carlos Méndez Ruiz",
            born=date(1980, 3, 2),
        )
        found = conflicts.conflicts_for(db.session.get(HelpRequest, abuser.id))
        assert [(c.ours, c.theirs, c.reference, c.strength, c.adverse) for c in found] == [
            ("applicant", "adverse party", victim.reference, conflicts.STRONG, True)
        ]
        seen_from_victim = conflicts.conflicts_for(db.session.get(HelpRequest, victim.id))
        assert [(c.ours, c.theirs, c.reference) for c in seen_from_victim] == [
            ("adverse party: Abuser (VAWA, U visa)", "applicant", abuser.reference)
        ]
        assert conflicts.conflicts_for(db.session.get(HelpRequest, unrelated.id)) == []


def test_dates_of_birth_order_the_matches(app, make_request, reviewer):
    first = indexed_request(app, make_request, name="Victim One")
    second = indexed_request(app, make_request, name="Victim Two")
    third = indexed_request(app, make_request, name="Victim Three")
    with app.app_context():
        actor = db.session.get(StaffUser, reviewer.id)
        for case, born in ((first, date(1970, 1, 1)), (second, date(1971, 1, 1)), (third, None)):
            conflicts.add_adverse_party(
                db.session.get(HelpRequest, case.id),
                actor,
                relationship="trafficker",
                name="Pavel Orlov",
                born=born,
            )
        born_1970 = indexed_request(
            app, make_request, name="Orlov Pavel", facts='{"date_of_birth": "1970-01-01"}'
        )
        found = conflicts.conflicts_for(db.session.get(HelpRequest, born_1970.id))
        assert [(c.reference, c.strength) for c in found] == [
            (first.reference, conflicts.STRONG),
            (third.reference, conflicts.WEAK),
        ]  # born in 1971 is someone else as far as the index can tell


def test_the_index_holds_no_clear_text(app, make_request, reviewer, database_uri):
    case = indexed_request(app, make_request, name="Unique Markername")
    with app.app_context():
        conflicts.add_adverse_party(
            db.session.get(HelpRequest, case.id),
            db.session.get(StaffUser, reviewer.id),
            relationship="parent",
            name="Other Markerparent",
            born=date(1975, 5, 17),
        )
    engine = raw_engine(database_uri)
    try:
        with engine.connect() as conn:
            stored = repr(conn.execute(text("SELECT * FROM conflict_key")).all())
            stored += repr(conn.execute(text("SELECT * FROM adverse_party")).all())
    finally:
        engine.dispose()
    for clear in ("Markername", "markername", "Markerparent", "markerparent", "1975"):
        assert clear not in stored


def test_purge_deletes_the_index_entries_with_their_request(
    app, make_request, reviewer, monkeypatch
):
    now = datetime(2027, 6, 1, 9, 0)
    old = now - timedelta(days=400)
    victim = indexed_request(
        app, make_request, name="Lena Ivanova", status="declined", created_at=old, updated_at=old
    )
    kept = indexed_request(app, make_request, name="Igor Ivanov")
    with app.app_context():
        conflicts.add_adverse_party(
            db.session.get(HelpRequest, victim.id),
            db.session.get(StaffUser, reviewer.id),
            relationship="abuser",
            name="Igor Ivanov",
        )
        db.session.execute(
            db.update(HelpRequest).where(HelpRequest.id == victim.id).values(updated_at=old)
        )
        db.session.commit()
        assert len(conflicts.conflicts_for(db.session.get(HelpRequest, kept.id))) == 1
    monkeypatch.setattr(timeutil, "utcnow", lambda: now)
    with app.app_context():
        assert purge().deleted == 1
        left = db.session.execute(select(ConflictKey.reference)).scalars().all()
        assert left == [kept.reference]
        assert conflicts.conflicts_for(db.session.get(HelpRequest, kept.id)) == []


def test_the_form_indexes_each_new_request_once(app, make_request):
    with app.app_context():
        row = HelpRequest(**{**_columns(make_request), "reference": "ZZZZ0000"})
        db.session.add(row)
        conflicts.index_request(row)
        db.session.commit()
        conflicts.index_request(row)  # viewing it again adds nothing
        db.session.commit()
        keys = db.session.execute(select(ConflictKey)).scalars().all()
        assert [(k.kind, k.reference, k.request_id) for k in keys] == [
            ("applicant", "ZZZZ0000", row.id)
        ]
        assert keys[0].person_hash == conflicts.hasher().hash(row.name, None)
        assert keys[0].name_only


def _columns(make_request) -> dict:
    """A stored request's plain column values, to build another like it."""
    template = make_request()
    skip = {"id", "reference", "version", "phone_hash", "email_hash", "partner"}
    return {
        c.key: getattr(template, c.key)
        for c in HelpRequest.__mapper__.column_attrs
        if c.key not in skip
    }


def test_a_request_from_the_form_is_in_the_index(app, client):
    answers = marked_answers()
    submit_help(client, answers)
    with app.app_context():
        row = db.session.execute(select(HelpRequest)).scalar_one()
        keys = {k.kind: k for k in db.session.execute(select(ConflictKey)).scalars()}
        assert set(keys) == {"applicant", "helper"}  # a family member asked for them
        key = keys["applicant"]
        assert (key.reference, key.request_id) == (row.reference, row.id)
        ring = conflicts.hasher()
        born = conflicts.people_of_request(row)[0][2]
        assert key.person_hash == ring.hash(answers["name"], born)
        assert key.name_only is (born is None)
        helper = keys["helper"]
        assert helper.person_hash == ring.hash(answers["helper_name"], None)
        assert helper.request_id == row.id


def test_the_conflict_key_is_its_own(app_factory, make_request):
    first = app_factory(CONFLICT_KEY="conflict-key", LOOKUP_KEY="lookup-one")
    second = app_factory(CONFLICT_KEY="conflict-key", LOOKUP_KEY="lookup-two")
    other = app_factory(CONFLICT_KEY="conflict-key-2", LOOKUP_KEY="lookup-one")
    old, new = make_request(name="Same Person"), make_request(name="same  PERSON")
    with first.app_context():
        conflicts.index_request(db.session.get(HelpRequest, old.id))
        db.session.commit()
    with second.app_context():
        found = conflicts.conflicts_for(db.session.get(HelpRequest, new.id))
        assert [c.reference for c in found] == [old.reference]
    with other.app_context():
        assert conflicts.conflicts_for(db.session.get(HelpRequest, new.id)) == []


def test_production_refuses_to_start_without_a_conflict_key(app_factory):
    with pytest.raises(RuntimeError, match="INTAKE_CONFLICT_KEY"):
        app_factory(PRODUCTION=True, CONFLICT_KEY=None)


@pytest.mark.parametrize(
    ("fields", "message"),
    [
        ({"relationship": "enemy", "name": "A B"}, "who this person is"),
        ({"relationship": "abuser", "name": " .. "}, "Enter the person's name"),
        ({"relationship": "abuser", "name": "A" * 101}, "too long"),
    ],
)
def test_bad_adverse_parties_are_refused(app, make_request, reviewer, fields, message):
    case = make_request()
    with app.app_context(), pytest.raises(ConflictError, match=message):
        conflicts.add_adverse_party(
            db.session.get(HelpRequest, case.id),
            db.session.get(StaffUser, reviewer.id),
            **fields,
        )


def test_rotate_keys_rebuilds_the_whole_index_with_dates_and_helpers(
    app_factory, make_request, reviewer
):
    old_app = app_factory(CONFLICT_KEY="conflict-one")
    new_app = app_factory(CONFLICT_KEY="conflict-two")
    victim = make_request(
        name="Kept Victim", facts='{"date_of_birth": "1990-05-06", "helper_name": "Kept Helper"}'
    )
    abuser = make_request(name="Kept Abuser", facts='{"date_of_birth": "1980-01-01"}')
    same_victim = make_request(name="Victim Kept", facts='{"date_of_birth": "1990-05-06"}')
    helper_again = make_request(name="Kept Helper")
    with old_app.app_context():
        conflicts.index_request(db.session.get(HelpRequest, victim.id))
        conflicts.add_adverse_party(
            db.session.get(HelpRequest, victim.id),
            db.session.get(StaffUser, reviewer.id),
            relationship="abuser",
            name="Kept Abuser",
            born=date(1980, 1, 1),
        )
    with new_app.app_context():
        assert conflicts.conflicts_for(db.session.get(HelpRequest, abuser.id)) == []
    result = new_app.test_cli_runner().invoke(args=["rotate-keys"])
    assert result.exit_code == 0, result.output
    assert "conflict_key: 3 entries with new hashes" in result.output
    with new_app.app_context():

        def found(case):
            return [
                (c.theirs, c.reference, c.strength)
                for c in conflicts.conflicts_for(db.session.get(HelpRequest, case.id))
            ]

        assert found(abuser) == [("adverse party", victim.reference, conflicts.STRONG)]
        assert found(same_victim) == [("applicant", victim.reference, conflicts.STRONG)]
        assert found(helper_again) == [("helper", victim.reference, conflicts.WEAK)]
