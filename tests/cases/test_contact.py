"""Phone numbers: one E.164 form (and one lookup hash) for every way a number is
written, foreign numbers kept foreign, impossible numbers refused, and staff
reading them in their country's format."""

import pytest

from intake import crypto
from intake.cases import contact

SAME_US_NUMBER = (
    "+1 (212) 555-0100",
    "1-212-555-0100",
    "212.555.0100",
    "(212) 555-0100",
    "2125550100",
    "+12125550100",
    "011 1 212 555 0100",  # the US international prefix
    "+١ ٢١٢ ٥٥٥ ٠١٠٠",  # Arabic-Indic digits
    "\uff0b\uff11 \uff12\uff11\uff12 555 0100",  # full-width plus and digits
)


@pytest.mark.parametrize("written", SAME_US_NUMBER)
def test_every_way_of_writing_a_us_number_has_one_e164_form(written):
    assert contact.normalise_phone(written) == "+12125550100"
    assert contact.looks_like_phone(written)


def test_every_way_of_writing_a_number_gives_one_lookup_hash(app):
    with app.app_context():
        ring = crypto.keyring()
        hashes = {contact.lookup_hashes(ring, written, None)[0] for written in SAME_US_NUMBER}
        other = contact.lookup_hashes(ring, "+1 212 555 0199", None)[0]
    assert len(hashes) == 1 and other not in hashes


@pytest.mark.parametrize(
    ("written", "e164", "for_staff"),
    [
        ("+44 20 7946 0958", "+442079460958", "+44 20 7946 0958"),
        ("011 44 20 7946 0958", "+442079460958", "+44 20 7946 0958"),
        ("+52 55 1234 5678", "+525512345678", "+52 55 1234 5678"),
        ("+58 412 123 4567", "+584121234567", "+58 412-1234567"),
        ("+93 70 123 4567", "+93701234567", "+93 70 123 4567"),
    ],
)
def test_foreign_numbers_stay_foreign_and_read_internationally(written, e164, for_staff):
    assert contact.normalise_phone(written) == e164
    assert contact.phone_for_staff(e164) == for_staff


def test_numbers_of_the_office_country_read_in_national_format():
    assert contact.phone_for_staff("+12125550100") == "(212) 555-0100"
    # A stored value that does not parse is shown as it is, never hidden.
    assert contact.phone_for_staff("12345") == "12345"
    assert contact.phone_for_staff(None) == ""


def test_the_office_country_is_a_setting(app_factory):
    mexico = app_factory(PHONE_REGION="mx")
    with mexico.app_context():
        assert contact.phone_region() == "MX"
        assert contact.normalise_phone("55 1234 5678") == "+525512345678"
        assert contact.phone_for_staff("+525512345678") == "55 1234 5678"
        assert contact.phone_for_staff("+12125550100") == "+1 212-555-0100"


def test_an_unknown_office_country_stops_the_app(app_factory):
    with pytest.raises(RuntimeError, match="INTAKE_PHONE_REGION"):
        app_factory(PHONE_REGION="XX")


@pytest.mark.parametrize(
    "written",
    [
        "12345",  # too short
        "+1 555 555 5555",  # no such area code
        "212 555 01000",  # a digit too many
        "+999 1234 5678",  # no such country code
        "call me",
        "+1 212 555 0100 ext? no",
        "9" * 41,
    ],
)
def test_impossible_numbers_are_refused(written):
    assert contact.parse_phone(written) is None
    assert not contact.looks_like_phone(written)
