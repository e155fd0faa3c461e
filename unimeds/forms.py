from django import forms
from django.contrib.auth.forms import AuthenticationForm
from django.core.validators import MaxLengthValidator
from django.utils.translation import gettext_lazy as _

from core.forms import BootstrapFormMixin
from unimeds.models import Level, Module, Role


class SignInForm(AuthenticationForm):
    error_messages = {
        "invalid_login": _(
            "Usuário ou senha incorretos. Após 5 tentativas erradas o acesso é bloqueado."
        ),
        "inactive": _("Este acesso está desativado. Fale com o gestor da sua Unimed."),
    }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["username"].label = _("Usuário")
        # AuthenticationForm sets max_length after the field is built, so it is not
        # checked: an over-long name went on to authenticate() and the lockout record
        # (varchar 255) failed on PostgreSQL.
        self.fields["username"].validators.append(
            MaxLengthValidator(self.fields["username"].max_length)
        )
        self.fields["password"].label = _("Senha")
        for field in self.fields.values():
            field.widget.attrs["class"] = "form-control"


class StaffInviteForm(BootstrapFormMixin, forms.Form):
    full_name = forms.CharField(label=_("Nome completo"), max_length=150)
    username = forms.CharField(label=_("Usuário"), max_length=150)
    cpf = forms.CharField(label=_("CPF"), max_length=14, required=False)
    email = forms.EmailField(label=_("E-mail"))
    roles = forms.MultipleChoiceField(
        label=_("Papéis"), choices=Role.choices, widget=forms.CheckboxSelectMultiple
    )


def _level_fields() -> dict:
    return {
        module.value: forms.TypedChoiceField(
            label=module.label, choices=Level.choices, coerce=int, initial=Level.NENHUM
        )
        for module in Module
    }


# One select per module of the permission matrix (fields built from Module).
StaffLevelsForm = type(
    "StaffLevelsForm",
    (BootstrapFormMixin, forms.Form),
    {"id_prefix": "nivel", **_level_fields()},
)


class StaffRolesForm(BootstrapFormMixin, forms.Form):
    roles = forms.MultipleChoiceField(
        label=_("Papéis"), choices=Role.choices, widget=forms.CheckboxSelectMultiple
    )
