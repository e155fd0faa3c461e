"""The leads Excel export, through reports (built in the background)."""

from core.identifiers import format_cnpj
from leads.forms import LeadFilterForm
from leads.models import DocumentKind, LeadSource, LeadStatus, LeadTeam, PlanType
from leads.selectors import lead_list
from reports import Column, ReportDefinition, export_cpf, register
from unimeds.models import Module

FIELDS = (
    "pk",
    "created_at",
    "status",
    "document_kind",
    "document",
    "name",
    "company_name",
    "email",
    "phone",
    "municipality__name",
    "municipality__uf",
    "lives",
    "plan_type",
    "current_plan",
    "source",
    "team",
    "is_existing_client",
    "owner__username",
    "first_contact_due",
    "first_contact_at",
    "reserved",
    "lost_reason",
    "closed_at",
)


class LeadReportForm(LeadFilterForm):
    """The list's filters; owners are not listed (a JSON-stored parameter)."""


def _allowed(actor) -> bool:
    return actor is not None and actor.unimed is not None and actor.may(Module.LEADS)


def _rows(actor, params):
    labels = {
        **dict(LeadStatus.choices),
        **dict(LeadSource.choices),
        **dict(LeadTeam.choices),
        **dict(PlanType.choices),
    }
    for row in (
        lead_list(actor=actor, filters=params).values_list(*FIELDS).iterator(chunk_size=2000)
    ):
        values = dict(zip(FIELDS, row, strict=True))
        kind, doc = values["document_kind"], values["document"]
        shown = format_cnpj(doc) if kind == DocumentKind.CNPJ else export_cpf(actor, doc, params)
        yield (
            values["pk"],
            values["created_at"],
            str(labels.get(values["status"], values["status"])),
            kind.upper(),
            shown,
            values["name"],
            values["company_name"],
            values["email"],
            values["phone"],
            values["municipality__name"],
            values["municipality__uf"],
            values["lives"],
            str(labels.get(values["plan_type"], "")),
            values["current_plan"],
            str(labels[values["source"]]),
            str(labels[values["team"]]),
            values["is_existing_client"],
            values["owner__username"] or "",
            values["first_contact_due"],
            values["first_contact_at"],
            values["reserved"],
            values["lost_reason"],
            values["closed_at"],
        )


register(
    ReportDefinition(
        key="leads",
        title="Leads",
        description="Leads da sua Unimed com os filtros da lista (vendedor: só os seus).",
        columns=(
            Column("Id", "int", 8),
            Column("Criado em", "datetime", 18),
            Column("Situação", "text", 12),
            Column("Tipo", "text", 6),
            Column("CPF/CNPJ", "text", 20),
            Column("Contato", "text", 28),
            Column("Razão social", "text", 30),
            Column("E-mail", "text", 28),
            Column("Telefone", "text", 14),
            Column("Município", "text", 20),
            Column("UF", "text", 4),
            Column("Vidas", "int", 8),
            Column("Tipo de plano", "text", 18),
            Column("Plano atual", "text", 18),
            Column("Origem", "text", 18),
            Column("Equipe", "text", 16),
            Column("Já é cliente", "bool", 10),
            Column("Responsável", "text", 18),
            Column("Prazo 1º contato", "date", 14),
            Column("1º contato em", "datetime", 18),
            Column("Reservado", "bool", 10),
            Column("Motivo da perda", "text", 30),
            Column("Encerrado em", "datetime", 18),
        ),
        rows=_rows,
        estimate=lambda actor, params: lead_list(actor=actor, filters=params).count(),
        allowed=_allowed,
        personal_data=True,
        form=LeadReportForm,
    )
)
