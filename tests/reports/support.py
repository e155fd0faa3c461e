"""Throw-away report definitions used by the report tests (registered per test)."""

from datetime import date
from decimal import Decimal

from reports import Column, ReportDefinition, export_cpf
from unimeds.models import Membership

STATE = {"fail_at": None, "exception": None, "seen_progress": [], "on_row": None}

COLUMNS = (
    Column("Usuário", "text", 20),
    Column("CPF", "text", 16),
    Column("Cadastrado em", "datetime", 20),
    Column("Papéis", "int", 8),
    Column("Valor", "decimal", 12),
    Column("Referência", "date", 12),
    Column("Ativo", "bool", 8),
    Column("Observação", "text", 30),
)


def team_rows(actor, params):
    members = (
        Membership.objects.filter(unimed=actor.unimed)
        .order_by("user__username")
        .values_list("user__username", "cpf", "created_at", "user__is_active", "pk")
    )
    for index, (username, cpf, created, active, pk) in enumerate(members.iterator(chunk_size=2), 1):
        if STATE["on_row"]:
            STATE["on_row"](index)
        if STATE["fail_at"] == index:
            raise STATE["exception"]
        yield (
            username,
            export_cpf(actor, cpf, params),
            created,
            pk,
            Decimal("1234.50"),
            date(2026, 11, 23),
            active,
            params.get("note") or None,
        )


def team_estimate(actor, params):
    return Membership.objects.filter(unimed=actor.unimed).count()


TEAM_REPORT = ReportDefinition(
    key="teste_equipe",
    title="Equipe (teste)",
    columns=COLUMNS,
    rows=team_rows,
    estimate=team_estimate,
    allowed=lambda actor: actor is not None and actor.unimed is not None,
    personal_data=True,
)


def monthly(month_start):
    return {}


MONTHLY_REPORT = ReportDefinition(
    key="teste_mensal",
    title="Mensal (teste)",
    columns=COLUMNS,
    rows=team_rows,
    estimate=team_estimate,
    allowed=lambda actor: actor is not None and actor.may("relatorios", 3),
    monthly_params=monthly,
)
