"""Requests that consent to messages, and the messages stored for them."""

import json

import pytest

from intake.db import db
from intake.models import AuditEvent, Message

PHONE = "+12125550147"


@pytest.fixture
def consenting(make_request):
    """Factory: a request whose person chose ``reach_by`` (text and WhatsApp by
    default), said messages are safe, and gave ``PHONE``."""

    def make(reach_by=("text", "whatsapp"), safe="yes", phone=PHONE, **overrides):
        facts = {"reach_by": list(reach_by), **overrides.pop("facts", {})}
        overrides.setdefault("preferred_language", "es")
        return make_request(phone=phone, safe_to_message=safe, facts=json.dumps(facts), **overrides)

    return make


def messages(app, **where) -> list[Message]:
    with app.app_context():
        rows = db.session.execute(db.select(Message).filter_by(**where).order_by(Message.id))
        found = list(rows.scalars())
        for row in found:
            _ = row.body, row.phone  # decrypted while the app is here
            db.session.expunge(row)
        return found


def audit_details(app, action) -> list[str]:
    with app.app_context():
        query = db.select(AuditEvent.detail).where(AuditEvent.action == action)
        return list(db.session.execute(query.order_by(AuditEvent.id)).scalars())


TOKEN = "test-twilio-auth-token"
ACCOUNT = "AC" + "0123456789abcdef" * 2
BASE = "https://help.example.org"
TWILIO = {
    "MESSAGING_PROVIDER": "twilio",
    "TWILIO_ACCOUNT_SID": ACCOUNT,
    "TWILIO_AUTH_TOKEN": TOKEN,
    "TWILIO_FROM_SMS": "+12125550100",
    "TWILIO_FROM_WHATSAPP": "+14155238886",
    "PUBLIC_BASE_URL": BASE,
}


def signature(path: str, fields: dict, token: str = TOKEN, base: str = BASE) -> str:
    from twilio.request_validator import RequestValidator

    return RequestValidator(token).compute_signature(base + path, fields)


class Webhooks:
    """Posts to the webhooks as Twilio does: form fields, signed."""

    def __init__(self, client):
        self.client = client
        self.count = 0

    def post(self, path, fields, signed=True, **headers):
        if signed:
            headers["X-Twilio-Signature"] = signature(path, fields)
        return self.client.post(path, data=fields, headers=headers)

    def inbound(self, body, sender=PHONE, sid=None, whatsapp=False, signed=True):
        self.count += 1
        fields = {
            "MessageSid": sid or f"SMin{self.count:030d}",
            "AccountSid": ACCOUNT,
            "From": f"whatsapp:{sender}" if whatsapp else sender,
            "To": "whatsapp:+14155238886" if whatsapp else "+12125550100",
            "Body": body,
            "NumMedia": "0",
        }
        return self.post("/webhooks/twilio/messages", fields, signed)

    def status(self, sid, state, error_code=None, signed=True):
        fields = {"MessageSid": sid, "MessageStatus": state, "AccountSid": ACCOUNT}
        if error_code:
            fields["ErrorCode"] = error_code
        return self.post("/webhooks/twilio/status", fields, signed)


@pytest.fixture
def twilio_app(app_factory):
    return app_factory(**TWILIO)


@pytest.fixture
def hooks(twilio_app):
    return Webhooks(twilio_app.test_client())
