"""Conflict of interest: is the person in a new request someone the office has
acted for, or against, before?

Every applicant, helper and adverse party staff record on a case goes into the
conflict index as ONE keyed, slow hash of their normalised name and date of
birth together, with the reference of the request. Only when no full date of
birth is known is the name hashed alone, and the entry says so (``name_only``):
such a match is weaker. The index holds no clear text and no hash of a name or
a date on its own, so two people born the same day, or two namesakes born on
different days, share nothing in it.

The hash is scrypt over an HMAC-SHA256 under ``CONFLICT_KEY`` (a key of its own,
required in production): without the key nothing can be computed; with it,
every guess of a name and a date costs one scrypt (``CONFLICT_HASH_COST``).
SECURITY.md says exactly what the index does and does not keep.

Every entry is derived from encrypted fields still on file (the request's name
and stored facts, the adverse party's row), so ``rehash_index`` rebuilds all of
it under a new key or cost, and ``purge`` deletes a request's entries with it.

A match is only "possible": names repeat, spellings differ, and a person judges
it. Normalising catches the differences that say nothing about who someone is
(case, accents, punctuation, spacing, word order). A person with a date of birth
matches entries with the same name and date, and name-only entries with the
same name; a person without one matches name-only entries alone (a different
date, or a date on one side only, is not visible in the index at all).
"""

import hashlib
import hmac
import re
import unicodedata
from dataclasses import dataclass
from datetime import date
from functools import lru_cache

from flask import current_app
from sqlalchemy import exists, insert, select

from intake.cases import audit
from intake.cases import stored_facts as facts
from intake.crypto import KeyUnavailable
from intake.db import db
from intake.input_hygiene import clean_name
from intake.models import AdverseParty, ConflictKey, HelpRequest, StaffUser

RELATIONSHIPS = {
    "abuser": "Abuser (VAWA, U visa)",
    "trafficker": "Trafficker (T visa)",
    "parent": "Parent (SIJS)",
    "perpetrator": "Perpetrator of a crime (U visa)",
    "other": "Other adverse party",
}
KINDS = {"applicant": "applicant", "helper": "helper", "adverse_party": "adverse party"}
NAME_MAX = 100
_NOT_LETTER = re.compile(r"[^\w]+|_")


class ConflictError(ValueError):
    """Input the rules refuse; the message is shown to the staff member."""


# --- rules (pure) -------------------------------------------------------------------


def normalise_name(name: str) -> str:
    """A name reduced to what identifies it: compatibility-normalised, accents
    and other combining marks dropped, case folded, punctuation to spaces, words
    sorted (so "García-López, María" and "maria lopez garcia" agree)."""
    decomposed = unicodedata.normalize("NFKD", clean_name(name))
    bare = "".join(ch for ch in decomposed if not unicodedata.combining(ch)).casefold()
    return " ".join(sorted(_NOT_LETTER.sub(" ", bare).split()))


# scrypt's block size and the salt that keeps these hashes apart from any other
# use of the key. r=8 is scrypt's usual; the work is set by N = 2**cost.
SCRYPT_R = 8
SALT = b"intake conflict index v1"


def person_message(name: str, born: date | None) -> bytes:
    """What is hashed for a person: the normalised name and the full date of
    birth together ("-" when none is known)."""
    return f"{normalise_name(name)}\x00{born.isoformat() if born else '-'}".encode()


@lru_cache(maxsize=4096)
def _stretch(mac: bytes, cost: int) -> str:
    # Cached by the HMAC, never by the name: a case page asks for the same
    # people on every view, and no clear text is kept in the cache.
    n = 2**cost
    return hashlib.scrypt(
        mac, salt=SALT, n=n, r=SCRYPT_R, p=1, maxmem=2 * 128 * SCRYPT_R * n + 2**20, dklen=32
    ).hex()


@dataclass(frozen=True)
class ConflictHasher:
    """scrypt (memory-hard, in the standard library) over an HMAC under the
    conflict key: the HMAC makes the hash useless without the key, scrypt makes
    each guess with the key cost ``2**cost * 128 * 8`` bytes of memory and time."""

    key: bytes
    cost: int

    def hash(self, name: str, born: date | None) -> str:
        mac = hmac.new(self.key, person_message(name, born), hashlib.sha256).digest()
        return _stretch(mac, self.cost)


def hasher() -> ConflictHasher:
    key = current_app.config.get("CONFLICT_KEY")
    if not key:
        raise KeyUnavailable("no conflict key configured (CONFLICT_KEY)")
    return ConflictHasher(key.encode(), int(current_app.config["CONFLICT_HASH_COST"]))


@dataclass(frozen=True)
class Entry:
    """What the index keeps of a person: one hash, and whether a date was in it."""

    person_hash: str
    name_only: bool


def entry_for(ring: ConflictHasher, name: str, born: date | None) -> Entry | None:
    """The index entry of a person, or None when the name has no letters."""
    if not normalise_name(name):
        return None
    return Entry(ring.hash(name, born), born is None)


@dataclass(frozen=True)
class Probe:
    """The hashes a check looks for: name and date (when known), name alone."""

    with_date: str | None
    name_only: str


def probe_for(ring: ConflictHasher, name: str, born: date | None) -> Probe | None:
    if not normalise_name(name):
        return None
    return Probe(ring.hash(name, born) if born else None, ring.hash(name, None))


STRONG, WEAK = "name and date of birth", "name only (no date of birth on one side)"
STRENGTH_ORDER = {STRONG: 0, WEAK: 1}


def strength(probe: Probe, row_hash: str, row_name_only: bool) -> str | None:
    """How far an index row matches the person probed, or None."""
    if not row_name_only and probe.with_date and row_hash == probe.with_date:
        return STRONG
    if row_name_only and row_hash == probe.name_only:
        return WEAK
    return None


# --- the index ------------------------------------------------------------------------


def _add_entry(
    kind: str, entry: Entry | None, help_request: HelpRequest, party_id: int | None = None
) -> None:
    if entry is not None:
        db.session.add(
            ConflictKey(
                kind=kind,
                person_hash=entry.person_hash,
                name_only=entry.name_only,
                reference=help_request.reference,
                request=help_request,
                adverse_party_id=party_id,
            )
        )


def _born(text: str | None) -> date | None:
    """A full date of birth from stored text, else None: a month alone would make
    every namesake born that month one person."""
    born = facts.parse_date(text)
    return born.earliest() if born and born.day else None


def people_of_request(row: HelpRequest) -> list[tuple[str, str, date | None]]:
    """(kind, name, full date of birth or None) of the applicant and of the helper
    who asked for them, from the encrypted request."""
    stored = facts.loads(row.facts)
    people = [("applicant", row.name, _born(stored.get("date_of_birth")))]
    if stored.get("helper_name"):
        people.append(("helper", stored["helper_name"], None))
    return people


def _party_born(party: AdverseParty) -> date | None:
    return date.fromisoformat(party.date_of_birth) if party.date_of_birth else None


def index_request(help_request: HelpRequest) -> None:
    """Put the applicant (and the helper who asked for them, if any) in the index,
    once (the caller commits). A new request is not flushed here: the form stores
    it and its entries in one transaction."""
    if (
        help_request.id is not None
        and db.session.execute(
            select(
                exists().where(
                    ConflictKey.request_id == help_request.id, ConflictKey.kind == "applicant"
                )
            )
        ).scalar()
    ):
        return
    ring = hasher()
    for kind, name, born in people_of_request(help_request):
        _add_entry(kind, entry_for(ring, name, born), help_request)


def entries_of_request(help_request: HelpRequest) -> list[tuple[str, Entry]]:
    """(kind, entry) of each person of a request not yet stored, as
    ``index_request`` would add them (raises KeyUnavailable without a key)."""
    ring = hasher()
    found = [
        (kind, entry_for(ring, name, born)) for kind, name, born in people_of_request(help_request)
    ]
    return [(kind, entry) for kind, entry in found if entry is not None]


def add_entries(help_request: HelpRequest, entries: list[tuple[str, Entry]]) -> None:
    """Store ``entries_of_request`` of a request just inserted (it has its id and
    no entries yet), in one statement of the caller's transaction."""
    if entries:
        db.session.connection().execute(
            insert(ConflictKey.__table__),
            [
                {
                    "kind": kind,
                    "person_hash": entry.person_hash,
                    "name_only": entry.name_only,
                    "reference": help_request.reference,
                    "request_id": help_request.id,
                    "adverse_party_id": None,
                }
                for kind, entry in entries
            ],
        )


def add_adverse_party(
    help_request: HelpRequest,
    actor: StaffUser,
    *,
    relationship: str,
    name: str,
    born: date | None = None,
) -> AdverseParty:
    """Record an adverse party on a case and put them in the index."""
    if relationship not in RELATIONSHIPS:
        raise ConflictError("Choose who this person is to the applicant.")
    name = clean_name(name)
    if not normalise_name(name):
        raise ConflictError("Enter the person's name.")
    if len(name) > NAME_MAX:
        raise ConflictError(f"The name is too long (at most {NAME_MAX} characters).")
    party = AdverseParty(
        request_id=help_request.id,
        relationship=relationship,
        name=name,
        date_of_birth=born.isoformat() if born else None,
        added_by_id=actor.id,
    )
    db.session.add(party)
    db.session.flush()
    _add_entry("adverse_party", entry_for(hasher(), name, born), help_request, party.id)
    audit.record(
        "case.adverse_party",
        "request",
        help_request.reference,
        f"party={party.id} relationship={relationship}",
        actor.id,
    )
    db.session.commit()
    return party


def adverse_parties_of(help_request: HelpRequest) -> list[AdverseParty]:
    query = (
        select(AdverseParty)
        .where(AdverseParty.request_id == help_request.id)
        .order_by(AdverseParty.added_at, AdverseParty.id)
    )
    return list(db.session.execute(query).scalars())


def rehash_index(batch_size: int = 200) -> int:
    """Rebuild every entry from the encrypted fields on file (applicants with
    their dates of birth, helpers, adverse parties with theirs) under the current
    ``CONFLICT_KEY`` and ``CONFLICT_HASH_COST``, one committed batch of requests at
    a time; ``rotate-keys`` runs it. Every entry has its source on file (``purge``
    deletes a request's entries with it), so nothing is lost. Returns the entries
    whose hash changed."""
    ring, changed, last = hasher(), 0, 0
    while True:
        rows = list(
            db.session.execute(
                select(HelpRequest)
                .where(HelpRequest.id > last)
                .order_by(HelpRequest.id)
                .limit(batch_size)
            ).scalars()
        )
        if not rows:
            return changed
        for row in rows:
            changed += _rehash_request(ring, row)
        db.session.commit()
        last = rows[-1].id


def _rehash_request(ring: ConflictHasher, row: HelpRequest) -> int:
    kept = {
        (e.kind, e.adverse_party_id): e
        for e in db.session.execute(
            select(ConflictKey).where(ConflictKey.request_id == row.id)
        ).scalars()
    }
    if ("applicant", None) not in kept:
        return 0  # not indexed yet: the case page or purge will
    wanted = {
        (kind, None): entry_for(ring, name, born) for kind, name, born in people_of_request(row)
    }
    for party in adverse_parties_of(row):
        wanted[("adverse_party", party.id)] = entry_for(ring, party.name, _party_born(party))
    changed = 0
    for (kind, party_id), entry in wanted.items():
        old = kept.pop((kind, party_id), None)
        if entry is None:
            continue
        if old is None:
            _add_entry(kind, entry, row, party_id)
            changed += 1
        elif (old.person_hash, old.name_only) != (entry.person_hash, entry.name_only):
            old.person_hash, old.name_only = entry.person_hash, entry.name_only
            changed += 1
    for stale in kept.values():  # a helper or party no longer on file
        db.session.delete(stale)
        changed += 1
    return changed


# --- the check ------------------------------------------------------------------------------


@dataclass(frozen=True)
class PossibleConflict:
    ours: str  # who in this case: "applicant" or "adverse party: <relationship label>"
    theirs: str  # who they were elsewhere: a KINDS value
    reference: str  # the other request
    strength: str

    @property
    def adverse(self) -> bool:
        """One side is an adverse party and the other is not: the office may be
        acting against someone it acts for (the conflicts that matter most)."""
        return self.ours.startswith("adverse") != (self.theirs == "adverse party")


def conflicts_for(help_request: HelpRequest) -> list[PossibleConflict]:
    """Possible conflicts of this case's people with every other request's, found
    by keyed hash (nothing is decrypted but this case's own people). Adverse
    matches first, then by strength. Only for roles that may open every case:
    ``check`` decides what a staff member is shown."""
    ring = hasher()
    applicant = people_of_request(help_request)[0]
    people = [("applicant", probe_for(ring, applicant[1], applicant[2]))]
    for party in adverse_parties_of(help_request):
        label = RELATIONSHIPS.get(party.relationship, party.relationship)
        people.append((f"adverse party: {label}", probe_for(ring, party.name, _party_born(party))))
    people = [(who, probe) for who, probe in people if probe is not None]
    if not people:
        return []
    hashes = {h for _who, p in people for h in (p.with_date, p.name_only) if h}
    query = select(ConflictKey).where(
        ConflictKey.person_hash.in_(hashes), ConflictKey.request_id != help_request.id
    )
    found = []
    for row in db.session.execute(query.order_by(ConflictKey.created_at)).scalars():
        for who, probe in people:
            how = strength(probe, row.person_hash, row.name_only)
            if how:
                found.append(
                    PossibleConflict(who, KINDS.get(row.kind, row.kind), row.reference, how)
                )
    found.sort(key=lambda c: (not c.adverse, STRENGTH_ORDER[c.strength], c.reference))
    return found


@dataclass(frozen=True)
class CheckResult:
    """What a staff member is shown: the matches (roles that may open every case),
    or only that there is something a reviewer should look at."""

    matches: list[PossibleConflict]
    flagged: bool  # a possible conflict exists, whoever is told of it


def check(help_request: HelpRequest, actor: StaffUser, may_see_every_case: bool) -> CheckResult:
    """Run the check for a staff member and audit it (codes only). Someone who may
    not open every case learns that a reviewer should look, never which request
    or who matched: a reference they cannot open would tell them that a person
    they were never assigned is, or was, a client."""
    found = conflicts_for(help_request)
    audit.record(
        "case.conflict_check",
        "request",
        help_request.reference,
        f"matches={len(found)} shown={'all' if may_see_every_case else 'summary'}",
        actor.id,
    )
    db.session.commit()
    return CheckResult(found if may_see_every_case else [], bool(found))
