"""Protocol numbers: format, local date, hub range, non-client prefix, external numbers."""

from datetime import UTC, datetime

import pytest
import time_machine
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from core.errors import Conflict, InvalidInput
from protocols.models import Protocol, ProtocolSequence
from protocols.numbering import parse_number
from protocols.services import protocol_open
from tests.protocols.conftest import beneficiary_data, non_client_data

pytestmark = pytest.mark.django_db


def test_late_evening_in_sao_paulo_keeps_the_local_date(open_protocol):
    # 23:30 in São Paulo is already 02:30 on the 24th in UTC.
    with time_machine.travel(datetime(2026, 11, 24, 2, 30, tzinfo=UTC), tick=False):
        protocol = open_protocol()
    assert protocol.number[6:14] == "20261123"
    assert protocol.opened_on.isoformat() == "2026-11-23"


def test_sequence_starts_at_the_hub_range_and_grows_by_one(network, open_protocol):
    network["0137"].hub_sequence_start = 700001
    network["0137"].save()
    with time_machine.travel(datetime(2026, 5, 4, 15, 0, tzinfo=UTC), tick=False):
        numbers = [open_protocol().number for _ in range(3)]
    assert numbers == ["32283120260504700001", "32283120260504700002", "32283120260504700003"]


def test_a_start_raised_during_the_day_applies_to_the_next_number(network, open_protocol):
    """The Unimed's own system reached the hub's range: the next hub number jumps above
    the new start the same day (it used to go on from the day's counter)."""
    with time_machine.travel(datetime(2026, 5, 4, 15, 0, tzinfo=UTC), tick=False):
        first = open_protocol().number
        network["0137"].hub_sequence_start = 800000
        network["0137"].save()
        second = open_protocol().number
    assert first == "32283120260504500000" and second == "32283120260504800000"


def test_each_registry_and_day_has_its_own_sequence(network, open_protocol):
    with time_machine.travel(datetime(2026, 5, 4, 15, 0, tzinfo=UTC), tick=False):
        a = open_protocol()
        b = open_protocol(card="0025" + "0" * 12 + "7")
    with time_machine.travel(datetime(2026, 5, 5, 15, 0, tzinfo=UTC), tick=False):
        c = open_protocol()
    assert a.number == "32283120260504500000"
    assert b.number == "30214720260504500000"
    assert c.number == "32283120260505500000"


def test_failure_after_allocation_leaves_no_hole(network, service_actor):
    actor = service_actor("0025")
    data = beneficiary_data(channel="UNIMED", sender_transaction_id="T1")
    first = protocol_open(actor=actor, **data)
    with pytest.raises(Conflict):
        protocol_open(actor=actor, **data)  # fails on insert, after its number was taken
    second = protocol_open(
        actor=actor, **beneficiary_data(channel="UNIMED", sender_transaction_id="T2")
    )
    assert int(second.number[-6:]) == int(first.number[-6:]) + 1
    assert ProtocolSequence.objects.get().last_value == int(second.number[-6:])


def test_non_client_prefix_defaults_to_the_responsible_registry(network, portal):
    protocol = protocol_open(actor=portal, **non_client_data())
    assert protocol.number[:6] == network["0025"].ans_registry


def test_non_client_prefix_setting_uses_a_fixed_hub_prefix(network, portal, settings):
    settings.GPU_NON_CLIENT_PREFIX = "990001"
    first = protocol_open(actor=portal, **non_client_data())
    second = protocol_open(
        actor=portal,
        **non_client_data(requester={"name": "Ana", "email": "a@b.com.br", "city_code": "3550308"}),
    )
    assert first.number[:6] == second.number[:6] == "990001"
    assert (first.number[-6:], second.number[-6:]) == ("000001", "000002")
    assert second.responsible_unimed == network["0137"]


@settings(
    max_examples=25, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(
    moment=st.datetimes(
        min_value=datetime(2025, 1, 1), max_value=datetime(2030, 12, 31), timezones=st.just(UTC)
    ),
    start=st.integers(min_value=1, max_value=999_000),
)
def test_number_format_property(network, open_protocol, moment, start):
    unimed = network["0137"]
    unimed.hub_sequence_start = start
    unimed.save()
    with time_machine.travel(moment, tick=False):
        protocol = open_protocol()
    prefix, day, seq = parse_number(protocol.number)
    assert len(protocol.number) == 20 and protocol.number.isdigit()
    assert prefix == "322831"
    assert day == protocol.opened_on
    assert seq >= start


# --- Numbers given by an integrated Unimed's own system -------------------------
def _external(actor, number, **extra):
    return protocol_open(
        actor=actor, **beneficiary_data(channel="UNIMED", external_number=number, **extra)
    )


@time_machine.travel(datetime(2026, 5, 4, 15, 0, tzinfo=UTC), tick=False)
def test_external_number_is_registered_as_given(network, service_actor):
    actor = service_actor("0025")
    protocol = _external(actor, "30214720260503000123")
    assert protocol.number == "30214720260503000123" and protocol.externally_numbered
    assert protocol.opened_on.isoformat() == "2026-05-03"
    assert protocol.origin_unimed == network["0025"]


@time_machine.travel(datetime(2026, 5, 4, 15, 0, tzinfo=UTC), tick=False)
@pytest.mark.parametrize(
    ("number", "message"),
    [
        ("3021472026050300012", "20 dígitos"),
        ("30214720261399000123", "data inválida"),
        ("32283120260503000123", "registro ANS 322831"),
        ("30214720260505000123", "futuro"),
        ("30214720260503600000", "faixa reservada ao hub"),
    ],
)
def test_bad_external_numbers_are_refused(network, service_actor, number, message):
    with pytest.raises(InvalidInput) as caught:
        _external(service_actor("0025"), number)
    assert message in " ".join(caught.value.fields["external_number"])
    assert not Protocol.objects.exists()


@time_machine.travel(datetime(2026, 5, 4, 15, 0, tzinfo=UTC), tick=False)
def test_duplicate_external_number_is_a_conflict(network, service_actor):
    actor = service_actor("0025")
    _external(actor, "30214720260503000123")
    with pytest.raises(Conflict) as caught:
        _external(actor, "30214720260503000123")
    assert caught.value.code == "protocolo_duplicado"
    assert "já está registrado" in caught.value.message


def test_only_an_integrated_system_may_bring_its_own_number(open_protocol):
    with pytest.raises(InvalidInput) as caught:
        open_protocol(external_number="32283120260503000123")
    assert "external_number" in caught.value.fields


@time_machine.travel(datetime(2026, 5, 4, 15, 0, tzinfo=UTC), tick=False)
def test_hub_skips_a_number_already_registered_by_the_unimed(network, service_actor, open_protocol):
    _external(service_actor("0025"), "30214720260504000123")
    network["0025"].hub_sequence_start = 123  # lowered after the Unimed used 000123 itself
    network["0025"].save()
    protocol = open_protocol(card="0025" + "0" * 12 + "7")
    assert protocol.number == "30214720260504000124"
