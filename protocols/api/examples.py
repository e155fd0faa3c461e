"""Request and response examples of every GPU operation, for the OpenAPI schema and
docs/api.md. The solicitarProtocolo request is the shared GPU fixture (examples/) with
tp_manifestacao "S", the hub's letter code; the fixture's own "2" is accepted too, as the
GPU wire digit of the same type (protocols migration 0007)."""

import copy
import json
from pathlib import Path

_FIXTURE = json.loads((Path(__file__).resolve().parent / "examples" / "solicitarProtocolo.json").read_text())
NUMBER = "32283120261120500001"


def _header(code: str, origin: str = "0025", tx: str = "0000000042") -> dict:
    header = copy.deepcopy(_FIXTURE["cabecalho_transacao"])
    header.update({"cd_transacao": code, "cd_uni_origem": origin, "nr_transacao_prestadora": tx})
    return header


def _solicitar() -> dict:
    return copy.deepcopy(_FIXTURE)


def _reply(code: str, key: str, block: dict, origin: str = "0025", tx: str = "0000000042") -> dict:
    return {"cabecalho_transacao": {"cd_transacao": code, "cd_uni_origem": origin,
                                    "nr_transacao_prestadora": tx, "nr_versao_protocolo": "001"},
            key: block}


_STATUS = {"nr_protocolo": NUMBER, "status": "aberto", "ds_status": "Aberto", "cd_uni_responsavel": "0137",
           "dt_prazo": "2026-12-04", "atrasado": False, "dt_resposta": None}

REQUESTS: dict[str, dict] = {
    "solicitarProtocolo": _solicitar(),
    "protocoloNaoCliente": {
        "cabecalho_transacao": _header("015", tx="0000000043"),
        "protocolo_nao_cliente": {
            "nome": "ANA PEREIRA", "email": "ana@padariaboa.com.br", "ddd": "48", "telefone": "991234567",
            "cd_uf": "SC", "cd_cidade": "4205407", "tp_manifestacao": "P", "tp_categoria_manifestacao": [8],
            "id_resposta": 1, "mensagem": "Empresa quer cotar plano para 12 vidas.",
            "tp_solicitante": "PJ", "nome_empresa": "Padaria Boa Ltda", "nome_solicitante": "Ana Pereira",
            "cd_cnpj": "11222333000181", "nr_vidas": 12, "tp_plano": "empresarial",
            "plano_atual": "Outra operadora", "faixa_etaria": [{"faixa": "19-23", "vidas": 5},
                                                              {"faixa": "34-38", "vidas": 7}],
            "tp_modalidade": "pre_pagamento", "sinistralidade": "62.50",
        },
    },
    "complementaProtocolo": {"cabecalho_transacao": _header("004", tx="0000000044"),
                             "complementa_protocolo": {"nr_protocolo": NUMBER,
                                                       "mensagem": "Segue o número do pedido médico: 123456."}},
    "responderAtendimento": {"cabecalho_transacao": _header("002", origin="0137", tx="RESP000001"),
                             "responder_atendimento": {"nr_protocolo": NUMBER, "conclusiva": True,
                                                       "mensagem": "Ressonância autorizada; guia 998877."}},
    "consultaStatusProtocolo": {"cabecalho_transacao": _header("007", tx="0000000045"),
                                "consulta_status_protocolo": {"nr_protocolo": NUMBER}},
    "historicoProtocoloConsulta": {"cabecalho_transacao": _header("009", tx="0000000046"),
                                   "historico_protocolo_consulta": {"nr_protocolo": NUMBER}},
    "cancelarAtendimento": {"cabecalho_transacao": _header("011", tx="0000000047"),
                            "cancelar_atendimento": {"nr_protocolo": NUMBER,
                                                     "motivo": "Beneficiária desistiu do exame."}},
    "encaminharExecucao": {"cabecalho_transacao": _header("013", origin="0137", tx="RESP000002"),
                           "encaminhar_execucao": {"nr_protocolo": NUMBER, "cd_uni_destino": "0666",
                                                   "motivo": "Exame executado pela Unimed 0666."}},
    "statusNaoCliente": {"cabecalho_transacao": _header("017", tx="0000000048"),
                         "status_nao_cliente": {"nr_protocolo": "32283120261120500002"}},
}

RESPONSES: dict[str, tuple[int, dict]] = {
    "solicitarProtocolo": (201, _reply("002", "resposta_solicitar_protocolo", {
        **_STATUS, "cd_unimed": "0137", "id_benef": "0004812345670", "id_resposta": 3, "id_sistema": 2,
        "mensagem": f"Protocolo {NUMBER} registrado. Unimed responsável: 0137; prazo: 04/12/2026."})),
    "protocoloNaoCliente": (201, _reply("016", "resposta_protocolo_nao_cliente", {
        **_STATUS, "nr_protocolo": "30214720261120500001", "cd_uni_responsavel": "0025", "id_resposta": 1,
        "id_sistema": 2, "id_lead": 17,
        "mensagem": "Protocolo 30214720261120500001 registrado. Unimed responsável: 0025; prazo: 01/12/2026."},
        tx="0000000043")),
    "complementaProtocolo": (200, _reply("002", "resposta_complementa_protocolo", _STATUS, tx="0000000044")),
    "responderAtendimento": (200, _reply("002", "resposta_responder_atendimento", {
        **_STATUS, "status": "respondido", "ds_status": "Respondido", "dt_resposta": "2026-11-21 10:02:13"},
        origin="0137", tx="RESP000001")),
    "consultaStatusProtocolo": (200, _reply("008", "resposta_consulta_status_protocolo", _STATUS,
                                            tx="0000000045")),
    "historicoProtocoloConsulta": (200, _reply("010", "resposta_historico_protocolo_consulta", {
        **_STATUS, "eventos": [{"id_evento": "6f1c2f7e-8d4b-4f51-9f7e-0a4de3a1c001", "seq": 1,
                                "tp_evento": "aberto", "ds_evento": "Protocolo aberto",
                                "dt_evento": "2026-11-20 16:45:02", "status_anterior": "", "status": "aberto",
                                "mensagem": "Beneficiária em intercâmbio pede informação…",
                                "cd_uni_autor": "0025", "tp_cliente": "UNIMED"}]}, tx="0000000046")),
    "cancelarAtendimento": (200, _reply("012", "resposta_cancelar_atendimento", {
        **_STATUS, "status": "cancelado", "ds_status": "Cancelado"}, tx="0000000047")),
    "encaminharExecucao": (200, _reply("014", "resposta_encaminhar_execucao", {
        **_STATUS, "status": "encaminhado", "ds_status": "Encaminhado", "cd_uni_responsavel": "0666"},
        origin="0137", tx="RESP000002")),
    "statusNaoCliente": (200, _reply("008", "resposta_status_nao_cliente", {
        **_STATUS, "nr_protocolo": "32283120261120500002"}, tx="0000000048")),
}

ERRORS: dict[int, tuple[str, dict]] = {
    400: ("Dados inválidos", {"id_erro": "dados_invalidos", "mensagem": "Deve ter exatamente 11 dígitos.",
                              "campos": {"solicitar_protocolo.cd_cpf": ["Deve ter exatamente 11 dígitos."]}}),
    401: ("Sem token", {"id_erro": "nao_autenticado",
                        "mensagem": "Autenticação necessária: envie Authorization: Bearer <token>.", "campos": {}}),
    403: ("Origem divergente", {
        "id_erro": "origem_divergente",
        "mensagem": "cd_uni_origem 0025 não é a Unimed do token (0666): uma Unimed só envia em seu próprio nome.",
        "campos": {"cabecalho_transacao.cd_uni_origem": ["…"]}}),
    404: ("Protocolo de outra Unimed ou inexistente", {"id_erro": "nao_encontrado",
                                                        "mensagem": "Protocolo não encontrado.", "campos": {}}),
    409: ("Transação repetida com outro conteúdo", {
        "id_erro": "transacao_repetida",
        "mensagem": "A transação 0000000042 da Unimed 0025 já foi recebida com outro conteúdo "
                    "(solicitarProtocolo). Use um novo nr_transacao_prestadora.",
        "campos": {"cabecalho_transacao.nr_transacao_prestadora": ["…"]}}),
}
