"""The referral directory in HSDS 3: export, import, round trip, bad files."""

import csv
import json
import re

import pytest

from intake.db import db
from intake.models import AuditEvent, HelpRequest, ReferralOrganisation
from intake.staff.followup import hsds, referrals
from tests.support.apps import make_test_app

pytestmark = pytest.mark.database

DIRECTORY = [
    dict(name="Northside Legal", languages=" es fr ", states=" NJ NY ", reliefs=" asylum sijs ",
         refer_by="email", how_to_refer="intake@northside.example.org", note="Tuesdays"),
    dict(name="Detention Project", languages=" es ", states=" NJ ", reliefs=" asylum withholding ",
         serves_detained=True, detention_centres="Elizabeth CDF\nDelaney Hall",
         refer_by="phone", how_to_refer="+1 973 555 0100"),
    dict(name="Closed for now", languages=" es ", states=" NY ", reliefs=" asylum ",
         accepting=False, refer_by="web", how_to_refer="https://closed.example.org/refer"),
    dict(name="Haitian Help", languages=" fr ht ", states=" FL NY ", reliefs=" tps ",
         refer_by="email", how_to_refer="help@haitian.example.org"),
    dict(name="Gone", languages=" es ", states=" NY ", reliefs=" asylum ", active=False,
         refer_by="phone", how_to_refer="212 555 0000"),
]  # fmt: skip
CASES = [
    dict(preferred_language="es", state="NY", claim_types=" asylum ", detained=False),
    dict(preferred_language="es", state="NJ", claim_types=" asylum ", detained=True,
         detention_facility="Elizabeth  CDF"),
    dict(preferred_language="ht", state="FL", claim_types=" tps ", detained=False),
]  # fmt: skip


def fill(app):
    with app.app_context():
        for values in DIRECTORY:
            db.session.add(ReferralOrganisation(**values))
        db.session.commit()


def suggested(app) -> list:
    """For each case: every suggestion with what fits and what does not."""
    with app.app_context():
        out = []
        for values in CASES:
            case = referrals.case_facts(HelpRequest(**values))
            out.append(
                [
                    (f.organisation.name, f.matches, f.gaps)
                    for f in referrals.rank(referrals.directory(active_only=True), case)
                ]
            )
        return out


@pytest.fixture
def fresh(tmp_path):
    """Another instance, on a database of its own."""
    other = make_test_app("sqlite:///" + str(tmp_path / "fresh.sqlite3"))
    with other.app_context():
        db.create_all()
    return other


@pytest.mark.parametrize("form", ["directory.json", "directory"])
def test_a_round_trip_gives_the_same_suggestions(app, fresh, tmp_path, form):
    fill(app)
    path = tmp_path / form
    with app.app_context():
        counts = hsds.export(path)
    assert counts["service"] == 5 and counts["organization"] == 5
    with fresh.app_context():
        assert hsds.import_directory(path) == {"added": 5, "updated": 0}
    before, after = suggested(app), suggested(fresh)
    assert before == after
    assert before[1][0][0] == "Detention Project"  # the ranking read the imported centres
    assert [name for name, _m, _g in before[0]][-1] == "Closed for now"
    with app.app_context(), fresh.app_context():
        pass

    # Everything the directory says came across, not only what ranks (an entry out
    # of the directory is "inactive" in HSDS, whether or not it was accepting).
    def entries(instance):
        with instance.app_context():
            return sorted(
                (o.name, o.refer_by, o.how_to_refer, o.note, o.active, o.active and o.accepting,
                 o.languages, o.states, o.reliefs, o.detention_centres, o.hsds_service_id)
                for o in referrals.directory()
            )  # fmt: skip

    assert entries(app) == entries(fresh)


def test_an_import_again_updates_rather_than_duplicates(app, tmp_path):
    fill(app)
    path = tmp_path / "directory.json"
    with app.app_context():
        hsds.export(path)
    document = json.loads(path.read_text())
    document["organization"][0]["name"] = "Northside Legal Aid"
    document["service"][0]["name"] = "Northside Legal Aid"
    path.write_text(json.dumps(document))
    with app.app_context():
        assert hsds.import_directory(path) == {"added": 0, "updated": 5}
        names = sorted(o.name for o in referrals.directory())
    assert len(names) == 5 and "Northside Legal Aid" in names
    # An export keeps the ids it gave.
    with app.app_context():
        hsds.export(tmp_path / "again.json")
    again = json.loads((tmp_path / "again.json").read_text())
    assert sorted(s["id"] for s in again["service"]) == sorted(s["id"] for s in document["service"])


def _read(folder, name) -> list[dict]:
    with (folder / hsds.FILES[name]).open(newline="") as handle:
        return list(csv.DictReader(handle))


def _write(folder, name, rows):
    columns = hsds.TABLES[name]
    with (folder / hsds.FILES[name]).open("w", newline="") as handle:
        writer = csv.DictWriter(handle, fieldnames=columns)
        writer.writeheader()
        for row in rows:
            writer.writerow({c: row.get(c, "") for c in columns})


def test_a_malformed_file_changes_nothing_and_names_its_bad_rows(app, runner, tmp_path):
    fill(app)
    folder = tmp_path / "exported"
    with app.app_context():
        hsds.export(folder)
        before = sorted((o.id, o.name, o.languages, o.states) for o in referrals.directory())
        events_before = db.session.execute(db.select(db.func.count(AuditEvent.id))).scalar()
    services, languages, areas = (
        _read(folder, name) for name in ("service", "language", "service_area")
    )
    services[0]["name"] = "Renamed, which must not stick"
    services[1]["status"] = "open"  # row 3
    services[2]["organization_id"] = "5b0c9b0e-0000-4000-8000-000000000000"  # row 4
    languages[0]["code"], languages[0]["name"] = "xx", "Klingon"  # row 2
    areas[1]["name"] = "Atlantis"  # row 3
    areas.append(dict(areas[0]))  # the same id twice
    _write(folder, "service", services)
    _write(folder, "language", languages)
    _write(folder, "service_area", areas)
    result = runner.invoke(args=["import-directory", str(folder)])
    assert result.exit_code != 0
    output = result.output
    for expected in (
        "services.csv row 3: status must be one of active, inactive, defunct, temporarily closed.",
        "services.csv row 4: organization_id 5b0c9b0e-0000-4000-8000-000000000000 is not in "
        "organization.",
        "languages.csv row 2: language xx is not one of the intake form's languages.",
        "service_areas.csv row 3: service area Atlantis is not a US state or territory.",
        f"service_areas.csv row {len(areas) + 1}: id {areas[0]['id']} is used twice in "
        "service_area.",
        "nothing was imported",
    ):
        assert expected in output, expected
    with app.app_context():
        after = sorted((o.id, o.name, o.languages, o.states) for o in referrals.directory())
        events_after = db.session.execute(db.select(db.func.count(AuditEvent.id))).scalar()
    assert after == before and events_after == events_before


@pytest.mark.parametrize(
    ("content", "message"),
    [
        ("{not json", "not JSON"),
        ("[1, 2]", "expected an object of HSDS tables"),
        ('{"service": {"id": 1}}', "service must be a list of rows"),
        ('{"organization": [{"id": "nope", "name": "X"}]}', "organization[0]: id must be a UUID"),
    ],
)
def test_a_json_file_that_is_not_hsds_is_refused_with_its_reason(app, tmp_path, content, message):
    path = tmp_path / "bad.json"
    path.write_text(content)
    with app.app_context(), pytest.raises(hsds.DirectoryFileError, match=re.escape(message)):
        hsds.import_directory(path)


def test_the_commands_export_and_import(app, runner, tmp_path):
    fill(app)
    path = tmp_path / "out.json"
    exported = runner.invoke(args=["export-directory", str(path)])
    assert exported.exit_code == 0 and "Wrote 5 services of 5 organisations" in exported.output
    document = json.loads(path.read_text())
    assert {t["taxonomy"] for t in document["taxonomy_term"]} == {hsds.TAXONOMY}
    assert all(len(s["id"]) == 36 for s in document["service"])
    imported = runner.invoke(args=["import-directory", str(path)])
    assert imported.exit_code == 0 and "0 added, 5 updated" in imported.output
    (event,) = [e for e in _events(app) if e.action == "referral_org.import"]
    assert event.detail == "added=0 updated=5"


def _events(app):
    with app.app_context():
        return list(db.session.execute(db.select(AuditEvent)).scalars())
