"""/metrics: Prometheus text with request metrics and the outbox gauges; protected."""

from datetime import timedelta

from django.utils import timezone

from core.models import OutboundEmail
from tests.factories import UserFactory


def test_metrics_need_the_token_or_a_hub_admin(client, db, settings):
    settings.GPU_METRICS_TOKEN = "segredo-das-metricas"
    assert client.get("/metrics").status_code == 403
    assert client.get("/metrics", HTTP_AUTHORIZATION="Bearer errado").status_code == 403
    assert (
        client.get("/metrics", HTTP_AUTHORIZATION="Bearer segredo-das-metricas").status_code == 200
    )
    client.force_login(UserFactory(is_superuser=True, is_staff=True))
    assert client.get("/metrics").status_code == 200


def test_metrics_show_requests_backlog_and_emails(client, db, settings):
    settings.GPU_METRICS_TOKEN = "t"
    OutboundEmail.objects.create(
        subject="x",
        recipients=["a@example.com"],
        message={},
        created_at=timezone.now() - timedelta(minutes=3),
    )
    client.get("/healthz")
    text = client.get("/metrics", HTTP_AUTHORIZATION="Bearer t").content.decode()
    for name in (
        "django_http_responses_total_by_status_total",
        "gpu_outbox_backlog 0.0",
        'gpu_deliveries{situacao="dead"} 0.0',
        "gpu_emails_pending 1.0",
        "gpu_outbox_oldest_pending_seconds",
        "gpu_delivery_latency_seconds_bucket",
        "gpu_enqueue_failures_total",
    ):
        assert name in text, name
    age = next(
        line for line in text.splitlines() if line.startswith("gpu_emails_oldest_pending_seconds ")
    )
    assert float(age.split()[1]) >= 180
