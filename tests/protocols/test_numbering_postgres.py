"""Numbering under real concurrency on PostgreSQL: each thread has its own connection."""

import importlib
import threading

import pytest
from django.apps import apps as django_apps
from django.db import connection

from core.errors import Conflict
from protocols.models import Category, Protocol, ProtocolEvent, ProtocolSequence
from protocols.services import protocol_open
from tests.protocols.conftest import beneficiary_data
from unimeds.models import Municipality

pytestmark = [pytest.mark.postgres, pytest.mark.django_db(transaction=True)]

CITIES = [("3550308", "São Paulo", "SP"), ("3518800", "Guarulhos", "SP"),
          ("4205407", "Florianópolis", "SC"), ("4106902", "Curitiba", "PR")]


@pytest.fixture(autouse=True)
def reference_data(transactional_db):
    """A transactional test starts after another one flushed the tables that migrations
    fill; put back just what these tests use (serialized_rollback costs ~30 s a test)."""
    if not Category.objects.exists():
        importlib.import_module("protocols.migrations.0002_seed_catalog").seed(django_apps, None)
    for code, name, uf in CITIES:
        Municipality.objects.get_or_create(code=code, defaults={"name": name, "uf": uf})


def _in_threads(count: int, work) -> tuple[list, list]:
    """Run work(i) in `count` threads released together; returns (results, errors)."""
    barrier = threading.Barrier(count)
    results, errors, lock = [], [], threading.Lock()

    def run(i: int) -> None:
        try:
            barrier.wait(timeout=30)
            outcome = work(i)
            with lock:
                results.append(outcome)
        except Exception as exc:  # noqa: BLE001 - collected and asserted by the test
            with lock:
                errors.append(exc)
        finally:
            connection.close()  # this thread's own connection

    threads = [threading.Thread(target=run, args=(i,)) for i in range(count)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=120)
    return results, errors


def _sequences(numbers) -> list[int]:
    return sorted(int(n[-6:]) for n in numbers)


def test_fifty_parallel_openings_get_distinct_contiguous_numbers(network, service_actor):
    actor = service_actor("0025")
    start = network["0137"].hub_sequence_start

    def work(i):
        protocol = protocol_open(actor=actor, **beneficiary_data(channel="UNIMED", sender_transaction_id=f"P{i:04d}"))
        return protocol.number

    numbers, errors = _in_threads(50, work)

    assert errors == []
    assert len(set(numbers)) == 50
    assert _sequences(numbers) == list(range(start, start + 50))
    assert len({n[:14] for n in numbers}) == 1  # one registry, one local day
    assert Protocol.objects.count() == ProtocolEvent.objects.count() == 50
    assert ProtocolSequence.objects.get().last_value == start + 49


def test_failures_after_allocation_leave_no_hole_under_concurrency(network, service_actor):
    actor = service_actor("0025")
    protocol_open(actor=actor, **beneficiary_data(channel="UNIMED", sender_transaction_id="DUP"))

    def work(i):
        # every third request repeats a transaction id: it takes a number, then fails on insert
        tx = "DUP" if i % 3 == 0 else f"Q{i:04d}"
        return protocol_open(actor=actor, **beneficiary_data(channel="UNIMED", sender_transaction_id=tx)).number

    numbers, errors = _in_threads(30, work)

    assert len(errors) == 10 and all(isinstance(e, Conflict) for e in errors)
    all_numbers = list(Protocol.objects.values_list("number", flat=True))
    start = network["0137"].hub_sequence_start
    assert _sequences(all_numbers) == list(range(start, start + 21))
    assert ProtocolSequence.objects.get().last_value == start + 20


def test_a_rolled_back_opening_returns_its_number(network, open_protocol):
    from protocols.timeline import on_event, remove_event_hook

    first = open_protocol()

    def explode(event):
        raise RuntimeError("falha depois da numeração")

    on_event(explode)
    try:
        with pytest.raises(RuntimeError):
            open_protocol()
    finally:
        remove_event_hook(explode)
    second = open_protocol()
    assert int(second.number[-6:]) == int(first.number[-6:]) + 1
    assert Protocol.objects.count() == 2
