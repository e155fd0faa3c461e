"""The legacy "export the list": cooperados to Excel/CSV through the reports app.

The parameters are the search filters (empty = every cooperado of the Unimed);
rows come from the same selector as the panel search, so scoping is identical.
"""

from django import forms

from cooperados import selectors
from cooperados.forms import PROFILE_FILTER, SITUATION_FILTER
from cooperados.selectors import may_manage
from reports import Column, ReportDefinition, export_cpf, register

FILTERS = ("name", "login", "email", "cpf", "situation", "profile")


class CooperadoReportForm(forms.Form):
    unimed = forms.RegexField(
        r"^\d{4}$",
        required=False,
        label="Unimed",
        error_messages={"invalid": "Código da Unimed com 4 dígitos."},
    )
    name = forms.CharField(label="Nome", required=False, max_length=120)
    login = forms.CharField(label="Login (CRM)", required=False, max_length=20)
    email = forms.CharField(label="E-mail", required=False, max_length=254)
    cpf = forms.CharField(label="CPF", required=False, max_length=14)
    situation = forms.ChoiceField(label="Situação", required=False, choices=SITUATION_FILTER)
    profile = forms.ChoiceField(label="Perfil", required=False, choices=PROFILE_FILTER)


def _queryset(actor, params: dict):
    return selectors.cooperado_search(
        actor=actor,
        unimed_code=params.get("unimed") or None,
        **{k: params.get(k) or "" for k in FILTERS},
    )


def _rows(actor, params: dict):
    qs = _queryset(actor, params).values_list(
        "unimed__code",
        "provider_code",
        "full_name",
        "login",
        "crm_number",
        "crm_uf",
        "cpf",
        "profile",
        "email_unimed",
        "email_private",
        "login_email",
        "situation",
        "block_reason",
        "must_change_password",
        "last_sign_in",
        "created_at",
    )
    for (
        unimed,
        code,
        name,
        login,
        crm,
        uf,
        cpf,
        profile,
        e_unimed,
        e_private,
        e_login,
        situation,
        reason,
        must_change,
        last,
        created,
    ) in qs.iterator(chunk_size=2000):
        yield (
            unimed,
            code,
            name,
            login,
            f"{crm}/{uf}" if crm else "",
            export_cpf(actor, cpf, params),
            profile,
            e_unimed,
            e_private,
            e_login,
            situation,
            reason,
            must_change,
            last,
            created,
        )


register(
    ReportDefinition(
        key="cooperados",
        title="Cooperados",
        description="Lista de cooperados (contas do aplicativo) da Unimed; filtros opcionais como na busca.",
        columns=(
            Column("Unimed", "text", 8),
            Column("Código do prestador", "text", 12),
            Column("Nome", "text", 40),
            Column("Login", "text", 14),
            Column("CRM", "text", 12),
            Column("CPF", "text", 16),
            Column("Perfil", "text", 12),
            Column("E-mail do sistema Unimed", "text", 30),
            Column("E-mail particular", "text", 30),
            Column("E-mail de login", "text", 30),
            Column("Situação", "text", 10),
            Column("Motivo do bloqueio", "text", 10),
            Column("Troca de senha obrigatória", "bool", 10),
            Column("Último acesso", "datetime", 20),
            Column("Criado em", "datetime", 20),
        ),
        rows=_rows,
        estimate=lambda actor, params: _queryset(actor, params).count(),
        allowed=may_manage,
        personal_data=True,
        form=CooperadoReportForm,
    )
)
