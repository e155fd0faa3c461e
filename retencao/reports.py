"""Retention Excel exports, through reports (built in the background). The client's
indicators are personal data: masked like the CPF unless a gestor exports in full."""

from django import forms

from core.forms import BootstrapFormMixin
from core.identifiers import format_cnpj
from reports import (
    Column,
    PeriodForm,
    ReportDefinition,
    export_cpf,
    export_personal,
    period_bounds,
    register,
)
from retencao.models import CaseOrigin, CaseQueue, CaseStatus, ClientType, OfferType
from retencao.selectors import case_queue, cases_visible
from retencao.stats import monthly_outcomes
from unimeds.models import Module

FIELDS = (
    "pk",
    "opened_at",
    "queue",
    "origin",
    "status",
    "priority",
    "rule__name",
    "rule__version",
    "document_kind",
    "document",
    "name",
    "contract_number",
    "client_type",
    "lives",
    "age_bands",
    "loss_ratio",
    "days_late",
    "months_of_contract",
    "monthly_value",
    "owner__username",
    "first_contact_due",
    "first_contact_at",
    "offer_type",
    "offer_text",
    "outcome_reason",
    "closed_at",
    "protocol__number",
)


def _blank(choices, label="Todos"):
    return [("", label), *choices]


class CaseReportForm(BootstrapFormMixin, forms.Form):
    queue = forms.ChoiceField(
        label="Fila", required=False, choices=_blank(CaseQueue.choices, "Todas")
    )
    status = forms.ChoiceField(
        label="Situação",
        required=False,
        choices=[("", "Abertos"), ("todos", "Todos"), *CaseStatus.choices],
    )
    origin = forms.ChoiceField(
        label="Origem", required=False, choices=_blank(CaseOrigin.choices, "Todas")
    )


def _allowed(actor) -> bool:
    return actor is not None and actor.unimed is not None and actor.may(Module.RETENCAO)


def _case_rows(actor, params):
    labels = {
        **dict(CaseQueue.choices),
        **dict(CaseOrigin.choices),
        **dict(CaseStatus.choices),
        **dict(ClientType.choices),
        **dict(OfferType.choices),
    }
    qs = case_queue(actor=actor, queue=params.get("queue", ""), filters=params)
    for row in qs.values_list(*FIELDS).iterator(chunk_size=2000):
        v = dict(zip(FIELDS, row, strict=True))
        doc = v["document"]
        shown = format_cnpj(doc) if v["document_kind"] == "cnpj" else export_cpf(actor, doc, params)
        yield (
            v["pk"],
            v["opened_at"],
            str(labels[v["queue"]]),
            str(labels[v["origin"]]),
            str(labels[v["status"]]),
            v["priority"],
            f"{v['rule__name']} v{v['rule__version']}" if v["rule__name"] else "",
            shown,
            v["name"],
            v["contract_number"],
            str(labels.get(v["client_type"], "")),
            export_personal(actor, v["lives"], params),
            export_personal(actor, ", ".join(v["age_bands"] or []), params),
            export_personal(actor, v["loss_ratio"], params),
            export_personal(actor, v["days_late"], params),
            export_personal(actor, v["months_of_contract"], params),
            v["monthly_value"],
            v["owner__username"] or "",
            v["first_contact_due"],
            v["first_contact_at"],
            str(labels.get(v["offer_type"], "")),
            v["offer_text"],
            v["outcome_reason"],
            v["closed_at"],
            v["protocol__number"] or "",
        )


register(
    ReportDefinition(
        key="retencao_casos",
        title="Retenção: casos",
        description="Casos de retenção da sua Unimed (vendedor: os seus e os sem responsável). "
        "Indicadores mascarados, como o CPF, salvo exportação completa do gestor.",
        columns=(
            Column("Caso", "int", 8),
            Column("Aberto em", "datetime", 18),
            Column("Fila", "text", 14),
            Column("Origem", "text", 24),
            Column("Situação", "text", 16),
            Column("Prioridade", "int", 10),
            Column("Regra (versão)", "text", 20),
            Column("CPF/CNPJ", "text", 20),
            Column("Cliente", "text", 28),
            Column("Contrato", "text", 14),
            Column("Tipo", "text", 14),
            Column("Vidas", "int", 8),
            Column("Faixas etárias", "text", 18),
            Column("Sinistralidade (%)", "decimal", 12),
            Column("Dias em atraso", "int", 10),
            Column("Meses de contrato", "int", 10),
            Column("Receita mensal (R$)", "decimal", 14),
            Column("Responsável", "text", 18),
            Column("Prazo 1º contato", "date", 14),
            Column("1º contato em", "datetime", 18),
            Column("Tipo de oferta", "text", 16),
            Column("Oferta", "text", 30),
            Column("Motivo do desfecho", "text", 30),
            Column("Encerrado em", "datetime", 18),
            Column("Protocolo", "text", 22),
        ),
        rows=_case_rows,
        estimate=lambda actor, params: case_queue(
            actor=actor, queue=params.get("queue", ""), filters=params
        ).count(),
        allowed=_allowed,
        personal_data=True,
        form=CaseReportForm,
    )
)


def _outcome_rows(actor, params):
    begin, finish = period_bounds(params["start"], params["end"])
    yield from monthly_outcomes(cases_visible(actor=actor), begin, finish)


register(
    ReportDefinition(
        key="retencao_resultados",
        title="Retenção: resultados por mês",
        description="Por mês de encerramento: retidos, cancelados, sem contato, taxa de retenção e "
        "receita mensal retida e perdida.",
        columns=(
            Column("Mês", "date", 10),
            Column("Encerrados", "int", 10),
            Column("Retidos", "int", 10),
            Column("Cancelados", "int", 10),
            Column("Sem contato", "int", 10),
            Column("Taxa de retenção (%)", "int", 12),
            Column("Receita retida (R$)", "decimal", 16),
            Column("Receita perdida (R$)", "decimal", 16),
        ),
        rows=_outcome_rows,
        estimate=lambda actor, params: 12,
        allowed=_allowed,
        form=PeriodForm,
    )
)
