"""Panel and admin forms of the intercâmbio registry."""

from django import forms

from core.forms import BootstrapFormMixin
from intercambio.models import SharingType


class SharingFilterForm(BootstrapFormMixin, forms.Form):
    carteirinha = forms.RegexField(
        label="Carteirinha (início)",
        regex=r"^\d{1,17}$",
        required=False,
        max_length=17,
        error_messages={"invalid": "Use só dígitos (até 17)."},
    )
    tipo = forms.ChoiceField(
        label="Tipo", choices=[("", "Todos"), *SharingType.choices], required=False
    )
    ativos = forms.BooleanField(label="Só ativos hoje", required=False)


class EndSharingForm(BootstrapFormMixin, forms.Form):
    ends_on = forms.DateField(
        label="Fim do compartilhamento (inclusive)",
        input_formats=["%d/%m/%Y"],
        help_text="DD/MM/AAAA",
        error_messages={"invalid": "Data inválida: use DD/MM/AAAA."},
    )
    reason = forms.CharField(label="Motivo", max_length=300)
