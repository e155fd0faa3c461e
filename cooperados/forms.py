from django import forms

from cooperados.models import LoginEmail, Profile, Situation
from core.forms import BootstrapFormMixin
from unimeds.models import Unimed

SITUATION_FILTER = [("", "Todos"), *Situation.choices]
PROFILE_FILTER = [("", "Todos os perfis"), *Profile.choices]


class SearchForm(BootstrapFormMixin, forms.Form):
    unimed = forms.ChoiceField(label="Unimed", required=False)
    name = forms.CharField(
        label="Nome",
        required=False,
        max_length=120,
        help_text="Parte do nome; acentos e maiúsculas não importam.",
    )
    login = forms.CharField(
        label="Login (CRM)", required=False, max_length=20, help_text="Ex.: 12345SC"
    )
    email = forms.CharField(
        label="E-mail", required=False, max_length=254, help_text="Início do e-mail."
    )
    cpf = forms.CharField(label="CPF", required=False, max_length=14)
    situation = forms.ChoiceField(label="Situação", required=False, choices=SITUATION_FILTER)
    profile = forms.ChoiceField(label="Perfil", required=False, choices=PROFILE_FILTER)

    def __init__(self, *args, actor, **kwargs):
        super().__init__(*args, **kwargs)
        if actor.sees_all_unimeds:
            self.fields["unimed"].choices = [("", "Escolha a Unimed")] + [
                (u.code, str(u)) for u in Unimed.objects.order_by("code")
            ]
        else:
            del self.fields["unimed"]


class GeneralDataForm(BootstrapFormMixin, forms.Form):
    email_unimed = forms.EmailField(
        label="E-mail do sistema Unimed", required=False, max_length=254
    )
    email_private = forms.EmailField(label="E-mail particular", required=False, max_length=254)
    login_email_source = forms.ChoiceField(
        label="E-mail de login do aplicativo", choices=LoginEmail.choices, widget=forms.RadioSelect
    )
    confirmed = forms.BooleanField(required=False, widget=forms.HiddenInput)


class BlockForm(BootstrapFormMixin, forms.Form):
    id_prefix = "bloqueio"
    note = forms.CharField(label="Motivo", max_length=300, widget=forms.Textarea(attrs={"rows": 2}))
    confirm = forms.BooleanField(
        label="Confirmo esta alteração de acesso.",
        error_messages={"required": "Marque a confirmação para continuar."},
    )


class PasswordForm(BootstrapFormMixin, forms.Form):
    id_prefix = "senha"
    password1 = forms.CharField(
        label="Nova senha", strip=False, widget=forms.PasswordInput(render_value=False)
    )
    password2 = forms.CharField(
        label="Repita a nova senha", strip=False, widget=forms.PasswordInput
    )
    must_change = forms.BooleanField(
        label="Exigir que o cooperado troque esta senha no próximo acesso", required=False
    )
    confirm = forms.BooleanField(
        label="Confirmo a troca da senha deste cooperado.",
        error_messages={"required": "Marque a confirmação para continuar."},
    )

    def clean(self):
        data = super().clean()
        if (
            data.get("password1")
            and data.get("password2")
            and data["password1"] != data["password2"]
        ):
            self.add_error("password2", "As senhas não conferem.")
        return data


class ResetLinkForm(BootstrapFormMixin, forms.Form):
    id_prefix = "link"
    confirm = forms.BooleanField(
        label="Confirmo o envio do link para o e-mail de login.",
        error_messages={"required": "Marque a confirmação para continuar."},
    )


class PublicResetForm(BootstrapFormMixin, forms.Form):
    password1 = forms.CharField(label="Nova senha", strip=False, widget=forms.PasswordInput)
    password2 = forms.CharField(
        label="Repita a nova senha", strip=False, widget=forms.PasswordInput
    )

    def clean(self):
        data = super().clean()
        if (
            data.get("password1")
            and data.get("password2")
            and data["password1"] != data["password2"]
        ):
            self.add_error("password2", "As senhas não conferem.")
        return data


class A400UploadForm(BootstrapFormMixin, forms.Form):
    arquivo = forms.FileField(
        label="Arquivo A400", help_text="Texto separado por ponto e vírgula (docs/a400.md)."
    )

    MAX_BYTES = 40 * 1024 * 1024

    def clean_arquivo(self):
        f = self.cleaned_data["arquivo"]
        if f.size > self.MAX_BYTES:
            raise forms.ValidationError(
                "Arquivo maior que 40 MB: use o comando a400_import no servidor."
            )
        return f


class BulkResetForm(BootstrapFormMixin, forms.Form):
    reason = forms.CharField(
        label="Motivo (obrigatório)", max_length=500, widget=forms.Textarea(attrs={"rows": 2})
    )
    confirmation = forms.CharField(label="Digite o código da Unimed para confirmar", max_length=4)


class ExportForm(forms.Form):
    formato = forms.ChoiceField(choices=[("xlsx", "Excel"), ("csv", "CSV")])
    escopo = forms.ChoiceField(choices=[("busca", "Resultado da busca"), ("todos", "Todos")])
