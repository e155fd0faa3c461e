"""Numbering under real concurrency on PostgreSQL: each thread has its own connection."""

import pytest

from core.errors import Conflict
from protocols.models import Protocol, ProtocolEvent, ProtocolSequence
from protocols.services import protocol_open
from tests.concurrency import in_threads
from tests.protocols.conftest import beneficiary_data

pytestmark = [pytest.mark.postgres, pytest.mark.django_db(transaction=True)]


def _sequences(numbers) -> list[int]:
    return sorted(int(n[-6:]) for n in numbers)


def test_fifty_parallel_openings_get_distinct_contiguous_numbers(network, service_actor):
    actor = service_actor("0025")
    start = network["0137"].hub_sequence_start

    def work(i):
        protocol = protocol_open(
            actor=actor, **beneficiary_data(channel="UNIMED", sender_transaction_id=f"P{i:04d}")
        )
        return protocol.number

    numbers, errors = in_threads(50, work)

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
        return protocol_open(
            actor=actor, **beneficiary_data(channel="UNIMED", sender_transaction_id=tx)
        ).number

    numbers, errors = in_threads(30, work)

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
