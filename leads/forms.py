"""Panel forms of the leads app (also the parameters form of the leads report)."""

from django import forms

from core.forms import BootstrapFormMixin
from leads.models import AGE_BANDS, AssignmentRule, LeadSource, LeadStatus, LeadTeam, PlanType
from leads.selectors import DEADLINE_FILTERS
from leads.services import CONTACT_CHANNELS


def _blank(choices, label="Todos"):
    return [("", label), *choices]


class LeadFilterForm(BootstrapFormMixin, forms.Form):
    status = forms.ChoiceField(
        label="Situação", required=False, choices=_blank(LeadStatus.choices, "Todas")
    )
    owner = forms.RegexField(
        label="Responsável",
        required=False,
        regex=r"^(\d{1,10}|nenhum)$",
        widget=forms.Select,
        error_messages={"invalid": "Responsável inválido."},
    )
    source = forms.ChoiceField(
        label="Origem", required=False, choices=_blank(LeadSource.choices, "Todas")
    )
    team = forms.ChoiceField(
        label="Equipe", required=False, choices=_blank(LeadTeam.choices, "Todas")
    )
    deadline = forms.ChoiceField(
        label="Primeiro contato", required=False, choices=_blank(list(DEADLINE_FILTERS.items()))
    )
    reserved = forms.ChoiceField(
        label="Reserva de mercado",
        required=False,
        choices=[("", "Todos"), ("sim", "Reservados"), ("nao", "Sem reserva")],
    )
    q = forms.CharField(
        label="Busca",
        required=False,
        max_length=80,
        widget=forms.TextInput(attrs={"placeholder": "nome, empresa ou CPF/CNPJ"}),
    )

    def __init__(self, *args, owners=None, **kwargs):
        super().__init__(*args, **kwargs)
        choices = [("", "Todos"), ("nenhum", "Sem responsável")]
        choices += [(str(u.pk), u.get_full_name() or u.get_username()) for u in (owners or [])]
        self.fields["owner"].widget.choices = choices


class LeadCreateForm(BootstrapFormMixin, forms.Form):
    document = forms.CharField(label="CPF ou CNPJ", max_length=30)
    company_name = forms.CharField(
        label="Razão social", max_length=150, required=False, help_text="Obrigatória para CNPJ."
    )
    name = forms.CharField(label="Nome do contato", max_length=120)
    email = forms.CharField(label="E-mail", max_length=120, required=False)
    phone = forms.CharField(label="Telefone (com DDD)", max_length=20, required=False)
    municipality_code = forms.CharField(
        label="Município (código IBGE)",
        max_length=7,
        help_text="7 dígitos, ex.: 3550308 (São Paulo).",
    )
    lives = forms.IntegerField(label="Vidas", required=False, min_value=1)
    age_bands = forms.MultipleChoiceField(
        label="Faixas etárias",
        required=False,
        choices=[(b, b) for b in AGE_BANDS],
        widget=forms.SelectMultiple,
    )
    plan_type = forms.ChoiceField(
        label="Tipo de plano", required=False, choices=_blank(PlanType.choices, "—")
    )
    current_plan = forms.CharField(label="Plano atual", max_length=120, required=False)
    message = forms.CharField(
        label="Observações",
        required=False,
        max_length=4000,
        widget=forms.Textarea(attrs={"rows": 3}),
    )


class ContactForm(BootstrapFormMixin, forms.Form):
    id_prefix = "contato"
    channel = forms.ChoiceField(label="Canal", choices=list(CONTACT_CHANNELS.items()))
    note = forms.CharField(
        label="O que foi conversado", max_length=4000, widget=forms.Textarea(attrs={"rows": 3})
    )


class StageForm(BootstrapFormMixin, forms.Form):
    id_prefix = "etapa"
    to_status = forms.ChoiceField(label="Nova etapa", choices=LeadStatus.choices)
    reason = forms.CharField(
        label="Motivo da perda",
        max_length=300,
        required=False,
        help_text="Obrigatório ao marcar como perdido.",
    )
    note = forms.CharField(label="Observação", max_length=2000, required=False)

    def __init__(self, *args, choices: list[str] | None = None, **kwargs):
        super().__init__(*args, **kwargs)
        if choices is not None:  # leads.selectors.lead_stage_choices: what the service accepts
            self.fields["to_status"].choices = [(s, LeadStatus(s).label) for s in choices]


class ReassignForm(BootstrapFormMixin, forms.Form):
    id_prefix = "reatribuir"
    owner = forms.ChoiceField(label="Novo responsável")
    note = forms.CharField(label="Motivo", max_length=300, required=False)

    def __init__(self, *args, owners=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["owner"].choices = [
            (u.pk, u.get_full_name() or u.get_username()) for u in owners
        ]


class ReserveForm(BootstrapFormMixin, forms.Form):
    id_prefix = "reserva"
    seller = forms.ChoiceField(label="Vendedor da reserva", required=False)

    def __init__(self, *args, sellers=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["seller"].choices = [
            (u.get_username(), u.get_full_name() or u.get_username()) for u in sellers
        ]


class ReleaseForm(BootstrapFormMixin, forms.Form):
    id_prefix = "liberar"
    reason = forms.CharField(label="Motivo da liberação", max_length=300, required=False)


class LeadSettingsForm(BootstrapFormMixin, forms.Form):
    assignment_rule = forms.ChoiceField(
        label="Regra de distribuição de novos leads",
        choices=AssignmentRule.choices,
        widget=forms.RadioSelect,
    )
