"""Report `entregas`: deliveries to and from the Unimed and their failures (issue 9).

Registered from protocols/reports.py (the module reports autodiscovers)."""

from django import forms
from django.db.models import QuerySet

from protocols.models import Delivery, DeliveryStatus
from protocols.outbox.selectors import deliveries_visible
from reports import Column, PeriodForm, ReportDefinition, period_bounds, register
from unimeds.models import Module


class DeliveriesForm(PeriodForm):
    status = forms.ChoiceField(
        label="Situação", required=False, choices=[("", "Todas"), *DeliveryStatus.choices]
    )


def _allowed(actor) -> bool:
    return actor is not None and actor.may(Module.INTEGRACOES)


def deliveries_for_export(actor, params: dict) -> QuerySet[Delivery]:
    """Deliveries created in the period to or from the actor's Unimed (hub admin: all)."""
    start, end = period_bounds(params["start"], params["end"])
    deliveries = deliveries_visible(actor=actor).filter(created_at__gte=start, created_at__lt=end)
    if params.get("status"):
        deliveries = deliveries.filter(status=params["status"])
    return deliveries


def _rows(actor, params):
    labels = {value: str(label) for value, label in DeliveryStatus.choices}
    rows = (
        deliveries_for_export(actor, params)
        .order_by("created_at", "id")
        .values_list(
            "created_at",
            "protocol__number",
            "operation",
            "sender_unimed__code",
            "unimed__code",
            "status",
            "attempts",
            "last_http_status",
            "last_error",
            "last_attempt_at",
            "delivered_at",
            "redeliveries",
        )
    )
    for (
        created,
        number,
        operation,
        sender,
        destination,
        status,
        attempts,
        http,
        error,
        last,
        done,
        again,
    ) in rows.iterator(chunk_size=2000):
        yield (
            created,
            number,
            operation,
            sender,
            destination,
            labels.get(status, status),
            attempts,
            http,
            error,
            last,
            done,
            again,
        )


register(
    ReportDefinition(
        key="entregas",
        title="Entregas e falhas de integração",
        description="Mensagens enviadas às Unimeds integradas no período: situação, tentativas e último erro.",
        columns=(
            Column("Criada em", "datetime", 19),
            Column("Protocolo", "text", 23),
            Column("Operação", "text", 22),
            Column("Unimed de origem", "text", 9),
            Column("Unimed de destino", "text", 9),
            Column("Situação", "text", 16),
            Column("Tentativas", "int", 10),
            Column("Último status HTTP", "int", 10),
            Column("Último erro", "text", 40),
            Column("Última tentativa", "datetime", 19),
            Column("Entregue em", "datetime", 19),
            Column("Reenvios manuais", "int", 10),
        ),
        rows=_rows,
        estimate=lambda actor, params: deliveries_for_export(actor, params).count(),
        allowed=_allowed,
        form=DeliveriesForm,
    )
)
