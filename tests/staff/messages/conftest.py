"""Fixtures of tests/support/messages.py for the staff messaging tests."""

from tests.support.messages import consenting, hooks, twilio_app  # noqa: F401 - fixtures
