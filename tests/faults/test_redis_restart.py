"""Redis restarted while a worker runs: the same worker reconnects on its own and
every protocol opened before, during and after the outage is delivered exactly once."""

import pytest

from protocols.models import Delivery, DeliveryStatus
from protocols.outbox.receiver import Receiver
from tests.faults.conftest import wait_for_worker
from tests.faults.services import wait_until
from tests.gpu_api.conftest import SECRET, network  # noqa: F401
from tests.protocols.outbox.test_deliveries import _open

pytestmark = [pytest.mark.faults, pytest.mark.postgres]


@pytest.fixture
def receiver(network):  # noqa: F811
    got = Receiver(SECRET).start()
    unimed = network["0137"]
    unimed.is_integrated, unimed.endpoint_url, unimed.signing_secret = True, got.url, SECRET
    unimed.save()
    yield got
    got.stop()


def _delivered(count: int) -> bool:
    return Delivery.objects.filter(status=DeliveryStatus.DELIVERED).count() == count


def test_redis_restart_same_worker_reconnects_and_delivers_each_once(
    network,  # noqa: F811
    receiver,
    processes,  # noqa: F811
    on_private_redis,
):
    worker = processes.worker()
    processes.beat()
    wait_for_worker()

    for _ in range(3):
        _open(network["0025"])
    wait_until(lambda: _delivered(3), timeout=30, what="as 3 entregas de antes")

    on_private_redis.stop()
    for _ in range(3):  # committed; the publish fails and the rows wait for the sweep
        _open(network["0025"])
    assert Delivery.objects.filter(status=DeliveryStatus.PENDING).count() == 3
    on_private_redis.start()
    for _ in range(3):
        _open(network["0025"])

    wait_until(lambda: _delivered(9), timeout=60, what="as 9 entregas")
    assert worker.poll() is None  # the same worker process, never restarted
    uuids = sorted(str(u) for u in Delivery.objects.values_list("uuid", flat=True))
    assert sorted(receiver.attempts) == uuids  # each X-GPU-Delivery exactly once
    assert len(receiver.received) == 9 and not any(r["duplicate"] for r in receiver.received)
