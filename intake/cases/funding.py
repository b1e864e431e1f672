"""Which requests count for which funder.

A funder covers a request when the request was sent while the grant ran
(``active_from`` to ``active_until``, both days included) and matches every list
the funder sets: its state, one of its reliefs sought, its preferred language
(an empty list matches everything). ``covers`` says so for one request in
Python; ``coverage`` says the same thing in SQL, so a changed funder is applied
to every request in one INSERT ... SELECT, never a loop over rows.
"""

from dataclasses import dataclass
from datetime import date, datetime, time, timedelta

from sqlalchemy import and_, bindparam, delete, insert, or_, select, true

from intake.cases import audit
from intake.db import db
from intake.law.vocabulary import CLAIM_TYPES
from intake.models import Funder, HelpRequest, request_funder

NAME_MAX = 120


class FundingError(ValueError):
    """A funder the rules refuse; the message is shown to the admin beside
    ``field``, the form field it is about."""

    def __init__(self, message: str, field: str):
        super().__init__(message)
        self.field = field


@dataclass(frozen=True)
class Coverage:
    """A funder's terms, as sets of codes (empty: any)."""

    active_from: date
    active_until: date | None
    states: frozenset[str]
    claim_types: frozenset[str]
    languages: frozenset[str]

    @classmethod
    def of(cls, funder: Funder) -> "Coverage":
        return cls.of_row(
            funder.active_from,
            funder.active_until,
            funder.states,
            funder.claim_types,
            funder.languages,
        )

    @classmethod
    def of_row(cls, active_from, active_until, states, claim_types, languages) -> "Coverage":
        """From a funder's columns, in the order ``of`` reads them."""
        return cls(
            active_from,
            active_until,
            frozenset(states.split()),
            frozenset(claim_types.split()),
            frozenset(languages.split()),
        )


def covers(terms: Coverage, sent: date, state: str, claims: frozenset[str], language: str) -> bool:
    if sent < terms.active_from or (terms.active_until and sent > terms.active_until):
        return False
    if terms.states and state not in terms.states:
        return False
    if terms.claim_types and not (claims & terms.claim_types):
        return False
    return not terms.languages or language in terms.languages


def coverage(terms: Coverage):
    """``covers`` as a WHERE clause on help_request."""
    clauses = [HelpRequest.created_at >= datetime.combine(terms.active_from, time.min)]
    if terms.active_until:
        end = datetime.combine(terms.active_until + timedelta(days=1), time.min)
        clauses.append(HelpRequest.created_at < end)
    if terms.states:
        clauses.append(HelpRequest.state.in_(sorted(terms.states)))
    if terms.claim_types:
        # Codes from the fixed list only (checked on save): no LIKE wildcard.
        clauses.append(
            or_(*(HelpRequest.claim_types.contains(f" {c} ") for c in sorted(terms.claim_types)))
        )
    if terms.languages:
        clauses.append(HelpRequest.preferred_language.in_(sorted(terms.languages)))
    return and_(true(), *clauses)


def apply_funder(funder: Funder) -> int:
    """Recompute which requests count for ``funder``; returns how many do.
    Two statements, whatever the number of requests."""
    db.session.execute(delete(request_funder).where(request_funder.c.funder_id == funder.id))
    chosen = select(HelpRequest.id, funder.id).where(coverage(Coverage.of(funder)))
    result = db.session.execute(
        insert(request_funder).from_select(["request_id", "funder_id"], chosen)
    )
    return result.rowcount or 0


# The funders active on a day, as plain rows: built once, run for every new
# request (funders are few, and matched in Python by ``covers``).
_ACTIVE_ON = (
    select(
        Funder.id,
        Funder.active_from,
        Funder.active_until,
        Funder.states,
        Funder.claim_types,
        Funder.languages,
    )
    .where(
        Funder.active_from <= bindparam("sent"),
        or_(Funder.active_until.is_(None), Funder.active_until >= bindparam("sent")),
    )
    .order_by(Funder.id)
)


def link_new_request(row: HelpRequest) -> None:
    """Give a request just stored (it has its id) its funders, in the same
    transaction. Funders are few: they are read and matched in Python."""
    claims = frozenset(row.claim_types.split())
    sent = row.created_at.date()
    funders = db.session.connection().execute(_ACTIVE_ON, {"sent": sent})
    links = [
        {"request_id": row.id, "funder_id": funder_id}
        for funder_id, *terms in funders
        if covers(Coverage.of_row(*terms), sent, row.state, claims, row.preferred_language)
    ]
    if links:
        db.session.execute(insert(request_funder), links)


def all_funders() -> list[Funder]:
    return list(db.session.execute(select(Funder).order_by(Funder.name)).scalars())


CLAIM_CODES = frozenset(code for code, _label in CLAIM_TYPES)


def clean_codes(values, allowed: frozenset[str], what: str, field: str) -> str:
    chosen = {v for v in values if v}
    unknown = chosen - allowed
    if unknown:
        raise FundingError(f"Unknown {what}: choose from the list.", field)
    return " ".join(sorted(chosen))


def save_funder(
    funder: Funder | None,
    *,
    name: str,
    active_from: date | None,
    active_until: date | None,
    states,
    claim_types,
    languages,
    allowed_states: frozenset[str],
    allowed_languages: frozenset[str],
    actor_id: int,
) -> Funder:
    """Create or change a funder, apply it to every request, audit, commit."""
    name = " ".join((name or "").split())
    if not name:
        raise FundingError("Give the funder a name.", "name")
    if len(name) > NAME_MAX:
        raise FundingError(f"The name is too long (at most {NAME_MAX} characters).", "name")
    if active_from is None:
        raise FundingError("Give the date the funding starts.", "active_from")
    if active_until is not None and active_until < active_from:
        raise FundingError("The funding cannot end before it starts.", "active_until")
    same_name = db.session.execute(select(Funder.id).where(Funder.name == name)).scalar()
    if same_name is not None and (funder is None or same_name != funder.id):
        raise FundingError("Another funder already has that name.", "name")
    if funder is None:
        funder = Funder(name=name, active_from=active_from)
        db.session.add(funder)
    funder.name = name
    funder.active_from = active_from
    funder.active_until = active_until
    funder.states = clean_codes(states, allowed_states, "state", "states")
    funder.claim_types = clean_codes(claim_types, CLAIM_CODES, "relief", "claim_types")
    funder.languages = clean_codes(languages, allowed_languages, "language", "languages")
    db.session.flush()
    count = apply_funder(funder)
    audit.record("funder.save", "funder", str(funder.id), f"requests={count}", actor_id)
    db.session.commit()
    return funder
