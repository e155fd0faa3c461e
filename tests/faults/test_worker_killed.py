"""A worker SIGKILLed in the middle of a delivery to a slow receiver: a new worker
completes it (the sweep takes the dead worker's claim back after
GPU_DELIVERY_STALE_SECONDS); the receiver sees that X-GPU-Delivery at most twice and
never two copies at the same time."""

import pytest

from protocols.models import Delivery, DeliveryStatus
from tests.faults.conftest import wait_for_worker
from tests.faults.servers import ScriptedReceiver
from tests.faults.services import wait_until
from tests.gpu_api.conftest import SECRET, network  # noqa: F401
from tests.protocols.outbox.test_deliveries import _open

pytestmark = [pytest.mark.faults, pytest.mark.postgres]


@pytest.fixture
def slow_receiver(network):  # noqa: F811
    got = ScriptedReceiver(hang_seconds=1.0).start()
    unimed = network["0137"]
    unimed.is_integrated, unimed.endpoint_url, unimed.signing_secret = True, got.url, SECRET
    unimed.save()
    yield got
    got.stop()


def test_worker_killed_mid_delivery_new_worker_completes_it(network, slow_receiver, processes):  # noqa: F811
    first = processes.worker("w1")
    processes.beat()
    wait_for_worker("w1")
    _open(network["0025"])
    delivery = Delivery.objects.get()
    wait_until(
        lambda: slow_receiver.attempts, timeout=30, what="o primeiro envio chegar ao destino"
    )
    processes.kill(first)  # SIGKILL while the receiver still holds the request
    assert Delivery.objects.get().status == DeliveryStatus.SENDING

    processes.worker("w2")
    wait_until(
        lambda: Delivery.objects.filter(status=DeliveryStatus.DELIVERED).exists(),
        timeout=60,
        what="a entrega ser concluída pelo novo worker",
    )
    uuid = str(delivery.uuid)
    assert set(slow_receiver.attempts) == {uuid}
    assert 1 <= slow_receiver.attempts.count(uuid) <= 2
    assert slow_receiver.max_in_flight[uuid] == 1
