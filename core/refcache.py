"""Process-local memo of reference data read on every API call (the network registry,
the manifestation catalog, service accounts and their tokens).

These rows change a few times a day but are read by every protocol opening; a database
round trip for each would cost more than the rest of the request. Values live in this
process's memory; any change anywhere bumps a *generation* kept in the shared cache
(Redis in production) and every process drops its memo when it sees a new generation.
A process looks at the generation at most once per `GPU_REFCACHE_CHECK_SECONDS`
(default 1 s; 0 = on every read, as in tests), so a change made in the admin or by a
service is seen by every web process and worker within that time, and at once in the
process that made it. Entries also expire after `GPU_REFCACHE_TTL_SECONDS` (60 s).

Use `memo(key, read)` to read through it and `bump()` (wired to the models' signals
in each app) whenever a source row changes.
"""

import secrets
import threading
import time
from collections.abc import Callable
from typing import TypeVar

from django.conf import settings
from django.core.cache import cache
from django.db import transaction

T = TypeVar("T")
_GENERATION_KEY = "gpu:refcache:geracao"
_MISSING = object()
# Some keys come from what strangers type (a municipality code, a manifestation type):
# past this many entries the memo starts over instead of growing.
MAX_ENTRIES = 5000

_lock = threading.Lock()
_values: dict[str, tuple[float, object]] = {}
_state = {"generation": None, "checked": 0.0}


def _check_seconds() -> float:
    return getattr(settings, "GPU_REFCACHE_CHECK_SECONDS", 1.0)


def _shared_generation() -> str:
    current = cache.get(_GENERATION_KEY)
    if current is None:
        cache.add(_GENERATION_KEY, secrets.token_hex(8), timeout=None)
        current = cache.get(_GENERATION_KEY)
    return current


def _sync(now: float) -> None:
    """Drop the memo when another process (or a cache flush) changed the generation."""
    if now - _state["checked"] < _check_seconds() and _state["generation"] is not None:
        return
    try:
        current = _shared_generation()
    except Exception:  # noqa: BLE001 — cache down: fall back to the short TTL alone
        current = _state["generation"]
    with _lock:
        if current != _state["generation"]:
            _values.clear()
            _state["generation"] = current
        _state["checked"] = now


def memo(key: str, read: Callable[[], T], *, remember_none: bool = True) -> T:
    """The memoised value of `key`, reading it with `read()` when absent or stale.
    A None answer is memoised too unless `remember_none=False` (keys chosen by
    strangers, such as bearer tokens, must not grow the memo)."""
    now = time.monotonic()
    _sync(now)
    found = _values.get(key, _MISSING)
    if found is not _MISSING and found[0] > now:
        return found[1]
    value = read()
    if value is not None or remember_none:
        if len(_values) >= MAX_ENTRIES:
            _values.clear()
        _values[key] = (now + getattr(settings, "GPU_REFCACHE_TTL_SECONDS", 60), value)
    return value


def clear() -> None:
    """Forget everything in this process (tests start from here)."""
    with _lock:
        _values.clear()
        _state["generation"] = None
        _state["checked"] = 0.0


def bump(**_signal_kwargs) -> None:
    """A source row changed: every process drops its memo (this one at once), and again
    after the transaction commits so nothing read in between survives. (A transaction
    that writes reference rows, reads them and then rolls back leaves what it read in
    this process's memo until the TTL.)"""
    _publish()
    if transaction.get_connection().in_atomic_block:
        transaction.on_commit(_publish)


def _publish() -> None:
    generation = secrets.token_hex(8)
    try:
        cache.set(_GENERATION_KEY, generation, timeout=None)
    except Exception:  # noqa: BLE001 — cache down: other processes rely on the TTL
        generation = None
    with _lock:
        _values.clear()
        _state["generation"] = generation
        _state["checked"] = time.monotonic()
