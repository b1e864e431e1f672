"""The consent rule, at each of its edges: a message only on a channel the
person chose, only when they said messages are safe, never to a number that sent
STOP, never to a request that is gone."""

import pytest

from intake.messages import consent
from intake.models import HelpRequest


def request(safe="yes", phone="+12125550147"):
    return HelpRequest(safe_to_message=safe, phone=phone)


CHOSE_BOTH = {"reach_by": ["text", "whatsapp"]}


def test_allowed_when_chosen_safe_and_not_stopped():
    assert consent.may_message(request(), CHOSE_BOTH, "sms", False) == (True, "")
    assert consent.may_message(request(), CHOSE_BOTH, "whatsapp", False) == (True, "")


@pytest.mark.parametrize(
    "chosen, channel",
    [([], "sms"), (["whatsapp"], "sms"), (["text"], "whatsapp"), (["call", "email"], "sms")],
)
def test_refused_on_a_channel_not_chosen(chosen, channel):
    assert consent.may_message(request(), {"reach_by": chosen}, channel, False) == (
        False,
        consent.NOT_CHOSEN,
    )


def test_refused_without_any_answer_about_channels():
    assert consent.may_message(request(), {}, "sms", False) == (False, consent.NOT_CHOSEN)
    assert consent.may_message(request(), {"reach_by": "text"}, "sms", False)[0] is False


@pytest.mark.parametrize("safe", ["no", "not_sure", "", None])
def test_never_when_messages_are_not_safe(safe):
    assert consent.may_message(request(safe=safe), CHOSE_BOTH, "sms", False) == (
        False,
        consent.NOT_SAFE,
    )


def test_never_after_stop():
    assert consent.may_message(request(), CHOSE_BOTH, "sms", True) == (False, consent.OPTED_OUT)


def test_never_to_a_purged_request():
    assert consent.may_message(None, CHOSE_BOTH, "sms", False) == (False, consent.GONE)


def test_no_number_no_message_and_the_message_number_wins():
    assert consent.may_message(request(phone=None), CHOSE_BOTH, "sms", False) == (
        False,
        consent.NO_NUMBER,
    )
    facts = {**CHOSE_BOTH, "message_phone": "+12125550199"}
    assert consent.may_message(request(phone=None), facts, "sms", False) == (True, "")
    assert consent.message_phone(request(), facts) == "+12125550199"
    assert consent.message_phone(request(), CHOSE_BOTH) == "+12125550147"


def test_unknown_channel():
    assert consent.may_message(request(), CHOSE_BOTH, "call", False) == (
        False,
        consent.UNKNOWN_CHANNEL,
    )


def test_the_number_is_sent_in_e164():
    assert consent.message_phone(request(phone="(212) 555-0147"), CHOSE_BOTH) == "+12125550147"
    assert consent.message_phone(request(phone="+44 7700 900123"), CHOSE_BOTH) == "+447700900123"
    assert consent.message_phone(request(phone="12"), CHOSE_BOTH) is None
    assert consent.may_message(request(phone="not a phone"), CHOSE_BOTH, "sms", False) == (
        False,
        consent.NO_NUMBER,
    )
