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
    # Every limit here is a decorator on its view, which checks it when the view
    # runs. The extension's before-request check is for default, application and
    # blueprint limits, which we do not use: unhooked, it stops costing a
    # quarter of a millisecond on every response. The form's, login's and embed
    # limits are each held to their count in tests (screening, staff_auth, embed,
    # security: shared through Redis), so a change here that lost one would fail.
    manager = limiter.limit_manager
    only_decorated = not (
        manager._default_limits or manager._application_limits or manager._blueprint_limits
    )
    hooks = app.before_request_funcs.get(None, [])
    if only_decorated and limiter._check_request_limit in hooks:
        hooks.remove(limiter._check_request_limit)
