"""The referral directory in Open Referral's Human Services Data Specification
(HSDS 3): export ours and import one, as a JSON data package (one file) or a
folder of CSV tables with a ``datapackage.json``.

    flask --app intake export-directory PATH     (PATH.json: one file; else a folder)
    flask --app intake import-directory PATH

Each directory entry is one HSDS ``service`` of an ``organization``; what the
fit ranking reads travels in HSDS's own tables:

- ``service.status``: ``active`` (accepting new cases), ``temporarily closed``
  (in the directory, not accepting now), ``inactive`` or ``defunct`` (not offered);
- ``language`` rows (ISO 639 ``code``): the languages spoken;
- ``service_area`` rows: one per US state served, ``name`` the state's name;
- eligibility as ``attribute`` rows (``link_type`` ``eligibility``) pointing to
  the terms of our ``intake-eligibility`` taxonomy (``taxonomy_term``): one per
  form of relief, ``detained`` (serves people in detention) and
  ``detention_centre`` (its ``value`` names a centre visited);
- how to refer: the service's ``email``, its ``url`` (a web form), or a
  ``phone`` row; the note is the service's ``description``.

Records keep their HSDS ids (UUIDs): an import updates the entry with the same
service id instead of adding another, and an export gives an entry without ids
new ones, stored, so the next export and import keep them. A file with any bad
row changes nothing: every problem is reported, by table and row, and the
import runs in one transaction.
"""

import csv
import json
import uuid
from dataclasses import dataclass, field
from pathlib import Path

import click
from flask import Flask
from sqlalchemy import select

from intake.cases import audit, choice_lists
from intake.cases import contact as phone_email
from intake.db import db
from intake.law.vocabulary import CLAIM_LABELS
from intake.models import ReferralOrganisation
from intake.staff.followup import referrals
from intake.staff.followup.referrals import OrganisationFields, ReferralError

TAXONOMY = "intake-eligibility"
# Fixed ids for our taxonomy's terms, so every export names them the same way.
_NAMESPACE = uuid.UUID("6f1d7a52-4f0e-4c59-9a39-0d3b8c1e7a10")
DETAINED, CENTRE = "detained", "detention_centre"
TERMS = {
    **{code: f"Can help with: {CLAIM_LABELS[code]}" for code in sorted(referrals.RELIEF_CODES)},
    DETAINED: "Serves people in immigration detention",
    CENTRE: "Visits this detention centre",
}
# The tables, in HSDS order, with the columns we write (and read).
TABLES = {
    "organization": ("id", "name", "description", "email", "website"),
    "service": (
        "id",
        "organization_id",
        "name",
        "description",
        "status",
        "email",
        "url",
        "eligibility_description",
    ),
    "phone": ("id", "service_id", "number"),
    "language": ("id", "service_id", "name", "code"),
    "service_area": ("id", "service_id", "name", "description"),
    "taxonomy_term": ("id", "code", "name", "description", "taxonomy"),
    "attribute": ("id", "link_id", "link_type", "link_entity", "taxonomy_term_id", "value"),
}
FILES = {
    "organization": "organizations.csv",
    "service": "services.csv",
    "phone": "phones.csv",
    "language": "languages.csv",
    "service_area": "service_areas.csv",
    "taxonomy_term": "taxonomy_terms.csv",
    "attribute": "attributes.csv",
}
STATUSES = ("active", "inactive", "defunct", "temporarily closed")
STATE_BY_NAME = {name.casefold(): code for code, name in choice_lists.US_STATES}


def term_id(code: str) -> str:
    return str(uuid.uuid5(_NAMESPACE, f"term:{code}"))


def _row_id(service_id: str, kind: str, value: str) -> str:
    return str(uuid.uuid5(uuid.UUID(service_id), f"{kind}:{value}"))


class DirectoryFileError(ValueError):
    """The file cannot be imported; ``problems`` names each bad row."""

    def __init__(self, problems: list[str]):
        super().__init__("\n".join(problems))
        self.problems = problems


# --- export ---------------------------------------------------------------------------


def _ids(org: ReferralOrganisation) -> None:
    if not org.hsds_id:
        org.hsds_id = str(uuid.uuid4())
    if not org.hsds_service_id:
        org.hsds_service_id = str(uuid.uuid4())


def tables() -> dict[str, list[dict]]:
    """The directory as HSDS rows, table by table (ids given to entries without)."""
    rows: dict[str, list[dict]] = {name: [] for name in TABLES}
    rows["taxonomy_term"] = [
        {"id": term_id(code), "code": code, "name": name, "description": "", "taxonomy": TAXONOMY}
        for code, name in TERMS.items()
    ]
    seen_orgs = set()
    for org in referrals.directory():
        _ids(org)
        service = org.hsds_service_id
        if org.hsds_id not in seen_orgs:
            seen_orgs.add(org.hsds_id)
            rows["organization"].append(
                {
                    "id": org.hsds_id,
                    "name": org.name,
                    "description": org.note,
                    "email": org.how_to_refer if org.refer_by == "email" else "",
                    "website": org.how_to_refer if org.refer_by == "web" else "",
                }
            )
        status = (
            "inactive" if not org.active else "active" if org.accepting else ("temporarily closed")
        )
        reliefs = sorted(referrals.codes(org.reliefs))
        rows["service"].append(
            {
                "id": service,
                "organization_id": org.hsds_id,
                "name": org.name,
                "description": org.note,
                "status": status,
                "email": org.how_to_refer if org.refer_by == "email" else "",
                "url": org.how_to_refer if org.refer_by == "web" else "",
                "eligibility_description": _eligibility_words(org, reliefs),
            }
        )
        if org.refer_by == "phone":
            rows["phone"].append(
                {"id": _row_id(service, "phone", org.how_to_refer), "service_id": service,
                 "number": org.how_to_refer}
            )  # fmt: skip
        for code in sorted(referrals.codes(org.languages)):
            rows["language"].append(
                {"id": _row_id(service, "language", code), "service_id": service,
                 "name": choice_lists.language_name(code), "code": code}
            )  # fmt: skip
        for code in sorted(referrals.codes(org.states)):
            rows["service_area"].append(
                {"id": _row_id(service, "area", code), "service_id": service,
                 "name": choice_lists.state_name(code), "description": f"US state {code}"}
            )  # fmt: skip
        eligibility = [(code, "") for code in reliefs]
        if org.serves_detained:
            eligibility.append((DETAINED, ""))
        eligibility += [(CENTRE, line.strip()) for line in org.detention_centres.splitlines()
                        if line.strip()]  # fmt: skip
        for code, value in eligibility:
            rows["attribute"].append(
                {"id": _row_id(service, f"attribute:{code}", value), "link_id": service,
                 "link_type": "eligibility", "link_entity": "service",
                 "taxonomy_term_id": term_id(code), "value": value}
            )  # fmt: skip
    return rows


def _eligibility_words(org: ReferralOrganisation, reliefs: list[str]) -> str:
    parts = []
    if reliefs:
        parts.append("Forms of relief: " + ", ".join(CLAIM_LABELS[c] for c in reliefs) + ".")
    if org.serves_detained:
        parts.append("Serves people in immigration detention.")
    return " ".join(parts)


def export(path: Path) -> dict[str, int]:
    """Write the directory to ``path`` (a .json file, or a folder of CSV tables)."""
    rows = tables()
    if path.suffix.lower() == ".json":
        path.write_text(
            json.dumps({"hsds_version": "3.0", **rows}, indent=2, ensure_ascii=False) + "\n"
        )
    else:
        path.mkdir(parents=True, exist_ok=True)
        for name, columns in TABLES.items():
            with (path / FILES[name]).open("w", newline="", encoding="utf-8") as handle:
                writer = csv.DictWriter(handle, fieldnames=columns)
                writer.writeheader()
                writer.writerows(rows[name])
        descriptor = {
            "name": "referral-directory",
            "profile": "tabular-data-package",
            "resources": [
                {"name": name, "path": FILES[name], "profile": "tabular-data-resource",
                 "format": "csv", "mediatype": "text/csv"}
                for name in TABLES
            ],
        }  # fmt: skip
        (path / "datapackage.json").write_text(json.dumps(descriptor, indent=2) + "\n")
    db.session.commit()  # the ids given to entries that had none
    return {name: len(found) for name, found in rows.items()}


# --- import ---------------------------------------------------------------------------


def read(path: Path) -> dict[str, list[tuple[str, dict]]]:
    """Each table's rows, each with where it is in the file ("services.csv row 3")."""
    if not path.exists():
        raise DirectoryFileError([f"{path}: no such file or folder."])
    found: dict[str, list[tuple[str, dict]]] = {name: [] for name in TABLES}
    if path.is_dir():
        for name in TABLES:
            table = path / FILES[name]
            if not table.exists():
                continue
            with table.open(newline="", encoding="utf-8-sig") as handle:
                for number, row in enumerate(csv.DictReader(handle), start=2):
                    found[name].append((f"{FILES[name]} row {number}", row))
        return found
    try:
        document = json.loads(path.read_text(encoding="utf-8"))
    except (ValueError, UnicodeDecodeError) as exc:
        raise DirectoryFileError([f"{path.name}: not JSON ({exc})."]) from exc
    if not isinstance(document, dict):
        raise DirectoryFileError([f"{path.name}: expected an object of HSDS tables."])
    for name in TABLES:
        rows = document.get(name) or []
        if not isinstance(rows, list):
            raise DirectoryFileError([f"{path.name}: {name} must be a list of rows."])
        for index, row in enumerate(rows):
            where = f"{name}[{index}]"
            if not isinstance(row, dict):
                raise DirectoryFileError([f"{where}: each row must be an object."])
            found[name].append((where, row))
    return found


@dataclass
class Entry:
    where: str
    organisation_id: str
    service_id: str
    fields: dict = field(default_factory=dict)
    languages: set = field(default_factory=set)
    states: set = field(default_factory=set)
    reliefs: set = field(default_factory=set)
    detained: bool = False
    centres: list = field(default_factory=list)
    phone: str = ""


def _text(row: dict, key: str) -> str:
    value = row.get(key)
    return "" if value is None else " ".join(str(value).split())


def _uuid(value: str) -> bool:
    try:
        return str(uuid.UUID(value)) == value.lower()
    except (ValueError, AttributeError, TypeError):
        return False


def _ids_of(rows, problems, table) -> dict[str, tuple[str, dict]]:
    by_id = {}
    for where, row in rows:
        identifier = _text(row, "id").lower()
        if not _uuid(identifier):
            problems.append(f"{where}: id must be a UUID, such as {uuid.uuid4()}.")
        elif identifier in by_id:
            problems.append(f"{where}: id {identifier} is used twice in {table}.")
        else:
            by_id[identifier] = (where, row)
    return by_id


def parse(found: dict[str, list[tuple[str, dict]]]) -> list[Entry]:
    """The directory entries the tables describe; DirectoryFileError names every bad row."""
    problems: list[str] = []
    organisations = _ids_of(found["organization"], problems, "organization")
    services = _ids_of(found["service"], problems, "service")
    terms = {}
    for where, row in _ids_of(found["taxonomy_term"], problems, "taxonomy_term").values():
        terms[_text(row, "id").lower()] = (where, _text(row, "code"))
    entries: dict[str, Entry] = {}
    for service_id, (where, row) in services.items():
        org_id = _text(row, "organization_id").lower()
        if org_id not in organisations:
            problems.append(
                f"{where}: organization_id {org_id or '(empty)'} is not in organization."
            )
            continue
        status = _text(row, "status").lower()
        if status not in STATUSES:
            problems.append(f"{where}: status must be one of {', '.join(STATUSES)}.")
            continue
        org_row = organisations[org_id][1]
        siblings = sum(
            1 for _w, r in services.values() if _text(r, "organization_id").lower() == org_id
        )
        name = _text(org_row, "name")
        if siblings > 1 and _text(row, "name") and _text(row, "name") != name:
            name = f"{name}: {_text(row, 'name')}"
        entries[service_id] = Entry(
            where,
            org_id,
            service_id,
            {
                "name": name,
                "note": (row.get("description") or org_row.get("description") or "").strip(),
                "accepting": status == "active",
                "active": status in ("active", "temporarily closed"),
                "email": _text(row, "email") or _text(org_row, "email"),
                "url": _text(row, "url") or _text(org_row, "website"),
            },
        )

    def owner(where, row, key="service_id") -> Entry | None:
        service_id = _text(row, key).lower()
        if service_id not in services:
            problems.append(f"{where}: {key} {service_id or '(empty)'} is not in service.")
            return None
        return entries.get(service_id)

    for table in ("phone", "language", "service_area", "attribute"):
        _ids_of(found[table], problems, table)
    for where, row in found["phone"]:
        entry = owner(where, row)
        if entry and not entry.phone:
            entry.phone = _text(row, "number")
    languages = {code for code, _label in choice_lists.LANGUAGES}
    by_name = {str(label).casefold(): code for code, label in choice_lists.LANGUAGES}
    for where, row in found["language"]:
        entry = owner(where, row)
        code = _text(row, "code").lower()
        code = code if code in languages else by_name.get(_text(row, "name").casefold(), "")
        if not code:
            problems.append(
                f"{where}: language {_text(row, 'code') or _text(row, 'name') or '(empty)'} "
                "is not one of the intake form's languages."
            )
        elif entry:
            entry.languages.add(code)
    for where, row in found["service_area"]:
        entry = owner(where, row)
        name = _text(row, "name")
        code = (
            name.upper()
            if name.upper() in referrals.STATE_CODES
            else STATE_BY_NAME.get(name.casefold())
        )
        if code is None:
            problems.append(
                f"{where}: service area {name or '(empty)'} is not a US state or territory."
            )
        elif entry:
            entry.states.add(code)
    for where, row in found["attribute"]:
        if _text(row, "link_type") != "eligibility" or _text(row, "link_entity") != "service":
            continue  # other classifications: not ours to read
        entry = owner(where, row, "link_id")
        term = terms.get(_text(row, "taxonomy_term_id").lower())
        code = term[1] if term else ""
        if code not in TERMS:
            problems.append(f"{where}: taxonomy_term_id is not a term of {TAXONOMY}.")
        elif entry is None:
            continue
        elif code == DETAINED:
            entry.detained = True
        elif code == CENTRE:
            if _text(row, "value"):
                entry.centres.append(_text(row, "value"))
        else:
            entry.reliefs.add(code)
    for entry in entries.values():
        try:
            referrals._checked(_fields(entry))
        except ReferralError as exc:
            problems.append(f"{entry.where}: {exc}")
    if problems:
        raise DirectoryFileError(problems)
    return list(entries.values())


def _fields(entry: Entry) -> OrganisationFields:
    email, url = entry.fields["email"], entry.fields["url"]
    if email and phone_email.looks_like_email(email):
        refer_by, how = "email", email
    elif url:
        refer_by, how = "web", url
    else:
        refer_by, how = "phone", entry.phone
    return OrganisationFields(
        name=entry.fields["name"],
        languages=tuple(sorted(entry.languages)),
        states=tuple(sorted(entry.states)),
        reliefs=tuple(sorted(entry.reliefs)),
        serves_detained=entry.detained,
        detention_centres="\n".join(entry.centres),
        accepting=entry.fields["accepting"],
        refer_by=refer_by,
        how_to_refer=how,
        note=entry.fields["note"],
        active=entry.fields["active"],
    )


def import_directory(path: Path) -> dict[str, int]:
    """Add or update the entries in ``path``, all or none; counts of each."""
    entries = parse(read(path))
    existing = {
        org.hsds_service_id: org
        for org in db.session.execute(
            select(ReferralOrganisation).where(ReferralOrganisation.hsds_service_id.is_not(None))
        ).scalars()
    }
    counts = {"added": 0, "updated": 0}
    try:
        for entry in entries:
            values = referrals._checked(_fields(entry))
            org = existing.get(entry.service_id)
            if org is None:
                org = ReferralOrganisation(hsds_service_id=entry.service_id)
                db.session.add(org)
                counts["added"] += 1
            else:
                counts["updated"] += 1
            org.hsds_id = entry.organisation_id
            for key, value in values.items():
                setattr(org, key, value)
        db.session.flush()
        audit.record(
            "referral_org.import",
            "referral_org",
            "",
            f"added={counts['added']} updated={counts['updated']}",
        )
        db.session.commit()
    except Exception:
        db.session.rollback()
        raise
    return counts


def init_app(app: Flask) -> None:
    @app.cli.command("export-directory")
    @click.argument("path", type=click.Path(path_type=Path))
    def export_command(path: Path) -> None:
        """Write the referral directory as HSDS 3 (PATH.json, or a folder of CSV tables)."""
        counts = export(path)
        click.echo(
            f"Wrote {counts['service']} services of {counts['organization']} organisations "
            f"to {path}."
        )

    @app.cli.command("import-directory")
    @click.argument("path", type=click.Path(path_type=Path))
    def import_command(path: Path) -> None:
        """Add or update directory entries from HSDS 3 (a .json file or a folder of CSV
        tables). Any bad row: nothing changes, and every problem is listed."""
        try:
            counts = import_directory(path)
        except DirectoryFileError as exc:
            for problem in exc.problems:
                click.echo(problem, err=True)
            raise click.ClickException(
                f"{len(exc.problems)} problem(s): nothing was imported."
            ) from exc
        click.echo(f"Imported: {counts['added']} added, {counts['updated']} updated.")
