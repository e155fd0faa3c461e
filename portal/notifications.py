"""What the requester is told after opening a protocol: on the confirmation page and,
when they gave an e-mail, by e-mail (plain text)."""

from django.conf import settings
from django.core.mail import send_mail
from django.template.loader import render_to_string

from protocols.models import Channel, DeadlineRule, Protocol


def deadline_text(protocol: Protocol) -> str:
    if protocol.deadline_rule == DeadlineRule.IMMEDIATE:
        return f"imediato (hoje, {protocol.due_date:%d/%m/%Y})"
    return f"{protocol.due_date:%d/%m/%Y} ({protocol.deadline_days} dias úteis)"


def next_steps(protocol: Protocol) -> list[str]:
    unimed = protocol.responsible_unimed.name
    how = {1: "por e-mail", 2: "por telefone", 3: "por WhatsApp/SMS"}.get(
        protocol.answer_preference, ""
    )
    steps = [f"Sua solicitação foi encaminhada à {unimed}, responsável pela resposta."]
    if protocol.channel == Channel.GUIA_MEDICO:
        steps.append("A Unimed confere o cadastro do prestador e corrige o Guia Médico.")
    steps.append(
        f"A resposta conclusiva chega {how} até {protocol.due_date:%d/%m/%Y}."
        if how
        else f"A resposta conclusiva chega até {protocol.due_date:%d/%m/%Y}."
    )
    steps.append(
        "Guarde o número do protocolo: com ele e o CPF ou e-mail informado você acompanha a "
        "situação em Consultar protocolo."
    )
    return steps


def confirmation_email_send(*, protocol_id: int) -> bool:
    """Send the confirmation; False when the protocol is gone or has no e-mail."""
    protocol = (
        Protocol.objects.select_related("responsible_unimed", "manifestation_type", "category")
        .filter(pk=protocol_id)
        .first()
    )
    if protocol is None or not protocol.email:
        return False
    context = {
        "protocol": protocol,
        "deadline": deadline_text(protocol),
        "steps": next_steps(protocol),
        "lookup_url": f"{settings.GPU_BASE_URL.rstrip('/')}/portal/protocolo/",
    }
    send_mail(
        subject=f"Protocolo {protocol.number} — {protocol.responsible_unimed.name}",
        message=render_to_string("portal/email/confirmacao.txt", context),
        from_email=None,
        recipient_list=[protocol.email],
    )
    return True
