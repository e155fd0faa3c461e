"""Signs of life of the background processes, kept in the database (core.Heartbeat).

Each Celery worker writes its row every GPU_HEARTBEAT_SECONDS from a small thread;
beat writes its row when it publishes a periodic task (at least every
GPU_HEARTBEAT_SECONDS: `core.beat_heartbeat` is scheduled that often). The readiness
page reads the rows: no ping broadcast to every worker on every probe.
"""

import logging
import os
import threading
import time

from celery import signals
from django.conf import settings
from django.db import connection
from django.utils import timezone

logger = logging.getLogger(__name__)

_in_beat = False
_last_beat_write = 0.0


def heartbeat_record(*, kind: str, name: str) -> None:
    """Write the row; a database outage is logged and the next beat tries again."""
    from core.models import Heartbeat

    try:
        Heartbeat.objects.update_or_create(
            kind=kind, name=name[:200], defaults={"seen_at": timezone.now()}
        )
    except Exception:  # noqa: BLE001 - database down: the connection is dropped and rebuilt next time
        logger.warning("Sinal de vida %s %s não gravado", kind, name, exc_info=True)
        connection.close()


@signals.worker_ready.connect
def _start_worker_heartbeat(sender=None, **_kwargs):
    name = getattr(sender, "hostname", None) or "worker"

    def beat_forever():
        while True:
            heartbeat_record(kind="worker", name=name)
            time.sleep(settings.GPU_HEARTBEAT_SECONDS)

    threading.Thread(target=beat_forever, name="gpu-heartbeat", daemon=True).start()
    if settings.GPU_WORKER_METRICS_PORT:
        _serve_worker_metrics()


def _serve_worker_metrics() -> None:
    """The worker's own counters on GPU_WORKER_METRICS_PORT. A prefork worker counts in
    its child processes: with PROMETHEUS_MULTIPROC_DIR set (an empty folder, before the
    worker starts) the parent serves what every child wrote there."""
    from prometheus_client import CollectorRegistry, multiprocess, start_http_server

    registry = None
    if os.environ.get("PROMETHEUS_MULTIPROC_DIR"):
        registry = CollectorRegistry()
        multiprocess.MultiProcessCollector(registry)
    options = {"registry": registry} if registry is not None else {}
    start_http_server(
        settings.GPU_WORKER_METRICS_PORT, addr=settings.GPU_WORKER_METRICS_ADDR, **options
    )


@signals.task_failure.connect
def _count_task_failure(sender=None, **_kwargs):
    from core.metrics import TASK_FAILURES

    TASK_FAILURES.labels(getattr(sender, "name", "?")).inc()


@signals.beat_init.connect
def _mark_beat(**_kwargs):
    global _in_beat
    _in_beat = True


@signals.before_task_publish.connect
def _beat_published(**_kwargs):
    global _last_beat_write
    if not _in_beat or time.monotonic() - _last_beat_write < settings.GPU_HEARTBEAT_SECONDS / 2:
        return
    _last_beat_write = time.monotonic()
    heartbeat_record(kind="beat", name="beat")
