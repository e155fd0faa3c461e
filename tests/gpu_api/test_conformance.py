"""Wire conformance: every operation sent exactly as the Unimeds' systems build it
(TOTVS PLS and the Laravel client, docs/api.md; variants with the optional fields
absent, "" and null), each reply checked for the code, block and every field those
clients read, and the deliveries the hub made checked against what a TOTVS receiver
reads."""

import copy

import pytest

from gpu_api.examples import NON_CLIENT_NUMBER, NUMBER, REQUEST_VARIANTS
from protocols.models import Delivery, Protocol
from protocols.outbox.services import delivery_attempt

URL = "/api/v1/gpu/"
HEADER_KEYS = {
    "cd_transacao",
    "tp_cliente",
    "cd_uni_origem",
    "cd_uni_destino",
    "nr_ans",
    "nr_transacao_prestadora",
    "dt_manifestacao",
    "id_usuario",
    "nr_versao_protocolo",
}
# (reply code, reply block, fields the clients read) — GPU wire table.
REPLIES = {
    "solicitarProtocolo": (
        "002",
        "resposta_solicitar_protocolo",
        {"nr_protocolo", "id_resposta", "cd_unimed", "id_benef", "mensagem", "id_sistema"},
    ),
    "complementaProtocolo": (
        "004",
        "resposta_complemento",
        {"cd_unimed", "id_benef", "id_origem_resposta"},
    ),
    "responderAtendimento": (
        "006",
        "resposta_atendimento",
        {"cd_unimed", "id_benef", "id_origem_resposta"},
    ),
    "consultaStatusProtocolo": (
        "008",
        "resposta_consulta_status_protocolo",
        {
            "nr_protocolo",
            "nome",
            "cd_unimed",
            "id_benef",
            "tp_manifestacao",
            "tp_categoria_manifestacao",
            "id_resposta",
            "id_usuario",
            "dt_solicitacao_protocolo",
            "mensagem",
            "id_origem_resposta",
            "num_trans_interc_prestadora",
            "num_trans_origem_beneficiario",
        },
    ),
    "historicoProtocoloConsulta": (
        "010",
        "resposta_consulta_historico",
        {
            "nr_protocolo",
            "dt_manifestacao",
            "id_resposta",
            "id_sistema",
            "nr_transacao_prestadora",
            "id_usuario",
            "nr_versao_protocolo",
        },
    ),
    "cancelarAtendimento": (
        "012",
        "confirmacao",
        {"cd_unimed", "id_benef", "id_resposta", "nr_protocolo", "id_sistema"},
    ),
    "encaminharExecucao": (
        "014",
        "confirmacao",
        {"cd_unimed", "id_benef", "id_resposta", "nr_protocolo", "id_sistema"},
    ),
    "protocoloNaoCliente": (
        "016",
        "resposta_solicitar_protocolo_nao_cliente",
        {"nr_protocolo", "id_resposta", "id_sistema"},
    ),
    "responderNaoCliente": ("018", "confirmacao", {"nr_protocolo", "id_resposta", "id_sistema"}),
    "statusNaoCliente": (
        "020",
        "resposta_solicitar_status_protocolo_nao_cliente",
        {
            "tp_solicitante",
            "nome_empresa",
            "nome_solicitante",
            "cd_cnpj",
            "nr_vidas",
            "faixa_etaria",
            "status",
        },
    ),
}
# Optional fields of each block (and of the header) that a client may leave out.
OPTIONAL = {
    "solicitarProtocolo": [
        "cd_cpf",
        "cd_uf",
        "cd_cidade",
        "cd_uni_atendimento",
        "tp_sub_categoria",
        "nr_transacao_intercambio",
        "nr_protocolo_anterior",
        "id_sistema",
    ],
    "complementaProtocolo": ["cd_unimed", "id_benef", "nr_transacao_intercambio", "id_resposta"],
    "responderAtendimento": [
        "cd_unimed",
        "id_benef",
        "id_resposta",
        "nr_transacao_origem_benef",
        "nr_transacao_intercambio",
    ],
    "consultaStatusProtocolo": ["cd_unimed", "id_benef"],
    "historicoProtocoloConsulta": ["dt_inicio_historico", "dt_fim_historico"],
    "cancelarAtendimento": ["cd_unimed", "id_benef"],
    "encaminharExecucao": [
        "cd_unimed",
        "id_benef",
        "nome",
        "cd_cpf",
        "ddd",
        "telefone",
        "email",
        "tp_manifestacao",
        "tp_categoria_manifestacao",
        "nr_transacao_intercambio",
    ],
    "protocoloNaoCliente": [
        "cd_cpf",
        "cd_uf",
        "tp_sub_categoria",
        "tp_solicitante",
        "plano_atual",
        "id_dependente",
        "mensagem_plano",
        "tp_modalidade",
        "sinistralidade",
        "faixa_etaria",
    ],
    "responderNaoCliente": ["id_resposta"],
    "statusNaoCliente": ["cd_cpf", "cd_cnpj", "email"],
}
HEADER_OPTIONAL = ["nr_ans", "id_usuario", "nr_versao_protocolo"]
VARIANTS = ["TOTVS", "Laravel", "ausentes", "vazios", "nulos"]


def message(
    name: str, variant: str, tx: str, number: str | None = None, non_client: str | None = None
) -> dict:
    base = "Laravel" if variant == "Laravel" else "TOTVS"
    out = copy.deepcopy(REQUEST_VARIANTS[name][base])
    head = out["cabecalho_transacao"]
    block_key = next(k for k in out if k != "cabecalho_transacao")
    block = out[block_key]
    head["nr_transacao_prestadora"] = tx
    for key, value in list(block.items()):
        if value == NUMBER and number:
            block[key] = number
        if value == NON_CLIENT_NUMBER and non_client:
            block[key] = non_client
    if name == "historicoProtocoloConsulta":  # a period around today
        from django.utils import timezone

        today = timezone.localdate()
        block.update(
            {
                "dt_inicio_historico": f"{today.replace(day=1)} 00:00:00",
                "dt_fim_historico": f"{today} 23:59:59",
            }
        )
    if variant in ("ausentes", "vazios", "nulos"):
        for holder, keys in ((block, OPTIONAL[name]), (head, HEADER_OPTIONAL)):
            for key in keys:
                if variant == "ausentes":
                    holder.pop(key, None)
                else:
                    holder[key] = "" if variant == "vazios" else None
    return out


def check_reply(name: str, response, expected_status: int, sent: dict) -> dict:
    assert response.status_code == expected_status, (name, response.json())
    code, key, fields = REPLIES[name]
    data = response.json()
    head = data["cabecalho_transacao"]
    assert set(head) >= HEADER_KEYS, (name, head)
    assert head["cd_transacao"] == code
    assert head["nr_transacao_prestadora"] == sent["cabecalho_transacao"]["nr_transacao_prestadora"]
    assert head["tp_cliente"] == sent["cabecalho_transacao"]["tp_cliente"]
    assert head["cd_uni_origem"] == sent["cabecalho_transacao"]["cd_uni_origem"]
    block = data[key]
    for item in block if isinstance(block, list) else [block]:
        assert fields <= set(item), (name, fields - set(item))
    return data


@pytest.fixture
def clients(network, api_for, receivers):
    receivers(network["0137"])
    receivers(network["0025"], "segredo-de-teste-0025")
    return {code: api_for(network[code]) for code in ("0025", "0137", "0666")}


def send(client, name, msg, *, alias: bool = False):
    from protocols.outbox.messages import OPERATIONS

    path = OPERATIONS[name].alias if alias else name
    return client.post(URL + path, msg, format="json")


@pytest.mark.parametrize("variant", VARIANTS)
def test_every_operation_accepted_and_answered_in_the_clients_shapes(clients, variant):
    c = clients
    laravel = variant == "Laravel"  # the Laravel client posts to the kebab-case paths
    sent = message("solicitarProtocolo", variant, "T000000001")
    opened = check_reply(
        "solicitarProtocolo", send(c["0025"], "solicitarProtocolo", sent, alias=laravel), 201, sent
    )
    number = opened["resposta_solicitar_protocolo"]["nr_protocolo"]
    assert opened["resposta_solicitar_protocolo"]["id_sistema"] == 2

    steps = [
        ("0025", "complementaProtocolo", 200),
        ("0025", "consultaStatusProtocolo", 200),
        ("0025", "historicoProtocoloConsulta", 200),
        ("0137", "encaminharExecucao", 200),
        ("0666", "responderAtendimento", 200),
    ]
    for index, (who, name, status) in enumerate(steps, start=2):
        sent = message(name, variant, f"T00000000{index}", number=number)
        if name == "encaminharExecucao":
            sent["encaminhar_execucao"]["nr_protocolo_anterior"] = number
        if name == "responderAtendimento":
            sent["cabecalho_transacao"]["cd_uni_origem"] = "0666"
        data = check_reply(name, send(c[who], name, sent, alias=laravel), status, sent)
        if name == "consultaStatusProtocolo":
            block = data["resposta_consulta_status_protocolo"]
            assert data["cabecalho_transacao"]["dt_sol_protocolo"]
            assert block["tp_manifestacao"] == "2" and block["tp_categoria_manifestacao"] == [4]
            assert block["nome"] == "MARIA DA SILVA SOUZA"
        if name == "historicoProtocoloConsulta":
            assert [p["nr_protocolo"] for p in data["resposta_consulta_historico"]] == [number]
    protocol = Protocol.objects.get(number=number)
    assert (protocol.status, protocol.responsible_unimed.code) == ("respondido", "0666")

    second = message("solicitarProtocolo", variant, "T000000010")
    other = send(c["0025"], "solicitarProtocolo", second, alias=laravel).json()[
        "resposta_solicitar_protocolo"
    ]
    sent = message("cancelarAtendimento", variant, "T000000011", number=other["nr_protocolo"])
    check_reply(
        "cancelarAtendimento",
        send(c["0025"], "cancelarAtendimento", sent, alias=laravel),
        200,
        sent,
    )
    assert Protocol.objects.get(number=other["nr_protocolo"]).status == "cancelado"

    sent = message("protocoloNaoCliente", variant, "T000000020")
    data = check_reply(
        "protocoloNaoCliente",
        send(c["0025"], "protocoloNaoCliente", sent, alias=laravel),
        201,
        sent,
    )
    non_client = data["resposta_solicitar_protocolo_nao_cliente"]["nr_protocolo"]
    sent = message("statusNaoCliente", variant, "T000000021", non_client=non_client)
    data = check_reply(
        "statusNaoCliente", send(c["0025"], "statusNaoCliente", sent, alias=laravel), 200, sent
    )
    if variant in ("TOTVS", "Laravel"):
        reply = data["resposta_solicitar_status_protocolo_nao_cliente"]
        assert (reply["nome_empresa"], reply["cd_cnpj"], reply["nr_vidas"]) == (
            "Padaria Boa Ltda",
            "11222333000181",
            12,
        )
        assert reply["faixa_etaria"] == [
            {"faixa_etaria": "19-23", "nr_vidas": 5},
            {"faixa_etaria": "34-38", "nr_vidas": 7},
        ]
    sent = message("responderNaoCliente", variant, "T000000022", non_client=non_client)
    check_reply(
        "responderNaoCliente",
        send(c["0025"], "responderNaoCliente", sent, alias=laravel),
        200,
        sent,
    )


def test_deliveries_have_the_shapes_a_totvs_receiver_reads(network, api_for, receivers):
    to_0137 = receivers(network["0137"])
    to_0025 = receivers(network["0025"], "segredo-de-teste-0025")
    to_0666 = receivers(network["0666"], "segredo-de-teste-0666")
    origin, responsible = api_for(network["0025"]), api_for(network["0137"])
    sent = message("solicitarProtocolo", "TOTVS", "D000000001")
    number = origin.post(URL + "solicitarProtocolo", sent, format="json").json()[
        "resposta_solicitar_protocolo"
    ]["nr_protocolo"]
    origin.post(
        URL + "complementaProtocolo",
        message("complementaProtocolo", "TOTVS", "D000000002", number=number),
        format="json",
    )
    partial = message("responderAtendimento", "TOTVS", "D000000003", number=number)
    partial["resposta_atendimento"]["conclusiva"] = False
    assert responsible.post(URL + "responderAtendimento", partial, format="json").status_code == 200
    forward = message("encaminharExecucao", "TOTVS", "D000000004", number=number)
    forward["encaminhar_execucao"]["nr_protocolo_anterior"] = number
    assert responsible.post(URL + "encaminharExecucao", forward, format="json").status_code == 200
    cancel = message("cancelarAtendimento", "TOTVS", "D000000005", number=number)
    assert origin.post(URL + "cancelarAtendimento", cancel, format="json").status_code == 200
    for delivery in Delivery.objects.order_by("id"):
        delivery_attempt(delivery_id=delivery.pk)

    def got(receiver):
        return {r["message"]["cabecalho_transacao"]["cd_transacao"]: r for r in receiver.received}

    at_0137, at_0025, at_0666 = got(to_0137), got(to_0025), got(to_0666)
    new = at_0137["001"]
    assert new["operation"] == "solicitarProtocolo"
    body = new["message"]["solicitar_protocolo"]
    assert body["tp_manifestacao"] == "2" and body["tp_categoria_manifestacao"] == [
        4
    ]  # as the sender sent
    assert (body["cd_unimed"], body["id_benef"], body["nr_protocolo"]) == (
        "0137",
        "0004812345670",
        number,
    )
    assert {
        "nome",
        "cd_cpf",
        "ddd",
        "telefone",
        "email",
        "cd_uf",
        "cd_cidade",
        "cd_uni_atendimento",
        "id_resposta",
        "nr_transacao_intercambio",
        "nr_protocolo_anterior",
        "mensagem",
    } <= set(body)
    complement = at_0137["003"]["message"]
    assert complement["pedido_complemento_protocolo"]["nr_protocolo"] == number
    answer = at_0025["005"]["message"]
    assert answer["resposta_atendimento"]["nr_protocolo"] == number
    assert answer["resposta_atendimento"]["id_origem_resposta"] == 1
    forwarded = at_0666["013"]
    assert forwarded["operation"] == "encaminharExecucao"
    assert forwarded["message"]["cabecalho_transacao"]["cd_uni_destino"] == "0666"
    assert forwarded["message"]["encaminhar_execucao"]["nr_protocolo_anterior"] == number
    cancelled = at_0666["011"]["message"]
    assert cancelled["cabecalho_transacao"]["dt_cancelamento"]
    assert "dt_manifestacao" not in cancelled["cabecalho_transacao"]
    assert cancelled["cancelamento"]["motivo_cancelamento"] == "Beneficiária desistiu do exame."
    for receiver in (to_0137, to_0025, to_0666):  # a TOTVS receiver has no status push: none sent
        assert all(r["operation"] != "atualizarStatusProtocolo" for r in receiver.received)


def test_a_receiver_gets_only_the_messages_it_declares(network, api_for, receivers):
    to_0137 = receivers(network["0137"])
    network["0137"].receiver_accepts = ["003"]
    network["0137"].save()
    origin = api_for(network["0025"])
    sent = message("solicitarProtocolo", "TOTVS", "R000000001")
    number = origin.post(URL + "solicitarProtocolo", sent, format="json").json()[
        "resposta_solicitar_protocolo"
    ]["nr_protocolo"]
    origin.post(
        URL + "complementaProtocolo",
        message("complementaProtocolo", "TOTVS", "R000000002", number=number),
        format="json",
    )
    assert list(Delivery.objects.values_list("operation", flat=True)) == ["complementaProtocolo"]
    for delivery in Delivery.objects.all():
        delivery_attempt(delivery_id=delivery.pk)
    assert [r["operation"] for r in to_0137.received] == ["complementaProtocolo"]
    # The protocol is still in 0137's read API and panel inbox.
    assert api_for(network["0137"]).get(f"/api/v1/protocolos/{number}/").status_code == 200


def test_unknown_category_opens_flagged_with_the_default_deadline(network, api_for):
    """The Laravel client's own example: category 18 with manifestation type 7."""
    from protocols.models import Category

    sent = message("solicitarProtocolo", "Laravel", "U000000001")
    sent["solicitar_protocolo"].update({"tp_manifestacao": "7", "tp_categoria_manifestacao": [18]})
    response = api_for(network["0025"]).post(URL + "solicitar-protocolo", sent, format="json")
    assert response.status_code == 201, response.json()
    reply = response.json()["resposta_solicitar_protocolo"]
    assert reply["categoria_nao_mapeada"] is True
    assert reply["tp_categoria_manifestacao"] == [18] and reply["tp_manifestacao"] == "7"
    protocol = Protocol.objects.get(number=reply["nr_protocolo"])
    fallback = Category.objects.get(is_fallback=True)
    assert protocol.catalog_unmapped and protocol.category == fallback
    assert (protocol.category_code_received, protocol.manifestation_code_received) == (18, "7")
    assert protocol.deadline_days == fallback.business_days == 5
    # An unknown type with a known category keeps the category's own deadline, flagged too.
    sent = message("solicitarProtocolo", "TOTVS", "U000000002")
    sent["solicitar_protocolo"]["tp_manifestacao"] = "Q"
    reply = (
        api_for(network["0025"])
        .post(URL + "solicitarProtocolo", sent, format="json")
        .json()["resposta_solicitar_protocolo"]
    )
    other = Protocol.objects.get(number=reply["nr_protocolo"])
    assert (
        other.catalog_unmapped and other.category.code == 4 and other.manifestation_type.is_fallback
    )


def test_errors_are_recognised_by_totvs(network, api_for):
    """TOTVS treats a reply as an error only with id_identificador 2, then shows
    StrZero(id_erro, 4) and mensagem."""
    sent = message("solicitarProtocolo", "TOTVS", "E000000001")
    sent["solicitar_protocolo"]["cd_cpf"] = "123"
    for response in (
        api_for(network["0025"]).post(URL + "solicitarProtocolo", sent, format="json"),
        api_for(network["0025"]).post(
            URL + "consultaStatusProtocolo",
            message("consultaStatusProtocolo", "TOTVS", "E000000002", number="9" * 20),
            format="json",
        ),
        api_for(network["0025"]).post(
            URL + "solicitarProtocolo", b"{nope", content_type="application/json"
        ),
    ):
        body = response.json()
        assert response.status_code in (400, 404)
        assert body["id_identificador"] == 2
        assert isinstance(body["id_erro"], int) and 1 <= body["id_erro"] <= 9999
        assert body["mensagem"] and body["codigo"]


def test_numbers_as_strings_and_codes_as_numbers(network, api_for):
    sent = message("solicitarProtocolo", "TOTVS", "N000000001")
    block = sent["solicitar_protocolo"]
    block.update(
        {
            "id_resposta": "3",
            "tp_categoria_manifestacao": ["4"],
            "tp_manifestacao": 2,
            "tp_sub_categoria": "1",
            "id_sistema": "1",
        }
    )
    sent["cabecalho_transacao"]["nr_transacao_prestadora"] = "12345"  # shorter than 10
    response = api_for(network["0025"]).post(URL + "solicitarProtocolo", sent, format="json")
    assert response.status_code == 201, response.json()
    protocol = Protocol.objects.get()
    assert (protocol.sender_transaction_id, protocol.category.code, protocol.subcategory_code) == (
        "12345",
        4,
        1,
    )


def test_nr_ans_instead_of_destination_on_a_forward(network, api_for):
    sent = message("solicitarProtocolo", "TOTVS", "A000000001")
    number = (
        api_for(network["0025"])
        .post(URL + "solicitarProtocolo", sent, format="json")
        .json()["resposta_solicitar_protocolo"]["nr_protocolo"]
    )
    forward = message("encaminharExecucao", "TOTVS", "A000000002", number=number)
    forward["encaminhar_execucao"]["nr_protocolo_anterior"] = number
    forward["cabecalho_transacao"].pop("cd_uni_destino")
    forward["cabecalho_transacao"]["nr_ans"] = "366601"  # 0666's registry
    response = api_for(network["0137"]).post(URL + "encaminharExecucao", forward, format="json")
    assert response.status_code == 200, response.json()
    assert Protocol.objects.get().responsible_unimed.code == "0666"


def test_giu_style_sign_in_gives_a_working_token(network, client):
    from unimeds.services import service_account_create

    account, secret = service_account_create(unimed=network["0025"], client_id="svc-0025")
    answer = client.post(
        "/api/v1/gpu/token",
        {"grant_type": "password", "username": "svc-0025", "password": secret},
        content_type="application/json",
    )
    assert answer.status_code == 200, answer.json()
    data = answer.json()
    assert {
        "access_token",
        "token_id",
        "user_id",
        "senha_expirada",
        "expires_in",
        "token_type",
    } <= set(data)
    assert data["senha_expirada"] is False and data["user_id"] == "svc-0025"
    assert len(answer.cookies) >= 2  # the Laravel client reads two cookies off this answer
    sent = message("consultaStatusProtocolo", "Laravel", "G000000001", number="9" * 20)
    status = client.post(
        URL + "consulta-status",
        sent,
        content_type="application/json",
        HTTP_AUTHORIZATION=f"Bearer {data['access_token']}",
    )
    assert (
        status.status_code == 404 and status.json()["codigo"] == "nao_encontrado"
    )  # authenticated

    wrong = client.post(
        "/api/v1/gpu/token",
        {"grant_type": "password", "username": "svc-0025", "password": "x"},
        content_type="application/json",
    )
    unknown = client.post(
        "/api/v1/gpu/token",
        {"grant_type": "password", "username": "svc-9999", "password": "x"},
        content_type="application/json",
    )
    assert wrong.status_code == unknown.status_code == 401
    assert wrong.json()["mensagem"] == unknown.json()["mensagem"]
    account.is_active = False
    account.save()
    inactive = client.post(
        "/api/v1/gpu/token",
        {"grant_type": "password", "username": "svc-0025", "password": secret},
        content_type="application/json",
    )
    assert inactive.status_code == 401


def test_giu_sign_in_locks_out_for_a_while_after_repeated_failures(network, client, settings):
    from unimeds.services import service_account_create

    service_account_create(unimed=network["0025"], client_id="svc-0025", client_secret="s" * 20)
    for _ in range(settings.AXES_FAILURE_LIMIT):
        assert (
            client.post(
                "/api/v1/gpu/token",
                {"grant_type": "password", "username": "svc-0025", "password": "errada"},
                content_type="application/json",
            ).status_code
            == 401
        )
    locked = client.post(
        "/api/v1/gpu/token",
        {"grant_type": "password", "username": "svc-0025", "password": "s" * 20},
        content_type="application/json",
    )
    assert locked.status_code == 429 and locked.json()["id_identificador"] == 2
