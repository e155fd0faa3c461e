"""/healthz is liveness + database (200 with no worker at all); /healthz/pronto and the
supervisor's banner name what stalled: no worker heartbeat, beat not running, an old
outbox backlog. No ping is broadcast to the workers."""

from datetime import timedelta

import pytest
from django.utils import timezone

from core.heartbeat import heartbeat_record
from protocols.models import Delivery, DeliveryStatus
from tests.factories import staff_user
from tests.gpu_api.conftest import network  # noqa: F401
from tests.protocols.outbox.test_deliveries import _open
from unimeds.context_processors import reset_banner

pytestmark = [pytest.mark.faults]


def test_liveness_without_workers_and_readiness_names_what_stalled(
    client,
    network,
    on_private_redis,  # noqa: F811
):
    network["0137"].is_integrated = True
    network["0137"].endpoint_url, network["0137"].signing_secret = (
        "http://127.0.0.1:9/gpu",
        "s" * 20,
    )
    network["0137"].save()
    _open(network["0025"])
    Delivery.objects.update(created_at=timezone.now() - timedelta(minutes=20))
    reset_banner()

    live = client.get("/healthz")
    assert live.status_code == 200 and live.json() == {
        "status": "ok",
        "banco": live.json()["banco"],
    }
    ready = client.get("/healthz/pronto")
    assert ready.status_code == 503
    body = ready.json()
    assert body["cache"]["ok"] and body["banco"]["ok"]
    assert body["workers"]["ok"] is False and body["workers"]["ativos"] == []
    assert body["beat"]["ok"] is False and body["beat"]["ultima_execucao_ha_s"] is None
    assert body["fila"]["ok"] is False and body["fila"]["entregas_pendentes"] == 1
    assert body["fila"]["entrega_mais_antiga_s"] >= 20 * 60

    supervisor = staff_user(network["0025"], "supervisor")
    client.force_login(supervisor)
    page = client.get("/painel/protocolos/").content.decode()
    assert 'id="aviso-operacao"' in page
    assert "Nenhum worker" in page and "beat não rodou" in page and "Fila de saída parada" in page
    attendant = staff_user(network["0025"], "atendente")
    client.force_login(attendant)
    assert 'id="aviso-operacao"' not in client.get("/painel/protocolos/").content.decode()

    heartbeat_record(kind="worker", name="w1@faults")
    heartbeat_record(kind="beat", name="beat")
    Delivery.objects.update(status=DeliveryStatus.DELIVERED)
    reset_banner()
    ready = client.get("/healthz/pronto")
    assert ready.status_code == 200 and ready.json()["workers"]["ativos"] == ["w1@faults"]
    client.force_login(supervisor)
    assert 'id="aviso-operacao"' not in client.get("/painel/protocolos/").content.decode()
