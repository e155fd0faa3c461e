"""Deadline alerts by e-mail: two business days before the legal due date and on the due
day, each sent once per (demand, stage, due date) — the DemandAlert row is the guard."""

from datetime import date

from django.core.mail import send_mail
from django.db import IntegrityError, transaction
from django.utils import timezone

from core.business_days import ANS_CALENDAR, add_business_days
from regulatorio.models import AlertKind, Demand, DemandAlert, DemandEventKind
from regulatorio.selectors import due_window_q
from regulatorio.services._common import record
from unimeds.actors import scheduled_actor

JOB = "regulatorio.alertas"


def _recipients(demand: Demand) -> list[str]:
    found = []
    if demand.owner is not None and demand.owner.email:
        found.append(demand.owner.email)
    for unimed in {demand.received_by, demand.responsible_unimed}:
        if unimed.contingency_email and unimed.contingency_email not in found:
            found.append(unimed.contingency_email)
    return found


def alerts_send(*, today: date | None = None) -> int:
    """Periodic (beat): e-mail the alerts due today; returns how many were sent. Safe to
    run any number of times: an alert already recorded is never sent again."""
    today = today or timezone.localdate()
    stages = (
        (AlertKind.D2, add_business_days(today, 2, **ANS_CALENDAR)),
        (AlertKind.DUE, today),
    )
    sent = 0
    actor = scheduled_actor(JOB)
    for kind, due in stages:
        already = DemandAlert.objects.filter(kind=kind, due_date=due).values("demand_id")
        ids = list(
            Demand.objects.filter(due_window_q("abertas", today=today), due_date=due)
            .exclude(pk__in=already)
            .values_list("pk", flat=True)
        )
        for pk in ids:
            sent += _alert(pk, kind, due, actor)
    return sent


def _alert(pk: int, kind: str, due: date, actor) -> int:
    try:
        with transaction.atomic():
            demand = (
                Demand.objects.select_for_update(of=("self",))
                .select_related("owner", "received_by", "responsible_unimed")
                .get(pk=pk)
            )
            recipients = _recipients(demand)
            DemandAlert.objects.create(
                demand=demand, kind=kind, due_date=due, recipients=len(recipients)
            )
            label = "vence hoje" if kind == AlertKind.DUE else "vence em 2 dias úteis"
            subject = f"[GPU] {demand.get_kind_display()} ANS {demand.ans_number} {label}"
            body = (
                f"A demanda {demand.get_kind_display()} nº {demand.ans_number} "
                f"({demand.beneficiary_name}) tem prazo legal em {due:%d/%m/%Y}.\n"
                f"Situação: {demand.get_status_display()}.\n"
                f"Abra /painel/regulatorio/{demand.pk}/ para responder."
            )
            if recipients:
                # Inside the transaction: in production the backend is the e-mail outbox.
                send_mail(subject, body, None, recipients)
            record(
                demand,
                kind=DemandEventKind.ALERTA,
                actor=actor,
                from_status=demand.status,
                message=f"Alerta: {label} ({len(recipients)} destinatário(s)).",
                payload={"alert": kind, "due_date": due.isoformat()},
            )
    except IntegrityError:
        return 0  # another run recorded it first
    return 1
