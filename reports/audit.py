"""Core's own report: the audit trail of the gestor's Unimed."""

import json

from django import forms
from django.db.models import QuerySet

from core.labels import action_label, actor_label
from core.models import AuditEvent
from reports.forms import PeriodForm, period_bounds
from reports.registry import Column, ReportDefinition, register
from unimeds.models import Level, Module


class AuditParamsForm(PeriodForm):
    action = forms.CharField(
        label="Ação contém",
        required=False,
        max_length=80,
        help_text="Ex.: relatorio, equipe. Vazio: todas.",
    )


def _allowed(actor) -> bool:
    return actor is not None and actor.may(Module.EQUIPE, Level.ADMINISTRAR)


def audit_events_for_export(actor, params: dict) -> QuerySet[AuditEvent]:
    """The audit trail the actor may export: their Unimed's (the hub admin: all)."""
    start, end = period_bounds(params["start"], params["end"])
    events = AuditEvent.objects.filter(at__gte=start, at__lt=end)
    if actor.unimed is not None:
        events = events.filter(unimed=actor.unimed)
    if params.get("action"):
        events = events.filter(action__icontains=params["action"])
    return events


def _rows(actor, params):
    events = (
        audit_events_for_export(actor, params)
        .order_by("at", "id")
        .values_list(
            "at", "actor", "unimed__code", "action", "target_type", "target_id", "ip", "data"
        )
    )
    for at, who, unimed, action, target_type, target_id, ip, data in events.iterator(
        chunk_size=2000
    ):
        yield (
            at,
            actor_label(who),
            unimed,
            action,
            action_label(action),
            target_type,
            target_id,
            ip,
            json.dumps(data, ensure_ascii=False, sort_keys=True) if data else "",
        )


register(
    ReportDefinition(
        key="auditoria",
        title="Trilha de auditoria",
        description="Quem fez o quê, quando, na sua Unimed (inclui exportações de relatórios).",
        columns=(
            Column("Quando", "datetime", 20),
            Column("Quem", "text", 24),
            Column("Unimed", "text", 8),
            Column("Ação", "text", 28),
            Column("O quê", "text", 36),
            Column("Tipo do registro", "text", 18),
            Column("Id do registro", "text", 16),
            Column("IP", "text", 16),
            Column("Detalhes", "text", 60),
        ),
        rows=_rows,
        estimate=lambda actor, params: audit_events_for_export(actor, params).count(),
        allowed=_allowed,
        personal_data=True,
        form=AuditParamsForm,
    )
)
