"""The one way to start background work after a commit.

A task is a hint, never the record: each side effect has its row (delivery, outbound
e-mail, report job, bulk job, notification) that a periodic sweep re-enqueues. So a
broker that is down at commit time costs a delay, never a 500 for the person who
already got their answer, nor a lost side effect.
"""

import logging

from django.db import transaction

logger = logging.getLogger(__name__)


def enqueue_now(task, *args, **options) -> bool:
    """Publish `task(*args)` (in embedded mode: run it). Never raises; False when the
    broker refused it or the eager run failed — the row stays for its sweep."""
    try:
        task.apply_async(args, retry=False, **options)
    except Exception:  # noqa: BLE001 - broker (or eager task) errors vary; the sweep retries
        from core.metrics import ENQUEUE_FAILURES

        ENQUEUE_FAILURES.inc()
        logger.warning(
            "Fila indisponível: %s%s fica para a varredura", task.name, args, exc_info=True
        )
        return False
    return True


def enqueue_on_commit(task, *args, **options) -> None:
    """After the current transaction commits, publish `task(*args)` (see enqueue_now)."""
    transaction.on_commit(lambda: enqueue_now(task, *args, **options))
