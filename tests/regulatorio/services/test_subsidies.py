"""Must show (#17): a NIP received by 0137 for a beneficiary served by 0025 (integrated):
the subsídio request reaches 0025's receiver, 0025 answers through the API, the answer is
in the demand's timeline; 0666 sees nothing of it (404)."""

import copy

import pytest
from django.utils import timezone

from core.errors import NotFound
from gpu_api.examples import REQUESTS
from protocols.models import Delivery, DeliveryStatus, Protocol
from protocols.outbox.services import delivery_attempt
from regulatorio.selectors import demand_get, demand_subsidies, demand_timeline
from regulatorio.services import subsidy_request
from tests.gpu_api.conftest import SECRET_ORIGIN
from tests.regulatorio.conftest import member
from unimeds.actors import actor_for_user

pytestmark = pytest.mark.django_db
URL = "/api/v1/gpu/"


def test_subsidy_reaches_0025_its_api_answer_lands_in_the_timeline(
    network, receivers, holder, nip, api_for, client
):
    receiver = receivers(network["0025"], SECRET_ORIGIN)
    demand = nip()
    subsidy = subsidy_request(
        actor=holder,
        demand_id=demand.pk,
        unimed_code="0025",
        question="Enviem a guia e o motivo da negativa da ressonância.",
    )
    protocol = subsidy.protocol
    assert protocol.responsible_unimed == network["0025"]
    assert protocol.is_regulatory and protocol.due_date == subsidy.internal_due
    assert subsidy.internal_due < demand.due_date

    delivery = Delivery.objects.get(protocol=protocol)
    assert delivery.unimed == network["0025"]
    if delivery.status != DeliveryStatus.DELIVERED:  # eager Celery may have sent it already
        delivery_attempt(delivery_id=delivery.pk)
    [got] = receiver.received
    body = got["message"]["solicitar_protocolo"]
    assert got["message"]["cabecalho_transacao"]["cd_uni_destino"] == "0025"
    assert body["nr_protocolo"] == protocol.number
    assert "Regulatório" in body["mensagem"] and demand.ans_number in body["mensagem"]

    message = copy.deepcopy(REQUESTS["responderAtendimento"])
    message["cabecalho_transacao"].update(
        {"cd_uni_origem": "0025", "nr_transacao_prestadora": "9000000001"}
    )
    message["resposta_atendimento"].update(
        {"nr_protocolo": protocol.number, "mensagem": "Guia 123: negada por carência até 05/2027."}
    )
    answer = api_for(network["0025"]).post(URL + "responderAtendimento", message, format="json")
    assert answer.status_code == 200, answer.json()

    timeline = demand_timeline(actor=holder, demand=demand)
    answers = [e for e in timeline if e.source == f"Protocolo {protocol.number}"]
    assert [e.message for e in answers] == ["Guia 123: negada por carência até 05/2027."]
    assert answers[0].who == "Unimed 0025"
    [row] = demand_subsidies(actor=holder, demand=demand)
    assert row.protocol.status == "respondido"

    # The panel page shows it too.
    client.force_login(holder.user)
    page = client.get(f"/painel/regulatorio/{demand.pk}/")
    assert page.status_code == 200
    assert "negada por carência" in page.content.decode()

    # 0666 sees nothing of it: panel, API and services.
    stranger = member(network["0666"], "gestor", username="gestor.0666")
    client.force_login(stranger)
    assert client.get(f"/painel/regulatorio/{demand.pk}/").status_code == 404
    assert (
        api_for(network["0666"]).get(f"/api/v1/regulatorio/demandas/{demand.pk}").status_code == 404
    )
    with pytest.raises(NotFound):
        demand_get(actor=actor_for_user(stranger), demand_id=demand.pk)
    assert client.get(f"/painel/protocolos/{protocol.number}/").status_code == 404


def test_subsidy_shown_first_in_the_receivers_inbox(network, holder, nip, client):
    demand = nip()
    subsidy = subsidy_request(
        actor=holder, demand_id=demand.pk, unimed_code="0025", question="Enviem o prontuário."
    )
    receiver_staff = member(network["0025"], "atendente", username="atendente.0025")
    client.force_login(receiver_staff)
    html = client.get("/painel/protocolos/").content.decode()
    assert "Pedidos de subsídios regulatórios" in html
    assert html.index(subsidy.protocol.number) < html.index('id="filtros"')


def test_subsidy_refused_after_the_legal_clock_stopped_and_to_itself(network, holder, nip):
    from core.errors import InvalidInput
    from regulatorio.services import demand_act

    demand = nip()
    with pytest.raises(InvalidInput):
        subsidy_request(actor=holder, demand_id=demand.pk, unimed_code="0137", question="x")
    demand_act(actor=holder, demand_id=demand.pk, action="responder", message="Autorizada.")
    with pytest.raises(InvalidInput):
        subsidy_request(actor=holder, demand_id=demand.pk, unimed_code="0025", question="x")
    assert not Protocol.objects.filter(is_regulatory=True).exists()
    assert timezone.localdate() <= demand.due_date
