"""Conflict check: normalised names and dates of birth as keyed hashes, found
across requests and across a purge, never stored in clear."""

from datetime import date, datetime, timedelta

import pytest
from sqlalchemy import select, text

from intake import crypto, timeutil
from intake.cases import conflicts
from intake.cases.conflicts import ConflictError
from intake.cases.retention import purge
from intake.db import db
from intake.models import AdverseParty, ConflictKey, HelpRequest, StaffUser
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


def test_match_strength_reads_the_dates_of_birth():
    assert conflicts.strength("a", "a") == "name and date of birth"
    assert conflicts.strength("a", None) == "name"
    assert conflicts.strength(None, None) == "name"
    assert conflicts.strength("a", "b") == "name, different date of birth"


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
    abuser = indexed_request(app, make_request, name="CARLOS   mendez-ruiz")
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
            ("applicant", "adverse party", victim.reference, "name", True)
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
        found = conflicts.conflicts_for(db.session.get(HelpRequest, first.id))
        assert [(c.reference, c.strength) for c in found] == [
            (third.reference, "name"),
            (second.reference, "name, different date of birth"),
        ]


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


def test_conflicts_are_found_across_a_purge(app, make_request, reviewer, monkeypatch):
    now = datetime(2027, 6, 1, 9, 0)
    old = now - timedelta(days=400)
    # A closed case with an abuser recorded, and one made before the index existed.
    victim = indexed_request(
        app, make_request, name="Lena Ivanova", status="declined", created_at=old, updated_at=old
    )
    never_indexed = make_request(
        name="Old Applicant", status="withdrawn", created_at=old, updated_at=old
    )
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
    monkeypatch.setattr(timeutil, "utcnow", lambda: now)
    with app.app_context():
        assert purge().deleted == 2
        assert db.session.execute(select(AdverseParty)).first() is None
    abuser = indexed_request(app, make_request, name="igor ivanov")
    again = indexed_request(app, make_request, name="OLD APPLICANT")
    with app.app_context():
        found = conflicts.conflicts_for(db.session.get(HelpRequest, abuser.id))
        assert [(c.theirs, c.reference, c.purged) for c in found] == [
            ("adverse party", victim.reference, True)
        ]
        found = conflicts.conflicts_for(db.session.get(HelpRequest, again.id))
        assert [(c.theirs, c.reference, c.purged) for c in found] == [
            ("applicant", never_indexed.reference, True)
        ]


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
        assert keys[0].name_hash == crypto.keyring().lookup_hash(conflicts.name_key(row.name))


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
        assert key.name_hash == crypto.keyring().lookup_hash(conflicts.name_key(answers["name"]))
        ring = crypto.keyring()
        helper = keys["helper"]
        assert helper.name_hash == ring.lookup_hash(conflicts.name_key(answers["helper_name"]))
        assert helper.request_id == row.id


def test_a_conflict_key_of_its_own_survives_a_lookup_key_change(app_factory, make_request):
    first = app_factory(CONFLICT_KEY="conflict-key", LOOKUP_KEY="lookup-one")
    second = app_factory(CONFLICT_KEY="conflict-key", LOOKUP_KEY="lookup-two")
    other = app_factory(LOOKUP_KEY="lookup-two")
    old, new = make_request(name="Same Person"), make_request(name="same  PERSON")
    with first.app_context():
        conflicts.index_request(db.session.get(HelpRequest, old.id))
        db.session.commit()
    with second.app_context():
        found = conflicts.conflicts_for(db.session.get(HelpRequest, new.id))
        assert [c.reference for c in found] == [old.reference]
    with other.app_context():  # without it, the lookup key is the conflict key
        assert conflicts.conflicts_for(db.session.get(HelpRequest, new.id)) == []


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


def test_rotate_keys_rehashes_the_entries_of_people_still_on_file(
    app_factory, make_request, reviewer, runner
):
    old_app = app_factory(LOOKUP_KEY="lookup-one")
    new_app = app_factory(LOOKUP_KEY="lookup-two")
    victim, abuser = make_request(name="Kept Victim"), make_request(name="Kept Abuser")
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
    assert "conflict_key: 2 entries with new hashes" in result.output
    with new_app.app_context():
        found = conflicts.conflicts_for(db.session.get(HelpRequest, abuser.id))
        assert [(c.theirs, c.reference) for c in found] == [("adverse party", victim.reference)]
