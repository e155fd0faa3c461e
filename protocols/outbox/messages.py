"""GPU messages: the operation catalog and the message an event becomes for a Unimed.

Wire names follow DOMAIN.md §3. Transaction codes seen in the GPU material (001
request, 002 reply, 008 status, 011 cancel, 013 forward, 016 non-client reply) are
used as such; the others are the hub's own choice, documented in docs/api.md.
"""

from dataclasses import dataclass

from django.utils import timezone

from protocols.models import EventKind, Kind, Protocol, ProtocolEvent
from unimeds.models import Unimed

PROTOCOL_VERSION = "001"


@dataclass(frozen=True)
class Operation:
    name: str  # URL segment: /api/v1/gpu/<name> inbound, <endpoint>/<name> outbound
    body_key: str  # snake_case block of the message
    code: str  # cd_transacao of the request
    reply_code: str  # cd_transacao of the hub's answer
    writes: bool  # idempotent on nr_transacao_prestadora when it writes


OPERATIONS: dict[str, Operation] = {op.name: op for op in (
    Operation("solicitarProtocolo", "solicitar_protocolo", "001", "002", True),
    Operation("responderAtendimento", "responder_atendimento", "002", "002", True),
    Operation("complementaProtocolo", "complementa_protocolo", "004", "002", True),
    Operation("consultaStatusProtocolo", "consulta_status_protocolo", "007", "008", False),
    Operation("historicoProtocoloConsulta", "historico_protocolo_consulta", "009", "010", False),
    Operation("cancelarAtendimento", "cancelar_atendimento", "011", "012", True),
    Operation("encaminharExecucao", "encaminhar_execucao", "013", "014", True),
    Operation("protocoloNaoCliente", "protocolo_nao_cliente", "015", "016", True),
    Operation("statusNaoCliente", "status_nao_cliente", "017", "008", False),
    # Outbound only: any other public change (closed, reopened, deadline, reclassified).
    Operation("atualizarStatusProtocolo", "atualizar_status_protocolo", "008", "008", False),
)}


def wire_datetime(value) -> str:
    return timezone.localtime(value).strftime("%Y-%m-%d %H:%M:%S")


def protocol_block(protocol: Protocol) -> dict:
    """The protocol as a receiving Unimed needs it to work the case."""
    block = {
        "nr_protocolo": protocol.number,
        "status": protocol.status,
        "nome": protocol.requester_name,
        "cd_cpf": protocol.requester_cpf,
        "ddd": protocol.phone_ddd,
        "telefone": protocol.phone,
        "email": protocol.email,
        "cd_uf": protocol.uf,
        "cd_cidade": protocol.city_code,
        "cd_uni_atendimento": protocol.serving_unimed.code if protocol.serving_unimed_id else "",
        "cd_uni_responsavel": protocol.responsible_unimed.code,
        "tp_manifestacao": protocol.manifestation_type.code,
        "tp_categoria_manifestacao": [protocol.category.code],
        "id_resposta": protocol.answer_preference,
        "nr_transacao_intercambio": protocol.intercambio_transaction_id,
        "nr_protocolo_anterior": protocol.previous_number,
        "mensagem": protocol.message,
        "dt_abertura": wire_datetime(protocol.opened_at),
        "dt_prazo": protocol.due_date.isoformat(),
    }
    if protocol.card:
        block["cd_unimed"], block["id_benef"] = protocol.card[:4], protocol.card[4:]
    return block


def event_block(protocol: Protocol, event: ProtocolEvent) -> dict:
    return {
        "nr_protocolo": protocol.number,
        "status": protocol.status,
        "tp_evento": event.kind,
        "mensagem": event.message,
        "dt_evento": wire_datetime(event.at),
        "cd_uni_responsavel": protocol.responsible_unimed.code,
        "dt_prazo": protocol.due_date.isoformat(),
        # 1: the Unimed's own system answered; 2: the hub (panel/contingency).
        "id_sistema": 1 if event.actor_kind == "service" else 2,
    }


def operation_for(event: ProtocolEvent, protocol: Protocol, destination: Unimed) -> str:
    kind = event.kind
    if kind == EventKind.ABERTO:
        return "protocoloNaoCliente" if protocol.kind == Kind.NAO_CLIENTE else "solicitarProtocolo"
    if kind == EventKind.ENCAMINHADO and destination.pk == protocol.responsible_unimed_id:
        return "encaminharExecucao"
    if kind in (EventKind.RESPOSTA, EventKind.RESPOSTA_PARCIAL):
        return "responderAtendimento"
    if kind == EventKind.COMPLEMENTO:
        return "complementaProtocolo"
    if kind == EventKind.CANCELADO:
        return "cancelarAtendimento"
    return "atualizarStatusProtocolo"


def build_message(event: ProtocolEvent, protocol: Protocol, destination: Unimed) -> tuple[str, dict]:
    """(operation, GPU message) telling `destination` about `event`."""
    name = operation_for(event, protocol, destination)
    op = OPERATIONS[name]
    if name in ("solicitarProtocolo", "protocoloNaoCliente", "encaminharExecucao"):
        body = protocol_block(protocol)
        if name == "encaminharExecucao":
            body["motivo"] = event.message
    else:
        body = event_block(protocol, event)
        if event.kind == EventKind.RESPOSTA:
            body["conclusiva"] = True
        elif event.kind == EventKind.RESPOSTA_PARCIAL:
            body["conclusiva"] = False
    sender = event.actor_unimed
    header = {
        "cd_transacao": op.code,
        "tp_cliente": event.channel or protocol.channel,
        "cd_uni_origem": sender.code if sender else None,
        "cd_uni_destino": destination.code,
        # The hub's own transaction id for this event: stable, so receivers can de-duplicate.
        "nr_transacao_prestadora": f"{event.pk % 10**10:010d}",
        "dt_manifestacao": wire_datetime(event.at),
        "id_usuario": event.actor_label[:100],
        "nr_versao_protocolo": PROTOCOL_VERSION,
    }
    return name, {"cabecalho_transacao": header, "id_evento": str(event.uuid), op.body_key: body}
