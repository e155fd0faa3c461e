"""Panel forms of retention."""

from django import forms

from core.forms import BootstrapFormMixin
from leads.forms import ContactForm, ReassignForm
from leads.models import AGE_BANDS
from retencao.models import CaseOrigin, CaseStatus, ClientType, OfferType

__all__ = ["ContactForm", "ReassignForm"]


def _blank(choices, label="Todos"):
    return [("", label), *choices]


class CaseFilterForm(BootstrapFormMixin, forms.Form):
    status = forms.ChoiceField(
        label="Situação",
        required=False,
        choices=[("", "Abertos"), ("todos", "Todos"), *CaseStatus.choices],
    )
    origin = forms.ChoiceField(
        label="Origem", required=False, choices=_blank(CaseOrigin.choices, "Todas")
    )
    owner = forms.RegexField(
        label="Responsável",
        required=False,
        regex=r"^(\d{1,10}|nenhum)$",
        widget=forms.Select,
        error_messages={"invalid": "Responsável inválido."},
    )
    q = forms.CharField(
        label="Busca",
        required=False,
        max_length=80,
        widget=forms.TextInput(attrs={"placeholder": "nome, contrato ou CPF/CNPJ"}),
    )

    def __init__(self, *args, owners=None, **kwargs):
        super().__init__(*args, **kwargs)
        choices = [("", "Todos"), ("nenhum", "Sem responsável")]
        choices += [(str(u.pk), u.get_full_name() or u.get_username()) for u in (owners or [])]
        self.fields["owner"].widget.choices = choices


class CaseCreateForm(BootstrapFormMixin, forms.Form):
    document = forms.CharField(label="CPF ou CNPJ", max_length=30)
    name = forms.CharField(label="Nome do cliente", max_length=150, required=False)
    contract_number = forms.CharField(label="Número do contrato", max_length=40, required=False)
    note = forms.CharField(
        label="Por que abrir o caso",
        max_length=2000,
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
    )


class StageForm(BootstrapFormMixin, forms.Form):
    id_prefix = "etapa"
    to_status = forms.ChoiceField(label="Nova situação", choices=CaseStatus.choices)
    offer_type = forms.ChoiceField(
        label="Tipo de oferta",
        required=False,
        choices=_blank(OfferType.choices, "—"),
        help_text="Obrigatório na proposta de retenção.",
    )
    offer_text = forms.CharField(label="Oferta feita", max_length=500, required=False)
    reason = forms.CharField(
        label="Motivo do desfecho",
        max_length=300,
        required=False,
        help_text="Obrigatório para cancelado e sem contato.",
    )
    note = forms.CharField(label="Observação", max_length=2000, required=False)

    def __init__(self, *args, choices: list[str] | None = None, **kwargs):
        super().__init__(*args, **kwargs)
        if choices is not None:  # retencao.selectors.case_stage_choices: what the service accepts
            self.fields["to_status"].choices = [(s, CaseStatus(s).label) for s in choices]


class RuleForm(BootstrapFormMixin, forms.Form):
    name = forms.CharField(label="Nome", max_length=80)
    priority = forms.IntegerField(
        label="Prioridade", min_value=1, max_value=99, initial=1, help_text="1 é a mais alta."
    )
    client_type = forms.ChoiceField(
        label="Tipo de cliente", required=False, choices=_blank(ClientType.choices, "Qualquer")
    )
    loss_ratio_min = forms.DecimalField(
        label="Sinistralidade mínima (%)",
        required=False,
        min_value=0,
        max_value=9999,
        decimal_places=2,
    )
    loss_ratio_max = forms.DecimalField(
        label="Sinistralidade máxima (%)",
        required=False,
        min_value=0,
        max_value=9999,
        decimal_places=2,
    )
    days_late_min = forms.IntegerField(
        label="Dias em atraso (mín.)", required=False, min_value=0, max_value=100000
    )
    days_late_max = forms.IntegerField(
        label="Dias em atraso (máx.)", required=False, min_value=0, max_value=100000
    )
    lives_min = forms.IntegerField(
        label="Vidas (mín.)", required=False, min_value=0, max_value=1000000
    )
    lives_max = forms.IntegerField(
        label="Vidas (máx.)", required=False, min_value=0, max_value=1000000
    )
    age_bands = forms.MultipleChoiceField(
        label="Faixas etárias (vazio: qualquer)",
        required=False,
        choices=[(b, b) for b in AGE_BANDS],
        widget=forms.SelectMultiple,
    )
    is_active = forms.BooleanField(label="Ativa", required=False, initial=True)


class SettingsForm(BootstrapFormMixin, forms.Form):
    first_contact_days = forms.IntegerField(
        label="Prazo do primeiro contato (dias úteis)", min_value=0, max_value=30
    )


class ImportForm(BootstrapFormMixin, forms.Form):
    kind = forms.ChoiceField(
        label="Arquivo",
        choices=[("faturas", "Faturas em atraso"), ("indicadores", "Indicadores dos contratos")],
    )
    file = forms.FileField(label="Arquivo .csv ou .xlsx")

    def clean_file(self):
        upload = self.cleaned_data["file"]
        name = (upload.name or "").lower()
        if not name.endswith((".csv", ".txt", ".xlsx")):
            raise forms.ValidationError("Envie um arquivo .csv ou .xlsx.")
        if upload.size > 5 * 1024 * 1024:
            raise forms.ValidationError("Arquivo acima de 5 MB: use o comando ou a API.")
        return upload
