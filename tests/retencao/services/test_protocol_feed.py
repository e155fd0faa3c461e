"""A cancellation request opened through the GPU API brings the client into the
responsible Unimed's retention: exactly one case inside a rule, none (and why) outside."""

import pytest

from protocols.models import Protocol
from protocols.services import protocol_answer
from retencao.models import CaseOrigin, OutOfRule, RetentionCase
from tests.gpu_api.conftest import solicitar_message
from tests.retencao.conftest import CPF_IN, CPF_OUT
from unimeds.actors import actor_for_user

pytestmark = pytest.mark.django_db
URL = "/api/v1/gpu/solicitarProtocolo"


def _cancel(api_for, network, cpf, tx, kind="C"):
    message = solicitar_message(
        tx,
        tp_manifestacao=kind,
        tp_categoria_manifestacao=[6],
        cd_cpf=cpf,
        mensagem="Quero cancelar.",
    )
    response = api_for(network["0025"]).post(URL, message, format="json")
    assert response.status_code == 201, response.content
    return Protocol.objects.get(
        number=response.json()["resposta_solicitar_protocolo"]["nr_protocolo"]
    )


def test_cancellation_inside_a_rule_opens_exactly_one_case(api_for, network, regua, seller, gestor):
    protocol = _cancel(api_for, network, CPF_IN, "0000000101")
    case = RetentionCase.objects.get()
    assert case.unimed == network["0137"] == protocol.responsible_unimed
    assert (case.document, case.origin, case.protocol) == (CPF_IN, CaseOrigin.PROTOCOLO, protocol)
    assert list(protocol.retention_cases.all()) == [case]  # linked both ways
    assert (case.rule, case.priority, case.lives) == (regua["small"], 1, 2)
    assert case.owner == seller
    assert not OutOfRule.objects.exists()
    # Answering the protocol does not close the case; a second request is an event, not a case.
    protocol_answer(
        actor=actor_for_user(gestor),
        protocol=protocol,
        message="Encaminhado à retenção.",
    )
    _cancel(api_for, network, CPF_IN, "0000000102")
    case.refresh_from_db()
    assert case.is_open and RetentionCase.objects.count() == 1
    assert case.events.filter(kind="novo_pedido").count() == 1


def test_cancellation_outside_every_rule_opens_none_and_says_why(api_for, network, regua):
    protocol = _cancel(api_for, network, CPF_OUT, "0000000103")
    assert not RetentionCase.objects.exists()
    row = OutOfRule.objects.get()
    assert (row.unimed, row.protocol, row.document) == (network["0137"], protocol, CPF_OUT)
    assert row.reason.startswith("Fora da régua: nenhuma regra atende")
    assert "40 vida(s)" in row.reason


def test_other_manifestations_do_not_enter_retention(api_for, network, regua):
    message = solicitar_message("0000000104", cd_cpf=CPF_IN)
    assert api_for(network["0025"]).post(URL, message, format="json").status_code == 201
    assert not RetentionCase.objects.exists() and not OutOfRule.objects.exists()


def test_the_protocol_page_links_to_the_case(api_for, network, regua, gestor):
    from django.test import Client

    protocol = _cancel(api_for, network, CPF_IN, "0000000105")
    case = RetentionCase.objects.get()
    client = Client()
    client.force_login(gestor)
    html = client.get(f"/painel/protocolos/{protocol.number}/").content.decode()
    assert f"/painel/retencao/casos/{case.pk}/" in html


def test_an_exclusion_request_opens_a_case_too(api_for, network, regua, seller):
    """Type B "Exclusão de beneficiário" (migration 0015) is the other request the seed's
    retention process works ("Solicitações de exclusão e cancelamento")."""
    protocol = _cancel(api_for, network, CPF_IN, "0000000104", kind="B")
    assert protocol.manifestation_type.name == "Exclusão de beneficiário"
    assert not protocol.catalog_unmapped
    case = RetentionCase.objects.get()
    assert (case.protocol, case.origin, case.unimed) == (
        protocol,
        CaseOrigin.PROTOCOLO,
        network["0137"],
    )
