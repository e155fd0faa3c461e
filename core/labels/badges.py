"""One colour per status, on every page: status value → Bootstrap badge class, per
family (protocols, deliveries, leads, reservations, demands, retention cases, jobs…)."""

from django.utils.html import format_html
from django.utils.safestring import SafeString

NEW, WORKING, WAITING = "text-bg-primary", "text-bg-info", "text-bg-warning"
DONE, CLOSED, STOPPED = "text-bg-success", "text-bg-secondary", "text-bg-dark"
FAILED, FADED = "text-bg-danger", "text-bg-light border"

_JOBS = {"pendente": CLOSED, "executando": WORKING, "concluido": DONE, "falhou": FAILED}
STATUS_BADGES: dict[str, dict[str, str]] = {
    "protocolo": {
        "aberto": NEW,
        "reaberto": NEW,
        "encaminhado": WORKING,
        "em_analise": WAITING,
        "respondido": DONE,
        "encerrado": CLOSED,
        "cancelado": STOPPED,
    },
    "entrega": {"pending": CLOSED, "sending": WORKING, "delivered": DONE, "dead": FAILED},
    "email": {"pending": CLOSED, "sending": WORKING, "sent": DONE, "dead": FAILED},
    "lead": {
        "novo": NEW,
        "em_contato": WORKING,
        "cotacao": WORKING,
        "proposta": WAITING,
        "ganho": DONE,
        "perdido": STOPPED,
    },
    "reserva": {"ativa": DONE, "liberada": CLOSED, "expirada": CLOSED},
    "demanda": {
        "recebida": NEW,
        "em_analise": WAITING,
        "respondida": DONE,
        "impugnada": DONE,
        "decidida": WORKING,
        "recurso": WAITING,
        "encerrada": CLOSED,
    },
    "retencao": {
        "aberto": NEW,
        "em_contato": WORKING,
        "proposta": WAITING,
        "retido": DONE,
        "cancelado": STOPPED,
        "sem_contato": STOPPED,
    },
    "relatorio": {
        "queued": CLOSED,
        "running": WORKING,
        "done": DONE,
        "failed": FAILED,
        "expired": FADED,
    },
    "tarefa": _JOBS,
    "pendencia_intercambio": {"pendente": WAITING, "confirmado": DONE, "recusado": STOPPED},
    "cooperado": {"ativo": DONE, "bloqueado": FAILED},
    "compartilhamento": {"ativo": DONE, "inativo": CLOSED},
    # One integration call (the integrations page): answered 2xx, or not.
    "chamada": {"ok": DONE, "erro": FAILED, "sem_resposta": FAILED},
    # A staff member's access (unimeds: team list and member page).
    "acesso": {
        "ativo": DONE,
        "convite_pendente": WAITING,
        "bloqueado": FAILED,
        "desativado": FAILED,
    },
    # Where a deadline stands (protocols, demands, leads' first contact).
    "prazo": {
        "vencido": FAILED,
        "escalado": FAILED,
        "hoje": WAITING,
        "no_prazo": DONE,
        "parado": CLOSED,
        "respondido_com_atraso": FAILED,
        "respondido_no_prazo": FADED,
    },
}
# Which badge family a model's status field belongs to (model label, lower case).
STATUS_MODELS: dict[str, str] = {
    "protocols.protocol": "protocolo",
    "protocols.delivery": "entrega",
    "protocols.protocolbulkjob": "tarefa",
    "core.outboundemail": "email",
    "leads.lead": "lead",
    "leads.marketreservation": "reserva",
    "regulatorio.demand": "demanda",
    "retencao.retentioncase": "retencao",
    "reports.reportjob": "relatorio",
    "cooperados.bulkjob": "tarefa",
    "cooperados.a400importjob": "tarefa",
    "cooperados.cooperado": "cooperado",
    "intercambio.pendingrisksharing": "pendencia_intercambio",
}


def status_badge_class(family: str, value: str) -> str:
    return STATUS_BADGES.get(family, {}).get(str(value), FADED)


def status_badge_html(family: str, value: str, label: object) -> SafeString:
    return format_html(
        '<span class="badge {}" data-situacao="{}">{}</span>',
        status_badge_class(family, value),
        value,
        label,
    )


def model_status_badge(obj, field: str = "status") -> SafeString:
    """The badge of a record's status (or `field`), coloured by STATUS_BADGES."""
    family = STATUS_MODELS.get(obj._meta.label_lower, obj._meta.model_name)
    value = getattr(obj, field)
    display = getattr(obj, f"get_{field}_display", None)
    return status_badge_html(family, value, display() if display else value)
