"""E-mail notices about protocols, each sent at most once (ProtocolNotification).

- arrival: to the responsible Unimed's contingency address when a protocol reaches a
  non-integrated Unimed (opened for it or forwarded to it);
- due tomorrow: to the same address when an open protocol is due on the next
  business day (checked by the periodic sweep);
- answer: to the requester, when `id_resposta` is 1 (AnswerPreference.EMAIL), with
  each public answer (partial "em análise" or conclusive).

The e-mails carry no CPF or health data: the number, the deadline and a link to the
panel, where reading is audited. Events enqueue the sends after commit; the sweep
catches up on anything the queue lost.
"""

import logging
from datetime import timedelta

from django.core.mail import send_mail
from django.db import IntegrityError, transaction
from django.urls import reverse
from django.utils import timezone

from core.business_days import add_business_days
from core.mail import site_url
from core.tasks_util import enqueue_now
from protocols.models import (
    OPEN_STATUSES,
    AnswerPreference,
    EventKind,
    NotificationKind,
    Protocol,
    ProtocolEvent,
    ProtocolNotification,
)
from protocols.numbering import local_day

logger = logging.getLogger(__name__)

ARRIVAL_EVENTS = frozenset({EventKind.ABERTO, EventKind.ENCAMINHADO})
ANSWER_EVENTS = frozenset({EventKind.RESPOSTA, EventKind.RESPOSTA_PARCIAL})
# How far back the sweep looks for notices the queue may have lost.
SWEEP_WINDOW = timedelta(days=3)
SWEEP_BATCH = 500


def _panel_link(protocol: Protocol) -> str:
    path = reverse("protocols:detail", kwargs={"number": protocol.number})
    return site_url(path)


def _wants_contingency_email(unimed) -> bool:
    return bool(unimed.is_active and not unimed.is_integrated and unimed.contingency_email)


def _wants_answer_by_email(protocol: Protocol) -> bool:
    return protocol.answer_preference == AnswerPreference.EMAIL and bool(protocol.email)


def _send_once(
    *, protocol: Protocol, kind: str, key: str, recipient: str | list[str], subject: str, body: str
) -> bool:
    """Claim the (protocol, kind, key) row and send in one transaction: a failed send
    leaves no row (the sweep retries), a concurrent second sender hits the unique
    constraint and skips. True when this call sent the e-mail."""
    try:
        with transaction.atomic():
            recipients = [recipient] if isinstance(recipient, str) else list(recipient)
            ProtocolNotification.objects.create(
                protocol=protocol, kind=kind, key=key, recipient=", ".join(recipients)[:254]
            )
            if recipients:
                send_mail(subject, body, None, recipients)
    except IntegrityError:
        return False
    return True


def notify_arrival(*, protocol_id: int) -> bool:
    """E-mail the responsible (non-integrated) Unimed that a protocol is in its inbox."""
    protocol = (
        Protocol.objects.select_related("responsible_unimed", "manifestation_type", "category")
        .filter(pk=protocol_id)
        .first()
    )
    if protocol is None or protocol.status not in OPEN_STATUSES:
        return False
    unimed = protocol.responsible_unimed
    if not _wants_contingency_email(unimed):
        return False
    body = (
        f"Um protocolo chegou à caixa de entrada da Unimed {unimed.code} no GPU.\n\n"
        f"Protocolo: {protocol.number}\n"
        f"Tipo: {protocol.manifestation_type.name} · {protocol.category.name}\n"
        f"Prazo de resposta: {protocol.due_date:%d/%m/%Y}\n\n"
        f"Abra no painel: {_panel_link(protocol)}\n"
    )
    return _send_once(
        protocol=protocol,
        kind=NotificationKind.ARRIVAL,
        key=unimed.code,
        recipient=unimed.contingency_email,
        subject=f"GPU: novo protocolo {protocol.number} (prazo {protocol.due_date:%d/%m/%Y})",
        body=body,
    )


def notify_due_tomorrow(*, protocol_id: int) -> bool:
    """E-mail the responsible Unimed that an open protocol is due on the next business day."""
    protocol = Protocol.objects.select_related("responsible_unimed").filter(pk=protocol_id).first()
    if protocol is None or protocol.status not in OPEN_STATUSES:
        return False
    unimed = protocol.responsible_unimed
    if not _wants_contingency_email(unimed):
        return False
    body = (
        f"O protocolo {protocol.number} vence em {protocol.due_date:%d/%m/%Y} e ainda não tem resposta conclusiva.\n\n"
        f"Abra no painel: {_panel_link(protocol)}\n"
    )
    return _send_once(
        protocol=protocol,
        kind=NotificationKind.DUE_TOMORROW,
        key=protocol.due_date.isoformat(),
        recipient=unimed.contingency_email,
        subject=f"GPU: protocolo {protocol.number} vence em {protocol.due_date:%d/%m/%Y}",
        body=body,
    )


def notify_answer(*, event_id: int) -> bool:
    """E-mail a public answer to the requester who asked to be answered by e-mail."""
    event = (
        ProtocolEvent.objects.select_related("protocol")
        .filter(pk=event_id, kind__in=ANSWER_EVENTS)
        .first()
    )
    if event is None:
        return False
    protocol = event.protocol
    if not _wants_answer_by_email(protocol):
        return False
    conclusive = event.kind == EventKind.RESPOSTA
    heading = (
        "Resposta ao seu protocolo" if conclusive else "Atualização do seu protocolo (em análise)"
    )
    body = (
        f"Olá, {protocol.requester_name.split(' ')[0]}.\n\n"
        f"{heading} {protocol.number}:\n\n{event.message}\n\n"
        + (
            ""
            if conclusive
            else f"Prazo para a resposta conclusiva: {protocol.due_date:%d/%m/%Y}.\n\n"
        )
        + "Esta é uma mensagem automática; para falar conosco, use os canais de atendimento da sua Unimed "
        "informando o número do protocolo.\n"
    )
    return _send_once(
        protocol=protocol,
        kind=NotificationKind.ANSWER,
        key=event.uuid.hex,
        recipient=protocol.email,
        subject=f"{heading} {protocol.number}",
        body=body,
    )


def notify_assigned(*, protocol: Protocol, owner, event: ProtocolEvent) -> bool:
    """E-mail the person a protocol was just given to (inside the assignment's
    transaction: with the outbox backend, a row that commits with it)."""
    if not owner.email:
        return False
    body = (
        f"Olá, {owner.get_full_name() or owner.get_username()}.\n\n"
        f"O protocolo {protocol.number} foi atribuído a você no GPU.\n"
        f"Prazo de resposta: {protocol.due_date:%d/%m/%Y}\n\n"
        f"Abra no painel: {_panel_link(protocol)}\n"
    )
    return _send_once(
        protocol=protocol,
        kind=NotificationKind.ASSIGNED,
        key=event.uuid.hex,
        recipient=owner.email,
        subject=f"GPU: protocolo {protocol.number} atribuído a você",
        body=body,
    )


def notifications_for_event(event: ProtocolEvent) -> None:
    """Protocol event hook (protocols.timeline.on_event): enqueue the notices after commit."""
    protocol = event.protocol  # the caller's saved instance, relations loaded
    # Only enqueue what would be sent (an integrated Unimed gets a delivery, not an
    # e-mail); the sweep applies the same rules to catch up on lost notices.
    if event.kind in ARRIVAL_EVENTS and _wants_contingency_email(protocol.responsible_unimed):
        transaction.on_commit(lambda: _enqueue("arrival", event.protocol_id))
    elif event.kind in ANSWER_EVENTS and _wants_answer_by_email(protocol):
        transaction.on_commit(lambda: _enqueue("answer", event.pk))


def _enqueue(what: str, pk: int) -> None:
    from protocols import tasks

    # Never raises; the sweep sends what the queue lost.
    enqueue_now(tasks.notify_arrival_task if what == "arrival" else tasks.notify_answer_task, pk)


def _due_soon_window(today):
    # Friday → Monday: "tomorrow" is the next business day (national calendar).
    return today + timedelta(days=1), add_business_days(today, 1)


def notifications_sweep(*, now=None) -> dict[str, int]:
    """Periodic: send the due-tomorrow notices, and any arrival or answer notice of the
    last days that was not sent (queue lost, SMTP down). Returns how many were sent."""
    now = now or timezone.now()
    sent = {"chegada": 0, "vence_amanha": 0, "resposta": 0}
    recent = now - SWEEP_WINDOW
    contingency = {
        "responsible_unimed__is_integrated": False,
        "responsible_unimed__is_active": True,
    }

    arrivals = (
        Protocol.objects.filter(
            status__in=list(OPEN_STATUSES), updated_at__gte=recent, **contingency
        )
        .exclude(responsible_unimed__contingency_email="")
        .values_list("pk", "responsible_unimed__code")[:SWEEP_BATCH]
    )
    done = set(
        ProtocolNotification.objects.filter(
            kind=NotificationKind.ARRIVAL, protocol_id__in=[pk for pk, _ in arrivals]
        ).values_list("protocol_id", "key")
    )
    for pk, code in arrivals:
        if (pk, code) not in done:
            sent["chegada"] += notify_arrival(protocol_id=pk)

    first, last = _due_soon_window(local_day(now))
    due = (
        Protocol.objects.filter(
            status__in=list(OPEN_STATUSES), due_date__gte=first, due_date__lte=last, **contingency
        )
        .exclude(responsible_unimed__contingency_email="")
        .values_list("pk", "due_date")[:SWEEP_BATCH]
    )
    done = set(
        ProtocolNotification.objects.filter(
            kind=NotificationKind.DUE_TOMORROW, protocol_id__in=[pk for pk, _ in due]
        ).values_list("protocol_id", "key")
    )
    for pk, due_date in due:
        if (pk, due_date.isoformat()) not in done:
            sent["vence_amanha"] += notify_due_tomorrow(protocol_id=pk)

    answers = (
        ProtocolEvent.objects.filter(
            kind__in=list(ANSWER_EVENTS),
            at__gte=recent,
            protocol__answer_preference=AnswerPreference.EMAIL,
        )
        .exclude(protocol__email="")
        .values_list("pk", "protocol_id", "uuid")[:SWEEP_BATCH]
    )
    done = set(
        ProtocolNotification.objects.filter(
            kind=NotificationKind.ANSWER, protocol_id__in=[p for _, p, _ in answers]
        ).values_list("key", flat=True)
    )
    for pk, _protocol_id, uuid in answers:
        if uuid.hex not in done:
            sent["resposta"] += notify_answer(event_id=pk)
    return sent
