"""Request and response examples of every GPU operation, shaped as the Unimeds' systems
shape them (TOTVS PLS and the Laravel client), for the OpenAPI schema, docs/api.md and
the conformance tests. The solicitarProtocolo request is the shared GPU example
(examples/solicitarProtocolo.json)."""

import copy
import json
from pathlib import Path

_FIXTURE = json.loads(
    (Path(__file__).resolve().parent / "examples" / "solicitarProtocolo.json").read_text()
)
NUMBER = "32283120261120500001"
NON_CLIENT_NUMBER = "30214720261120500001"
CARD = {"cd_unimed": "0137", "id_benef": "0004812345670"}


def header(
    code: str,
    origin: str = "0025",
    tx: str = "0000000042",
    destination: str | None = "0137",
    date_key: str = "dt_manifestacao",
) -> dict:
    """A TOTVS header: every key present, destination by code and ANS registry."""
    return {
        "cd_transacao": code,
        "tp_cliente": "UNIMED",
        "cd_uni_origem": origin,
        "cd_uni_destino": destination,
        "nr_ans": {"0137": "322831", "0025": "302147", "0666": "366601"}.get(destination or ""),
        "nr_transacao_prestadora": tx,
        date_key: "2026-11-20 16:45:00",
        "id_usuario": "atendente.sac",
        "nr_versao_protocolo": "001",
    }


def _solicitar() -> dict:
    message = copy.deepcopy(_FIXTURE)
    message["cabecalho_transacao"]["nr_ans"] = "322831"
    message["solicitar_protocolo"].update(
        {"tp_sub_categoria": 1, "nr_protocolo_anterior": "0" * 20, "id_sistema": None}
    )
    return message


REQUESTS: dict[str, dict] = {
    "solicitarProtocolo": _solicitar(),
    "complementaProtocolo": {
        "cabecalho_transacao": header("003", tx="0000000044"),
        "pedido_complemento_protocolo": {
            **CARD,
            "nr_protocolo": NUMBER,
            "id_resposta": 3,
            "mensagem": "Segue o número do pedido médico: 123456.",
            "nr_transacao_intercambio": "0000000042",
        },
    },
    "responderAtendimento": {
        "cabecalho_transacao": header("005", origin="0137", tx="RESP000001", destination="0025"),
        "resposta_atendimento": {
            **CARD,
            "nr_protocolo": NUMBER,
            "id_resposta": 3,
            "nr_transacao_origem_benef": "0000000042",
            "nr_transacao_intercambio": None,
            "mensagem": "Ressonância autorizada; guia 998877.",
        },
    },
    "consultaStatusProtocolo": {
        "cabecalho_transacao": header("007", tx="0000000045"),
        "consulta_status_protocolo": {**CARD, "nr_protocolo": NUMBER},
    },
    "historicoProtocoloConsulta": {
        "cabecalho_transacao": {
            **header("009", tx="0000000046", destination=None),
            "nr_versao_protocolo": None,
        },
        "consulta_historico": {
            **CARD,
            "dt_inicio_historico": "2026-11-01 00:00:00",
            "dt_fim_historico": "2026-11-30 23:59:59",
        },
    },
    "cancelarAtendimento": {
        "cabecalho_transacao": header("011", tx="0000000047", date_key="dt_cancelamento"),
        "cancelamento": {
            **CARD,
            "nr_protocolo": NUMBER,
            "motivo_cancelamento": "Beneficiária desistiu do exame.",
        },
    },
    "encaminharExecucao": {
        "cabecalho_transacao": header("013", origin="0137", tx="RESP000002", destination="0666"),
        "encaminhar_execucao": {
            **CARD,
            "nome": "MARIA DA SILVA SOUZA",
            "cd_cpf": None,
            "ddd": "0048",
            "telefone": "991234567",
            "email": "maria.souza@example.com.br",
            "tp_manifestacao": "2",
            "tp_categoria_manifestacao": [4],
            "nr_transacao_intercambio": "0000000042",
            "nr_protocolo_anterior": NUMBER,
            "mensagem": "Exame executado pela Unimed 0666.",
        },
    },
    "protocoloNaoCliente": {
        "cabecalho_transacao": header("015", tx="0000000043", destination="0025"),
        "solicitar_protocolo": {
            "tp_solicitante": "PJ",
            "nome_empresa": "Padaria Boa Ltda",
            "nome_solicitante": "Ana Pereira",
            "cd_cpf": "",
            "cd_cnpj": "11222333000181",
            "ddd": "48",
            "telefone": "991234567",
            "email": "ana@padariaboa.com.br",
            "cd_uf": "SC",
            "cd_cidade": "4205407",
            "tp_manifestacao": "8",
            "tp_categoria_manifestacao": [8],
            "nr_vidas": 12,
            "tp_plano": "2",
            "plano_atual": "Outra operadora",
            "faixa_etaria": [
                {"faixa_etaria": "19-23", "nr_vidas": 5},
                {"faixa_etaria": "34-38", "nr_vidas": 7},
            ],
            "id_dependente": None,
            "mensagem_plano": "Quer coparticipação.",
            "tp_modalidade": "pre_pagamento",
            "sinistralidade": 62.5,
            "id_resposta": 1,
            "mensagem": "Empresa quer cotar plano para 12 vidas.",
        },
    },
    "responderNaoCliente": {
        "cabecalho_transacao": header("017", origin="0025", tx="RESP000003", destination="0025"),
        "resposta_nao_cliente": {
            "nr_protocolo": NON_CLIENT_NUMBER,
            "id_resposta": 1,
            "mensagem": "Cotação enviada por e-mail ao contato da empresa.",
        },
    },
    "statusNaoCliente": {
        "cabecalho_transacao": header("019", tx="0000000048", destination="0025"),
        "solicitar_status_protocolo_nao_cliente": {
            "nr_protocolo": NON_CLIENT_NUMBER,
            "cd_cpf": "",
            "cd_cnpj": "11222333000181",
            "email": "",
        },
    },
}


def laravel(message: dict) -> dict:
    """The same message as the Laravel client builds it: numbers where it sends numbers,
    null for what it has not, no cd_uni_destino on queries."""
    out = copy.deepcopy(message)
    header_, block = (
        out["cabecalho_transacao"],
        next(v for k, v in out.items() if k != "cabecalho_transacao"),
    )
    header_["id_usuario"] = "teste"
    for key in ("nr_transacao_intercambio", "cd_cpf", "nr_protocolo_anterior"):
        if key in block and not block[key]:
            block[key] = None
    if "id_resposta" in block and isinstance(block["id_resposta"], int):
        block["id_resposta"] = str(block["id_resposta"])  # a numeric string is a number too
    return out


REQUEST_VARIANTS: dict[str, dict[str, dict]] = {
    name: {"TOTVS": message, "Laravel": laravel(message)} for name, message in REQUESTS.items()
}


def _reply(
    code: str, key: str, block, origin: str = "0025", tx: str = "0000000042", **extra
) -> dict:
    head = header(code, origin=origin, tx=tx)
    head.update(extra)
    return {"cabecalho_transacao": head, key: block}


_STATUS = {
    "status": "aberto",
    "ds_status": "Aberto",
    "cd_uni_responsavel": "0137",
    "dt_prazo": "2026-12-04",
    "atrasado": False,
    "dt_resposta": None,
    "categoria_nao_mapeada": False,
}

RESPONSES: dict[str, tuple[int, dict | list]] = {
    "solicitarProtocolo": (
        201,
        _reply(
            "002",
            "resposta_solicitar_protocolo",
            {
                "nr_protocolo": NUMBER,
                "id_resposta": 3,
                **CARD,
                "id_sistema": 2,
                "tp_manifestacao": "2",
                "tp_categoria_manifestacao": [4],
                "mensagem": f"Protocolo {NUMBER} registrado. Unimed responsável: 0137; prazo: 04/12/2026.",
                **_STATUS,
            },
        ),
    ),
    "complementaProtocolo": (
        200,
        _reply(
            "004",
            "resposta_complemento",
            {**CARD, "id_origem_resposta": 1, "nr_protocolo": NUMBER, **_STATUS},
            tx="0000000044",
        ),
    ),
    "responderAtendimento": (
        200,
        _reply(
            "006",
            "resposta_atendimento",
            {
                **CARD,
                "id_origem_resposta": 1,
                "nr_protocolo": NUMBER,
                **_STATUS,
                "status": "respondido",
                "ds_status": "Respondido",
                "dt_resposta": "2026-11-21 10:02:13",
            },
            origin="0137",
            tx="RESP000001",
        ),
    ),
    "consultaStatusProtocolo": (
        200,
        _reply(
            "008",
            "resposta_consulta_status_protocolo",
            {
                "nr_protocolo": NUMBER,
                "nome": "MARIA DA SILVA SOUZA",
                **CARD,
                "tp_manifestacao": "2",
                "tp_categoria_manifestacao": [4],
                "id_resposta": 3,
                "id_usuario": "atendente.sac",
                "dt_solicitacao_protocolo": "2026-11-20 16:45:02",
                "mensagem": "Beneficiária em intercâmbio pede…",
                "id_origem_resposta": None,
                "num_trans_interc_prestadora": "0000000042",
                "num_trans_origem_beneficiario": "0000000042",
                **_STATUS,
            },
            tx="0000000045",
            dt_sol_protocolo="2026-11-20 16:45:02",
        ),
    ),
    "historicoProtocoloConsulta": (
        200,
        _reply(
            "010",
            "resposta_consulta_historico",
            [
                {
                    "nr_protocolo": NUMBER,
                    "dt_manifestacao": "2026-11-20 16:45:02",
                    "id_resposta": 3,
                    "id_sistema": 2,
                    "nr_transacao_prestadora": "0000000042",
                    "id_usuario": "Sistema da Unimed 0025",
                    "nr_versao_protocolo": "001",
                    "tp_manifestacao": "2",
                    "tp_categoria_manifestacao": [4],
                    "cd_uni_origem": "0025",
                    **_STATUS,
                }
            ],
            tx="0000000046",
        ),
    ),
    "cancelarAtendimento": (
        200,
        _reply(
            "012",
            "confirmacao",
            {
                **CARD,
                "id_resposta": 3,
                "nr_protocolo": NUMBER,
                "id_sistema": 1,
                **_STATUS,
                "status": "cancelado",
                "ds_status": "Cancelado",
            },
            tx="0000000047",
        ),
    ),
    "encaminharExecucao": (
        200,
        _reply(
            "014",
            "confirmacao",
            {
                **CARD,
                "id_resposta": 3,
                "nr_protocolo": NUMBER,
                "id_sistema": 1,
                **_STATUS,
                "status": "encaminhado",
                "ds_status": "Encaminhado",
                "cd_uni_responsavel": "0666",
            },
            origin="0137",
            tx="RESP000002",
        ),
    ),
    "protocoloNaoCliente": (
        201,
        _reply(
            "016",
            "resposta_solicitar_protocolo_nao_cliente",
            {
                "nr_protocolo": NON_CLIENT_NUMBER,
                "id_resposta": 1,
                "id_sistema": 2,
                "id_lead": 17,
                **_STATUS,
                "cd_uni_responsavel": "0025",
            },
            tx="0000000043",
        ),
    ),
    "responderNaoCliente": (
        200,
        _reply(
            "018",
            "confirmacao",
            {
                "cd_unimed": "0025",
                "id_benef": "",
                "id_resposta": 1,
                "nr_protocolo": NON_CLIENT_NUMBER,
                "id_sistema": 1,
                **_STATUS,
                "status": "respondido",
                "ds_status": "Respondido",
                "cd_uni_responsavel": "0025",
            },
            tx="RESP000003",
        ),
    ),
    "statusNaoCliente": (
        200,
        _reply(
            "020",
            "resposta_solicitar_status_protocolo_nao_cliente",
            {
                "nr_protocolo": NON_CLIENT_NUMBER,
                "tp_solicitante": "PJ",
                "nome_empresa": "Padaria Boa Ltda",
                "nome_solicitante": "Ana Pereira",
                "cd_cnpj": "11222333000181",
                "nr_vidas": 12,
                "faixa_etaria": [
                    {"faixa_etaria": "19-23", "nr_vidas": 5},
                    {"faixa_etaria": "34-38", "nr_vidas": 7},
                ],
                "dt_solicitacao_protocolo": "2026-11-20 16:45:02",
                "id_lead": 17,
                "situacao_lead": "novo",
                **_STATUS,
                "cd_uni_responsavel": "0025",
            },
            tx="0000000048",
        ),
    ),
}


def _error(number: int, code: str, message: str, fields: dict | None = None) -> dict:
    return {
        "id_identificador": 2,
        "id_erro": number,
        "codigo": code,
        "mensagem": message,
        "campos": fields or {},
    }


ERRORS: dict[int, tuple[str, dict]] = {
    400: (
        "Dados inválidos",
        _error(
            1001,
            "dados_invalidos",
            "Deve ter exatamente 11 dígitos.",
            {"solicitar_protocolo.cd_cpf": ["Deve ter exatamente 11 dígitos."]},
        ),
    ),
    401: (
        "Sem token",
        _error(
            2001, "nao_autenticado", "Autenticação necessária: envie Authorization: Bearer <token>."
        ),
    ),
    403: (
        "Origem divergente",
        _error(
            2011,
            "origem_divergente",
            "cd_uni_origem 0025 não é a Unimed do token (0666): uma Unimed só envia em seu próprio nome.",
            {"cabecalho_transacao.cd_uni_origem": ["…"]},
        ),
    ),
    404: (
        "Protocolo de outra Unimed ou inexistente",
        _error(3001, "nao_encontrado", "Protocolo não encontrado."),
    ),
    409: (
        "Transação repetida com outro conteúdo",
        _error(
            4002,
            "transacao_repetida",
            "A transação 0000000042 da Unimed 0025 já foi recebida com outro conteúdo (solicitarProtocolo). "
            "Use um novo nr_transacao_prestadora.",
            {"cabecalho_transacao.nr_transacao_prestadora": ["…"]},
        ),
    ),
}
