"""Template context of every panel page: the acting Unimed, and the banner that tells
supervisors when background work has stalled."""

import threading
import time

from django.utils.functional import SimpleLazyObject

from unimeds.models import Module

# Checked at most this often per process: the banner is about minutes-old backlogs.
BANNER_CHECK_SECONDS = 30
_memo = {"at": -BANNER_CHECK_SECONDS, "warnings": []}
_lock = threading.Lock()


def _warnings() -> list[str]:
    from core.health import operations_warnings

    now = time.monotonic()
    with _lock:
        if now - _memo["at"] < BANNER_CHECK_SECONDS:
            return _memo["warnings"]
    found = operations_warnings()
    with _lock:
        _memo.update(at=now, warnings=found)
    return found


def reset_banner() -> None:
    with _lock:
        _memo.update(at=-BANNER_CHECK_SECONDS, warnings=[])


def operations_banner(request):
    """Supervisors, gestores and hub admins see when background work has stalled
    (no worker, beat not running, an old outbox backlog): base.html's banner."""
    actor = getattr(request, "actor", None)
    if actor is None or not actor.may(Module.INTEGRACOES):
        return {}
    return {"operations_warnings": SimpleLazyObject(_warnings)}


def acting_unimed(request):
    actor = getattr(request, "actor", None)
    return {"actor": actor, "acting_unimed": getattr(actor, "unimed", None)}
