"""What an integration key may read and write: the referrals its organisation
accepted, each with the referral packet (``intake.cases.packet``), and what
became of them there.

Never any other request: every query is of referrals to the key's
organisation whose outcome is "accepted". The list is in the order of
acceptance (``Referral.accepted_at``, set once; ties by referral id) and paged
by a cursor (the last case's acceptance time and id, signed and bound to the
organisation). A case accepted while a client pages, or after it reached the
end, comes after everything the client has seen, however early it was
referred: a client that keeps its last cursor and lists from it later gets
exactly the cases accepted since, each once. Acceptances younger than
``API_SETTLE_SECONDS`` wait: one whose transaction is still open when a
client lists cannot then land behind that client's cursor.
"""

from dataclasses import dataclass
from datetime import date, datetime, timedelta

from flask import current_app
from itsdangerous import BadSignature, URLSafeSerializer
from sqlalchemy import select

from intake import timeutil
from intake.cases import audit
from intake.cases import packet as packet_content
from intake.db import db
from intake.letters import drafts as letters
from intake.models import (
    ApiKey,
    HelpRequest,
    ReceiverOutcome,
    Referral,
    ReferralOrganisation,
)
from intake.models.outcome import OUTCOME_LABELS, Outcome

LIMIT_MAX = 100
_CURSOR_SALT = "api-cursor"


class ApiError(ValueError):
    """A request the rules refuse (400/422), with a message for the integrator."""

    def __init__(self, message: str, status: int = 400):
        super().__init__(message)
        self.status = status


def _cursors() -> URLSafeSerializer:
    return URLSafeSerializer(current_app.config["SECRET_KEY"], salt=_CURSOR_SALT)


Position = tuple[datetime, int] | None  # (accepted_at, referral id) of the last case seen


def cursor_for(key: ApiKey, referral: Referral) -> str:
    return _cursors().dumps(
        [key.organisation_id, referral.accepted_at.isoformat(timespec="microseconds"), referral.id]
    )


def position_of(key: ApiKey, cursor: str | None) -> Position:
    if not cursor:
        return None
    refused = ApiError("The cursor is not one this API gave.")
    try:
        org, at, after = _cursors().loads(cursor[:200])
        at = datetime.fromisoformat(at)
    except (BadSignature, ValueError, TypeError) as exc:
        raise refused from exc
    if org != key.organisation_id or not isinstance(after, int):
        raise refused
    return at, after


def _accepted(key: ApiKey):
    return (
        select(Referral, HelpRequest)
        .join(HelpRequest, HelpRequest.id == Referral.request_id)
        .where(
            Referral.organisation_id == key.organisation_id,
            Referral.outcome == "accepted",
            Referral.accepted_at.is_not(None),
        )
    )


@dataclass(frozen=True)
class Page:
    items: list[dict]
    next_cursor: str | None  # the next page now, or None when this is the last
    resume_cursor: str | None  # where this listing ended: list from it later


def listing(key: ApiKey, cursor: str | None, limit: int, accepted_since: date | None) -> Page:
    position = position_of(key, cursor)
    settled = timeutil.utcnow() - timedelta(seconds=current_app.config["API_SETTLE_SECONDS"])
    query = _accepted(key).where(Referral.accepted_at <= settled)
    if position is not None:
        at, after = position
        query = query.where(
            (Referral.accepted_at > at) | ((Referral.accepted_at == at) & (Referral.id > after))
        )
    if accepted_since is not None:
        query = query.where(Referral.outcome_on >= accepted_since)
    rows = db.session.execute(
        query.order_by(Referral.accepted_at, Referral.id).limit(limit + 1)
    ).all()
    shown = rows[:limit]
    items = [summary(referral, help_request) for referral, help_request in shown]
    after = position[1] if position else 0
    audit.record("api.list", "api_key", key.id, f"count={len(items)} after={after}"[:500])
    resume = cursor_for(key, shown[-1][0]) if shown else (cursor or None)
    more = len(rows) > limit
    _used(key)
    return Page(items, resume if more else None, resume)


def summary(referral: Referral, help_request: HelpRequest) -> dict:
    return {
        "referral_id": referral.id,
        "reference": help_request.reference,
        "referred_on": referral.made_on.isoformat(),
        "accepted_on": referral.outcome_on.isoformat() if referral.outcome_on else None,
        "accepted_at": referral.accepted_at.isoformat(timespec="seconds") + "Z",
        "name": help_request.name,
        "preferred_language": help_request.preferred_language,
        "detained": help_request.detained,
    }


def _find(key: ApiKey, reference: str) -> tuple[Referral, HelpRequest] | None:
    reference = (reference or "").strip().upper().replace("-", "")[:16]
    row = db.session.execute(
        _accepted(key)
        .where(HelpRequest.reference == reference)
        .order_by(Referral.id.desc())
        .limit(1)
    ).first()
    return (row[0], row[1]) if row else None


def one(key: ApiKey, reference: str) -> dict | None:
    """The case with its packet and outcomes, or None (not accepted by this
    organisation, or no such case: the same answer)."""
    found = _find(key, reference)
    audit.record(
        "api.read" if found else "api.not_found",
        "api_key",
        key.id,
        f"referral={found[0].id}" if found else "",
    )
    _used(key)
    if found is None:
        return None
    referral, help_request = found
    organisation = db.session.get(ReferralOrganisation, referral.organisation_id)
    return {
        **summary(referral, help_request),
        "packet": packet_content.build(
            help_request,
            referral,
            organisation,
            letters.letters_of(help_request.id),
            timeutil.today(),
        ),
        "outcomes": [as_json(o) for o in outcomes_of(referral)],
    }


def outcomes_of(referral: Referral) -> list[ReceiverOutcome]:
    query = (
        select(ReceiverOutcome)
        .where(ReceiverOutcome.referral_id == referral.id)
        .order_by(ReceiverOutcome.happened_on, ReceiverOutcome.id)
    )
    return list(db.session.execute(query).scalars())


def as_json(outcome: ReceiverOutcome) -> dict:
    return {
        "id": outcome.id,
        "kind": outcome.kind,
        "label": OUTCOME_LABELS[Outcome(outcome.kind)],
        "happened_on": outcome.happened_on.isoformat(),
    }


def add_outcome(key: ApiKey, reference: str, body) -> dict | None:
    """Record what became of an accepted case; None when it is not this
    organisation's accepted case."""
    found = _find(key, reference)
    if found is None:
        audit.record("api.not_found", "api_key", key.id, "")
        db.session.commit()
        return None
    referral, help_request = found
    if not isinstance(body, dict):
        raise ApiError("Send a JSON object with kind and happened_on.")
    kind = body.get("kind")
    if kind not in {o.value for o in Outcome}:
        raise ApiError("kind must be one of: " + ", ".join(o.value for o in Outcome) + ".", 422)
    try:
        happened_on = date.fromisoformat(str(body.get("happened_on")))
    except ValueError as exc:
        raise ApiError("happened_on must be a date such as 2027-01-15.", 422) from exc
    if happened_on > timeutil.today():
        raise ApiError("happened_on cannot be in the future.", 422)
    if happened_on < referral.made_on:
        raise ApiError("happened_on cannot be before the referral.", 422)
    outcome = ReceiverOutcome(
        referral_id=referral.id, kind=kind, happened_on=happened_on, api_key_id=key.id
    )
    db.session.add(outcome)
    db.session.flush()
    audit.record(
        "case.receiver_outcome",
        "request",
        help_request.reference,
        f"referral={referral.id} kind={kind} key={key.id}",
    )
    _used(key)
    return as_json(outcome)


def _used(key: ApiKey) -> None:
    key.last_used_at = timeutil.utcnow()
    db.session.commit()
