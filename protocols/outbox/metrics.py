"""Prometheus gauges of the delivery outbox, computed on each scrape (registered with
core.metrics by the protocols AppConfig)."""

from django.db.models import Count, Min
from prometheus_client.core import GaugeMetricFamily

from core.metrics import age_seconds
from protocols.models import Delivery, DeliveryStatus

WAITING = (DeliveryStatus.PENDING, DeliveryStatus.SENDING)


def delivery_gauges(now):
    by_status = dict(Delivery.objects.values_list("status").annotate(n=Count("pk")).order_by())
    deliveries = GaugeMetricFamily("gpu_deliveries", "Entregas por situação", labels=["situacao"])
    for status in DeliveryStatus.values:
        deliveries.add_metric([status], by_status.get(status, 0))
    yield deliveries
    yield GaugeMetricFamily(
        "gpu_outbox_backlog",
        "Entregas na fila ou enviando",
        value=sum(by_status.get(s, 0) for s in WAITING),
    )
    oldest = Delivery.objects.filter(status__in=WAITING).aggregate(first=Min("created_at"))["first"]
    yield GaugeMetricFamily(
        "gpu_outbox_oldest_pending_seconds",
        "Idade da entrega pendente mais antiga",
        value=age_seconds(oldest, now),
    )
