"""A risk-sharing registration changes routing only when its sender is the card's holder
or a Unimed the registry says acts for it; otherwise it waits, as pending, for the holder
to confirm or reject it in the panel. Read access: only the parties of the current record
(issue #16)."""

import pytest
from django.test import Client

from core.models import AuditEvent
from intercambio.models import ActsFor, PendingRiskSharing, RiskSharing
from intercambio.selectors import responsible_for_card
from tests.factories import staff_user
from tests.intercambio.conftest import URL, post

CARD = "00552024111173021"  # the repasse fixture's card


@pytest.fixture
def no_mandate(network):
    """As published: 0999 sends about a card of 0055, and nothing says it acts for 0055."""
    ActsFor.objects.all().delete()
    return network


def test_a_foreign_registration_is_stored_as_pending_and_does_not_route(
    no_mandate, origin_api, repasse
):
    """Before: 201 and the beneficiary's protocols rerouted to the sender's choice."""
    response = post(origin_api, repasse)
    assert response.status_code == 201
    body = response.json()
    assert (
        body["situacao"] == "pendente" and "responsavelAtendimento" not in body["compartilhamento"]
    )
    assert not RiskSharing.objects.exists() and responsible_for_card(CARD) is None
    pending = PendingRiskSharing.objects.get()
    assert (pending.card, pending.sender_unimed.code, pending.holder_unimed.code) == (
        CARD,
        "0999",
        "0055",
    )
    assert post(origin_api, repasse).json() == body  # a repeat replays, creates nothing
    assert PendingRiskSharing.objects.count() == 1


def test_seed_fixtures_still_answer_201_as_pending(no_mandate, origin_api, repasse, custo):
    for message in (repasse, custo):
        response = post(origin_api, message)
        assert response.status_code == 201 and response.json()["situacao"] == "pendente"


def test_the_holder_sees_and_confirms_it_then_it_routes(no_mandate, origin_api, repasse):
    post(origin_api, repasse)
    holder = Client()
    holder.force_login(staff_user(no_mandate["holder"], "supervisor"))
    page = holder.get("/painel/intercambio/pendentes/")
    assert page.status_code == 200 and CARD in page.content.decode()
    # Nobody else sees or decides it.
    sender = Client()
    sender.force_login(staff_user(no_mandate["origin"], "supervisor"))
    assert CARD not in sender.get("/painel/intercambio/pendentes/").content.decode()
    pending = PendingRiskSharing.objects.get()
    assert (
        sender.post(
            f"/painel/intercambio/pendentes/{pending.pk}/", {"decisao": "confirmar"}
        ).status_code
        == 404
    )
    attendant = Client()
    attendant.force_login(staff_user(no_mandate["holder"], "atendente"))
    assert (
        attendant.post(
            f"/painel/intercambio/pendentes/{pending.pk}/", {"decisao": "confirmar"}
        ).status_code
        == 403
    )

    assert (
        holder.post(
            f"/painel/intercambio/pendentes/{pending.pk}/", {"decisao": "confirmar"}
        ).status_code
        == 302
    )
    pending.refresh_from_db()
    assert pending.status == "confirmado"
    unimed, _reason = responsible_for_card(CARD)
    assert unimed.code == "0001"  # repasse to the destination now applies
    assert AuditEvent.objects.filter(action="compartilhamento_risco.confirmado").exists()


def test_a_rejected_registration_never_routes(no_mandate, origin_api, repasse):
    post(origin_api, repasse)
    holder = Client()
    holder.force_login(staff_user(no_mandate["holder"], "gestor"))
    pending = PendingRiskSharing.objects.get()
    holder.post(f"/painel/intercambio/pendentes/{pending.pk}/", {"decisao": "recusar"})
    pending.refresh_from_db()
    assert pending.status == "recusado" and not RiskSharing.objects.exists()
    assert (
        holder.post(
            f"/painel/intercambio/pendentes/{pending.pk}/", {"decisao": "confirmar"}
        ).status_code
        == 302
    )
    assert not RiskSharing.objects.exists()  # decided once


def test_the_holder_and_a_unimed_acting_for_all_change_routing(no_mandate, api_for, repasse):
    repasse["cabecalho"]["unimed"]["codigoUnimedOrigem"] = "0055"
    assert post(api_for(no_mandate["holder"]), repasse).json()["situacao"] == "inclusao"
    brasil = no_mandate["outsider"]
    ActsFor.objects.create(agent=brasil, principal=None, note="Unimed do Brasil")
    repasse["cabecalho"]["unimed"]["codigoUnimedOrigem"] = brasil.code
    repasse["cabecalho"]["codigoControleTransacao"] += 1
    repasse["cabecalho"]["dataGeracao"] = "2030-01-01T00:00:00-03:00"
    repasse["cabecalho"]["unimed"]["codigoUnimedDestino"] = "0999"
    answer = post(api_for(brasil), repasse).json()
    assert answer.get("situacao") == "alteracao", answer
    assert RiskSharing.objects.get().attending_unimed.code == "0999"


def test_a_former_party_stops_reading_once_the_holder_changes_the_record(network, api_for, repasse):
    """Before: the sender kept reading the record (name, history) after the holder updated it."""
    origin = api_for(network["origin"])
    post(origin, repasse)
    assert origin.get(URL, {"carteirinha": CARD}).status_code == 200
    repasse["cabecalho"]["unimed"]["codigoUnimedOrigem"] = "0055"
    repasse["cabecalho"]["unimed"]["codigoUnimedDestino"] = "0137"
    repasse["cabecalho"]["codigoControleTransacao"] += 1
    repasse["cabecalho"]["dataGeracao"] = "2030-01-01T00:00:00-03:00"
    assert post(api_for(network["holder"]), repasse).json()["situacao"] == "alteracao"
    assert origin.get(URL, {"carteirinha": CARD}).status_code == 404
    destination = api_for(network["destination"])
    assert destination.get(URL, {"carteirinha": CARD}).status_code == 404
    assert (
        api_for(network["outsider"]).get(URL, {"carteirinha": CARD}).status_code == 200
    )  # the new attending
