"""The provider's webhooks: Twilio posts each inbound message and each change of
a sent message's delivery state here.

    POST /webhooks/twilio/messages   an inbound message (the number's "A message comes in")
    POST /webhooks/twilio/status     a status callback (named on each message we send)

Each request must carry a valid ``X-Twilio-Signature`` for PUBLIC_BASE_URL plus
the path, under TWILIO_AUTH_TOKEN (403 otherwise, before anything is read or
stored). No CSRF token (Twilio has none: the signature is the check), no
session and so no cookie, rate limited per client, and the request log names
only the route: no number, no text.
"""

from flask import Blueprint, Response, abort, current_app, request
from twilio.request_validator import RequestValidator

from intake.hardening import csrf
from intake.limits import limiter
from intake.mail import outbox, registry
from intake.messages import inbound

bp = Blueprint("webhooks", __name__, url_prefix="/webhooks/twilio")

EMPTY_TWIML = '<?xml version="1.0" encoding="UTF-8"?><Response></Response>'


def signed_url() -> str:
    """The URL Twilio signed: the configured public address, never the Host header."""
    url = registry.base_url() + request.path
    query = request.query_string.decode("latin-1")
    return f"{url}?{query}" if query else url


def check_signature() -> dict[str, str]:
    """The posted fields, once the signature is right; 403 otherwise."""
    token = current_app.config.get("TWILIO_AUTH_TOKEN")
    signature = request.headers.get("X-Twilio-Signature", "")
    fields = request.form.to_dict()
    if not token or not signature:
        abort(403)
    if not RequestValidator(token).validate(signed_url(), fields, signature):
        abort(403)
    return fields


def _twiml() -> Response:
    return Response(EMPTY_TWIML, mimetype="text/xml")


@bp.post("/messages")
@csrf.exempt
@limiter.limit(lambda: current_app.config["MESSAGING_WEBHOOK_RATE_LIMIT"])
def messages():
    message = inbound.receive(check_signature())
    response = _twiml()
    # An answer to STOP, START or HELP goes out at once, after the response.
    return outbox.deliver_after(response, to_applicant=True) if message else response


@bp.post("/status")
@csrf.exempt
@limiter.limit(lambda: current_app.config["MESSAGING_WEBHOOK_RATE_LIMIT"])
def status():
    inbound.status(check_signature())
    return _twiml()
