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
