"""Cross-site request protection for public forms that set no cookie.

The public form must work inside a partner's iframe, where browsers block
third-party cookies, so it cannot use the session-based CSRF token. Instead:

* a signed, expiring token in a hidden field (``issue_token`` / ``read_token``),
  carrying a random nonce that also makes the submission idempotent: the request
  it creates is stored under that nonce, so a retry finds it instead of
  creating a second one;
* a Fetch-Metadata / Origin check on every POST (``cross_site_refusal``): a page
  on another site cannot make the visitor's browser post to us.
"""

import secrets
from enum import StrEnum
from functools import lru_cache

from flask import current_app, request
from itsdangerous import BadSignature, SignatureExpired, URLSafeTimedSerializer

SALT = "help-form"
# Sec-Fetch-Site values a legitimate post carries: our own page, or the user
# themselves (typed URL, bookmark). Absent on older browsers: Origin decides then.
ALLOWED_FETCH_SITES = frozenset({"same-origin", "none"})


class TokenError(Exception):
    """The form token is missing, forged or unreadable: nothing may be stored."""


class TokenExpired(TokenError):
    """The token is genuine but older than FORM_TOKEN_MAX_AGE. ``nonce`` is still
    known (the signature is valid), so an earlier submission can be found."""

    def __init__(self, nonce: str):
        super().__init__("form token expired")
        self.nonce = nonce


def _serializer(secret_key: str | None = None) -> URLSafeTimedSerializer:
    return _serializer_for(secret_key or current_app.config["SECRET_KEY"])


@lru_cache(maxsize=8)
def _serializer_for(secret_key: str) -> URLSafeTimedSerializer:
    # Made once per key: building one derives its signing key again.
    return URLSafeTimedSerializer(secret_key, salt=SALT)


def issue_token(secret_key: str | None = None) -> str:
    """A new token for a fresh form, carrying a new random nonce (signed with
    ``secret_key``, by default the app's)."""
    return _serializer(secret_key).dumps(secrets.token_urlsafe(24))


def read_token(token: str | None, max_age: int | None = None) -> str:
    """The nonce inside a genuine, unexpired token.

    Raises TokenExpired (with the nonce) when it is too old, TokenError otherwise.
    """
    if not token or len(token) > 200:
        raise TokenError("form token missing")
    if max_age is None:
        max_age = current_app.config["FORM_TOKEN_MAX_AGE"]
    serializer = _serializer()
    try:
        nonce = serializer.loads(token, max_age=max_age)
    except SignatureExpired as exc:
        nonce = serializer.load_payload(exc.payload) if exc.payload is not None else None
        if not isinstance(nonce, str):
            raise TokenError("form token unreadable") from exc
        raise TokenExpired(nonce) from exc
    except BadSignature as exc:
        raise TokenError("form token forged or damaged") from exc
    if not isinstance(nonce, str) or not nonce:
        raise TokenError("form token unreadable")
    return nonce


class Refusal(StrEnum):
    """Why a POST was refused as cross-site."""

    CROSS_SITE = "cross-site"  # another site's page posted to us
    OPAQUE_ORIGIN = "opaque-origin"  # Origin: null (sandboxed frame, privacy setting)


def own_origin() -> str:
    """Our origin as browsers send it, e.g. "https://help.example.org"."""
    return request.host_url.rstrip("/")


def cross_site_refusal() -> Refusal | None:
    """None when this POST may come from our own page; otherwise why not.

    ``Sec-Fetch-Site`` must be same-origin or none when present; ``Origin``, when
    present, must be our own. ``Origin: null`` gets its own answer so the page can
    offer to open the form in a new tab, where the origin is visible again.
    """
    origin = request.headers.get("Origin")
    if origin == "null":
        return Refusal.OPAQUE_ORIGIN
    site = request.headers.get("Sec-Fetch-Site")
    if site is not None and site not in ALLOWED_FETCH_SITES:
        return Refusal.CROSS_SITE
    if origin is not None and origin != own_origin():
        return Refusal.CROSS_SITE
    return None
