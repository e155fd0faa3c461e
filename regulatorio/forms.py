"""Panel forms of the Regulatório module (pt-BR labels; the services validate the rules)."""

from django import forms

from core.forms import BootstrapFormMixin
from regulatorio.models import DemandKind, DemandStatus, Outcome


def _blank(choices):
    return [("", "Todos"), *choices]


class DemandFilterForm(BootstrapFormMixin, forms.Form):
    prazo = forms.ChoiceField(
        label="Prazo",
        required=False,
        choices=[
            ("", "Todas"),
            ("abertas", "Com prazo correndo"),
            ("hoje", "Vencendo hoje"),
            ("dois_dias", "Vencendo em 2 dias úteis"),
            ("vencidas", "Vencidas"),
        ],
    )
    tipo = forms.ChoiceField(label="Tipo", required=False, choices=_blank(DemandKind.choices))
    situacao = forms.ChoiceField(
        label="Situação", required=False, choices=_blank(DemandStatus.choices)
    )
    numero = forms.CharField(label="Número ANS", required=False, max_length=40)


class DemandCreateForm(BootstrapFormMixin, forms.Form):
    kind = forms.ChoiceField(label="Tipo", choices=DemandKind.choices)
    ans_number = forms.CharField(label="Número da demanda/processo na ANS", max_length=40)
    notified_on = forms.DateField(
        label="Data da notificação", widget=forms.DateInput(attrs={"type": "date"})
    )
    card = forms.CharField(label="Carteirinha (17 dígitos)", max_length=25)
    beneficiary_name = forms.CharField(label="Nome do beneficiário", max_length=70)
    description = forms.CharField(
        label="Descrição", required=False, max_length=4000, widget=forms.Textarea(attrs={"rows": 4})
    )


ACTION_LABELS = {
    "analisar": "Iniciar análise",
    "responder": "Registrar resposta enviada à ANS",
    "impugnar": "Registrar impugnação",
    "decidir": "Registrar decisão da ANS",
    "recorrer": "Registrar recurso",
    "encerrar": "Encerrar",
}


class ActionForm(BootstrapFormMixin, forms.Form):
    id_prefix = "acao"
    action = forms.ChoiceField(label="Ação", choices=())
    message = forms.CharField(
        label="Texto (resposta, impugnação, recurso ou observação)",
        required=False,
        max_length=4000,
        widget=forms.Textarea(attrs={"rows": 4}),
    )
    outcome = forms.ChoiceField(
        label="Resultado", required=False, choices=[("", "—"), *Outcome.choices]
    )
    decided_on = forms.DateField(
        label="Data da decisão",
        required=False,
        widget=forms.DateInput(attrs={"type": "date"}),
    )

    def __init__(self, *args, actions=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["action"].choices = [(a, ACTION_LABELS[a]) for a in actions]


class SubsidyForm(BootstrapFormMixin, forms.Form):
    id_prefix = "subsidio"
    unimed_code = forms.CharField(label="Unimed (código)", max_length=4)
    question = forms.CharField(
        label="O que a Unimed deve informar",
        max_length=4000,
        widget=forms.Textarea(attrs={"rows": 3}),
    )
    internal_due = forms.DateField(
        label="Prazo interno (vazio: 2 dias úteis antes do legal)",
        required=False,
        widget=forms.DateInput(attrs={"type": "date"}),
    )


class AttachForm(BootstrapFormMixin, forms.Form):
    id_prefix = "anexo"
    message = forms.CharField(label="Descrição", required=False, max_length=4000)


class ImportForm(forms.Form):
    file = forms.FileField(label="Arquivo ABI (CSV separado por ';')")


class OwnerForm(BootstrapFormMixin, forms.Form):
    """ "Atribuir": the colleagues of the notified Unimed who may own the demand (the
    service decides who may be chosen; the form reads a number)."""

    id_prefix = "responsavel"

    owner = forms.IntegerField(
        label="Responsável interno",
        widget=forms.Select,
        error_messages={"required": "Escolha a pessoa.", "invalid": "Escolha a pessoa."},
    )

    def __init__(self, *args, people=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["owner"].widget.choices = [("", "Escolha a pessoa")] + [
            (person.pk, person.get_full_name() or person.get_username()) for person in people
        ]
