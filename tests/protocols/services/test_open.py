"""protocol_open: validation, responsible Unimed, numbering, first event."""

import pytest

from core.errors import Conflict, InvalidInput
from protocols.models import EventKind, Protocol, ProtocolEvent, Status
from protocols.services import protocol_open
from tests.protocols.conftest import beneficiary_data, non_client_data

pytestmark = pytest.mark.django_db


def test_beneficiary_goes_to_the_card_unimed_with_digits_only(network, portal):
    protocol = protocol_open(actor=portal, **beneficiary_data())

    assert protocol.responsible_unimed == network["0137"]
    assert protocol.status == Status.ABERTO
    assert protocol.number.startswith("322831")
    assert (protocol.requester_cpf, protocol.card) == ("52998224725", "01370000000000006")
    assert (protocol.phone_ddd, protocol.phone) == ("11", "987654321")
    assert protocol.origin_unimed is None
    event = protocol.events.get()
    assert event.kind == EventKind.ABERTO and event.seq == 1 and event.public
    assert "Carteirinha da Unimed 0137" in event.payload["responsible_reason"]
    assert event.payload["due_date"] == protocol.due_date.isoformat()


def test_non_client_goes_to_the_unimed_of_the_municipality(network, portal):
    protocol = protocol_open(actor=portal, **non_client_data())

    assert protocol.responsible_unimed == network["0025"]
    assert protocol.kind == "nao_cliente" and protocol.card == ""
    assert "Florianópolis" in protocol.responsible_reason
    assert protocol.uf == "SC"


def test_all_field_errors_are_reported_together_and_nothing_is_created(network, portal):
    bad = beneficiary_data(
        requester={
            "name": "",
            "cpf": "123.456.789-10",
            "phone_ddd": "1",
            "phone": "123",
            "email": "x@",
        },
        card="123",
        manifestation_type="Z",
        category=99,
        answer_preference=7,
        message="x" * 4001,
        channel="FAX",
    )
    with pytest.raises(InvalidInput) as caught:
        protocol_open(actor=portal, **bad)

    fields = caught.value.fields
    for key in (
        "channel",
        "requester.name",
        "requester.cpf",
        "requester.phone_ddd",
        "requester.phone",
        "requester.email",
        "card",
        "manifestation_type",
        "category",
        "answer_preference",
        "message",
    ):
        assert key in fields, key
    assert "dígito verificador" in fields["requester.cpf"][0]
    assert not Protocol.objects.exists() and not ProtocolEvent.objects.exists()


@pytest.mark.parametrize("cpf", ["111.111.111-11", "123.456.789-10", "5299822472"])
def test_invalid_cpf_refused(open_protocol, cpf):
    with pytest.raises(InvalidInput) as caught:
        open_protocol(requester={"name": "Ana", "cpf": cpf, "email": "a@example.com"})
    assert "requester.cpf" in caught.value.fields


def test_valid_cpf_vector_accepted(open_protocol):
    protocol = open_protocol(
        requester={"name": "Ana", "cpf": "390.533.447-05", "email": "a@example.com"}
    )
    assert protocol.requester_cpf == "39053344705"


@pytest.mark.parametrize(
    "card", ["0137000000000006", "013700000000000066", "0000 0000000000006", "0137-ABC"]
)
def test_invalid_card_refused(open_protocol, card):
    with pytest.raises(InvalidInput) as caught:
        open_protocol(card=card)
    assert "card" in caught.value.fields


def test_unknown_card_unimed_refused_with_nothing_created(open_protocol):
    with pytest.raises(InvalidInput) as caught:
        open_protocol(card="9876" + "0" * 12 + "1")
    assert "9876" in caught.value.fields["card"][0]
    assert not Protocol.objects.exists()


def test_uncovered_city_refused(network, portal):
    with pytest.raises(InvalidInput) as caught:  # Manaus: no demo Unimed covers it
        protocol_open(
            actor=portal,
            **non_client_data(
                requester={"name": "Ana", "email": "a@b.com.br", "city_code": "1302603"}
            ),
        )
    assert "Manaus" in caught.value.fields["municipality_code"][0]
    assert not Protocol.objects.exists()


def test_category_must_belong_to_the_type(open_protocol):
    with pytest.raises(InvalidInput) as caught:
        open_protocol(manifestation_type="E", category=5)  # elogio / urgência
    assert "não se aplica" in caught.value.fields["category"][0]


def test_answer_by_phone_needs_a_phone(open_protocol):
    with pytest.raises(InvalidInput) as caught:
        open_protocol(answer_preference=2, requester={"name": "Ana", "email": "a@example.com"})
    assert "requester.phone" in caught.value.fields


def test_unknown_requester_keys_are_refused(open_protocol):
    with pytest.raises(InvalidInput) as caught:
        open_protocol(requester={"name": "Ana", "email": "a@example.com", "telefone": "1"})
    assert "telefone" in caught.value.fields["requester"][0]


def test_portal_cannot_claim_the_unimed_channel(open_protocol):
    with pytest.raises(InvalidInput) as caught:
        open_protocol(channel="UNIMED")
    assert "channel" in caught.value.fields


def test_staff_opening_is_origin_and_serving_is_recorded(network, staff_actor):
    actor = staff_actor("0666")
    protocol = protocol_open(
        actor=actor,
        **beneficiary_data(
            channel="CONTINGENCIA",
            serving_unimed_code="0666",
            sender_transaction_id="",
            previous_number="3228312026010100001"[:19] + "1",
        ),
    )
    assert protocol.origin_unimed == network["0666"]
    assert protocol.serving_unimed == network["0666"]
    assert protocol.responsible_unimed == network["0137"]
    assert set(protocol.parties.values_list("unimed__code", flat=True)) == {"0137", "0666"}
    assert protocol.events.get().channel == "CONTINGENCIA"


def test_repeated_sender_transaction_is_a_conflict(network, service_actor):
    actor = service_actor("0025")
    data = beneficiary_data(channel="UNIMED", sender_transaction_id="0000000042")
    protocol_open(actor=actor, **data)
    with pytest.raises(Conflict) as caught:
        protocol_open(actor=actor, **data)
    assert caught.value.code == "transacao_repetida"
    assert Protocol.objects.count() == 1


def test_control_characters_do_not_reach_the_database(open_protocol):
    protocol = open_protocol(
        message="Olá\x00 mundo", requester={"name": "Ana\x00 Maria", "email": "a@example.com"}
    )
    assert protocol.message == "Olá mundo" and protocol.requester_name == "Ana Maria"
