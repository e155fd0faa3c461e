"""The GPU operations: wire message → the protocols and leads services → wire answer.

Each handler takes the acting service account (Actor), the validated header and
body, and returns (HTTP status, answer block, protocol). The same services serve the
panel and the portal; nothing here decides a business rule.
"""

from collections.abc import Callable
from dataclasses import dataclass

from django.utils.translation import gettext as _

from core.errors import DomainError, InvalidInput, NotFound
from gpu_api import serializers as s
from gpu_api.wire import translate
from leads.selectors import lead_of_protocol
from leads.services import nonclient_request_open
from protocols.models import Kind, Protocol
from protocols.outbox.messages import (
    OPERATIONS,
    PROTOCOL_VERSION,
    Operation,
    answer_origin,
    beneficiary,
    status_extras,
    status_reply_block,
    wire_categories,
    wire_datetime,
    wire_type,
)
from protocols.selectors import protocol_get, protocol_last_answer, protocols_of_beneficiary
from protocols.services import (
    protocol_answer,
    protocol_cancel,
    protocol_complement,
    protocol_forward,
    protocol_open,
)
from unimeds.actors import Actor
from unimeds.selectors import unimed_by_ans, unimed_by_code

HISTORY_LIMIT = 500

_REQUESTER_NAMES = {
    "requester.name": "nome",
    "requester.cpf": "cd_cpf",
    "requester.phone_ddd": "ddd",
    "requester.phone": "telefone",
    "requester.email": "email",
    "requester.uf": "cd_uf",
    "requester.city_code": "cd_cidade",
    "requester": "nome",
    "municipality_code": "cd_cidade",
    "card": "id_benef",
    "manifestation_type": "tp_manifestacao",
    "category": "tp_categoria_manifestacao",
    "answer_preference": "id_resposta",
    "message": "mensagem",
    "serving_unimed_code": "cd_uni_atendimento",
    "previous_number": "nr_protocolo_anterior",
    "external_number": "nr_protocolo",
    "intercambio_transaction_id": "nr_transacao_intercambio",
    "sender_transaction_id": "cabecalho_transacao.nr_transacao_prestadora",
    "channel": "cabecalho_transacao.tp_cliente",
    "kind": "__all__",
    # lead_intake's keys (the non-client demand)
    "document": "cd_cnpj",
    "name": "nome_solicitante",
    "company_name": "nome_empresa",
    "email": "email",
    "phone": "telefone",
    "lives": "nr_vidas",
    "age_bands": "faixa_etaria",
    "plan_type": "tp_plano",
    "current_plan": "plano_atual",
    "source": "__all__",
}
_ACTION_NAMES = {
    "message": "mensagem",
    "reason": "motivo_cancelamento",
    "status": "nr_protocolo",
    "to_unimed_code": "cabecalho_transacao.cd_uni_destino",
}
_FORWARD_NAMES = {**_ACTION_NAMES, "reason": "mensagem", "protocol": "nr_protocolo_anterior"}

# tp_plano: the codes of the Unimeds' systems (ANS contract types) or the hub's names.
PLAN_CODES = {
    "1": "individual",
    "2": "empresarial",
    "3": "adesao",
    "4": "adesao",
    "individual": "individual",
    "familiar": "individual",
    "empresarial": "empresarial",
    "adesao": "adesao",
    "adesão": "adesao",
}
REQUESTER_KINDS = {"PF": "PF", "F": "PF", "1": "PF", "PJ": "PJ", "J": "PJ", "2": "PJ"}


@dataclass(frozen=True)
class Handler:
    op: Operation
    body: type
    run: Callable[[Actor, dict, dict], tuple[int, dict | list, Protocol | None]]
    names: dict
    summary: str


def confirmation(protocol: Protocol, event=None) -> dict:
    """012 / 014 / 018 confirmacao."""
    return {
        **beneficiary(protocol),
        "id_resposta": protocol.answer_preference,
        "nr_protocolo": protocol.number,
        "id_sistema": answer_origin(protocol, event) or 2,
        **status_extras(protocol),
    }


def _requester(body: dict) -> dict:
    return {
        "name": body.get("nome_solicitante") or body.get("nome") or body.get("nome_empresa") or "",
        "cpf": body.get("cd_cpf", ""),
        "phone_ddd": body.get("ddd", ""),
        "phone": body.get("telefone", ""),
        "email": body.get("email", ""),
        "uf": body.get("cd_uf", ""),
        "city_code": body.get("cd_cidade", ""),
    }


def _protocol_fields(header: dict, body: dict) -> dict:
    return {
        "channel": header["tp_cliente"],
        "requester": _requester(body),
        "manifestation_type": body["tp_manifestacao"],
        "category": body["tp_categoria_manifestacao"][0],
        "subcategory": body.get("tp_sub_categoria"),
        "answer_preference": body["id_resposta"],
        "message": body["mensagem"],
        "municipality_code": body.get("cd_cidade") or None,
        "sender_transaction_id": header["nr_transacao_prestadora"],
    }


def _opened_block(protocol: Protocol) -> dict:
    return {
        "nr_protocolo": protocol.number,
        "id_resposta": protocol.answer_preference,
        **beneficiary(protocol),
        "mensagem": (
            f"Protocolo {protocol.number} registrado. Unimed responsável: "
            f"{protocol.responsible_unimed.code}; prazo: {protocol.due_date:%d/%m/%Y}."
        ),
        "id_sistema": 1 if protocol.externally_numbered else 2,  # who numbered it
        "tp_manifestacao": wire_type(protocol),
        "tp_categoria_manifestacao": wire_categories(protocol),
        **status_extras(protocol),
    }


def solicitar_protocolo(actor, header, body):
    protocol = protocol_open(
        actor=actor,
        kind=Kind.BENEFICIARIO,
        **_protocol_fields(header, body),
        card=body["cd_unimed"] + body["id_benef"],
        serving_unimed_code=body.get("cd_uni_atendimento") or None,
        previous_number=body.get("nr_protocolo_anterior") or None,
        external_number=body.get("nr_protocolo") or None,
        intercambio_transaction_id=body.get("nr_transacao_intercambio") or None,
    )
    return 201, _opened_block(protocol), protocol


def _demand(body: dict) -> dict | None:
    """The lead part of a non-client request, or None when it carries none."""
    if not any(
        body.get(field) not in (None, "", [])
        for field in s.SolicitarProtocoloNaoCliente.LEAD_FIELDS
    ):
        return None
    document = body.get("cd_cnpj") or body.get("cd_cpf") or ""
    if not document:
        message = "Informe cd_cnpj (empresa) ou cd_cpf (pessoa) para registrar a proposta."
        raise InvalidInput(message, fields={"cd_cnpj": [message]})
    plan = str(body.get("tp_plano", "")).strip().lower()
    if plan and plan not in PLAN_CODES:
        message = f"tp_plano {plan} desconhecido: use 1 (individual/familiar), 2 (empresarial) ou 3 (adesão)."
        raise InvalidInput(message, fields={"tp_plano": [message]})
    notes = [
        body.get("mensagem_plano", ""),
        f"Solicitante: {REQUESTER_KINDS.get(str(body['tp_solicitante']).upper(), body['tp_solicitante'])}"
        if body.get("tp_solicitante")
        else "",
        f"Modalidade: {body['tp_modalidade']}" if body.get("tp_modalidade") else "",
        f"Sinistralidade atual: {body['sinistralidade']}%"
        if body.get("sinistralidade") is not None
        else "",
        f"Dependentes: {body['id_dependente']}" if body.get("id_dependente") is not None else "",
    ]
    return {
        "document": document,
        "name": body.get("nome_solicitante") or body.get("nome") or body.get("nome_empresa") or "",
        "email": body.get("email", ""),
        "phone": f"{body.get('ddd', '')}{body.get('telefone', '')}",
        "lives": body.get("nr_vidas"),
        "age_bands": [
            {"faixa": band["faixa_etaria"], "vidas": band.get("nr_vidas")}
            for band in body.get("faixa_etaria") or []
        ]
        or None,
        "plan_type": PLAN_CODES.get(plan, ""),
        "current_plan": body.get("plano_atual", ""),
        "company_name": body.get("nome_empresa", ""),
        "message": "\n".join([body["mensagem"], *[n for n in notes if n]]),
    }


def protocolo_nao_cliente(actor, header, body):
    from leads.models import LeadSource

    protocol, lead = nonclient_request_open(
        actor=actor,
        source=LeadSource.INTEGRACAO,
        demand=_demand(body),
        **_protocol_fields(header, body),
    )
    block = {
        "nr_protocolo": protocol.number,
        "id_resposta": protocol.answer_preference,
        "id_sistema": 2,
        "id_lead": lead.pk if lead else None,
        **status_extras(protocol),
    }
    return 201, block, protocol


def _event_reply(protocol_number: str, actor: Actor, event) -> tuple[int, dict, Protocol]:
    protocol = protocol_get(actor=actor, number=protocol_number)
    block = {
        **beneficiary(protocol),
        "id_origem_resposta": answer_origin(protocol, event),
        "nr_protocolo": protocol.number,
        **status_extras(protocol),
    }
    return 200, block, protocol


def complementa_protocolo(actor, header, body):
    event = protocol_complement(
        actor=actor,
        protocol=body["nr_protocolo"],
        message=body["mensagem"],
        channel=header["tp_cliente"],
    )
    return _event_reply(body["nr_protocolo"], actor, event)


def responder_atendimento(actor, header, body):
    event = protocol_answer(
        actor=actor,
        protocol=body["nr_protocolo"],
        message=body["mensagem"],
        conclusive=body.get("conclusiva", True),
        channel=header["tp_cliente"],
    )
    return _event_reply(body["nr_protocolo"], actor, event)


def responder_nao_cliente(actor, header, body):
    protocol = protocol_get(actor=actor, number=body["nr_protocolo"])
    if protocol.kind != Kind.NAO_CLIENTE:
        message = "Este protocolo é de beneficiário: responda com resposta_atendimento (005)."
        raise InvalidInput(
            message, code="operacao_incompativel", fields={"nr_protocolo": [message]}
        )
    event = protocol_answer(
        actor=actor,
        protocol=protocol.number,
        message=body["mensagem"],
        conclusive=body.get("conclusiva", True),
        channel=header["tp_cliente"],
    )
    return 200, confirmation(protocol_get(actor=actor, number=protocol.number), event), protocol


def cancelar_atendimento(actor, header, body):
    event = protocol_cancel(
        actor=actor,
        protocol=body["nr_protocolo"],
        reason=body["motivo_cancelamento"],
        channel=header["tp_cliente"],
    )
    return 200, confirmation(protocol_get(actor=actor, number=body["nr_protocolo"]), event), None


def _destination(header: dict) -> str:
    code = header.get("cd_uni_destino")
    if not code and header.get("nr_ans"):
        unimed = unimed_by_ans(header["nr_ans"])
        code = unimed.code if unimed else None
        if code is None:
            message = f"Nenhuma Unimed ativa com o registro ANS {header['nr_ans']}."
            raise InvalidInput(message, fields={"cabecalho_transacao.nr_ans": [message]})
    if not code:
        message = "Informe a Unimed de destino em cabecalho_transacao.cd_uni_destino (ou nr_ans)."
        raise InvalidInput(message, fields={"cabecalho_transacao.cd_uni_destino": [message]})
    if unimed_by_code(code) is None:
        message = f"Unimed {code} não encontrada na rede."
        raise InvalidInput(message, fields={"cabecalho_transacao.cd_uni_destino": [message]})
    return code


def encaminhar_execucao(actor, header, body):
    number = body["nr_protocolo_anterior"]
    event = protocol_forward(
        actor=actor,
        protocol=number,
        to_unimed_code=_destination(header),
        reason=body["mensagem"],
        channel=header["tp_cliente"],
    )
    # After the forward the sender may still read it (it was responsible).
    return 200, confirmation(protocol_get(actor=actor, number=number), event), None


def consulta_status_protocolo(actor, header, body):
    protocol = protocol_get(actor=actor, number=body["nr_protocolo"])
    block = status_reply_block(protocol, protocol_last_answer(protocol=protocol))
    block["id_usuario"] = header.get("id_usuario")
    return 200, block, protocol


def historico(actor, header, body):
    start, end = body.get("dt_inicio_historico"), body.get("dt_fim_historico")
    if start and end and start > end:
        message = "dt_inicio_historico deve ser anterior a dt_fim_historico."
        raise InvalidInput(message, fields={"dt_inicio_historico": [message]})
    protocols = protocols_of_beneficiary(
        actor=actor, card=body["cd_unimed"] + body["id_benef"], start=start, end=end
    )[:HISTORY_LIMIT]
    items = [
        {
            "nr_protocolo": p.number,
            "dt_manifestacao": wire_datetime(p.opened_at),
            "id_resposta": p.answer_preference,
            "id_sistema": 1 if p.externally_numbered else 2,
            # The Laravel client reads these three off every item, unchecked.
            "nr_transacao_prestadora": p.sender_transaction_id or None,
            "id_usuario": p.opened_by,
            "nr_versao_protocolo": PROTOCOL_VERSION,
            "tp_manifestacao": wire_type(p),
            "tp_categoria_manifestacao": wire_categories(p),
            "cd_uni_origem": p.origin_unimed.code if p.origin_unimed_id else None,
            **status_extras(p),
        }
        for p in protocols
    ]
    return 200, items, None


def status_nao_cliente(actor, header, body):
    protocol = protocol_get(actor=actor, number=body["nr_protocolo"])
    if protocol.kind != Kind.NAO_CLIENTE:
        raise NotFound(
            _("Protocolo de não cliente não encontrado."),
            fields={"nr_protocolo": ["Não é um protocolo de não cliente."]},
        )
    lead = lead_of_protocol(protocol=protocol)
    block = {
        "nr_protocolo": protocol.number,
        "tp_solicitante": ("PJ" if lead.document_kind == "cnpj" else "PF") if lead else "PF",
        "nome_empresa": lead.company_name if lead else "",
        "nome_solicitante": protocol.requester_name,
        "cd_cnpj": lead.document if lead and lead.document_kind == "cnpj" else "",
        "nr_vidas": lead.lives if lead else None,
        "faixa_etaria": [
            {"faixa_etaria": b["faixa"], "nr_vidas": b.get("vidas")} for b in lead.age_bands
        ]
        if lead
        else [],
        "dt_solicitacao_protocolo": wire_datetime(protocol.opened_at),
        "id_lead": lead.pk if lead else None,
        "situacao_lead": lead.status if lead else None,
        **status_extras(protocol),
    }
    return 200, block, protocol


HANDLERS: dict[str, Handler] = {
    h.op.name: h
    for h in (
        Handler(
            OPERATIONS["solicitarProtocolo"],
            s.SolicitarProtocolo,
            solicitar_protocolo,
            _REQUESTER_NAMES,
            "Solicitar protocolo para beneficiário",
        ),
        Handler(
            OPERATIONS["complementaProtocolo"],
            s.ComplementoProtocolo,
            complementa_protocolo,
            _ACTION_NAMES,
            "Complementar protocolo",
        ),
        Handler(
            OPERATIONS["responderAtendimento"],
            s.RespostaAtendimento,
            responder_atendimento,
            _ACTION_NAMES,
            "Responder atendimento (conclusiva ou parcial)",
        ),
        Handler(
            OPERATIONS["consultaStatusProtocolo"],
            s.ConsultaStatusProtocolo,
            consulta_status_protocolo,
            _ACTION_NAMES,
            "Consultar situação do protocolo",
        ),
        Handler(
            OPERATIONS["historicoProtocoloConsulta"],
            s.ConsultaHistorico,
            historico,
            _ACTION_NAMES,
            "Histórico de protocolos de um beneficiário num período",
        ),
        Handler(
            OPERATIONS["cancelarAtendimento"],
            s.Cancelamento,
            cancelar_atendimento,
            _ACTION_NAMES,
            "Cancelar atendimento",
        ),
        Handler(
            OPERATIONS["encaminharExecucao"],
            s.EncaminharExecucao,
            encaminhar_execucao,
            _FORWARD_NAMES,
            "Encaminhar para execução em outra Unimed",
        ),
        Handler(
            OPERATIONS["protocoloNaoCliente"],
            s.SolicitarProtocoloNaoCliente,
            protocolo_nao_cliente,
            _REQUESTER_NAMES,
            "Solicitar protocolo para não cliente (e registrar a proposta de plano)",
        ),
        Handler(
            OPERATIONS["responderNaoCliente"],
            s.RespostaNaoCliente,
            responder_nao_cliente,
            _ACTION_NAMES,
            "Responder protocolo de não cliente",
        ),
        Handler(
            OPERATIONS["statusNaoCliente"],
            s.StatusNaoCliente,
            status_nao_cliente,
            _ACTION_NAMES,
            "Consultar situação do protocolo de não cliente",
        ),
    )
}


def run(
    handler: Handler, actor: Actor, header: dict, body: dict
) -> tuple[int, dict | list, Protocol | None]:
    """Call the handler; domain errors come back with wire field names."""
    # No transaction of its own: the services are atomic, and a writing operation runs
    # inside inbound_process's transaction (protocol + lead commit together).
    try:
        return handler.run(actor, header, body)
    except DomainError as exc:
        raise translate(exc, handler.op.body_key, handler.names) from None
