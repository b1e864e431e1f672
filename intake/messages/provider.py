"""The messaging provider behind one small interface: ``send(to, sender, body,
status_callback) -> the provider's message id``, raising ``Rejected`` when the
provider refuses the message for good (a bad number, an unsubscribed one) and
any other exception when it may work later (an outage: the outbox retries).

- ``TwilioProvider``: Twilio's Messages API through the ``twilio`` library's REST
  client, at TWILIO_API_BASE (Twilio's own unless a test points it elsewhere).
- ``LogProvider`` ("log", development): sends nothing; the message stays in the
  database, where staff read it (/staff/messages/dev), and a log line says a
  message was "sent" (its id only).
"""

import json
import logging
import secrets
from dataclasses import dataclass, field
from typing import Protocol

from flask import current_app
from twilio.base.exceptions import TwilioRestException
from twilio.http.http_client import TwilioHttpClient
from twilio.rest import Client

log = logging.getLogger(__name__)
# The library logs each request's URL and headers at INFO: not ours to keep.
logging.getLogger("twilio.http_client").setLevel(logging.WARNING)

TIMEOUT_SECONDS = 15


class Rejected(Exception):
    """The provider refused the message and will again: not retried."""

    def __init__(self, code: str):
        super().__init__(code)
        self.code = code  # the provider's error code, a number: never its text


@dataclass(frozen=True)
class Content:
    """A template the provider keeps (a WhatsApp template WhatsApp approved): its
    id and the values of its variables, sent instead of the text."""

    sid: str
    variables: dict[str, str] = field(default_factory=dict)


class Provider(Protocol):
    name: str

    def send(
        self,
        to: str,
        sender: str,
        body: str,
        status_callback: str | None,
        content: Content | None = None,
    ) -> str: ...


class LogProvider:
    name = "log"

    def send(
        self,
        to: str,
        sender: str,
        body: str,
        status_callback: str | None,
        content: Content | None = None,
    ) -> str:
        sid = "LOG" + secrets.token_hex(16)
        log.info("development provider: message %s kept, nothing sent", sid)
        return sid


class TwilioProvider:
    name = "twilio"

    def __init__(self, account_sid: str, auth_token: str, api_base: str):
        self.client = Client(
            account_sid, auth_token, http_client=TwilioHttpClient(timeout=TIMEOUT_SECONDS)
        )
        # The REST client builds every Messages URL from its Api domain's base.
        self.client.api.base_url = api_base.rstrip("/")

    def send(
        self,
        to: str,
        sender: str,
        body: str,
        status_callback: str | None,
        content: Content | None = None,
    ) -> str:
        extra = {"status_callback": status_callback} if status_callback else {}
        if content is not None:  # WhatsApp: the approved template, never its text
            extra["content_sid"] = content.sid
            if content.variables:
                extra["content_variables"] = json.dumps(content.variables, ensure_ascii=False)
        else:
            extra["body"] = body
        try:
            message = self.client.messages.create(to=to, from_=sender, **extra)
        except TwilioRestException as exc:
            # 4xx but "too many requests": the message itself is refused.
            if 400 <= exc.status < 500 and exc.status != 429:
                raise Rejected(str(exc.code or exc.status)) from None
            raise
        return message.sid


def provider() -> Provider | None:
    """The configured provider; None when messaging is off ("none")."""
    cfg = current_app.config
    name = cfg["MESSAGING_PROVIDER"]
    if name == "twilio":
        return TwilioProvider(
            cfg["TWILIO_ACCOUNT_SID"], cfg["TWILIO_AUTH_TOKEN"], cfg["TWILIO_API_BASE"]
        )
    if name == "log":
        return LogProvider()
    return None


def sender_address(channel: str) -> str | None:
    """Where messages on ``channel`` come from ("whatsapp:+1..." for WhatsApp);
    None when that channel is not configured."""
    cfg = current_app.config
    if cfg["MESSAGING_PROVIDER"] == "log":
        return "whatsapp:+10000000000" if channel == "whatsapp" else "+10000000000"
    if channel == "whatsapp":
        number = cfg.get("TWILIO_FROM_WHATSAPP")
        return f"whatsapp:{number}" if number else None
    return cfg.get("TWILIO_FROM_SMS") or None


def address(channel: str, phone: str) -> str:
    return f"whatsapp:{phone}" if channel == "whatsapp" else phone
