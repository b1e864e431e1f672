"""How many wrong status lookups a reference may take, and from whom.

A stranger who knows someone's reference must not be able to lock that person
out of their own status page, and nobody may guess a code online. So only wrong
pairs are counted, in three budgets:

- per reference AND client (``STATUS_REFERENCE_CLIENT_RATE_LIMIT``): stepped
  windows ("5 per 10 minutes; 10 per hour; 20 per day") make a backoff, and they
  stop only that client;
- per client (``STATUS_RATE_LIMIT``), across references;
- per reference, from every client together (``STATUS_REFERENCE_RATE_LIMIT``, a
  larger daily budget): caps the guesses at one code. Spent, it still lets a
  client try that has made no wrong attempt at this reference in the last day,
  so the applicant who types their pair right is let in whatever strangers did;
  an attacker gains one guess per fresh address (40 random bits stay out of reach).

Counters are the rate limiter's storage (Redis when configured: shared by
every worker); the client's address is a counter key only, never stored.
"""

from flask import current_app
from limits import RateLimitItem, parse_many

from intake.limits import client_key, limiter


def _limits(setting: str) -> list[RateLimitItem]:
    return parse_many(current_app.config[setting])


def _budgets(reference: str) -> tuple[list, list]:
    """(the budgets this client must have left, the per-reference budget)."""
    client = client_key()
    own = [
        (item, ("status-pair", reference, client))
        for item in _limits("STATUS_REFERENCE_CLIENT_RATE_LIMIT")
    ]
    own += [(item, ("status-client", client)) for item in _limits("STATUS_RATE_LIMIT")]
    shared = [
        (item, ("status-reference", reference)) for item in _limits("STATUS_REFERENCE_RATE_LIMIT")
    ]
    return own, shared


def may_try(reference: str) -> bool:
    """Whether this client may check a pair for ``reference`` now."""
    if not limiter.enabled:
        return True
    strategy = limiter.limiter
    own, shared = _budgets(reference)
    if not all(strategy.test(item, *keys) for item, keys in own):
        return False
    if all(strategy.test(item, *keys) for item, keys in shared):
        return True
    return _clean(reference)


def _clean(reference: str) -> bool:
    """No wrong attempt at this reference from this client in any pair window."""
    strategy, client = limiter.limiter, client_key()
    return all(
        strategy.get_window_stats(item, "status-pair", reference, client).remaining == item.amount
        for item in _limits("STATUS_REFERENCE_CLIENT_RATE_LIMIT")
    )


def count_wrong(reference: str) -> None:
    """Spend one wrong attempt from every budget."""
    if not limiter.enabled:
        return
    own, shared = _budgets(reference)
    for item, keys in own + shared:
        limiter.limiter.hit(item, *keys)
