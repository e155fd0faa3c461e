"""The GPU operations: wire message → the protocols services → wire answer.

Each handler takes the acting service account (Actor), the validated header and
body, and returns (HTTP status, answer, protocol). The same services serve the
panel; nothing here decides a business rule.
"""

from collections.abc import Callable
from dataclasses import dataclass

from core.errors import DomainError, InvalidInput, NotFound
from protocols.api import serializers as s
from protocols.api.wire import translate
from protocols.models import Kind, Protocol, ProtocolEvent, Status
from protocols.outbox.messages import OPERATIONS, wire_datetime
from protocols.selectors import protocol_get, protocol_timeline
from protocols.services import (
    protocol_answer,
    protocol_cancel,
    protocol_complement,
    protocol_forward,
    protocol_open,
)
from unimeds.actors import Actor

_REQUESTER_NAMES = {
    "requester.name": "nome", "requester.cpf": "cd_cpf", "requester.phone_ddd": "ddd",
    "requester.phone": "telefone", "requester.email": "email", "requester.uf": "cd_uf",
    "requester.city_code": "cd_cidade", "requester": "nome", "municipality_code": "cd_cidade",
    "card": "id_benef", "manifestation_type": "tp_manifestacao", "category": "tp_categoria_manifestacao",
    "answer_preference": "id_resposta", "message": "mensagem", "serving_unimed_code": "cd_uni_atendimento",
    "previous_number": "nr_protocolo_anterior", "external_number": "nr_protocolo",
    "intercambio_transaction_id": "nr_transacao_intercambio",
    "sender_transaction_id": "cabecalho_transacao.nr_transacao_prestadora",
    "channel": "cabecalho_transacao.tp_cliente", "kind": "__all__",
}
_LEAD_NAMES = {
    "document": "cd_cnpj", "name": "nome_empresa", "company_name": "nome_empresa", "email": "email",
    "phone": "telefone", "municipality_code": "cd_cidade", "lives": "nr_vidas", "age_bands": "faixa_etaria",
    "plan_type": "tp_plano", "current_plan": "plano_atual", "source": "__all__",
}
_ACTION_NAMES = {"message": "mensagem", "reason": "motivo", "to_unimed_code": "cd_uni_destino",
                 "status": "nr_protocolo"}


@dataclass(frozen=True)
class Handler:
    name: str
    body: type
    run: Callable[[Actor, dict, dict], tuple[int, dict, Protocol | None]]
    names: dict
    summary: str


def status_block(protocol: Protocol) -> dict:
    return {
        "nr_protocolo": protocol.number,
        "status": protocol.status,
        "ds_status": str(Status(protocol.status).label),
        "cd_uni_responsavel": protocol.responsible_unimed.code,
        "dt_prazo": protocol.due_date.isoformat(),
        "atrasado": protocol.is_overdue,
        "dt_resposta": wire_datetime(protocol.answered_at) if protocol.answered_at else None,
    }


def event_item(event: ProtocolEvent) -> dict:
    return {
        "id_evento": str(event.uuid), "seq": event.seq, "tp_evento": event.kind,
        "ds_evento": event.get_kind_display(), "dt_evento": wire_datetime(event.at),
        "status_anterior": event.from_status, "status": event.to_status, "mensagem": event.message,
        "cd_uni_autor": event.actor_unimed.code if event.actor_unimed_id else None,
        "tp_cliente": event.channel,
    }


def reply(name: str, header: dict, block: dict) -> dict:
    op = OPERATIONS[name]
    return {
        "cabecalho_transacao": {
            "cd_transacao": op.reply_code,
            "cd_uni_origem": header["cd_uni_origem"],
            "nr_transacao_prestadora": header["nr_transacao_prestadora"],
            "nr_versao_protocolo": header["nr_versao_protocolo"],
        },
        f"resposta_{op.body_key}": block,
    }


def _requester(body: dict) -> dict:
    return {
        "name": body["nome"], "cpf": body.get("cd_cpf", ""), "phone_ddd": body.get("ddd", ""),
        "phone": body.get("telefone", ""), "email": body.get("email", ""), "uf": body.get("cd_uf", ""),
        "city_code": body.get("cd_cidade", ""),
    }


def _open(actor: Actor, header: dict, body: dict, *, kind: str) -> Protocol:
    return protocol_open(
        actor=actor, channel=header["tp_cliente"], kind=kind, requester=_requester(body),
        manifestation_type=body["tp_manifestacao"], category=body["tp_categoria_manifestacao"][0],
        answer_preference=body["id_resposta"], message=body["mensagem"],
        card=(body["cd_unimed"] + body["id_benef"]) if kind == Kind.BENEFICIARIO else None,
        municipality_code=body.get("cd_cidade") or None,
        serving_unimed_code=body.get("cd_uni_atendimento") or None,
        previous_number=body.get("nr_protocolo_anterior") or None,
        external_number=body.get("nr_protocolo") or None,
        sender_transaction_id=header["nr_transacao_prestadora"],
        intercambio_transaction_id=body.get("nr_transacao_intercambio") or None,
    )


def _opened_block(protocol: Protocol, body: dict) -> dict:
    block = status_block(protocol)
    block.update({
        "id_resposta": protocol.answer_preference,
        "id_sistema": 2,  # numbered and routed by the hub
        "mensagem": (f"Protocolo {protocol.number} registrado. Unimed responsável: "
                     f"{protocol.responsible_unimed.code}; prazo: {protocol.due_date:%d/%m/%Y}."),
    })
    if protocol.card:
        block["cd_unimed"], block["id_benef"] = protocol.card[:4], protocol.card[4:]
    return block


def solicitar_protocolo(actor, header, body):
    protocol = _open(actor, header, body, kind=Kind.BENEFICIARIO)
    return 201, reply("solicitarProtocolo", header, _opened_block(protocol, body)), protocol


def _lead_for(actor: Actor, protocol: Protocol, body: dict):
    from leads.services import lead_intake  # leads depends on protocols, not the reverse

    document = body.get("cd_cnpj") or body.get("cd_cpf") or ""
    if not document:
        message = "Informe cd_cnpj (empresa) ou cd_cpf (pessoa) para registrar a proposta."
        raise InvalidInput(message, fields={"cd_cnpj": [message]})
    extra = [f"Modalidade: {body['tp_modalidade']}" if body.get("tp_modalidade") else "",
             f"Sinistralidade atual: {body['sinistralidade']}%" if body.get("sinistralidade") is not None else ""]
    note = "\n".join([body["mensagem"], *[e for e in extra if e]])
    phone = f"{body.get('ddd', '')}{body.get('telefone', '')}"
    try:
        lead, _created = lead_intake(
            actor=actor, source="integracao", document=document,
            name=body.get("nome_empresa") or body.get("nome_solicitante") or body["nome"],
            email=body.get("email", ""), phone=phone, municipality_code=body["cd_cidade"],
            lives=body.get("nr_vidas"), age_bands=body.get("faixa_etaria") or None,
            plan_type=body.get("tp_plano", ""), current_plan=body.get("plano_atual", ""),
            company_name=body.get("nome_empresa", ""), protocol=protocol, message=note,
        )
    except DomainError as exc:
        raise translate(exc, "protocolo_nao_cliente", _LEAD_NAMES) from None
    return lead


def protocolo_nao_cliente(actor, header, body):
    protocol = _open(actor, header, body, kind=Kind.NAO_CLIENTE)
    block = _opened_block(protocol, body)
    if any(body.get(field) not in (None, "", []) for field in s.ProtocoloNaoCliente.LEAD_FIELDS):
        lead = _lead_for(actor, protocol, body)
        block["id_lead"] = lead.pk
    return 201, reply("protocoloNaoCliente", header, block), protocol


def _after(name: str, header: dict, protocol_number: str, actor: Actor) -> tuple[int, dict, Protocol]:
    protocol = protocol_get(actor=actor, number=protocol_number)
    return 200, reply(name, header, status_block(protocol)), protocol


def complementa_protocolo(actor, header, body):
    protocol_complement(actor=actor, protocol=body["nr_protocolo"], message=body["mensagem"],
                        channel=header["tp_cliente"])
    return _after("complementaProtocolo", header, body["nr_protocolo"], actor)


def responder_atendimento(actor, header, body):
    protocol_answer(actor=actor, protocol=body["nr_protocolo"], message=body["mensagem"],
                    conclusive=body.get("conclusiva", True), channel=header["tp_cliente"])
    return _after("responderAtendimento", header, body["nr_protocolo"], actor)


def cancelar_atendimento(actor, header, body):
    protocol_cancel(actor=actor, protocol=body["nr_protocolo"], reason=body["motivo"],
                    channel=header["tp_cliente"])
    return _after("cancelarAtendimento", header, body["nr_protocolo"], actor)


def encaminhar_execucao(actor, header, body):
    protocol_forward(actor=actor, protocol=body["nr_protocolo"], to_unimed_code=body["cd_uni_destino"],
                     reason=body["motivo"], channel=header["tp_cliente"])
    # After the forward the sender may read it still (it was responsible), so this succeeds.
    return _after("encaminharExecucao", header, body["nr_protocolo"], actor)


def consulta_status_protocolo(actor, header, body):
    return _after("consultaStatusProtocolo", header, body["nr_protocolo"], actor)


def historico_protocolo_consulta(actor, header, body):
    protocol = protocol_get(actor=actor, number=body["nr_protocolo"])
    block = status_block(protocol)
    block["eventos"] = [event_item(e) for e in protocol_timeline(actor=actor, protocol=protocol).filter(public=True)]
    return 200, reply("historicoProtocoloConsulta", header, block), protocol


def status_nao_cliente(actor, header, body):
    protocol = protocol_get(actor=actor, number=body["nr_protocolo"])
    if protocol.kind != Kind.NAO_CLIENTE:
        raise NotFound("Protocolo de não cliente não encontrado.", fields={"nr_protocolo": ["Não é de não cliente."]})
    return 200, reply("statusNaoCliente", header, status_block(protocol)), protocol


HANDLERS: dict[str, Handler] = {h.name: h for h in (
    Handler("solicitarProtocolo", s.SolicitarProtocolo, solicitar_protocolo, _REQUESTER_NAMES,
            "Solicitar protocolo para beneficiário"),
    Handler("protocoloNaoCliente", s.ProtocoloNaoCliente, protocolo_nao_cliente, _REQUESTER_NAMES,
            "Solicitar protocolo para não cliente (e registrar a proposta de plano)"),
    Handler("complementaProtocolo", s.ComplementaProtocolo, complementa_protocolo, _ACTION_NAMES,
            "Complementar protocolo"),
    Handler("responderAtendimento", s.ResponderAtendimento, responder_atendimento, _ACTION_NAMES,
            "Responder atendimento (conclusiva ou parcial)"),
    Handler("consultaStatusProtocolo", s.ConsultaStatusProtocolo, consulta_status_protocolo, _ACTION_NAMES,
            "Consultar situação do protocolo"),
    Handler("historicoProtocoloConsulta", s.HistoricoProtocoloConsulta, historico_protocolo_consulta,
            _ACTION_NAMES, "Histórico (linha do tempo pública) do protocolo"),
    Handler("cancelarAtendimento", s.CancelarAtendimento, cancelar_atendimento, _ACTION_NAMES,
            "Cancelar atendimento"),
    Handler("encaminharExecucao", s.EncaminharExecucao, encaminhar_execucao, _ACTION_NAMES,
            "Encaminhar a outra Unimed"),
    Handler("statusNaoCliente", s.StatusNaoCliente, status_nao_cliente, _ACTION_NAMES,
            "Consultar situação do protocolo de não cliente"),
)}


def run(handler: Handler, actor: Actor, header: dict, body: dict) -> tuple[int, dict, Protocol | None]:
    """Call the handler; domain errors come back with wire field names."""
    body_key = OPERATIONS[handler.name].body_key
    # No transaction of its own: the services are atomic, and a writing operation runs
    # inside inbound_process's transaction (protocol + lead commit together).
    try:
        return handler.run(actor, header, body)
    except DomainError as exc:
        raise translate(exc, body_key, handler.names) from None
