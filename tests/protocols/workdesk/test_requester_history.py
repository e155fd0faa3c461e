"""The requester's other protocols on the protocol page: only those the actor's Unimed is
a party to, and a related protocol opened from there with the previous number."""

import pytest
from django.urls import reverse

from protocols.selectors import protocols_of_requester

pytestmark = pytest.mark.django_db


def test_another_unimeds_protocols_of_the_same_cpf_are_never_listed(
    open_protocol, staff_actor, elsewhere_protocol, client_for
):
    first = open_protocol()
    second = open_protocol(message="Outro pedido.")
    elsewhere = elsewhere_protocol  # the same CPF; 0137 is no party to it
    mine = protocols_of_requester(actor=staff_actor("0137", "atendente"), protocol=first)
    assert [p.number for p in mine] == [second.number]
    theirs = protocols_of_requester(actor=staff_actor("0025", "atendente"), protocol=elsewhere)
    assert theirs == []

    client, _user = client_for("0137", "atendente")
    page = client.get(reverse("protocols:detail", args=[first.number])).content.decode()
    assert second.number in page and elsewhere.number not in page
    assert "Outros protocolos do solicitante" in page


def test_related_protocol_is_prefilled_from_a_visible_one_only(open_protocol, client_for):
    protocol = open_protocol()
    client, _user = client_for("0137", "atendente")
    page = client.get(reverse("protocols:new"), {"anterior": protocol.number}).content.decode()
    assert f'value="{protocol.number}"' in page and 'value="Maria da Silva"' in page
    stranger, _user = client_for("0666", "atendente")
    page = stranger.get(reverse("protocols:new"), {"anterior": protocol.number}).content.decode()
    assert protocol.number not in page and "Maria da Silva" not in page
