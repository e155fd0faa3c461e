"""Protocol routing through the intercâmbio registry (protocols.routing.resolve_responsible)."""

from datetime import date

import pytest

from intercambio.models import RiskSharing
from intercambio.selectors import responsible_for_card
from intercambio.services import risk_sharing_end
from protocols.routing import resolve_responsible
from protocols.services import protocol_open
from tests.intercambio.conftest import post
from tests.protocols.conftest import beneficiary_data
from unimeds.actors import Actor, portal_actor

REPASSE_CARD = "00552024111173021"
CUSTO_CARD = "00552024111172930"


@pytest.fixture
def shared(origin_api, repasse, custo):
    assert post(origin_api, repasse).status_code == 201
    assert post(origin_api, custo).status_code == 201


def _open(card: str):
    return protocol_open(actor=portal_actor(), **beneficiary_data(card=card))


def test_repasse_protocol_goes_to_the_unimed_the_registry_names_and_says_why(shared, network):
    protocol = _open(REPASSE_CARD)
    assert protocol.responsible_unimed == network["destination"]  # 0001, not the card's 0055
    reason = protocol.events.get().payload["responsible_reason"]
    assert "compartilhamento de risco P (repasse)" in reason
    assert "desde 12/11/2024" in reason and "Unimed 0001 assumiu" in reason
    assert protocol.responsible_reason == reason


def test_custo_operacional_protocol_stays_with_the_holder_and_says_why(shared, network):
    protocol = _open(CUSTO_CARD)
    assert protocol.responsible_unimed == network["holder"]
    reason = protocol.events.get().payload["responsible_reason"]
    assert "C (custo operacional)" in reason and "atendimento na Unimed 0001" in reason


def test_without_a_sharing_the_card_prefix_answers(shared, network):
    protocol = _open("00550000000000001")
    assert protocol.responsible_unimed == network["holder"]
    assert "Carteirinha da Unimed 0055" in protocol.events.get().payload["responsible_reason"]


def test_an_ended_or_future_sharing_does_not_route(shared, network):
    sharing = RiskSharing.objects.get(card=REPASSE_CARD)
    assert responsible_for_card(REPASSE_CARD, on=date(2024, 11, 11)) is None  # before it starts
    hub_admin = Actor(unimed=None, is_hub_admin=True)
    risk_sharing_end(
        actor=hub_admin,
        sharing_id=sharing.pk,
        ends_on=date(2024, 12, 31),
        reason="Fim do contrato local.",
    )
    assert responsible_for_card(REPASSE_CARD, on=date(2024, 12, 31))[0] == network["destination"]
    assert responsible_for_card(REPASSE_CARD, on=date(2025, 1, 1)) is None
    unimed, reason = resolve_responsible(card=REPASSE_CARD)
    assert unimed == network["holder"] and "Carteirinha da Unimed 0055" in reason


def test_an_inactive_attending_unimed_falls_back_to_the_card(shared, network):
    network["destination"].is_active = False
    network["destination"].save()
    assert resolve_responsible(card=REPASSE_CARD)[0] == network["holder"]
