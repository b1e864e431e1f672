"""TOTP second factor (RFC 6238, 30-second steps, 6 digits) with pyotp, and the
QR code for enrolment drawn on the server with segno (no script, no third party).

A code is accepted for the current step or one step either side (clock drift),
but never for a step at or before the last one accepted: a code seen over a
shoulder or replayed from a captured request does not work twice."""

import hmac
from datetime import UTC

import pyotp
import segno

from intake import timeutil

STEP_SECONDS = 30


def new_secret() -> str:
    return pyotp.random_base32()  # 32 base32 characters = 160 bits


def grouped(secret: str) -> str:
    """The secret in groups of four, easier to type into an app by hand."""
    return " ".join(secret[i : i + 4] for i in range(0, len(secret), 4))


def current_step() -> int:
    return int(timeutil.utcnow().replace(tzinfo=UTC).timestamp()) // STEP_SECONDS


def code_for(secret: str, step: int) -> str:
    return pyotp.TOTP(secret).generate_otp(step)


def accepted_step(secret: str, code: str, last_step: int | None) -> int | None:
    """The time step ``code`` belongs to, if it is valid and newer than ``last_step``."""
    code = "".join(code.split())
    if len(code) != 6 or not code.isascii() or not code.isdigit():
        return None
    now = current_step()
    for step in (now - 1, now, now + 1):
        if last_step is not None and step <= last_step:
            continue
        if hmac.compare_digest(code_for(secret, step), code):
            return step
    return None


def provisioning_uri(secret: str, account: str, issuer: str) -> str:
    return pyotp.TOTP(secret).provisioning_uri(name=account, issuer_name=issuer)


def qr_data_uri(uri: str) -> str:
    """An SVG QR code as a data: URI (the CSP allows data: images only)."""
    return segno.make(uri, error="m").svg_data_uri(scale=5, border=4)
