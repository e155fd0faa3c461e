"""Prometheus metrics (docs/operations.md lists them with suggested alerts).

Two kinds:
- counters and histograms of this process (prometheus_client): HTTP requests
  (django-prometheus middleware), delivery attempts by outcome and latency, task
  failures, enqueue failures. The web exposes its own on /metrics; a worker exposes
  its own on GPU_WORKER_METRICS_PORT when set (deliveries and tasks run there);
- gauges read from the database at scrape time (the same for every process): outbox
  backlog, age of the oldest pending delivery, deliveries and e-mails by status, age
  of the oldest pending e-mail, heartbeat ages of workers and beat.
"""

import hmac
import os

from django.conf import settings
from django.http import HttpResponse, JsonResponse
from django.utils import timezone
from prometheus_client import REGISTRY, CollectorRegistry, Counter, Histogram, generate_latest
from prometheus_client.core import GaugeMetricFamily

DELIVERY_ATTEMPTS = Counter(
    "gpu_delivery_attempts_total", "Tentativas de entrega por resultado", ["resultado"]
)
DELIVERY_LATENCY = Histogram(
    "gpu_delivery_latency_seconds",
    "Da criação da entrega até o destino confirmar",
    buckets=(1, 5, 15, 30, 60, 120, 300, 900, 1800, 3600, 4 * 3600, 24 * 3600),
)
TASK_FAILURES = Counter(
    "gpu_task_failures_total", "Tarefas Celery que terminaram com erro", ["tarefa"]
)
ENQUEUE_FAILURES = Counter(
    "gpu_enqueue_failures_total", "Publicações na fila recusadas (ficam para a varredura)"
)


def delivery_finished(outcome: str, latency_seconds: float | None) -> None:
    DELIVERY_ATTEMPTS.labels(outcome).inc()
    if latency_seconds is not None:
        DELIVERY_LATENCY.observe(max(0.0, latency_seconds))


def _age(moment, now) -> float:
    return 0.0 if moment is None else max(0.0, (now - moment).total_seconds())


# Callables now → metric families, registered by the apps that own the tables (so core
# imports none of them): protocols adds the delivery gauges in its AppConfig.
EXTRA_COLLECTORS: list = []


def register_collector(collect) -> None:
    if collect not in EXTRA_COLLECTORS:
        EXTRA_COLLECTORS.append(collect)


def age_seconds(moment, now) -> float:
    return _age(moment, now)


class DatabaseCollector:
    """Gauges computed from the outbox tables and heartbeats on each scrape."""

    def collect(self):
        from django.db.models import Count, Min

        from core.models import EmailStatus, Heartbeat, OutboundEmail

        now = timezone.now()
        for collect in EXTRA_COLLECTORS:  # the apps' own gauges (protocols: the deliveries)
            yield from collect(now)
        emails_by_status = dict(
            OutboundEmail.objects.values_list("status").annotate(n=Count("pk")).order_by()
        )
        emails = GaugeMetricFamily(
            "gpu_emails", "E-mails da fila de saída por situação", labels=["situacao"]
        )
        for status in EmailStatus.values:
            emails.add_metric([status], emails_by_status.get(status, 0))
        yield emails
        yield GaugeMetricFamily(
            "gpu_emails_pending",
            "E-mails esperando envio",
            value=emails_by_status.get(EmailStatus.PENDING, 0)
            + emails_by_status.get(EmailStatus.SENDING, 0),
        )
        oldest_email = OutboundEmail.objects.filter(
            status__in=[EmailStatus.PENDING, EmailStatus.SENDING]
        ).aggregate(first=Min("created_at"))["first"]
        yield GaugeMetricFamily(
            "gpu_emails_oldest_pending_seconds",
            "Idade do e-mail pendente mais antigo",
            value=_age(oldest_email, now),
        )
        beats = GaugeMetricFamily(
            "gpu_heartbeat_age_seconds",
            "Segundos desde o último sinal de vida",
            labels=["tipo", "processo"],
        )
        for kind, name, seen in Heartbeat.objects.values_list("kind", "name", "seen_at"):
            beats.add_metric([kind, name], _age(seen, now))
        yield beats


_database_registry = CollectorRegistry(auto_describe=False)
_database_registry.register(DatabaseCollector())


def _process_registry():
    """This process's metrics, or every gunicorn process's when PROMETHEUS_MULTIPROC_DIR
    is set (each process writes its counters there)."""
    if not os.environ.get("PROMETHEUS_MULTIPROC_DIR"):
        return REGISTRY
    from prometheus_client import multiprocess

    registry = CollectorRegistry()
    multiprocess.MultiProcessCollector(registry)
    return registry


def _allowed(request) -> bool:
    token = settings.GPU_METRICS_TOKEN
    given = request.headers.get("Authorization", "")
    if (
        token
        and given.startswith("Bearer ")
        and hmac.compare_digest(given[7:].encode(), token.encode())
    ):
        return True
    user = getattr(request, "user", None)
    return bool(user is not None and user.is_authenticated and user.is_superuser)


def metrics_view(request):
    """Prometheus text format; needs `Authorization: Bearer <GPU_METRICS_TOKEN>` or a
    signed-in hub admin."""
    if not _allowed(request):
        from core.api import error_body

        return JsonResponse(
            error_body(
                "acesso_negado", "Métricas: envie Authorization: Bearer <token>.", status=403
            ),
            status=403,
        )
    body = generate_latest(_process_registry()) + generate_latest(_database_registry)
    return HttpResponse(body, content_type="text/plain; version=0.0.4; charset=utf-8")
