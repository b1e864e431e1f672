"""Values kept for a few seconds in each process.

The queue's whole-table counts (``intake.staff.cases.casework``) cost more to
compute than to keep; they are kept in a named store on the app, so tests with
separate apps do not share them. Other processes compute their own: a change
shows there within the store's seconds. (Public pages are kept differently,
checked on every request: ``intake.public.page_cache``.)
"""

import time
from collections.abc import Callable, Hashable
from typing import TypeVar

from flask import Flask, current_app

T = TypeVar("T")


def _store(name: str, app: Flask | None = None) -> dict[Hashable, tuple[float, object]]:
    return (app or current_app).extensions.setdefault(f"intake.memo.{name}", {})


def remembered(
    name: str, key: Hashable, compute: Callable[[], T], seconds: float, max_entries: int = 0
) -> T:
    """``compute()``'s value for ``key`` in store ``name``, computed at most once
    per ``seconds``. A store that reaches ``max_entries`` (when given) is emptied
    first: a bound on memory when the keys are a visitor's to choose."""
    store = _store(name)
    now = time.monotonic()
    hit = store.get(key)
    if hit is not None and hit[0] > now:
        return hit[1]
    value = compute()
    if max_entries and len(store) >= max_entries:
        store.clear()
    store[key] = (now + seconds, value)
    return value


def forget(name: str, key: Hashable | None = None, app: Flask | None = None) -> None:
    """Drop ``key`` from store ``name`` (every key when None), after a change in
    this process that must show at once."""
    store = _store(name, app)
    if key is None:
        store.clear()
    else:
        store.pop(key, None)
