"""How a delivery attempt reads the receiver's answer: a deadline for the whole call,
Retry-After on 429/503, permanent answers dead at once, redirects never followed."""

from datetime import timedelta

import pytest
from django.utils import timezone

from protocols.models import Delivery, DeliveryStatus
from protocols.outbox.services import deliveries_sweep, delivery_attempt
from protocols.outbox.transport import retry_after_seconds
from tests.faults.servers import ScriptedReceiver
from tests.gpu_api.conftest import SECRET
from tests.protocols.outbox.test_deliveries import _open


@pytest.fixture
def scripted(network):
    started = []

    def integrate(**kwargs):
        receiver = ScriptedReceiver(**kwargs).start()
        started.append(receiver)
        unimed = network["0137"]
        unimed.is_integrated, unimed.endpoint_url, unimed.signing_secret = (
            True,
            receiver.url,
            SECRET,
        )
        unimed.save()
        return receiver

    yield integrate
    for receiver in started:
        receiver.stop()


def _one_attempt(network):
    _open(network["0025"])
    delivery = Delivery.objects.get()
    delay = delivery_attempt(delivery_id=delivery.pk)
    delivery.refresh_from_db()
    return delivery, delay


@pytest.mark.parametrize("status", [410, 301, 308, 400, 422])
def test_permanent_answers_are_dead_at_once(network, scripted, status):
    receiver = scripted(status=status, headers={"Location": "http://outro.example/gpu"})
    delivery, delay = _one_attempt(network)
    assert delay is None
    assert (delivery.status, delivery.attempts, delivery.last_http_status) == (
        DeliveryStatus.DEAD,
        1,
        status,
    )
    assert len(receiver.attempts) == 1  # not followed, not retried
    if status in (301, 308):
        assert "não seguido" in delivery.last_error and "outro.example" in delivery.last_error
    if status == 410:
        assert "não existe mais" in delivery.last_error


def test_a_temporary_redirect_is_not_followed_and_retried(network, scripted, settings):
    receiver = scripted(status=302, headers={"Location": "http://outro.example/gpu"})
    delivery, delay = _one_attempt(network)
    assert delay == settings.GPU_DELIVERY_RETRY_BASE_SECONDS
    assert delivery.status == DeliveryStatus.PENDING and "não seguido" in delivery.last_error
    assert len(receiver.attempts) == 1


@pytest.mark.parametrize("status", [429, 503])
def test_retry_after_is_honoured(network, scripted, settings, status):
    settings.GPU_DELIVERY_RETRY_BASE_SECONDS = 30
    scripted(status=status, headers={"Retry-After": "120"})
    before = timezone.now()
    delivery, delay = _one_attempt(network)
    assert delay == 120
    assert delivery.status == DeliveryStatus.PENDING
    assert delivery.next_attempt_at >= before + timedelta(seconds=120)
    assert deliveries_sweep() == 0  # not due: the sweep leaves it alone


def test_retry_after_never_shortens_the_backoff(network, scripted, settings):
    settings.GPU_DELIVERY_RETRY_BASE_SECONDS = 30
    scripted(status=429, headers={"Retry-After": "1"})
    _delivery, delay = _one_attempt(network)
    assert delay == 30


def test_retry_after_as_http_date():
    assert retry_after_seconds("Fri, 04 Dec 2026 12:02:00 GMT", now=1796385600.0) == 120.0
    assert retry_after_seconds("amanhã") is None and retry_after_seconds(None) is None


def test_a_trickling_answer_ends_at_the_deadline_and_releases_the_claim(
    network, scripted, settings
):
    settings.GPU_DELIVERY_TIMEOUT_SECONDS = 1
    receiver = scripted(trickle_seconds=6, trickle_every=0.1)
    delivery, delay = _one_attempt(network)
    assert delay == settings.GPU_DELIVERY_RETRY_BASE_SECONDS
    assert delivery.status == DeliveryStatus.PENDING and delivery.claimed_at is None
    assert "Prazo de 1 s esgotado" in delivery.last_error
    assert receiver.attempts == [str(delivery.uuid)] and receiver.finished == []


def test_a_hanging_receiver_ends_at_the_deadline(network, scripted, settings):
    settings.GPU_DELIVERY_TIMEOUT_SECONDS = 1
    scripted(hang_seconds=5)
    delivery, _delay = _one_attempt(network)
    assert delivery.status == DeliveryStatus.PENDING and "esgotado" in delivery.last_error
