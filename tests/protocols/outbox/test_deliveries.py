"""Outbox: delivery rows with the event, signed sends, backoff, dead, redeliver, sweep."""

import json
from datetime import timedelta

import pytest
from django.utils import timezone

from core.errors import InvalidTransition, NotFound
from core.models import IntegrationLog
from protocols.models import Delivery, DeliveryStatus
from protocols.outbox.services import (
    deliveries_sweep,
    delivery_attempt,
    delivery_redeliver,
    retry_delay,
)
from protocols.outbox.signing import (
    SignatureError,
    encode_body,
    sign,
    signed_headers,
    verify_signature,
)
from protocols.services import protocol_open
from protocols.services.lifecycle import protocol_answer, protocol_note
from tests.factories import staff_user
from tests.gpu_api.conftest import SECRET, SECRET_ORIGIN
from unimeds.actors import actor_for_service_account, actor_for_user
from unimeds.services import service_account_create


def _service(unimed):
    account, _ = service_account_create(unimed=unimed, name=f"sistema {unimed.code}")
    return actor_for_service_account(account)


def _open(origin, **overrides):
    data = {
        "channel": "UNIMED",
        "kind": "beneficiario",
        "requester": {
            "name": "Maria da Silva",
            "cpf": "52998224725",
            "phone_ddd": "48",
            "phone": "991234567",
            "email": "maria@example.com.br",
        },
        "card": "01370004812345670",
        "manifestation_type": "S",
        "category": 4,
        "answer_preference": 3,
        "message": "Autorização de ressonância.",
        "serving_unimed_code": origin.code,
    }
    data.update(overrides)
    return protocol_open(actor=_service(origin), **data)


def test_signature_round_trip_and_rejections():
    body = encode_body({"a": "ç"})
    headers = signed_headers(secret="s3", body=body, delivery_id="d1", timestamp=1_700_000_000)
    assert headers["X-GPU-Signature"] == sign(secret="s3", timestamp=1_700_000_000, body=body)
    verify_signature(
        secret="s3",
        body=body,
        timestamp="1700000000",
        signature=headers["X-GPU-Signature"],
        now=1_700_000_100,
    )
    with pytest.raises(SignatureError):
        verify_signature(
            secret="outro",
            body=body,
            timestamp="1700000000",
            signature=headers["X-GPU-Signature"],
            now=1_700_000_100,
        )
    with pytest.raises(SignatureError):
        verify_signature(
            secret="s3",
            body=body + b" ",
            timestamp="1700000000",
            signature=headers["X-GPU-Signature"],
            now=1_700_000_100,
        )
    with pytest.raises(SignatureError, match="janela"):
        verify_signature(
            secret="s3",
            body=body,
            timestamp="1700000000",
            signature=headers["X-GPU-Signature"],
            now=1_700_001_000,
        )
    with pytest.raises(SignatureError):
        verify_signature(secret="s3", body=body, timestamp=None, signature=None)


def test_event_for_integrated_responsible_creates_one_delivery(network, receivers):
    receivers(network["0137"])
    protocol = _open(network["0025"])
    delivery = Delivery.objects.get()
    assert (delivery.unimed, delivery.protocol, delivery.operation) == (
        network["0137"],
        protocol,
        "solicitarProtocolo",
    )
    assert delivery.status == DeliveryStatus.PENDING
    body = delivery.payload["solicitar_protocolo"]
    assert body["nr_protocolo"] == protocol.number
    assert (body["cd_unimed"], body["id_benef"]) == ("0137", "0004812345670")
    assert delivery.payload["cabecalho_transacao"]["cd_uni_origem"] == "0025"
    assert delivery.payload["cabecalho_transacao"]["cd_uni_destino"] == "0137"


def test_no_delivery_for_contingency_unimed_nor_internal_note(network, receivers):
    protocol = _open(network["0025"])
    assert not Delivery.objects.exists()  # 0137 is not integrated
    receivers(network["0025"], SECRET_ORIGIN)
    staff = actor_for_user(staff_user(network["0137"]))
    protocol_note(actor=staff, protocol=protocol, message="Verificar guia no sistema.")
    assert not Delivery.objects.exists()  # internal
    protocol_answer(actor=staff, protocol=protocol, message="Autorizada.")
    delivery = Delivery.objects.get()
    assert (delivery.unimed, delivery.operation) == (network["0025"], "responderAtendimento")
    assert delivery.payload["resposta_atendimento"]["conclusiva"] is True
    assert delivery.payload["resposta_atendimento"]["id_sistema"] == 2


def test_attempt_sends_signed_message_and_logs_it(network, receivers):
    receiver = receivers(network["0137"])
    _open(network["0025"])
    delivery = Delivery.objects.get()
    assert delivery_attempt(delivery_id=delivery.pk) is None
    delivery.refresh_from_db()
    assert delivery.status == DeliveryStatus.DELIVERED and delivery.attempts == 1
    assert delivery.last_http_status == 200 and delivery.delivered_at
    [got] = receiver.received
    assert got["operation"] == "solicitarProtocolo"
    assert got["delivery"] == str(delivery.uuid)
    assert got["message"] == json.loads(encode_body(delivery.payload))
    log = IntegrationLog.objects.get(direction="saida")
    assert (log.operation, log.http_status, log.unimed) == (
        "solicitarProtocolo",
        200,
        network["0137"],
    )
    assert log.request_body["solicitar_protocolo"]["cd_cpf"] == "***.982.247-**"
    # Already delivered: a duplicate task sends nothing.
    assert delivery_attempt(delivery_id=delivery.pk) is None
    assert len(receiver.attempts) == 1


def test_failures_back_off_then_die_and_redeliver_works(network, receivers, settings):
    settings.GPU_DELIVERY_MAX_ATTEMPTS = 3
    settings.GPU_DELIVERY_RETRY_BASE_SECONDS = 30
    receiver = receivers(network["0137"], statuses=[500, 503, 500])
    _open(network["0025"])
    delivery = Delivery.objects.get()
    assert delivery_attempt(delivery_id=delivery.pk) == 30
    delivery.refresh_from_db()
    assert delivery.status == DeliveryStatus.PENDING and delivery.last_http_status == 500
    assert delivery.next_attempt_at > timezone.now() + timedelta(seconds=25)
    assert delivery_attempt(delivery_id=delivery.pk) is None  # not due yet: nothing sent
    assert len(receiver.attempts) == 1
    Delivery.objects.filter(pk=delivery.pk).update(next_attempt_at=timezone.now())
    assert delivery_attempt(delivery_id=delivery.pk) == 60
    Delivery.objects.filter(pk=delivery.pk).update(next_attempt_at=timezone.now())
    assert delivery_attempt(delivery_id=delivery.pk) is None
    delivery.refresh_from_db()
    assert delivery.status == DeliveryStatus.DEAD and delivery.attempts == 3
    assert delivery.last_error == "HTTP 500"
    assert set(receiver.attempts) == {str(delivery.uuid)}
    assert IntegrationLog.objects.filter(direction="saida", http_status__gte=500).count() == 3

    outsider = actor_for_user(staff_user(network["0666"], "supervisor"))
    with pytest.raises(NotFound):
        delivery_redeliver(actor=outsider, delivery_id=delivery.pk)
    supervisor = actor_for_user(staff_user(network["0025"], "supervisor"))
    delivery = delivery_redeliver(actor=supervisor, delivery_id=delivery.pk)
    assert (delivery.status, delivery.attempts, delivery.redeliveries) == (
        DeliveryStatus.PENDING,
        0,
        1,
    )
    with pytest.raises(InvalidTransition):
        delivery_redeliver(actor=supervisor, delivery_id=delivery.pk)
    assert delivery_attempt(delivery_id=delivery.pk) is None
    delivery.refresh_from_db()
    assert delivery.status == DeliveryStatus.DELIVERED
    assert receiver.received[0]["delivery"] == str(delivery.uuid)


def test_unreachable_endpoint_is_a_retryable_failure(network, receivers, settings, free_port):
    receivers(network["0137"])
    network["0137"].endpoint_url = f"http://127.0.0.1:{free_port}/gpu"
    network["0137"].save()
    _open(network["0025"])
    delivery = Delivery.objects.get()
    assert delivery_attempt(delivery_id=delivery.pk) == settings.GPU_DELIVERY_RETRY_BASE_SECONDS
    delivery.refresh_from_db()
    assert delivery.status == DeliveryStatus.PENDING and delivery.last_http_status is None
    assert "ConnectionRefusedError" in delivery.last_error


def test_claim_is_compare_and_set(network, receivers):
    receiver = receivers(network["0137"])
    _open(network["0025"])
    delivery = Delivery.objects.get()
    Delivery.objects.filter(pk=delivery.pk).update(
        status=DeliveryStatus.SENDING, claimed_at=timezone.now()
    )
    assert delivery_attempt(delivery_id=delivery.pk) is None  # another worker holds it
    assert receiver.attempts == []
    # That worker died: after the stale timeout the sweep gives the row back and publishes it.
    Delivery.objects.filter(pk=delivery.pk).update(claimed_at=timezone.now() - timedelta(minutes=5))
    assert deliveries_sweep() == 1  # eager in tests: sent at once
    delivery.refresh_from_db()
    assert delivery.status == DeliveryStatus.DELIVERED
    assert len(receiver.received) == 1


def test_retry_delay_doubles(settings):
    settings.GPU_DELIVERY_RETRY_BASE_SECONDS = 30
    assert [retry_delay(n) for n in (1, 2, 3, 4)] == [30, 60, 120, 240]


def test_misconfigured_destination_dies_at_once(network, receivers):
    receivers(network["0137"])
    _open(network["0025"])
    network["0137"].is_integrated = False
    network["0137"].save()
    delivery = Delivery.objects.get()
    assert delivery_attempt(delivery_id=delivery.pk) is None
    delivery.refresh_from_db()
    assert delivery.status == DeliveryStatus.DEAD
    assert "não está integrada" in delivery.last_error


def test_signature_header_matches_secret(network, receivers):
    receiver = receivers(network["0137"], SECRET)
    _open(network["0025"])
    delivery_attempt(delivery_id=Delivery.objects.get().pk)
    assert receiver.rejected == [] and len(receiver.received) == 1


def test_an_endpoint_that_now_resolves_inside_is_refused_at_connect_time(
    network, receivers, settings
):
    """Issue #16: the address was only checked when the endpoint was saved; a name may
    point inside later (DNS rebinding). The delivery checks the address it reached."""
    receiver = receivers(network["0137"])
    _open(network["0025"])
    delivery = Delivery.objects.get()
    settings.GPU_ENDPOINT_ALLOWED_HOSTS = []  # 127.0.0.1 is no longer an allowed destination
    assert delivery_attempt(delivery_id=delivery.pk) is None
    delivery.refresh_from_db()
    assert delivery.status == DeliveryStatus.DEAD and "endereço interno" in delivery.last_error
    assert receiver.attempts == []  # not even the request line went out
