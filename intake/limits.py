"""Rate limits (Flask-Limiter). Counters live in Redis when
``RATELIMIT_STORAGE_URI`` names it, so every worker and host shares them;
in memory otherwise (one process only)."""

from dataclasses import dataclass

from flask import Flask, current_app, request
from flask_limiter import Limiter
from limits import RateLimitItem, parse_many


def client_key() -> str:
    """The client's address, used only as a counter key: never stored or logged.
    Behind a proxy, ProxyFix (configured) puts the real client here."""
    return request.remote_addr or "unknown"


limiter = Limiter(key_func=client_key, default_limits=[], headers_enabled=False)


def _limits(setting: str) -> list[RateLimitItem]:
    return parse_many(current_app.config[setting])


@dataclass(frozen=True)
class Budget:
    """Wrong guesses at one secret (a status code, a password), counted so that a
    stranger cannot spend the owner's tries. Only wrong guesses count, in three
    budgets named by settings:

    - ``per_pair``: per subject AND client, stepped windows ("3 per minute;
      10 per hour") making a backoff that stops only that client;
    - ``per_client``: per client across subjects (None: none here);
    - ``per_subject``: from every client together, larger, capping the guesses
      at one secret. Spent, it still lets a client try that has made no wrong
      guess at this subject within the pair windows: the owner, typing it
      right, gets in whatever strangers did, and an attacker gains one guess
      per fresh address.

    The client's address is a counter key only, never stored."""

    name: str
    per_pair: str
    per_client: str | None
    per_subject: str

    def _own(self, subject: str) -> list:
        client = client_key()
        own = [(i, (self.name, "pair", subject, client)) for i in _limits(self.per_pair)]
        if self.per_client:
            own += [(i, (self.name, "client", client)) for i in _limits(self.per_client)]
        return own

    def _shared(self, subject: str) -> list:
        return [(i, (self.name, "subject", subject)) for i in _limits(self.per_subject)]

    def may_try(self, subject: str) -> bool:
        """Whether this client may check a guess at ``subject`` now."""
        if not limiter.enabled:
            return True
        strategy = limiter.limiter
        if not all(strategy.test(item, *keys) for item, keys in self._own(subject)):
            return False
        if all(strategy.test(item, *keys) for item, keys in self._shared(subject)):
            return True
        client = client_key()
        return all(
            strategy.get_window_stats(item, self.name, "pair", subject, client).remaining
            == item.amount
            for item in _limits(self.per_pair)
        )

    def count_wrong(self, subject: str) -> None:
        """Spend one wrong guess from every budget."""
        if limiter.enabled:
            for item, keys in self._own(subject) + self._shared(subject):
                limiter.limiter.hit(item, *keys)


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
