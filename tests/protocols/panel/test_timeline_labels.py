"""The protocol page tells people what happened in pt-BR (core.labels): who acted, the
plan asked for, and why a delivery to an integrated Unimed failed. The technical error
stays for operators, on the integrations pages."""

import re

from django.utils import timezone

from portal.services import portal_plan_request
from protocols.models import Delivery, DeliveryStatus
from protocols.outbox.services import delivery_attempt
from unimeds.actors import portal_actor

SAO_PAULO = "3550308"


def visible_text(html: str) -> str:
    html = re.sub(r"<(script|style)\b.*?</\1>", " ", html, flags=re.S)
    return re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", html))


def _failing_plan_request(network, receivers, free_port):
    """A "Quero um plano" for São Paulo (0137), whose system is down: nothing listens."""
    receivers(network["0137"])
    network["0137"].endpoint_url = f"http://127.0.0.1:{free_port}/gpu"
    network["0137"].save()
    protocol, _lead = portal_plan_request(
        actor=portal_actor(),
        document="529.982.247-25",
        name="Carlos Nunes",
        email="carlos@example.com.br",
        phone="11987654321",
        municipality_code=SAO_PAULO,
        lives=3,
        plan_type="individual",
    )
    delivery = Delivery.objects.get(protocol=protocol)
    delivery_attempt(delivery_id=delivery.pk)
    delivery.refresh_from_db()
    assert "ConnectionRefusedError" in delivery.last_error  # kept for operators
    return protocol, delivery


def test_protocol_page_says_why_the_delivery_failed_in_words(
    client_for, network, receivers, free_port
):
    protocol, delivery = _failing_plan_request(network, receivers, free_port)
    client, _user = client_for("0137", "supervisor")
    page = client.get(f"/painel/protocolos/{protocol.number}/")
    assert page.status_code == 200
    text = visible_text(page.content.decode())
    retry = timezone.localtime(delivery.next_attempt_at)
    assert (
        "Falha na entrega: a Unimed de destino não respondeu (conexão recusada); "
        f"nova tentativa às {retry:%H:%M}"
    ) in text
    assert "Tipo de plano desejado: Individual/familiar" in text
    assert "· Portal" in text  # who opened it
    for raw in (
        "ConnectionRefusedError",
        "ConnectionError",
        "Errno",
        "Connection refused",
        "desejado: individual",
        "· portal",
        "system",
    ):
        assert raw not in text, raw


def test_operators_see_the_technical_detail_under_the_sentence(
    client_for, network, receivers, free_port, settings
):
    settings.GPU_DELIVERY_MAX_ATTEMPTS = 1
    protocol, delivery = _failing_plan_request(network, receivers, free_port)
    assert delivery.status == DeliveryStatus.DEAD
    client, _user = client_for("0137", "gestor")
    for url in ("/painel/integracoes/", "/painel/protocolos/?aba=entregas"):
        text = visible_text(client.get(url).content.decode())
        assert "A Unimed de destino não respondeu (conexão recusada)" in text, url
        assert "Detalhe técnico: ConnectionRefusedError" in text, url
    page = visible_text(client.get(f"/painel/protocolos/{protocol.number}/").content.decode())
    assert "as tentativas acabaram (1 tentativa)" in page and "ConnectionRefusedError" not in page
