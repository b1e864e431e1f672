"""Web origins (``scheme://host[:port]``) as they go into a ``frame-ancestors``
header: parsed strictly and normalised, shared by the partner registry (staff)
and the framed pages' notice to press officers (public)."""

import re
from urllib.parse import urlsplit

DEVELOPMENT_HOSTS = frozenset({"localhost", "127.0.0.1"})
_LABEL = r"[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?"
_HOST = re.compile(rf"^(?=.{{1,253}}$){_LABEL}(?:\.{_LABEL})*$")
# Anything that is never part of an origin and could change a CSP header's meaning.
_FORBIDDEN = re.compile(r"[\s*;,'\"\\<>@?#%]")


class InvalidOrigin(ValueError):
    """Not an origin we can put in ``frame-ancestors``; the message says why."""


def normalise_origin(text: str) -> str:
    """``HTTPS://Press.Example.org:443/`` → ``https://press.example.org``."""
    value = text.strip()
    if value.endswith("/"):
        value = value[:-1]
    if not value or len(value) > 300:
        raise InvalidOrigin(f"{text!r} is not a web address.")
    scheme, sep, rest = value.partition("://")
    if not sep or _FORBIDDEN.search(rest) or "/" in rest:
        raise InvalidOrigin(
            f"{text!r}: give only the origin, like https://press.example.org "
            "(no path, no wildcard, no spaces)."
        )
    parts = urlsplit(value)
    try:
        port = parts.port
        host = (parts.hostname or "").encode("idna").decode("ascii")
    except (ValueError, UnicodeError):
        raise InvalidOrigin(f"{text!r} has an invalid host or port.") from None
    if not _HOST.match(host):
        raise InvalidOrigin(f"{text!r} has an invalid host name.")
    scheme = scheme.lower()
    if scheme == "http" and host not in DEVELOPMENT_HOSTS:
        raise InvalidOrigin(
            f"{text!r} must use https (plain http only for localhost, in development)."
        )
    if scheme not in ("http", "https"):
        raise InvalidOrigin(f"{text!r} must start with https://.")
    default_port = 443 if scheme == "https" else 80
    netloc = host if port in (None, default_port) else f"{host}:{port}"
    return f"{scheme}://{netloc}"
