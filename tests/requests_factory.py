"""Help requests for the security tests, inserted through the ORM (so personal
answers are encrypted exactly as the form would store them)."""

import secrets

from intake.db import db
from intake.models import HelpRequest

PERSONAL = ("name", "nationality", "phone", "email", "monthly_income", "detention_facility")


def add_request(**fields) -> HelpRequest:
    """Add (not commit) a request with every required column filled; personal
    answers default to unique marker strings so tests can search for them."""
    marker = secrets.token_hex(6)
    values = {
        "reference": secrets.token_hex(5).upper(),
        "screen": "likely_eligible",
        "urgency": "normal",
        "urgency_rank": 2,
        "represented": "no",
        "can_pay": "no",
        "household_size": 1,
        "claim_types": " asylum ",
        "detained": False,
        "hearing": "no",
        "i589_filed": "no",
        "minor": False,
        **{name: f"{name}-{marker}" for name in PERSONAL},
        "summary": f"summary-{marker}",
        **fields,
    }
    request = HelpRequest(**values)
    db.session.add(request)
    return request
