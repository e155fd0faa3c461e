"""Regulatório reports (registered in reports; see docs/reports.md and docs/regulatorio.md).

- `regulatorio_demandas`: demands notified in the period, with due date, answer and
  whether the legal deadline was met.
- `regulatorio_persus`: PERSUS items of the period's ABI notices, with the amounts.
"""

from django.db.models import QuerySet

from regulatorio.models import Demand, DemandKind, DemandStatus, Outcome, PersusItem
from regulatorio.selectors import demands_visible
from reports import Column, PeriodForm, ReportDefinition, register
from unimeds.models import Module


def _may_report(actor) -> bool:
    return actor is not None and actor.may(Module.REGULATORIO)


def demands_for_export(actor, params: dict) -> QuerySet[Demand]:
    return demands_visible(actor=actor).filter(
        notified_on__gte=params["start"], notified_on__lte=params["end"]
    )


def _demand_rows(actor, params):
    kinds = {v: str(label) for v, label in DemandKind.choices}
    statuses = {v: str(label) for v, label in DemandStatus.choices}
    outcomes = {v: str(label) for v, label in Outcome.choices}
    rows = (
        demands_for_export(actor, params)
        .order_by("notified_on", "id")
        .values_list(
            "ans_number",
            "kind",
            "notified_on",
            "due_date",
            "status",
            "outcome",
            "answered_at",
            "responsible_unimed__code",
        )
    )
    for number, kind, notified, due, status, outcome, answered, unimed in rows.iterator(
        chunk_size=2000
    ):
        on_time = None if answered is None else answered.date() <= due
        yield (
            number,
            kinds.get(kind, kind),
            notified,
            due,
            statuses.get(status, status),
            outcomes.get(outcome, ""),
            answered,
            on_time,
            unimed,
        )


register(
    ReportDefinition(
        key="regulatorio_demandas",
        title="Demandas regulatórias (NIP e PERSUS)",
        description="Demandas notificadas no período, com prazo legal, resposta e cumprimento do prazo.",
        columns=(
            Column("Número ANS", "text", 20),
            Column("Tipo", "text", 24),
            Column("Notificada em", "date", 12),
            Column("Prazo legal", "date", 12),
            Column("Situação", "text", 14),
            Column("Resultado", "text", 30),
            Column("Respondida em", "datetime", 19),
            Column("No prazo", "bool", 9),
            Column("Unimed responsável", "text", 12),
        ),
        rows=_demand_rows,
        estimate=lambda actor, params: demands_for_export(actor, params).count(),
        allowed=_may_report,
        form=PeriodForm,
    )
)


def items_for_export(actor, params: dict) -> QuerySet[PersusItem]:
    return PersusItem.objects.filter(demand__in=demands_for_export(actor, params))


def _item_rows(actor, params):
    rows = (
        items_for_export(actor, params)
        .order_by("demand__ans_number", "competence", "number")
        .values_list(
            "demand__ans_number",
            "item_kind",
            "number",
            "competence",
            "amount_charged",
            "amount_contested",
            "amount_decided",
            "demand__status",
        )
    )
    statuses = {v: str(label) for v, label in DemandStatus.choices}
    for row in rows.iterator(chunk_size=2000):
        yield (*row[:7], statuses.get(row[7], row[7]))


register(
    ReportDefinition(
        key="regulatorio_persus",
        title="PERSUS: itens e valores",
        description="AIH/APAC dos avisos ABI notificados no período: valores cobrado, impugnado e devido.",
        columns=(
            Column("ABI", "text", 18),
            Column("Tipo", "text", 6),
            Column("AIH/APAC", "text", 18),
            Column("Competência", "date", 12),
            Column("Valor cobrado", "decimal", 14),
            Column("Valor impugnado", "decimal", 14),
            Column("Valor devido após decisão", "decimal", 16),
            Column("Situação da demanda", "text", 14),
        ),
        rows=_item_rows,
        estimate=lambda actor, params: items_for_export(actor, params).count(),
        allowed=_may_report,
        form=PeriodForm,
    )
)
