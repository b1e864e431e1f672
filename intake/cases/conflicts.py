"""Conflict of interest: is the person in a new request someone the office has
acted for, or against, before?

Every applicant (and every adverse party staff record on a case) goes into the
conflict index as keyed hashes (HMAC under ``CONFLICT_KEY``, else ``LOOKUP_KEY``)
of their normalised name and, when known, date of birth, with the reference of
the request. A case page looks its people up in the index; the index holds no
clear text, so a copy of it names nobody. ``purge`` deletes requests but keeps
their index entries (the link to the request is cut, the reference stays): a
conflict of interest does not end when the file is deleted. SECURITY.md says
what that keeps and why.

A match is only "possible": names repeat, spellings differ, and a person judges
it. Normalising catches the differences that say nothing about who someone is
(case, accents, punctuation, spacing, word order); a missing date of birth never
rules a match out, and a different one only lowers it in the list.
"""

import hashlib
import hmac
import re
import unicodedata
from dataclasses import dataclass
from datetime import date

from flask import current_app
from sqlalchemy import exists, select

from intake.cases import audit
from intake.cases import stored_facts as facts
from intake.crypto import keyring
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


def name_key(name: str) -> str:
    return "conflict-name:" + normalise_name(name)


def dob_key(day: date) -> str:
    return "conflict-dob:" + day.isoformat()


@dataclass(frozen=True)
class Keys:
    name_hash: str
    dob_hash: str | None


class ConflictHasher:
    """HMAC-SHA256 under ``CONFLICT_KEY``, or under ``LOOKUP_KEY`` when that is not
    set. A key of its own lets the lookup key be rotated without orphaning the
    entries of purged requests, which nothing remains to hash again."""

    def __init__(self, key: str | None, fallback):
        self.key = key.encode() if key else None
        self.fallback = fallback

    def lookup_hash(self, normalised: str) -> str:
        if self.key is None:
            return self.fallback.lookup_hash(normalised)
        return hmac.new(self.key, normalised.encode("utf-8"), hashlib.sha256).hexdigest()


def hasher() -> ConflictHasher:
    return ConflictHasher(current_app.config.get("CONFLICT_KEY"), keyring())


def keys_for(ring, name: str, born: date | None) -> Keys | None:
    """The keyed hashes of a person (``ring``: anything with ``lookup_hash``), or
    None when the name has no letters."""
    if not normalise_name(name):
        return None
    return Keys(ring.lookup_hash(name_key(name)), ring.lookup_hash(dob_key(born)) if born else None)


def strength(mine: str | None, theirs: str | None) -> str:
    """How far a name match goes: "name and date of birth", "name" (a date
    missing on either side), or "name, different date of birth"."""
    if mine and theirs:
        return "name and date of birth" if mine == theirs else "name, different date of birth"
    return "name"


STRENGTH_ORDER = {"name and date of birth": 0, "name": 1, "name, different date of birth": 2}


# --- the index ------------------------------------------------------------------------


def _add_key(kind: str, keys: Keys | None, help_request: HelpRequest, party_id=None) -> None:
    if keys is not None:
        db.session.add(
            ConflictKey(
                kind=kind,
                name_hash=keys.name_hash,
                dob_hash=keys.dob_hash,
                reference=help_request.reference,
                request=help_request,
                adverse_party_id=party_id,
            )
        )


def index_request(help_request: HelpRequest) -> None:
    """Put the applicant (and the helper who asked for them, if any) in the index,
    once (the caller commits). A new request is not flushed here: the form stores
    it and its keys in one transaction."""
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
    _index_people(hasher(), help_request)


def _index_people(ring, row: HelpRequest) -> None:
    """The applicant by name and date of birth (a full date only: a month alone
    would make every namesake born that month look different), and the helper by
    name, both from the encrypted facts."""
    stored = facts.loads(row.facts)
    born = facts.parse_date(stored.get("date_of_birth"))
    full_date = born.earliest() if born and born.day else None
    _add_key("applicant", keys_for(ring, row.name, full_date), row)
    if stored.get("helper_name"):
        _add_key("helper", keys_for(ring, stored["helper_name"], None), row)


def index_unindexed(request_ids: list[int]) -> int:
    """Index the applicants among ``request_ids`` who are not in the index yet
    (requests made before it existed); ``purge`` calls this before deleting, so
    nobody leaves the office's files without leaving their keys. Returns how many."""
    if not request_ids:
        return 0
    indexed = select(ConflictKey.request_id).where(
        ConflictKey.kind == "applicant", ConflictKey.request_id.in_(request_ids)
    )
    query = select(HelpRequest).where(
        HelpRequest.id.in_(request_ids), HelpRequest.id.not_in(indexed)
    )
    rows = list(db.session.execute(query).scalars())
    ring = hasher()
    for row in rows:
        _index_people(ring, row)
    db.session.flush()
    return len(rows)


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
    keys = keys_for(hasher(), name, born)
    _add_key("adverse_party", keys, help_request, party.id)
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


def rehash_index() -> int:
    """Recompute the index entries whose person still exists (applicants of
    requests kept, adverse parties) under the current conflict key; ``rotate-keys``
    runs it. Entries of purged requests keep their old hashes: nothing remains
    to hash them from (hence ``CONFLICT_KEY``). Returns the entries changed."""
    ring, changed = hasher(), 0
    query = select(ConflictKey).where(ConflictKey.request_id.is_not(None))
    for entry in db.session.execute(query).scalars():
        if entry.adverse_party_id is not None:
            party = db.session.get(AdverseParty, entry.adverse_party_id)
            born = date.fromisoformat(party.date_of_birth) if party.date_of_birth else None
            keys = keys_for(ring, party.name, born)
        elif entry.kind == "applicant":
            keys = keys_for(ring, entry.request.name, None)
        else:
            continue
        if keys is not None and (keys.name_hash, keys.dob_hash) != (
            entry.name_hash,
            entry.dob_hash,
        ):
            entry.name_hash, entry.dob_hash = keys.name_hash, keys.dob_hash
            changed += 1
    db.session.commit()
    return changed


# --- the check ------------------------------------------------------------------------------


@dataclass(frozen=True)
class PossibleConflict:
    ours: str  # who in this case: "applicant" or "adverse party: <relationship label>"
    theirs: str  # who they were elsewhere: a KINDS value
    reference: str  # the other request (it may have been purged)
    purged: bool
    strength: str

    @property
    def adverse(self) -> bool:
        """One side is an adverse party and the other is not: the office may be
        acting against someone it acts for (the conflicts that matter most)."""
        return self.ours.startswith("adverse") != (self.theirs == "adverse party")


def conflicts_for(help_request: HelpRequest) -> list[PossibleConflict]:
    """Possible conflicts of this case's people with every other request's, found
    by keyed hash (nothing is decrypted but this case's own people). Adverse
    matches first, then by strength."""
    ring = hasher()
    people = [("applicant", keys_for(ring, help_request.name, None))]
    for party in adverse_parties_of(help_request):
        born = date.fromisoformat(party.date_of_birth) if party.date_of_birth else None
        label = RELATIONSHIPS.get(party.relationship, party.relationship)
        people.append((f"adverse party: {label}", keys_for(ring, party.name, born)))
    people = [(who, keys) for who, keys in people if keys is not None]
    if not people:
        return []
    hashes = {keys.name_hash for _who, keys in people}
    query = select(ConflictKey).where(
        ConflictKey.name_hash.in_(hashes), ConflictKey.reference != help_request.reference
    )
    found = []
    for row in db.session.execute(query.order_by(ConflictKey.created_at)).scalars():
        for who, keys in people:
            if keys.name_hash == row.name_hash:
                found.append(
                    PossibleConflict(
                        ours=who,
                        theirs=KINDS.get(row.kind, row.kind),
                        reference=row.reference,
                        purged=row.request_id is None,
                        strength=strength(keys.dob_hash, row.dob_hash),
                    )
                )
    found.sort(key=lambda c: (not c.adverse, STRENGTH_ORDER[c.strength], c.reference))
    return found
