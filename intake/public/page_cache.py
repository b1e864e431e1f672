"""Rendered public pages, kept for a few seconds in each process.

The release page and the empty form are the same for every visitor of one
address (path, query, host) and are rendered at a rate that can be the whole
load of a campaign: rendering them once per ``PUBLIC_PAGE_CACHE_SECONDS`` keeps
the cost of a visit near Flask's own. A page is cached only when it holds
nothing of the visitor's: never in a partner's frame, never with answers; the
form's single-use token is put in after the cached page is read
(``TOKEN_SLOT``). Edits in this process clear the cache at once; other workers
and hosts show them within the configured seconds.
"""

from collections.abc import Callable

from flask import Flask, current_app, g, request

from intake import locales, memo

MAX_PAGES = 512  # a bound on memory: query strings are the visitor's to choose
TOKEN_SLOT = "FORM-TOKEN-SLOT-8c1e0f"  # noqa: S105 - a placeholder, not a secret
STORE = "public_pages"


def cached(render: Callable[[], str], *extra) -> str:
    """The page at this address, rendered by ``render`` at most once per the
    configured seconds (every time when it is 0, or in a partner's frame)."""
    seconds = current_app.config["PUBLIC_PAGE_CACHE_SECONDS"]
    if not seconds or g.get("partner") is not None:
        return render()
    # The language too: at the front door (/help) it comes from Accept-Language,
    # not from the address.
    key = (request.host_url, request.full_path, locales.current().code, *extra)
    return memo.remembered(STORE, key, render, seconds, max_entries=MAX_PAGES)


def clear(app: Flask | None = None) -> None:
    """Forget every cached page (after a release is saved, published or withdrawn)."""
    memo.forget(STORE, app=app)
