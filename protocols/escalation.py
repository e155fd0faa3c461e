"""The deadline clock's alarms (beat: protocols.deadline_alerts_sweep).

- D-1 escalation: an open protocol due on the next business day (or already due
  today) is marked (`escalated_due`) and its Unimed's supervisors — whoever
  administers the Protocolos module — are e-mailed;
- overdue: an open protocol past its due date is e-mailed once to those supervisors
  and to its owner (`overdue_notified_due`).

Once per protocol and deadline, also when two sweeps run at the same time: the
protocol row is claimed with a compare-and-set UPDATE (… WHERE the mark is not this
due date), which a second sweep waits on and then finds already set; the claim, the
notice row and the e-mail (an outbox row, core.mail) commit together, so a failure
leaves nothing claimed and the next sweep tries again. A reopen or recompute gives
the protocol a new due date, and so a new escalation.
"""

from datetime import timedelta

from django.db import transaction
from django.db.models import F, Q

from protocols.models import OPEN_STATUSES, NotificationKind, Protocol
from protocols.notifications import _due_soon_window, _panel_link, _send_once
from protocols.numbering import local_day
from unimeds.models import Level, Module
from unimeds.selectors import members_at_level

BATCH = 500
# Overdue notices only for deadlines passed within this window: deploying the alarm
# must not e-mail a years-old backlog.
OVERDUE_LOOKBACK = timedelta(days=7)


def _supervisor_emails(unimed) -> list[str]:
    people = members_at_level(unimed, Module.PROTOCOLOS, Level.ADMINISTRAR)
    emails = [p.email for p in people if p.email]
    return emails or ([unimed.contingency_email] if unimed.contingency_email else [])


def _claim(pk: int, due, mark: str) -> Protocol | None:
    """Compare-and-set: the protocol, when this call set `mark` to its due date."""
    claimed = (
        Protocol.objects.filter(pk=pk, due_date=due, status__in=list(OPEN_STATUSES))
        .filter(Q(**{f"{mark}__isnull": True}) | ~Q(**{mark: due}))
        .update(**{mark: due})
    )
    if claimed != 1:
        return None
    return Protocol.objects.select_related("responsible_unimed", "owner").get(pk=pk)


def escalate(*, protocol_id: int, due) -> bool:
    """D-1: mark the row and e-mail the supervisors. False when another sweep did it."""
    with transaction.atomic():
        protocol = _claim(protocol_id, due, "escalated_due")
        if protocol is None:
            return False
        owner = protocol.owner
        _send_once(
            protocol=protocol,
            kind=NotificationKind.ESCALATION,
            key=due.isoformat(),
            recipient=_supervisor_emails(protocol.responsible_unimed),
            subject=f"GPU: protocolo {protocol.number} vence em {due:%d/%m/%Y} sem resposta",
            body=(
                f"O protocolo {protocol.number} vence em {due:%d/%m/%Y} e ainda não tem "
                "resposta conclusiva.\n"
                f"Com: {(owner.get_full_name() or owner.get_username()) if owner else 'ninguém (não atribuído)'}\n\n"
                f"Abra no painel: {_panel_link(protocol)}\n"
            ),
        )
        return True


def notify_overdue(*, protocol_id: int, due) -> bool:
    """Past the due date: e-mail the supervisors and the owner, once."""
    with transaction.atomic():
        protocol = _claim(protocol_id, due, "overdue_notified_due")
        if protocol is None:
            return False
        recipients = _supervisor_emails(protocol.responsible_unimed)
        owner = protocol.owner
        if owner is not None and owner.email and owner.email not in recipients:
            recipients.append(owner.email)
        _send_once(
            protocol=protocol,
            kind=NotificationKind.OVERDUE,
            key=due.isoformat(),
            recipient=recipients,
            subject=f"GPU: protocolo {protocol.number} vencido em {due:%d/%m/%Y}",
            body=(
                f"O prazo do protocolo {protocol.number} venceu em {due:%d/%m/%Y} sem "
                "resposta conclusiva.\n\n"
                f"Abra no painel: {_panel_link(protocol)}\n"
            ),
        )
        return True


def deadline_alerts_sweep(*, today=None) -> dict[str, int]:
    """Periodic: escalate what is due by the next business day, and notify what is overdue.
    Returns how many of each this call sent."""
    today = today or local_day()
    _first, last = _due_soon_window(today)
    open_rows = Protocol.objects.filter(status__in=list(OPEN_STATUSES))
    due_soon = (
        open_rows.filter(due_date__gte=today, due_date__lte=last)
        .filter(Q(escalated_due__isnull=True) | ~Q(escalated_due=F("due_date")))
        .values_list("pk", "due_date")[:BATCH]
    )
    overdue = (
        open_rows.filter(due_date__lt=today, due_date__gte=today - OVERDUE_LOOKBACK)
        .filter(Q(overdue_notified_due__isnull=True) | ~Q(overdue_notified_due=F("due_date")))
        .values_list("pk", "due_date")[:BATCH]
    )
    return {
        "escalado": sum(escalate(protocol_id=pk, due=due) for pk, due in list(due_soon)),
        "vencido": sum(notify_overdue(protocol_id=pk, due=due) for pk, due in list(overdue)),
    }
