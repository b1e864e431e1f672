"""Rate limits (Flask-Limiter). Counters live in Redis when
``RATELIMIT_STORAGE_URI`` names it, so every worker and host shares them;
in memory otherwise (one process only)."""

from flask import Flask, request
from flask_limiter import Limiter


def client_key() -> str:
    """The client's address, used only as a counter key: never stored or logged.
    Behind a proxy, ProxyFix (configured) puts the real client here."""
    return request.remote_addr or "unknown"


limiter = Limiter(key_func=client_key, default_limits=[], headers_enabled=False)


def init_app(app: Flask) -> None:
    limiter.init_app(app)
