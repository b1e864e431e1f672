"""The shared vocabulary in intake.law.vocabulary."""

from intake.law.vocabulary import CLAIM_TYPES, Urgency


def test_urgency_rank_orders_most_urgent_first():
    assert [u.rank for u in (Urgency.CRITICAL, Urgency.HIGH, Urgency.NORMAL)] == [0, 1, 2]
    assert sorted(Urgency, key=lambda u: u.rank, reverse=True)[0] is Urgency.NORMAL


def test_claim_types_codes_in_form_order():
    assert [code for code, _ in CLAIM_TYPES] == [
        "asylum",
        "withholding",
        "cat",
        "tps",
        "sijs",
        "t_visa",
        "u_visa",
        "vawa",
        "parole",
        "other",
    ]
    assert dict(CLAIM_TYPES)["cat"] == "protection under the Convention Against Torture"
