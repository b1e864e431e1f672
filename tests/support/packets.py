"""Referral packets in the tests: a case referred with consent to an organisation
that takes referrals by email (``referrer``, the ``referred`` fixture of
tests/public/packet), sending its packet, and the links the outbox would mail."""

import json
import re
from dataclasses import dataclass
from datetime import date

from intake.cases import stored_facts
from intake.db import db
from intake.mail import registry
from intake.models import OutgoingMail, Referral, ReferralOrganisation
from tests.support.staff import post_case

FACTS = {
    "asking_for": "self",
    "in_us": True,
    "detained": False,
    "hearing": "no",
    "judge_decided": "no",
    "i589_filed": "no",
    "last_arrival": "2026-03-02",
    "harms": ["afraid_to_return", "harmed_or_threatened"],
    "claim_types": ["asylum"],
}


@dataclass
class Referred:
    reference: str
    referral_id: int
    organisation_id: int
    staff: object
    client: object


def referrer(app, make_request, make_staff, login_as):
    """make(share_consent=True, consent="form", refer_by="email") -> Referred."""

    def make(share_consent=True, consent="form", refer_by="email", **request_fields):
        values = {
            "share_consent": share_consent,
            "facts": stored_facts.dumps(FACTS),
            "summary": "Necesito ayuda con mi caso de asilo",
            "phone": "+1 212 555 0100",
            "safe_to_message": "no",
            "preferred_language": "es",
            **request_fields,
        }
        help_request = make_request(**values)
        staff = make_staff("reviewer")
        with app.app_context():
            org = ReferralOrganisation(
                name="Immigrant Justice Center",
                refer_by=refer_by,
                how_to_refer="intake@ijc.example.org" if refer_by == "email" else "212 555 0199",
            )
            db.session.add(org)
            db.session.flush()
            referral = Referral(
                request_id=help_request.id,
                organisation_id=org.id,
                made_on=date(2026, 12, 1),
                made_by_id=staff.id,
                method="email",
                consent=consent,
            )
            db.session.add(referral)
            db.session.commit()
            ids = referral.id, org.id
        client = app.test_client()
        login_as(client, staff)
        return Referred(help_request.reference, ids[0], ids[1], staff, client)

    return make


def send_packet(referred):
    """Post "Send the referral packet": the response, the code shown, the mailed link."""
    response = post_case(
        referred.client, referred.reference, f"referrals/{referred.referral_id}/packet"
    )
    page = response.get_data(as_text=True)
    code = re.search(r'<p class="reference" dir="ltr"><strong>([0-9A-Z-]+)</strong>', page)
    return response, code.group(1) if code else None


def mailed_links(app) -> list[str]:
    """The packet links in the queued messages, oldest first."""
    with app.app_context():
        rows = db.session.execute(db.select(OutgoingMail).order_by(OutgoingMail.id)).scalars()
        links = []
        for row in rows:
            message = registry.message_for(row.kind, "http://localhost")
            if message is not None and row.kind.startswith("referral_packet:"):
                found = re.search(r"http://localhost(/referral/\S+)", message.get_content())
                links.append(found.group(1))
        return links


def as_json(response) -> dict:
    return json.loads(response.get_data(as_text=True))
