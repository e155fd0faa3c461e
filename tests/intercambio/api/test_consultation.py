"""GET consultations: by card and by habituality (card + period), involved Unimeds only."""

from datetime import date

import pytest

from core.errors import InvalidInput
from core.models import AuditEvent, IntegrationLog
from intercambio.models import RiskSharing
from intercambio.services import risk_sharing_end
from tests.intercambio.conftest import HABITUALITY_URL, URL, post
from unimeds.actors import Actor

CARD = "00552024111173021"


@pytest.fixture
def shared(origin_api, repasse):
    assert post(origin_api, repasse).status_code == 201
    return repasse


@pytest.mark.parametrize("who", ["origin", "destination", "holder"])
def test_each_involved_unimed_sees_the_sharing_and_its_history(shared, network, api_for, who):
    response = api_for(network[who]).get(URL, {"carteirinha": CARD})
    assert response.status_code == 200, response.json()
    body = response.json()
    assert body["compartilhamento"]["unimedAtendimento"]["codigo"] == "0001"
    assert body["compartilhamento"]["beneficiario"]["cpf"] == "***.167.090-**"
    assert [h["mudanca"] for h in body["historico"]] == ["inclusao"]
    assert body["historico"][0]["codigoControleTransacao"] == "9992311112173020"
    assert AuditEvent.objects.filter(
        action="compartilhamento_risco.consultado", unimed=network[who]
    ).exists()


def test_an_uninvolved_unimed_gets_404_on_both_consultations(shared, network, api_for):
    client = api_for(network["outsider"])
    by_card = client.get(URL, {"carteirinha": CARD})
    assert by_card.status_code == 404 and by_card.json()["codigo"] == "nao_encontrado"
    habitual = client.get(
        HABITUALITY_URL, {"carteirinha": CARD, "dataInicio": "2024-01-01", "dataFim": "2025-12-31"}
    )
    assert habitual.status_code == 404
    # Same answer as for a card nobody shares: the registry does not reveal the card.
    unknown = client.get(URL, {"carteirinha": "00550000000000009"})
    assert unknown.status_code == 404 and unknown.json()["mensagem"] == by_card.json()["mensagem"]
    assert (
        IntegrationLog.objects.filter(
            operation="ptu.compartilhamento_risco.consulta", http_status=404
        ).count()
        == 2
    )


def test_a_bad_card_in_the_query_is_a_field_error(shared, origin_api):
    response = origin_api.get(URL, {"carteirinha": "123"})
    assert response.status_code == 400 and "carteirinha" in response.json()["campos"]
    assert origin_api.get(URL).json()["erros"][0]["campo"] == "carteirinha"


def test_habituality_lists_the_periods_that_overlap(shared, origin_api, repasse, network):
    # A later message moves the beneficiary to custo operacional from 01/03/2025.
    repasse["cabecalho"].update(codigoControleTransacao=77, dataGeracao="2025-03-01T08:00:00-03:00")
    repasse["dadosBeneficiario"].update(
        tipoCompartilhamentoRisco="C", dataInicioCompartilhamentoRisco="2025-03-01"
    )
    assert post(origin_api, repasse).status_code == 201
    sharing = RiskSharing.objects.get(card=CARD)
    risk_sharing_end(
        actor=Actor(unimed=None, is_hub_admin=True),
        sharing_id=sharing.pk,
        ends_on=date(2025, 6, 30),
        reason="Beneficiário excluído.",
    )

    def periods(start, end):
        response = origin_api.get(
            HABITUALITY_URL, {"carteirinha": CARD, "dataInicio": start, "dataFim": end}
        )
        assert response.status_code == 200, response.json()
        return [
            (p["tipoCompartilhamentoRisco"], p["dataInicio"], p["dataFim"])
            for p in response.json()["periodos"]
        ]

    assert periods("2024-01-01", "2025-12-31") == [
        ("P", "2024-11-12", "2025-02-28"),
        ("C", "2025-03-01", "2025-06-30"),
    ]
    assert periods("2024-12-01", "2024-12-31") == [("P", "2024-11-12", "2025-02-28")]
    assert periods("2025-04-01", "2025-04-30") == [("C", "2025-03-01", "2025-06-30")]
    empty = origin_api.get(
        HABITUALITY_URL, {"carteirinha": CARD, "dataInicio": "2025-07-01", "dataFim": "2025-12-31"}
    )
    assert empty.json()["habitual"] is False and empty.json()["periodos"] == []


def test_habituality_period_is_validated(shared, origin_api):
    response = origin_api.get(
        HABITUALITY_URL, {"carteirinha": CARD, "dataInicio": "2025-02-01", "dataFim": "2025-01-01"}
    )
    assert response.status_code == 400 and "dataFim" in response.json()["campos"]
    response = origin_api.get(HABITUALITY_URL, {"carteirinha": CARD, "dataInicio": "01/02/2025"})
    assert set(response.json()["campos"]) == {"dataInicio", "dataFim"}


def test_ending_needs_a_reason_and_an_end_after_the_start(shared):
    sharing = RiskSharing.objects.get(card=CARD)
    admin = Actor(unimed=None, is_hub_admin=True)
    with pytest.raises(InvalidInput):
        risk_sharing_end(actor=admin, sharing_id=sharing.pk, ends_on=date(2025, 1, 1), reason=" ")
    with pytest.raises(InvalidInput):
        risk_sharing_end(actor=admin, sharing_id=sharing.pk, ends_on=date(2024, 1, 1), reason="x")
