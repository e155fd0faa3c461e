"""A receiver that trickles its answer (the issue's "3 minutes", scaled down: a 2 s
deadline against a 10 s trickle): each attempt ends at the deadline, the delivery is
retried later by the worker and the sweep, and the receiver never holds two copies of
it at the same time."""

import pytest

from protocols.models import Delivery, DeliveryStatus
from tests.faults.conftest import wait_for_worker
from tests.faults.servers import ScriptedReceiver
from tests.faults.services import wait_until
from tests.gpu_api.conftest import SECRET, network  # noqa: F401
from tests.protocols.outbox.test_deliveries import _open

pytestmark = [pytest.mark.faults, pytest.mark.postgres]


def test_trickling_receiver_attempts_end_at_the_deadline_never_two_in_flight(network, processes):  # noqa: F811
    receiver = ScriptedReceiver(trickle_seconds=10, trickle_every=0.1).start()
    unimed = network["0137"]
    unimed.is_integrated, unimed.endpoint_url, unimed.signing_secret = True, receiver.url, SECRET
    unimed.save()
    try:
        processes.worker()
        processes.beat()
        wait_for_worker()
        _open(network["0025"])
        delivery = Delivery.objects.get()
        wait_until(lambda: Delivery.objects.get().attempts >= 2, timeout=60, what="duas tentativas")
        wait_until(
            lambda: Delivery.objects.get().status == DeliveryStatus.PENDING,
            timeout=10,
            what="a tentativa em curso terminar no prazo",
        )
    finally:
        receiver.stop()
    delivery.refresh_from_db()
    uuid = str(delivery.uuid)
    assert "Prazo de 2 s esgotado" in delivery.last_error and delivery.claimed_at is None
    assert set(receiver.attempts) == {uuid} and len(receiver.attempts) == delivery.attempts
    assert receiver.max_in_flight[uuid] == 1  # never two copies at once
    assert receiver.finished == []  # no attempt waited for the whole trickle
