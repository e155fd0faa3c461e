"""GPU operations over HTTP: wire validation, origin check, services, answers, log."""

import pytest
from django.utils import timezone

from core.models import IntegrationLog
from leads.models import Lead
from protocols.models import Delivery, InboundMessage, Protocol
from tests.gpu_api.conftest import solicitar_message

URL = "/api/v1/gpu/"


def header(origin="0025", tx="0000000100", code="002"):
    return {
        "cd_transacao": code,
        "tp_cliente": "UNIMED",
        "cd_uni_origem": origin,
        "nr_transacao_prestadora": tx,
        "dt_manifestacao": "2026-11-20 16:45:00",
        "id_usuario": "sistema",
        "nr_versao_protocolo": "001",
    }


def solicitar(client, tx="0000000042", **body):
    body.setdefault(
        "tp_manifestacao", "S"
    )  # the hub catalog's code for "Solicitação / autorização"
    return client.post(URL + "solicitarProtocolo", solicitar_message(tx, **body), format="json")


@pytest.fixture
def opened(network, api_for):
    client = api_for(network["0025"])
    response = solicitar(client)
    assert response.status_code == 201, response.json()
    return response.json()["resposta_solicitar_protocolo"]["nr_protocolo"]


def test_solicitar_protocolo_creates_and_answers_201(network, api_for):
    response = solicitar(api_for(network["0025"]))
    assert response.status_code == 201
    data = response.json()
    answer = data["resposta_solicitar_protocolo"]
    protocol = Protocol.objects.get(number=answer["nr_protocolo"])
    assert len(answer["nr_protocolo"]) == 20 and answer["nr_protocolo"].startswith("322831")
    assert answer["status"] == "aberto" and answer["cd_uni_responsavel"] == "0137"
    assert answer["dt_prazo"] == protocol.due_date.isoformat()
    assert (answer["cd_unimed"], answer["id_benef"], answer["id_sistema"]) == (
        "0137",
        "0004812345670",
        2,
    )
    assert data["cabecalho_transacao"]["cd_transacao"] == "002"
    assert data["cabecalho_transacao"]["nr_transacao_prestadora"] == "0000000042"
    assert protocol.origin_unimed == network["0025"] and protocol.serving_unimed == network["0025"]
    assert protocol.channel == "UNIMED" and protocol.sender_transaction_id == "0000000042"
    log = IntegrationLog.objects.get(direction="entrada")
    assert (log.operation, log.http_status, log.unimed) == (
        "solicitarProtocolo",
        201,
        network["0025"],
    )
    assert log.request_body["solicitar_protocolo"]["cd_cpf"] == "***.982.247-**"
    assert "maria.souza" not in str(log.request_body)


def test_wire_shape_errors_use_wire_names(network, api_for):
    response = solicitar(
        api_for(network["0025"]), cd_cpf="123", id_benef="12", tp_categoria_manifestacao=["x"]
    )
    assert response.status_code == 400
    data = response.json()
    assert data["codigo"] == "dados_invalidos"
    assert set(data["campos"]) >= {"solicitar_protocolo.cd_cpf", "solicitar_protocolo.id_benef"}
    assert not Protocol.objects.exists()


def test_a_too_long_code_is_told_once(network, api_for):
    """Too long breaks the length and the pattern: the sender reads one message per field."""
    response = solicitar(api_for(network["0025"]), tx="00000000421", cd_cpf="529982247250")
    assert response.status_code == 400
    campos = response.json()["campos"]
    assert campos["cabecalho_transacao.nr_transacao_prestadora"] == ["Até 10 letras ou dígitos."]
    assert campos["solicitar_protocolo.cd_cpf"] == ["Deve ter exatamente 11 dígitos."]


def test_service_errors_use_wire_names(network, api_for):
    response = solicitar(api_for(network["0025"]), cd_cpf="12345678910", tp_manifestacao="@")
    assert response.status_code == 400
    campos = response.json()["campos"]
    assert (
        "solicitar_protocolo.cd_cpf" in campos and "solicitar_protocolo.tp_manifestacao" in campos
    )
    assert not InboundMessage.objects.exists()  # a refused message may be corrected and resent


def test_bad_json_no_token_and_unknown_operation_are_json(network, api_for, api_client):
    client = api_for(network["0025"])
    bad = client.post(URL + "solicitarProtocolo", "{nao é json", content_type="application/json")
    assert bad.status_code == 400 and bad.json()["codigo"] == "json_invalido"
    anonymous = api_client.post(URL + "solicitarProtocolo", solicitar_message(), format="json")
    assert anonymous.status_code == 401 and anonymous.json()["codigo"] == "nao_autenticado"
    unknown = client.post(URL + "inventada", {}, format="json")
    assert unknown.status_code == 404 and unknown.json()["codigo"] == "nao_encontrado"
    empty = client.post(URL + "responderAtendimento", {}, format="json")
    assert empty.status_code == 400 and "cabecalho_transacao" in empty.json()["campos"]
    assert IntegrationLog.objects.filter(direction="entrada", http_status=401).exists()


def test_cannot_send_as_another_origin(network, api_for):
    response = api_for(network["0666"]).post(
        URL + "solicitarProtocolo", solicitar_message(), format="json"
    )
    assert response.status_code == 403
    assert response.json()["codigo"] == "origem_divergente"
    assert "cabecalho_transacao.cd_uni_origem" in response.json()["campos"]
    assert not Protocol.objects.exists()


def test_repeat_returns_first_answer_and_different_body_conflicts(network, api_for):
    client = api_for(network["0025"])
    first = solicitar(client)
    again = solicitar(client)
    assert again.status_code == 201 and again.json() == first.json()
    assert Protocol.objects.count() == 1
    record = InboundMessage.objects.get()
    assert (record.operation, record.response_status, record.protocol) == (
        "solicitarProtocolo",
        201,
        Protocol.objects.get(),
    )
    assert record.received_at <= timezone.now()
    changed = solicitar(client, mensagem="Outra mensagem")
    assert changed.status_code == 409 and changed.json()["codigo"] == "transacao_repetida"
    # Another Unimed may use the same transaction id: the key is (origin, id).
    message = solicitar_message("0000000042", tp_manifestacao="S")
    message["cabecalho_transacao"]["cd_uni_origem"] = "0666"
    other = api_for(network["0666"]).post(URL + "solicitarProtocolo", message, format="json")
    assert other.status_code == 201 and Protocol.objects.count() == 2


def test_answer_forward_complement_cancel_and_queries(network, api_for, opened):
    origin, responsible, third = (api_for(network[c]) for c in ("0025", "0137", "0666"))
    status = origin.post(
        URL + "consultaStatusProtocolo",
        {
            "cabecalho_transacao": header("0025", "0000000101", "007"),
            "consulta_status_protocolo": {"nr_protocolo": opened},
        },
        format="json",
    )
    assert status.status_code == 200
    assert status.json()["resposta_consulta_status_protocolo"]["status"] == "aberto"

    complement = origin.post(
        URL + "complementaProtocolo",
        {
            "cabecalho_transacao": header("0025", "0000000102", "003"),
            "pedido_complemento_protocolo": {
                "nr_protocolo": opened,
                "mensagem": "Segue o pedido médico.",
            },
        },
        format="json",
    )
    assert complement.status_code == 200, complement.json()

    partial = responsible.post(
        URL + "responderAtendimento",
        {
            "cabecalho_transacao": header("0137", "0000000201", "005"),
            "resposta_atendimento": {
                "nr_protocolo": opened,
                "mensagem": "Em análise.",
                "conclusiva": False,
            },
        },
        format="json",
    )
    assert partial.status_code == 200
    assert partial.json()["resposta_atendimento"]["status"] == "em_analise"

    refused = origin.post(
        URL + "responderAtendimento",
        {
            "cabecalho_transacao": header("0025", "0000000103", "005"),
            "resposta_atendimento": {"nr_protocolo": opened, "mensagem": "Eu respondo?"},
        },
        format="json",
    )
    assert refused.status_code == 403

    forward = responsible.post(
        URL + "encaminharExecucao",
        {
            "cabecalho_transacao": {
                **header("0137", "0000000202", "013"),
                "cd_uni_destino": "0666",
            },
            "encaminhar_execucao": {
                "nr_protocolo_anterior": opened,
                "mensagem": "Procedimento executado pela 0666.",
            },
        },
        format="json",
    )
    assert forward.status_code == 200, forward.json()
    assert forward.json()["confirmacao"]["cd_uni_responsavel"] == "0666"

    cancel = third.post(
        URL + "cancelarAtendimento",
        {
            "cabecalho_transacao": header("0666", "0000000301", "011"),
            "cancelamento": {"nr_protocolo": opened, "motivo_cancelamento": ""},
        },
        format="json",
    )
    assert (
        cancel.status_code == 400 and "cancelamento.motivo_cancelamento" in cancel.json()["campos"]
    )
    cancel = third.post(
        URL + "cancelarAtendimento",
        {
            "cabecalho_transacao": header("0666", "0000000302", "011"),
            "cancelamento": {
                "nr_protocolo": opened,
                "motivo_cancelamento": "Beneficiário desistiu do exame.",
            },
        },
        format="json",
    )
    assert cancel.status_code == 200
    assert cancel.json()["confirmacao"]["status"] == "cancelado"
    again = third.post(
        URL + "cancelarAtendimento",
        {
            "cabecalho_transacao": header("0666", "0000000303", "011"),
            "cancelamento": {"nr_protocolo": opened, "motivo_cancelamento": "De novo, por engano."},
        },
        format="json",
    )
    assert again.status_code == 409 and again.json()["codigo"] == "transicao_invalida"

    events = origin.get(f"/api/v1/protocolos/{opened}/").json()["eventos"]
    assert [e["tp_evento"] for e in events] == [
        "aberto",
        "complemento",
        "resposta_parcial",
        "encaminhado",
        "cancelado",
    ]
    history = origin.post(
        URL + "historicoProtocoloConsulta",
        {
            "cabecalho_transacao": header("0025", "0000000104", "009"),
            "consulta_historico": {"cd_unimed": "0137", "id_benef": "0004812345670"},
        },
        format="json",
    )
    assert [p["nr_protocolo"] for p in history.json()["resposta_consulta_historico"]] == [opened]


def test_unimed_outside_the_protocol_gets_404(network, api_for, opened):
    outsider = api_for(network["0666"])
    response = outsider.post(
        URL + "consultaStatusProtocolo",
        {
            "cabecalho_transacao": header("0666", "0000000900"),
            "consulta_status_protocolo": {"nr_protocolo": opened},
        },
        format="json",
    )
    assert response.status_code == 404 and response.json()["codigo"] == "nao_encontrado"
    history = outsider.post(
        URL + "historicoProtocoloConsulta",
        {
            "cabecalho_transacao": header("0666", "0000000902"),
            "consulta_historico": {"cd_unimed": "0137", "id_benef": "0004812345670"},
        },
        format="json",
    )
    assert history.status_code == 200 and history.json()["resposta_consulta_historico"] == []
    answer = outsider.post(
        URL + "responderAtendimento",
        {
            "cabecalho_transacao": header("0666", "0000000901"),
            "resposta_atendimento": {"nr_protocolo": opened, "mensagem": "Intrometida."},
        },
        format="json",
    )
    assert answer.status_code == 404
    assert outsider.get(f"/api/v1/protocolos/{opened}/").status_code == 404
    assert outsider.get("/api/v1/protocolos/").json()["results"] == []
    assert Protocol.objects.get().status == "aberto"


def non_client(tx="0000000500", **body):
    data = {
        "nome_solicitante": "Ana Empresa",
        "cd_cpf": "",
        "email": "ana@empresa.com.br",
        "ddd": "48",
        "telefone": "991234567",
        "cd_uf": "SC",
        "cd_cidade": "4205407",
        "tp_manifestacao": "P",
        "tp_categoria_manifestacao": [8],
        "id_resposta": 1,
        "mensagem": "Quero plano para 12 vidas.",
    }
    data.update(body)
    return {"cabecalho_transacao": header("0025", tx, "015"), "solicitar_protocolo": data}


def test_protocolo_nao_cliente_with_company_creates_lead(network, api_for):
    client = api_for(network["0025"])
    response = client.post(
        URL + "protocoloNaoCliente",
        non_client(
            cd_cnpj="11222333000181",
            nome_empresa="Padaria Boa Ltda",
            nr_vidas=12,
            tp_plano="empresarial",
            faixa_etaria=[
                {"faixa_etaria": "19-23", "nr_vidas": 5},
                {"faixa_etaria": "34-38", "nr_vidas": 7},
            ],
            tp_modalidade="pre_pagamento",
            sinistralidade="62.50",
        ),
        format="json",
    )
    assert response.status_code == 201, response.json()
    answer = response.json()["resposta_solicitar_protocolo_nao_cliente"]
    protocol = Protocol.objects.get(number=answer["nr_protocolo"])
    lead = Lead.objects.get(pk=answer["id_lead"])
    assert protocol.kind == "nao_cliente" and protocol.responsible_unimed == network["0025"]
    assert (lead.document, lead.lives, lead.protocol) == ("11222333000181", 12, protocol)
    status = client.post(
        URL + "statusNaoCliente",
        {
            "cabecalho_transacao": header("0025", "0000000501", "019"),
            "solicitar_status_protocolo_nao_cliente": {"nr_protocolo": protocol.number},
        },
        format="json",
    )
    assert status.status_code == 200
    reply = status.json()["resposta_solicitar_status_protocolo_nao_cliente"]
    assert (
        reply["tp_solicitante"],
        reply["nome_empresa"],
        reply["cd_cnpj"],
        reply["nr_vidas"],
    ) == ("PJ", "Padaria Boa Ltda", "11222333000181", 12)
    assert reply["faixa_etaria"] == [
        {"faixa_etaria": "19-23", "nr_vidas": 5},
        {"faixa_etaria": "34-38", "nr_vidas": 7},
    ]


def test_protocolo_nao_cliente_lead_errors_roll_back(network, api_for):
    response = api_for(network["0025"]).post(
        URL + "protocoloNaoCliente", non_client(cd_cnpj="11222333000182", nr_vidas=3), format="json"
    )
    assert response.status_code == 400
    assert "solicitar_protocolo.cd_cnpj" in response.json()["campos"]
    assert not Protocol.objects.exists() and not Lead.objects.exists()


def test_delivery_created_for_integrated_destination(network, api_for, receivers):
    receivers(network["0137"])
    assert solicitar(api_for(network["0025"])).status_code == 201
    delivery = Delivery.objects.get()
    assert delivery.unimed == network["0137"] and delivery.operation == "solicitarProtocolo"


def test_the_shared_gpu_example_is_accepted_as_it_is(network, api_for):
    """shared/fixtures/gpu_solicitar_protocolo_example.json, byte for byte (a copy in
    tests/fixtures/, so a bare clone runs it too): its tp_manifestacao "2" is the wire
    digit of "Solicitação / autorização"."""
    import json
    from pathlib import Path

    raw = Path(__file__).resolve().parents[1] / "fixtures" / "gpu_solicitar_protocolo_example.json"
    response = api_for(network["0025"]).post(
        URL + "solicitarProtocolo", json.loads(raw.read_text()), format="json"
    )
    assert response.status_code == 201, response.json()
    number = response.json()["resposta_solicitar_protocolo"]["nr_protocolo"]
    assert number.startswith("322831") and len(number) == 20
