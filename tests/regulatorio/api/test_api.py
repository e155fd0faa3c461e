"""POST /api/v1/regulatorio/demandas: 201 with id, dt_prazo, unimed_responsavel, situacao;
a repeat answers the same; a changed repeat 409; errors in the API's format; the list filters."""

import pytest

pytestmark = pytest.mark.django_db
URL = "/api/v1/regulatorio/demandas"
BODY = {
    "tipo": "nip_assistencial",
    "numero_ans": "3412345",
    "dt_notificacao": "2026-03-02",
    "carteirinha": "01370004812345670",
    "nome_beneficiario": "Maria da Silva",
    "descricao": "Negativa de cobertura.",
}


def test_create_repeat_and_changed_repeat(network, api_for):
    api = api_for(network["0137"])
    first = api.post(URL, BODY, format="json")
    assert first.status_code == 201, first.json()
    assert first.json() == {
        "id": first.json()["id"],
        "dt_prazo": "2026-03-09",
        "unimed_responsavel": "0137",
        "situacao": "recebida",
    }
    again = api.post(URL, BODY, format="json")
    assert (again.status_code, again.json()) == (201, first.json())
    changed = api.post(URL, {**BODY, "nome_beneficiario": "Maria Souza"}, format="json")
    assert changed.status_code == 409
    assert changed.json()["codigo"] == "demanda_repetida"
    assert "numero_ans" in changed.json()["campos"]


def test_bad_input_is_a_400_in_the_api_format(network, api_for):
    response = api_for(network["0137"]).post(
        URL, {**BODY, "carteirinha": "123", "numero_ans": "x"}, format="json"
    )
    assert response.status_code == 400
    body = response.json()
    assert body["id_identificador"] == 2 and "carteirinha" in body["campos"]


def test_list_filters_and_tenant(network, api_for):
    api = api_for(network["0137"])
    api.post(URL, BODY, format="json")
    api.post(URL, {**BODY, "numero_ans": "PERSUS-1", "tipo": "persus_abi"}, format="json")
    listed = api.get(URL + "/", {"tipo": "persus_abi"})
    assert listed.status_code == 200
    assert [d["numero_ans"] for d in listed.json()["results"]] == ["PERSUS-1"]
    assert api.get(URL + "/", {"prazo": "nunca"}).status_code == 400
    other = api_for(network["0666"]).get(URL + "/")
    assert other.json()["results"] == []
