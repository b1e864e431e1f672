"""The link that opens a referral packet: made by staff, sent through the outbox
to the receiving organisation, opened with a code the referring staff member
tells the receiver by phone, answered once, revocable, expiring.

What is stored is never enough to open a packet: the link's token and the code
are kept as keyed hashes (``LOOKUP_KEY``), the code bound to its link. The token
is also kept encrypted so the outbox can build the message when it sends it.
Every opening, download, refusal and answer writes an audit event with ids and
codes only; a refused link never says why to the visitor (``live``).

Opening a packet gives the receiver a signed token of the opening (``opening``)
that the packet page's buttons post back (download, answer) for
``PACKET_OPENING_MINUTES``: no cookie, nothing in the URL but the link's token.
"""

import hmac
import secrets
from dataclasses import dataclass
from datetime import datetime, timedelta
from email.message import EmailMessage

from flask import current_app
from itsdangerous import BadSignature, URLSafeTimedSerializer
from sqlalchemy import select

from intake import crypto, timeutil
from intake.cases import audit
from intake.cases import contact as phone_email
from intake.cases.status_codes import format_code, normalise, random_symbols
from intake.db import db
from intake.mail import registry
from intake.models import (
    HelpRequest,
    ReceiverOutcome,
    Referral,
    ReferralOrganisation,
    ReferralPacket,
    StaffUser,
)

MAIL_KIND = "referral_packet"
CODE_LENGTH = 8
TOKEN_MAX = 100  # a longer token is not ours: refused before hashing
ANSWERS = {"accepted": "Accepted", "declined": "Declined"}
REASON_MAX = 1000
_OPENING_SALT = "referral-packet-opening"


class LinkError(ValueError):
    """A change the rules refuse; the message is shown to the staff member or receiver."""


def token_hash(token: str) -> str:
    return crypto.keyring().lookup_hash("packet-link:" + token)


def code_hash(link_hash: str, code: str) -> str:
    return crypto.keyring().lookup_hash(f"packet-code:{link_hash}:{code}")


def has_consent(help_request: HelpRequest, referral: Referral) -> bool:
    """The applicant agreed to share their request with another organisation: on
    the form (and has not changed that answer since) or by telling staff, who
    recorded it on the referral."""
    if referral.consent == "told_staff":
        return True
    return referral.consent == "form" and bool(help_request.share_consent)


def recipient_of(organisation: ReferralOrganisation) -> str | None:
    """The organisation's email address from the directory, if it takes referrals by email."""
    address = (organisation.how_to_refer or "").strip()
    if organisation.refer_by == "email" and phone_email.looks_like_email(address):
        return address
    return None


def packets_of(referral_ids: list[int]) -> list[ReferralPacket]:
    if not referral_ids:
        return []
    query = (
        select(ReferralPacket)
        .where(ReferralPacket.referral_id.in_(referral_ids))
        .order_by(ReferralPacket.created_at, ReferralPacket.id)
    )
    return list(db.session.execute(query).scalars())


def receiver_outcomes_of(referral_ids: list[int]) -> list[ReceiverOutcome]:
    """What the receiving organisations' systems reported through the API."""
    if not referral_ids:
        return []
    query = (
        select(ReceiverOutcome)
        .where(ReceiverOutcome.referral_id.in_(referral_ids))
        .order_by(ReceiverOutcome.happened_on, ReceiverOutcome.id)
    )
    return list(db.session.execute(query).scalars())


@dataclass(frozen=True)
class Sent:
    packet: ReferralPacket
    code: str  # shown once to the staff member, formatted "7QM4-XPD2"


def send(
    help_request: HelpRequest, referral: Referral, actor: StaffUser, now: datetime | None = None
) -> Sent:
    """Make the packet's link and queue it to the organisation; any earlier link of
    this referral stops working (one link per referral). Refused without consent."""
    now = now or timeutil.utcnow()
    if not has_consent(help_request, referral):
        raise LinkError(
            "The applicant has not agreed to share their request. Record their consent "
            "on a referral before sending the packet."
        )
    organisation = db.session.get(ReferralOrganisation, referral.organisation_id)
    recipient = recipient_of(organisation) if organisation else None
    if recipient is None:
        raise LinkError(
            "The organisation has no email address in the directory: set “How to refer” "
            "to Email with their intake address first."
        )
    for earlier in packets_of([referral.id]):
        if earlier.revoked_at is None:
            earlier.revoked_at = now
            earlier.revoked_by_id = actor.id
    token = secrets.token_urlsafe(32)
    code = random_symbols(CODE_LENGTH)
    link_hash = token_hash(token)
    packet = ReferralPacket(
        referral_id=referral.id,
        token_hash=link_hash,
        code_hash=code_hash(link_hash, code),
        link=token,
        recipient=recipient,
        created_at=now,
        created_by_id=actor.id,
        expires_at=now + timedelta(days=current_app.config["PACKET_LINK_DAYS"]),
    )
    db.session.add(packet)
    db.session.flush()
    audit.record(
        "case.packet_sent",
        "request",
        help_request.reference,
        f"referral={referral.id} packet={packet.id}",
        actor.id,
    )
    registry.queue(MAIL_KIND, str(packet.id), now)
    db.session.commit()
    return Sent(packet, format_code(code))


def revoke(packet: ReferralPacket, reference: str, actor: StaffUser) -> None:
    if packet.revoked_at is not None:
        raise LinkError("This link was already withdrawn.")
    packet.revoked_at = timeutil.utcnow()
    packet.revoked_by_id = actor.id
    audit.record(
        "case.packet_revoked",
        "request",
        reference,
        f"referral={packet.referral_id} packet={packet.id}",
        actor.id,
    )
    db.session.commit()


def find(token: str | None) -> ReferralPacket | None:
    if not token or len(token) > TOKEN_MAX:
        return None
    query = select(ReferralPacket).where(ReferralPacket.token_hash == token_hash(token))
    return db.session.execute(query).scalar_one_or_none()


def why_not(packet: ReferralPacket | None, now: datetime | None = None) -> str | None:
    """Why a link opens nothing (for the audit log only), or None when it may."""
    now = now or timeutil.utcnow()
    if packet is None:
        return "unknown"
    if packet.revoked_at is not None:
        return "revoked"
    if now >= packet.expires_at:
        return "expired"
    if packet.wrong_codes >= current_app.config["PACKET_CODE_ATTEMPTS"]:
        return "locked"
    return None


def refuse(packet: ReferralPacket | None, why: str) -> None:
    """Write the refusal down (the packet's id when there is one, never the token)."""
    audit.record("packet.refused", "packet", packet.id if packet else "", why)
    db.session.commit()


def check_code(packet: ReferralPacket, typed: str | None) -> bool:
    """The code is this link's; a wrong one is counted (and audited)."""
    code = normalise(typed, CODE_LENGTH)
    right = hmac.compare_digest(code_hash(packet.token_hash, code), packet.code_hash)
    if not right:
        packet.wrong_codes += 1
        refuse(packet, "wrong_code")
    return right


def record_opening(packet: ReferralPacket, what: str = "open") -> None:
    """One audit event per opening or download ("open", "pdf", "json")."""
    if what == "open":
        packet.opened_count += 1
        packet.last_opened_at = timeutil.utcnow()
    audit.record(f"packet.{what}", "packet", packet.id, f"referral={packet.referral_id}")
    db.session.commit()


def _serializer() -> URLSafeTimedSerializer:
    return URLSafeTimedSerializer(current_app.config["SECRET_KEY"], salt=_OPENING_SALT)


def opening(packet: ReferralPacket) -> str:
    """A signed token of this opening, for the packet page's buttons."""
    return _serializer().dumps({"p": packet.id, "h": packet.token_hash[:16]})


def opened(packet: ReferralPacket, signed: str | None) -> bool:
    """The posted token is a recent opening of this very link."""
    if not signed or len(signed) > 300:
        return False
    max_age = current_app.config["PACKET_OPENING_MINUTES"] * 60
    try:
        value = _serializer().loads(signed, max_age=max_age)
    except BadSignature:
        return False
    return value == {"p": packet.id, "h": packet.token_hash[:16]}


def answer(packet: ReferralPacket, given: str, reason: str | None) -> Referral:
    """The receiver's answer, recorded once as the referral's outcome."""
    referral = db.session.get(Referral, packet.referral_id)
    if packet.answer is not None or referral.outcome in ANSWERS:
        raise LinkError("already")
    if given not in ANSWERS:
        raise LinkError("choose")
    reason = (reason or "").strip()
    if given == "declined" and not reason:
        raise LinkError("reason")
    if len(reason) > REASON_MAX:
        raise LinkError("long")
    now = timeutil.utcnow()
    packet.answer = given
    packet.answered_at = now
    packet.decline_reason = reason or None if given == "declined" else None
    referral.outcome = given
    referral.outcome_on = timeutil.today()
    if given == "accepted" and referral.accepted_at is None:
        referral.accepted_at = now
    referral.follow_up_on = None
    help_request = db.session.get(HelpRequest, referral.request_id)
    audit.record(
        "case.referral_outcome",
        "request",
        help_request.reference,
        f"referral={referral.id} outcome={given} by=receiver packet={packet.id}",
    )
    db.session.commit()
    return referral


# --- the message ------------------------------------------------------------------


def link_url(base: str, token: str) -> str:
    return base + current_app.url_map.bind("localhost").build("packet.open", {"token": token})


def message(packet_id: str, base: str) -> EmailMessage | None:
    """The link alone, never anything of the packet; nothing once the link is dead."""
    packet = db.session.get(ReferralPacket, int(packet_id)) if packet_id.isdigit() else None
    if packet is None or why_not(packet) in ("revoked", "expired"):
        return None
    cfg = current_app.config
    days = cfg["PACKET_LINK_DAYS"]
    body = (
        f"{cfg['ORGANISATION_NAME']} has referred a person to you, with their consent.\n\n"
        f"Open the referral packet here:\n{link_url(base, packet.link)}\n\n"
        "You will need a code: the staff member who made the referral will give it to "
        "you by phone. It is not in this email.\n\n"
        f"The link works for {days} days from when it was sent and only for this referral. "
        "Please do not forward it. From the packet you can tell us whether you accept "
        "the case.\n"
    )
    return registry.email("A referral for you", cfg["MAIL_FROM"], packet.recipient, body)


registry.register(MAIL_KIND, message)
