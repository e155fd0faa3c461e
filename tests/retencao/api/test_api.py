"""The same loads by API for integrated Unimeds, in the project's error format."""

import pytest

from retencao.models import ContractIndicators, RetentionCase
from tests.retencao.conftest import CPF_IN

pytestmark = pytest.mark.django_db
BILLS = "/api/v1/retencao/faturas-em-atraso/"
INDICATORS = "/api/v1/retencao/indicadores-contratos/"
LINE = {
    "documento": "529.982.247-25",
    "nr_contrato": "PF-1",
    "fatura": "2026110001",
    "vencimento": "2026-11-10",
    "valor": "450.00",
    "dias_atraso": 35,
}


def test_bills_by_api_are_idempotent_and_reported_per_line(api_for, network, regua):
    api = api_for(network["0137"])
    body = {"faturas": [LINE, {**LINE, "fatura": "X", "documento": "123"}]}
    first = api.post(BILLS, body, format="json")
    assert first.status_code == 200, first.content
    data = first.json()
    assert data["totais"] == {"caso_aberto": 1, "erro": 1}
    assert data["linhas"][1]["mensagem"].startswith("documento:")
    again = api.post(BILLS, body, format="json").json()
    assert again["totais"] == {"sem_alteracao": 1, "erro": 1}
    assert RetentionCase.objects.count() == 1

    case_id = data["linhas"][0]["caso_id"]
    listed = api.get("/api/v1/retencao/casos/?fila=inadimplentes").json()
    assert [c["id"] for c in listed["results"]] == [case_id]
    assert api.get(f"/api/v1/retencao/casos/{case_id}/").json()["documento"] == CPF_IN
    # another Unimed's system: not found, in the API's error format
    missing = api_for(network["0025"]).get(f"/api/v1/retencao/casos/{case_id}/")
    assert missing.status_code == 404 and missing.json()["codigo"] == "nao_encontrado"


def test_indicators_by_api(api_for, network, regua):
    body = {
        "contratos": [
            {
                "documento": "11.222.333/0001-81",
                "nr_contrato": "PJ-9",
                "vidas": 55,
                "faixas_etarias": [{"faixa": "29-33", "vidas": 55}],
                "sinistralidade": 72.5,
            },
        ]
    }
    response = api_for(network["0137"]).post(INDICATORS, body, format="json")
    assert response.status_code == 200 and response.json()["totais"] == {"criado": 1}
    assert str(ContractIndicators.objects.get(contract_number="PJ-9").loss_ratio) == "72.50"


def test_bad_bodies_are_400_in_the_error_format(api_for, network):
    api = api_for(network["0137"])
    for body in ({}, {"faturas": []}, {"faturas": [{"documento": "x"}]}, {"faturas": "x"}):
        response = api.post(BILLS, body, format="json")
        assert response.status_code == 400 and "mensagem" in response.json(), body
    assert (
        api.post(
            INDICATORS,
            {"contratos": [{"documento": 1, "nr_contrato": "a", "faixas_etarias": "x"}]},
            format="json",
        ).status_code
        == 200
    )
