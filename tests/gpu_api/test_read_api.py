"""GET /api/v1/protocolos/ and /api/v1/protocolos/<nr>/: scoped, filtered, paginated."""

from core.models import AuditEvent
from tests.gpu_api.conftest import solicitar_message

URL = "/api/v1/protocolos/"


def _open(client, tx, **body):
    body.setdefault("tp_manifestacao", "S")
    response = client.post(
        "/api/v1/gpu/solicitarProtocolo", solicitar_message(tx, **body), format="json"
    )
    assert response.status_code == 201, response.json()
    return response.json()["resposta_solicitar_protocolo"]["nr_protocolo"]


def test_list_filters_and_cursor_pagination(network, api_for):
    origin, responsible = api_for(network["0025"]), api_for(network["0137"])
    numbers = [_open(origin, f"LIST{n:06d}") for n in range(3)]
    urgent = _open(origin, "LIST000009", tp_categoria_manifestacao=[5])

    sent = origin.get(URL, {"direcao": "enviados", "tamanho": 2})
    assert sent.status_code == 200
    page1 = sent.json()
    assert [p["nr_protocolo"] for p in page1["results"]] == [urgent, numbers[2]]
    page2 = origin.get(page1["next"]).json()
    assert [p["nr_protocolo"] for p in page2["results"]] == [numbers[1], numbers[0]]
    assert page2["next"] is None
    assert origin.get(URL, {"direcao": "recebidos"}).json()["results"] == []

    received = responsible.get(
        URL, {"direcao": "recebidos", "tp_categoria_manifestacao": 5}
    ).json()["results"]
    assert [p["nr_protocolo"] for p in received] == [urgent]
    assert received[0]["cd_uni_origem"] == "0025" and received[0]["tp_cliente"] == "UNIMED"
    assert (
        len(responsible.get(URL, {"status": "aberto", "tp_cliente": "UNIMED"}).json()["results"])
        == 4
    )
    assert responsible.get(URL, {"status": "respondido"}).json()["results"] == []
    assert responsible.get(URL, {"atrasado": "true"}).json()["results"] == []
    assert len(responsible.get(URL, {"cd_uni_responsavel": "0137"}).json()["results"]) == 4
    bad = responsible.get(URL, {"status": "inventado"})
    assert bad.status_code == 400 and "status" in bad.json()["campos"]


def test_detail_with_public_timeline_and_audit(network, api_for):
    origin = api_for(network["0025"])
    number = _open(origin, "DETAIL0001")
    detail = api_for(network["0137"]).get(f"{URL}{number}/")
    assert detail.status_code == 200
    data = detail.json()
    assert data["nr_protocolo"] == number and data["dados"]["cd_cpf"] == "52998224725"
    assert [e["tp_evento"] for e in data["eventos"]] == ["aberto"]
    assert (
        AuditEvent.objects.filter(
            action="protocolo.consultado_api", target_id__isnull=False
        ).count()
        == 1
    )
    assert origin.get(f"{URL}00000000000000000000/").status_code == 404
