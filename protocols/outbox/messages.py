"""GPU messages: the operation catalog and the message an event becomes for a Unimed.

Codes, block names and fields are the ones the Unimeds' systems use (TOTVS PLS
`PLSGPURest` and the per-operation classes, and the open-source Laravel client); the
wire guide is docs/api.md. The inbound channel (gpu_api) and the deliveries below share
this catalog, so a request, its reply and the delivery of the same event agree.
"""

from dataclasses import dataclass

from django.conf import settings
from django.utils import timezone

from protocols.models import EventKind, Kind, Protocol, ProtocolEvent
from unimeds.actors import ActorKind
from unimeds.models import Unimed

PROTOCOL_VERSION = "001"
NO_PREVIOUS = "0" * 20  # nr_protocolo_anterior of a message with none


@dataclass(frozen=True)
class Operation:
    name: str  # camelCase path: /api/v1/gpu/<name> inbound, <endpoint>/<name> outbound
    alias: str  # kebab-case path of the Laravel client (inbound alias)
    code: str  # cd_transacao of the request
    body_key: str  # the request's block
    reply_code: str  # cd_transacao of the answer
    reply_key: str  # the answer's block
    writes: bool  # idempotent on nr_transacao_prestadora when it writes


OPERATIONS: dict[str, Operation] = {
    op.name: op
    for op in (
        Operation(
            "solicitarProtocolo",
            "solicitar-protocolo",
            "001",
            "solicitar_protocolo",
            "002",
            "resposta_solicitar_protocolo",
            True,
        ),
        Operation(
            "complementaProtocolo",
            "complemento-protocolo",
            "003",
            "pedido_complemento_protocolo",
            "004",
            "resposta_complemento",
            True,
        ),
        Operation(
            "responderAtendimento",
            "resposta-atendimento",
            "005",
            "resposta_atendimento",
            "006",
            "resposta_atendimento",
            True,
        ),
        Operation(
            "consultaStatusProtocolo",
            "consulta-status",
            "007",
            "consulta_status_protocolo",
            "008",
            "resposta_consulta_status_protocolo",
            False,
        ),
        Operation(
            "historicoProtocoloConsulta",
            "consulta-historico",
            "009",
            "consulta_historico",
            "010",
            "resposta_consulta_historico",
            False,
        ),
        Operation(
            "cancelarAtendimento", "cancelamento", "011", "cancelamento", "012", "confirmacao", True
        ),
        Operation(
            "encaminharExecucao",
            "encaminhar-execucao",
            "013",
            "encaminhar_execucao",
            "014",
            "confirmacao",
            True,
        ),
        # Same block name as 001: the code (and the path) tell them apart.
        Operation(
            "protocoloNaoCliente",
            "protocolo-nao-cliente",
            "015",
            "solicitar_protocolo",
            "016",
            "resposta_solicitar_protocolo_nao_cliente",
            True,
        ),
        Operation(
            "responderNaoCliente",
            "resposta-nao-cliente",
            "017",
            "resposta_nao_cliente",
            "018",
            "confirmacao",
            True,
        ),
        Operation(
            "statusNaoCliente",
            "status-nao-cliente",
            "019",
            "solicitar_status_protocolo_nao_cliente",
            "020",
            "resposta_solicitar_status_protocolo_nao_cliente",
            False,
        ),
    )
}
# Outbound only: any other public change (closed, reopened, deadline, reclassified),
# pushed as the status reply; sent only to receivers that declare "008".
STATUS_PUSH = Operation(
    "atualizarStatusProtocolo", "", "008", "resposta_consulta_status_protocolo", "", "", False
)
ALL_OPERATIONS = {**OPERATIONS, STATUS_PUSH.name: STATUS_PUSH}


def wire_datetime(value) -> str:
    return timezone.localtime(value).strftime("%Y-%m-%d %H:%M:%S")


def wire_type(protocol: Protocol) -> str:
    """tp_manifestacao as the systems send it: the digit received, else the type's digit."""
    received = protocol.manifestation_code_received
    if received and received.isdigit():
        return received
    mtype = protocol.manifestation_type
    return mtype.wire_code or mtype.code


def wire_categories(protocol: Protocol) -> list[int]:
    code = protocol.category_code_received
    return [code if code is not None else protocol.category.code]


def beneficiary(protocol: Protocol) -> dict:
    """cd_unimed + id_benef: the card split as the wire carries it (empty for non-clients)."""
    return (
        {"cd_unimed": protocol.card[:4], "id_benef": protocol.card[4:]}
        if protocol.card
        else {"cd_unimed": protocol.responsible_unimed.code, "id_benef": ""}
    )


def answer_origin(protocol: Protocol, event: ProtocolEvent | None) -> int | None:
    """id_origem_resposta: 1 the Unimed's own system, 2 the hub (panel or portal)."""
    if event is None:
        return None
    return 1 if event.actor_kind == ActorKind.SERVICE else 2


def status_extras(protocol: Protocol) -> dict:
    """The hub's own fields beside the wire ones (clients ignore keys they do not read)."""
    from protocols.models import Status

    return {
        "status": protocol.status,
        "ds_status": str(Status(protocol.status).label),
        "cd_uni_responsavel": protocol.responsible_unimed.code,
        "dt_prazo": protocol.due_date.isoformat(),
        "atrasado": protocol.is_overdue,
        "dt_resposta": wire_datetime(protocol.answered_at) if protocol.answered_at else None,
        "categoria_nao_mapeada": protocol.catalog_unmapped,
    }


def requester_block(protocol: Protocol) -> dict:
    return {
        **beneficiary(protocol),
        "nome": protocol.requester_name,
        "cd_cpf": protocol.requester_cpf,
        "ddd": protocol.phone_ddd,
        "telefone": protocol.phone,
        "email": protocol.email,
        "cd_uf": protocol.uf,
        "cd_cidade": protocol.city_code,
        "tp_manifestacao": wire_type(protocol),
        "tp_categoria_manifestacao": wire_categories(protocol),
        "tp_sub_categoria": protocol.subcategory_code,
        "id_resposta": protocol.answer_preference,
        "nr_transacao_intercambio": protocol.intercambio_transaction_id,
    }


def _opened(protocol: Protocol, event: ProtocolEvent) -> dict:
    """001 / 015 solicitar_protocolo: a new protocol for its responsible Unimed."""
    block = requester_block(protocol)
    if protocol.kind == Kind.NAO_CLIENTE:
        block["nome_solicitante"] = protocol.requester_name
    block.update(
        {
            "nr_protocolo": protocol.number,
            "cd_uni_atendimento": protocol.serving_unimed.code
            if protocol.serving_unimed_id
            else "",
            "nr_protocolo_anterior": protocol.previous_number or NO_PREVIOUS,
            "mensagem": protocol.message,
            "id_sistema": 2,
            "dt_abertura": wire_datetime(protocol.opened_at),
            **status_extras(protocol),
        }
    )
    return block


def _forwarded(protocol: Protocol, event: ProtocolEvent) -> dict:
    """013 encaminhar_execucao: the forwarded protocol's number in nr_protocolo_anterior."""
    block = requester_block(protocol)
    block.update(
        {
            "nr_protocolo_anterior": protocol.number,
            "nr_protocolo": protocol.number,
            "mensagem": event.message,
            "protocolo": _opened(protocol, event),
            **status_extras(protocol),
        }
    )
    return block


def _event(protocol: Protocol, event: ProtocolEvent) -> dict:
    """003 / 005 / 017: a complement or an answer, with who recorded it."""
    block = {
        **beneficiary(protocol),
        "nr_protocolo": protocol.number,
        "id_resposta": protocol.answer_preference,
        "mensagem": event.message,
        "nr_transacao_intercambio": protocol.intercambio_transaction_id,
        "id_origem_resposta": answer_origin(protocol, event),
        "id_sistema": answer_origin(protocol, event),
        "dt_evento": wire_datetime(event.at),
        "tp_evento": event.kind,
        **status_extras(protocol),
    }
    if event.kind in (EventKind.RESPOSTA, EventKind.RESPOSTA_PARCIAL):
        block["conclusiva"] = event.kind == EventKind.RESPOSTA
    return block


def _cancelled(protocol: Protocol, event: ProtocolEvent) -> dict:
    """011 cancelamento: motivo_cancelamento (dt_cancelamento goes in the header)."""
    return {
        **beneficiary(protocol),
        "nr_protocolo": protocol.number,
        "motivo_cancelamento": event.message,
        "id_sistema": answer_origin(protocol, event),
        **status_extras(protocol),
    }


def status_reply_block(protocol: Protocol, last_answer: ProtocolEvent | None = None) -> dict:
    """008 resposta_consulta_status_protocolo (also the hub's status push)."""
    return {
        "nr_protocolo": protocol.number,
        "nome": protocol.requester_name,
        **beneficiary(protocol),
        "tp_manifestacao": wire_type(protocol),
        "tp_categoria_manifestacao": wire_categories(protocol),
        "id_resposta": protocol.answer_preference,
        "id_usuario": None,
        "dt_solicitacao_protocolo": wire_datetime(protocol.opened_at),
        "mensagem": last_answer.message if last_answer is not None else protocol.message,
        "id_origem_resposta": answer_origin(protocol, last_answer),
        "num_trans_interc_prestadora": protocol.intercambio_transaction_id or None,
        "num_trans_origem_beneficiario": protocol.sender_transaction_id or None,
        **status_extras(protocol),
    }


def operation_for(event: ProtocolEvent, protocol: Protocol, destination: Unimed) -> Operation:
    kind = event.kind
    non_client = protocol.kind == Kind.NAO_CLIENTE
    if kind == EventKind.ABERTO:
        return OPERATIONS["protocoloNaoCliente" if non_client else "solicitarProtocolo"]
    if kind == EventKind.ENCAMINHADO and destination.pk == protocol.responsible_unimed_id:
        return OPERATIONS["encaminharExecucao"]
    if kind in (EventKind.RESPOSTA, EventKind.RESPOSTA_PARCIAL):
        return OPERATIONS["responderNaoCliente" if non_client else "responderAtendimento"]
    if kind == EventKind.COMPLEMENTO:
        return OPERATIONS["complementaProtocolo"]
    if kind == EventKind.CANCELADO:
        return OPERATIONS["cancelarAtendimento"]
    return STATUS_PUSH


_BLOCKS = {
    "solicitarProtocolo": _opened,
    "protocoloNaoCliente": _opened,
    "encaminharExecucao": _forwarded,
    "responderAtendimento": _event,
    "responderNaoCliente": _event,
    "complementaProtocolo": _event,
    "cancelarAtendimento": _cancelled,
}


def accepts(destination: Unimed, op: Operation) -> bool:
    """Whether the destination's receiver declared this message type."""
    return op.code in (destination.receiver_accepts or [])


def build_message(
    event: ProtocolEvent, protocol: Protocol, destination: Unimed
) -> tuple[Operation, dict]:
    """(operation, GPU message) telling `destination` about `event`, in the shapes a
    TOTVS receiver reads."""
    op = operation_for(event, protocol, destination)
    build = _BLOCKS.get(op.name)
    body = build(protocol, event) if build else status_reply_block(protocol, event)
    sender = event.actor_unimed
    header = {
        "cd_transacao": op.code,
        "tp_cliente": event.channel or protocol.channel,
        # The Unimed that acted (the hub's own code when the portal or the hub acted).
        "cd_uni_origem": sender.code if sender else settings.GPU_HUB_UNIMED_CODE,
        "cd_uni_destino": destination.code,
        "nr_ans": destination.ans_registry,
        # The hub's own transaction id for this event: stable, so receivers can de-duplicate.
        "nr_transacao_prestadora": f"{event.pk % 10**10:010d}",
        "id_usuario": event.actor_label[:100],
        "nr_versao_protocolo": PROTOCOL_VERSION,
    }
    header["dt_cancelamento" if op.name == "cancelarAtendimento" else "dt_manifestacao"] = (
        wire_datetime(event.at)
    )
    return op, {"cabecalho_transacao": header, "id_evento": str(event.uuid), op.body_key: body}
