from tests.messages.conftest import consenting, hooks, twilio_app  # noqa: F401 - fixtures
