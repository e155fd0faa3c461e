"""Protocol reports (registered in reports; see docs/reports.md).

- `protocolos`: the protocol list with deadline and on-time flag.
- `protocolos_prazos`: deadline compliance per month and manifestation type (the
  ANS view), also generated monthly per Unimed and e-mailed to its gestores.
"""

import calendar
from datetime import date
from zoneinfo import ZoneInfo

from django import forms
from django.conf import settings
from django.db.models import BooleanField, Case, Count, F, Q, QuerySet, Value, When
from django.db.models.functions import TruncDate, TruncMonth
from django.db.models.lookups import GreaterThan
from django.utils import timezone

from protocols.models import OPEN_STATUSES, Channel, Kind, ManifestationType, Protocol, Status
from protocols.panel.forms import InboxFilterForm
from protocols.panel.selectors import TAB_DEAD, TAB_RECEIVED, TABS, inbox_queryset
from protocols.selectors import protocols_visible
from reports import Column, LocalDateTime, PeriodForm, ReportDefinition, export_cpf, register
from unimeds.models import Level, Module


def _may_report(actor) -> bool:
    return actor is not None and actor.may(Module.PROTOCOLOS)


def _may_report_compliance(actor) -> bool:
    return actor is not None and actor.may(Module.PROTOCOLOS, Level.ADMINISTRAR)


def _blank(choices):
    return [("", "Todos"), *choices]


class ProtocolListForm(PeriodForm):
    status = forms.ChoiceField(label="Situação", required=False, choices=_blank(Status.choices))
    manifestation_type = forms.ChoiceField(label="Tipo de manifestação", required=False, choices=())
    channel = forms.ChoiceField(label="Canal", required=False, choices=_blank(Channel.choices))
    scope = forms.ChoiceField(
        label="Protocolos",
        required=False,
        initial="",
        choices=[
            ("", "Todos os que a Unimed vê"),
            ("responsible", "Sob nossa responsabilidade"),
            ("origin", "Abertos por nós"),
        ],
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["manifestation_type"].choices = _blank(
            ManifestationType.objects.order_by("sort_order").values_list("code", "name")
        )


class ComplianceForm(PeriodForm):
    default_days = 365


# --- Protocol list -------------------------------------------------------------
def protocols_for_export(actor, params: dict) -> QuerySet[Protocol]:
    """The actor's visible protocols opened in the period (local dates), filtered."""
    queryset = protocols_visible(actor=actor).filter(
        opened_on__gte=params["start"], opened_on__lte=params["end"]
    )
    if params.get("status"):
        queryset = queryset.filter(status=params["status"])
    if params.get("manifestation_type"):
        queryset = queryset.filter(manifestation_type__code=params["manifestation_type"])
    if params.get("channel"):
        queryset = queryset.filter(channel=params["channel"])
    if params.get("scope") == "responsible" and actor.unimed is not None:
        queryset = queryset.filter(responsible_unimed=actor.unimed)
    elif params.get("scope") == "origin" and actor.unimed is not None:
        queryset = queryset.filter(origin_unimed=actor.unimed)
    return queryset


def _on_time_flag(today: date) -> Case:
    """Sim (True): conclusive answer on or before the due date, by its local day.
    Não (False): answered late, or still open past the due date. Empty (None): open
    within the deadline, or cancelled unanswered. Computed by the database, by the
    same rule as the compliance report."""
    answered_day = TruncDate("answered_at", tzinfo=ZoneInfo(settings.TIME_ZONE))
    return Case(
        When(GreaterThan(answered_day, F("due_date")), then=Value(False)),
        When(answered_at__isnull=False, then=Value(True)),
        When(status__in=list(OPEN_STATUSES), due_date__lt=today, then=Value(False)),
        default=Value(None),
        output_field=BooleanField(),
    )


def _protocol_rows(actor, params):
    return protocol_rows_of(
        actor, params, protocols_for_export(actor, params).order_by("opened_at", "id")
    )


def protocol_rows_of(actor, params, queryset: QuerySet[Protocol]):
    """The rows of the protocol list (PROTOCOL_COLUMNS) for a queryset, in its order."""
    # str() once per report: the labels are lazy translations.
    status_label = {value: str(label) for value, label in Status.choices}
    channel_label = {value: str(label) for value, label in Channel.choices}
    kind_label = {value: str(label) for value, label in Kind.choices}
    rows = queryset.values_list(
        "number",
        LocalDateTime("opened_at"),
        "status",
        "manifestation_type__name",
        "category__name",
        "channel",
        "kind",
        "requester_name",
        "requester_cpf",
        "origin_unimed__code",
        "responsible_unimed__code",
        "due_date",
        LocalDateTime("answered_at"),
        _on_time_flag(timezone.localdate()),
    )
    for (
        number,
        opened_at,
        status,
        type_name,
        category,
        channel,
        kind,
        name,
        cpf,
        origin,
        responsible,
        due,
        answered_at,
        on_time,
    ) in rows.iterator(chunk_size=2000):
        yield (
            number,
            opened_at,
            status_label.get(status, status),
            type_name,
            category,
            channel_label.get(channel, channel),
            kind_label.get(kind, kind),
            name,
            export_cpf(actor, cpf, params),
            origin or PORTAL_ORIGIN,
            responsible,
            due,
            answered_at,
            on_time,
        )


PROTOCOL_COLUMNS = (
    Column("Número", "text", 23),
    Column("Aberto em", "datetime", 19),
    Column("Situação", "text", 13),
    Column("Tipo de manifestação", "text", 22),
    Column("Categoria", "text", 30),
    Column("Canal", "text", 18),
    Column("Solicitante", "text", 13),
    Column("Nome", "text", 30),
    Column("CPF", "text", 15),
    Column("Unimed de origem", "text", 10),
    Column("Unimed responsável", "text", 12),
    Column("Prazo", "date", 11),
    Column("Resposta conclusiva em", "datetime", 19),
    Column("No prazo", "bool", 9),
)

# A protocol without an origin Unimed was opened through the hub's portal.
PORTAL_ORIGIN = "Portal"


register(
    ReportDefinition(
        key="protocolos",
        title="Protocolos",
        description="Protocolos abertos no período, com prazo, resposta e indicação de cumprimento do prazo.",
        columns=PROTOCOL_COLUMNS,
        rows=_protocol_rows,
        estimate=lambda actor, params: protocols_for_export(actor, params).count(),
        allowed=_may_report,
        personal_data=True,
        form=ProtocolListForm,
    )
)


# --- Deadline compliance (ANS view) ------------------------------------------------
def compliance_by_month_and_type(actor, params: dict) -> QuerySet:
    """Per opening month and manifestation type, for protocols the actor's Unimed must
    answer: received, answered on time, answered late, open overdue, open on time,
    cancelled. A conclusive answer counts by its local date against the due date."""
    tz = ZoneInfo(settings.TIME_ZONE)
    today = timezone.localdate()
    queryset = protocols_visible(actor=actor).filter(
        opened_on__gte=params["start"], opened_on__lte=params["end"]
    )
    if actor.unimed is not None:
        queryset = queryset.filter(responsible_unimed=actor.unimed)
    open_statuses = list(OPEN_STATUSES)
    answered = Q(answered_at__isnull=False)
    return (
        queryset.annotate(
            month=TruncMonth("opened_on"), answered_day=TruncDate("answered_at", tzinfo=tz)
        )
        .values("month", "manifestation_type__name")
        .annotate(
            received=Count("id"),
            on_time=Count("id", filter=answered & Q(answered_day__lte=F("due_date"))),
            late=Count("id", filter=answered & Q(answered_day__gt=F("due_date"))),
            open_overdue=Count(
                "id",
                filter=Q(answered_at__isnull=True, status__in=open_statuses, due_date__lt=today),
            ),
            open_on_time=Count(
                "id",
                filter=Q(answered_at__isnull=True, status__in=open_statuses, due_date__gte=today),
            ),
            cancelled=Count("id", filter=Q(answered_at__isnull=True, status=Status.CANCELADO)),
        )
        .order_by("month", "manifestation_type__name")
    )


def _compliance_rows(actor, params):
    for group in compliance_by_month_and_type(actor, params).iterator(chunk_size=500):
        month = group["month"]
        if hasattr(month, "date"):
            month = month.date()
        answered = group["on_time"] + group["late"]
        due_so_far = answered + group["open_overdue"]
        rate = round(group["on_time"] / due_so_far, 3) if due_so_far else None
        yield (
            month,
            group["manifestation_type__name"],
            group["received"],
            group["on_time"],
            group["late"],
            group["open_overdue"],
            group["open_on_time"],
            group["cancelled"],
            rate,
        )


def _month_params(month_start: date) -> dict:
    last = calendar.monthrange(month_start.year, month_start.month)[1]
    return {"start": month_start.isoformat(), "end": month_start.replace(day=last).isoformat()}


register(
    ReportDefinition(
        key="protocolos_prazos",
        title="Cumprimento de prazos (ANS)",
        description=(
            "Por mês de abertura e tipo de manifestação: recebidos, respondidos no prazo, com atraso, "
            "abertos vencidos. Enviado todo mês aos gestores."
        ),
        columns=(
            Column("Mês", "month", 10),
            Column("Tipo de manifestação", "text", 24),
            Column("Recebidos", "int", 11),
            Column("Respondidos no prazo", "int", 12),
            Column("Respondidos com atraso", "int", 12),
            Column("Abertos vencidos", "int", 11),
            Column("Abertos no prazo", "int", 11),
            Column("Cancelados", "int", 11),
            Column("% no prazo", "percent", 11),
        ),
        rows=_compliance_rows,
        estimate=lambda actor, params: compliance_by_month_and_type(actor, params).count(),
        allowed=_may_report_compliance,
        form=ComplianceForm,
        monthly_params=_month_params,
    )
)


# --- The inbox view (issue #18: "exportar esta visão") ------------------------------
class InboxExportForm(InboxFilterForm):
    """The inbox's filter form plus its tab and order: the export applies exactly what
    the inbox applies (InboxFilterForm.filters, inbox_queryset)."""

    aba = forms.ChoiceField(
        label="Aba", required=False, choices=[(t, t) for t in TABS if t != TAB_DEAD]
    )
    ordem = forms.CharField(label="Ordem", required=False, max_length=20)


def _inbox_export_queryset(actor, params: dict) -> QuerySet[Protocol]:
    # The stored params are the form's cleaned data: bound again, they give the inbox's
    # own InboxFilters (a filter added to the inbox form is exported without a change here).
    data = {
        key: "" if value is None else value.isoformat() if isinstance(value, date) else value
        for key, value in params.items()
    }
    form = InboxExportForm(data)
    form.is_valid()
    queryset, _sort = inbox_queryset(
        actor=actor,
        tab=params.get("aba") or TAB_RECEIVED,
        filters=form.filters(),
        sort=params.get("ordem") or "",
    )
    return queryset


def _inbox_export_rows(actor, params):
    return protocol_rows_of(actor, params, _inbox_export_queryset(actor, params))


register(
    ReportDefinition(
        key="protocolos_caixa",
        title="Caixa de entrada (visão atual)",
        description="Os protocolos da caixa de entrada com a aba, a busca, os filtros e a ordem escolhidos.",
        columns=PROTOCOL_COLUMNS,
        rows=_inbox_export_rows,
        estimate=lambda actor, params: _inbox_export_queryset(actor, params).count(),
        allowed=lambda actor: (
            actor is not None and actor.may(Module.PROTOCOLOS) and actor.may(Module.RELATORIOS)
        ),
        personal_data=True,
        form=InboxExportForm,
    )
)

from protocols.outbox import report as _deliveries_report  # noqa: E402,F401 - registers 'entregas'
