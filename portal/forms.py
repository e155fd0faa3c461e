"""Portal forms: shape checks and friendly widgets. The rules (routing, numbering,
catalog pairs, de-duplication) stay in protocols.services and leads.services; their
errors come back through `show_service_error` beside the field they concern."""

from django import forms
from django.core.exceptions import ValidationError

from core.errors import DomainError
from core.forms import BootstrapFormMixin, apply_domain_error
from core.identifiers import (
    UF_CHOICES,
    normalize_card,
    normalize_cpf,
    normalize_document,
    only_digits,
)
from leads.models import PlanType
from portal.services import GUIA_MEDICO_TYPE, PLAN_TYPE
from protocols.models import AnswerPreference
from protocols.selectors import manifestation_types
from unimeds.selectors import municipalities_for_uf

MESSAGE_MAX = 4000
DETAIL_MAX = 1000
# Types with a page of their own: the Guia Médico report and the plan request.
_DEDICATED_TYPES = {GUIA_MEDICO_TYPE, PLAN_TYPE}

# Service field names → portal field names, for errors raised by the services.
SERVICE_FIELDS = {
    "requester.name": "name",
    "requester.cpf": "cpf",
    "requester.email": "email",
    "requester.phone": "phone",
    "requester.phone_ddd": "phone",
    "requester.uf": "uf",
    "requester.city_code": "municipality",
    "municipality_code": "municipality",
    "card": "card",
    "manifestation_type": "subject",
    "category": "subject",
    "message": "message",
    "answer_preference": "answer_preference",
    "document": "document",
    "company_name": "company_name",
    "lives": "lives",
    "current_plan": "current_plan",
    "plan_type": "plan_type",
}


def show_service_error(form: forms.Form, error: DomainError) -> None:
    """apply_domain_error with the service keys that the portal names differently."""
    apply_domain_error(form, error, SERVICE_FIELDS)


class MessageField(forms.CharField):
    """Line breaks count once, as the browser's maxlength counted them (it submits CRLF)."""

    def to_python(self, value):
        value = super().to_python(value)
        return value.replace("\r\n", "\n") if value else value


def _message_field(
    label: str, *, required: bool = True, max_length: int = MESSAGE_MAX, rows: int = 6
):
    return MessageField(
        label=label,
        required=required,
        max_length=max_length,
        widget=forms.Textarea(attrs={"rows": rows, "maxlength": max_length}),
        help_text=f"Até {max_length} caracteres.",
    )


class PortalForm(BootstrapFormMixin, forms.Form):
    """Every portal form carries a honeypot: a field people never see (CSS) and bots fill."""

    honeypot_field = "site"
    site = forms.CharField(
        label="Deixe este campo em branco",
        required=False,
        widget=forms.TextInput(attrs={"autocomplete": "off", "tabindex": "-1"}),
    )

    @property
    def is_bot(self) -> bool:
        return bool(self.data.get(self.honeypot_field, "").strip())

    def main_fields(self):
        return [f for f in self if f.name != self.honeypot_field]


class ContactMixin(forms.Form):
    name = forms.CharField(
        label="Nome completo", max_length=70, widget=forms.TextInput(attrs={"autocomplete": "name"})
    )
    email = forms.EmailField(
        label="E-mail",
        required=False,
        max_length=70,
        widget=forms.EmailInput(attrs={"autocomplete": "email"}),
    )
    phone = forms.CharField(
        label="Telefone com DDD",
        required=False,
        max_length=20,
        help_text="Ex.: (11) 98765-4321. Informe e-mail, telefone ou os dois.",
        widget=forms.TextInput(attrs={"autocomplete": "tel", "inputmode": "tel"}),
    )

    def clean_contact(self, cleaned: dict) -> None:
        if (
            not cleaned.get("email")
            and not cleaned.get("phone")
            and not self.has_error("email")
            and not self.has_error("phone")
        ):
            self.add_error("email", "Informe um e-mail ou um telefone para receber a resposta.")

    def clean_phone(self):
        value = self.cleaned_data.get("phone", "")
        if value and len(only_digits(value)) not in (10, 11):
            raise ValidationError("Telefone com DDD: 10 ou 11 dígitos, ex.: (11) 98765-4321.")
        return value


class AnswerMixin(forms.Form):
    answer_preference = forms.TypedChoiceField(
        label="Como prefere receber a resposta?",
        coerce=int,
        choices=AnswerPreference.choices,
        initial=AnswerPreference.EMAIL,
        widget=forms.RadioSelect,
    )


class PlaceMixin(forms.Form):
    """UF + municipality. The municipality list follows the UF (htmx, or the
    'Carregar municípios' button without JavaScript)."""

    uf = forms.ChoiceField(label="Estado (UF)", choices=[("", "Selecione")] + UF_CHOICES)
    municipality = forms.ChoiceField(
        label="Município",
        choices=[("", "Selecione o estado primeiro")],
        error_messages={
            "invalid_choice": "Município não encontrado no estado escolhido: selecione da lista."
        },
    )

    def setup_place(self, uf_field: str = "uf", municipality_field: str = "municipality") -> None:
        uf = str(
            (self.data.get(uf_field) if self.is_bound else self.initial.get(uf_field)) or ""
        ).upper()
        field = self.fields[municipality_field]
        field.widget.attrs.update({"data-municipality": "1"})
        self.fields[uf_field].widget.attrs.update(
            {
                "hx-get": "/portal/municipios/",
                "hx-target": f"#id_{municipality_field}",
                "hx-trigger": "change",
                "hx-swap": "innerHTML",
            }
        )
        if uf in dict(UF_CHOICES):
            field.choices = [("", "Selecione o município")] + [
                (m.code, m.name) for m in municipalities_for_uf(uf).only("code", "name")
            ]


def subject_choices() -> list:
    groups = []
    for mtype in manifestation_types():
        if mtype.code in _DEDICATED_TYPES:
            continue
        options = [
            (f"{mtype.code}:{cat.code}", f"{mtype.name} — {cat.name}")
            for cat in mtype.categories.all()
            if cat.is_active
        ]
        if options:
            groups.append((mtype.name, options))
    return [("", "Selecione o assunto")] + groups


class SubjectMixin(forms.Form):
    subject = forms.ChoiceField(
        label="Assunto",
        help_text="O tipo de manifestação e o tema.",
        error_messages={"invalid_choice": "Assunto inexistente: selecione da lista."},
    )

    def clean_subject(self) -> tuple[str, int]:
        mtype, _, category = self.cleaned_data["subject"].partition(":")
        return mtype, int(category)


class ContactNonClientForm(PortalForm, ContactMixin, PlaceMixin, SubjectMixin, AnswerMixin):
    field_order = [
        "name",
        "cpf",
        "email",
        "phone",
        "uf",
        "municipality",
        "subject",
        "message",
        "answer_preference",
    ]
    cpf = forms.CharField(
        label="CPF (opcional)",
        required=False,
        max_length=14,
        help_text="Ajuda a consultar o protocolo depois.",
        widget=forms.TextInput(attrs={"inputmode": "numeric"}),
    )
    message = _message_field("Mensagem")

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["subject"].choices = subject_choices()
        self.setup_place()

    def clean_cpf(self):
        value = self.cleaned_data.get("cpf", "")
        return normalize_cpf(value) if value.strip() else ""

    def clean(self):
        cleaned = super().clean()
        self.clean_contact(cleaned)
        return cleaned


class ContactBeneficiaryForm(PortalForm, ContactMixin, SubjectMixin, AnswerMixin):
    field_order = [
        "name",
        "card",
        "cpf",
        "email",
        "phone",
        "subject",
        "message",
        "answer_preference",
    ]
    card = forms.CharField(
        label="Número da carteirinha",
        max_length=25,
        help_text="17 dígitos, como impresso no cartão do plano.",
        widget=forms.TextInput(attrs={"inputmode": "numeric", "autocomplete": "off"}),
    )
    cpf = forms.CharField(
        label="CPF do beneficiário",
        max_length=14,
        widget=forms.TextInput(attrs={"inputmode": "numeric"}),
    )
    message = _message_field("Mensagem")

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["subject"].choices = subject_choices()

    def clean_card(self):
        return normalize_card(self.cleaned_data["card"])

    def clean_cpf(self):
        return normalize_cpf(self.cleaned_data["cpf"])

    def clean(self):
        cleaned = super().clean()
        self.clean_contact(cleaned)
        return cleaned


class GuiaMedicoErrorForm(PortalForm, ContactMixin, PlaceMixin, AnswerMixin):
    WRONG_CHOICES = [
        ("endereco", "Endereço"),
        ("telefone", "Telefone"),
        ("especialidade", "Especialidade"),
        ("outro", "Outra informação"),
    ]
    field_order = [
        "provider_name",
        "provider_code",
        "uf",
        "municipality",
        "wrong_items",
        "wrong_info",
        "right_info",
        "name",
        "email",
        "phone",
        "answer_preference",
    ]
    provider_name = forms.CharField(label="Nome do médico, clínica ou hospital", max_length=150)
    provider_code = forms.CharField(
        label="Código no Guia ou CRM (se souber)",
        required=False,
        max_length=30,
        help_text="Ex.: CRM 123456/SP.",
    )
    wrong_items = forms.MultipleChoiceField(
        label="O que está errado?", choices=WRONG_CHOICES, widget=forms.CheckboxSelectMultiple
    )
    wrong_info = _message_field("Como está no Guia Médico", max_length=DETAIL_MAX, rows=3)
    right_info = _message_field("Qual é a informação correta", max_length=DETAIL_MAX, rows=3)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["uf"].label = "Estado (UF) do prestador"
        self.fields["municipality"].label = "Município do prestador"
        self.fields["name"].label = "Seu nome"
        self.setup_place()

    def clean(self):
        cleaned = super().clean()
        self.clean_contact(cleaned)
        return cleaned


class PlanRequestForm(PortalForm, ContactMixin, PlaceMixin):
    PERSON, COMPANY = "pf", "pj"
    field_order = [
        "person_kind",
        "document",
        "company_name",
        "name",
        "email",
        "phone",
        "uf",
        "municipality",
        "lives",
        "plan_type",
        "current_plan",
        "message",
    ]
    person_kind = forms.ChoiceField(
        label="O plano é para",
        initial=PERSON,
        widget=forms.RadioSelect,
        choices=[(PERSON, "Mim ou minha família (CPF)"), (COMPANY, "Minha empresa (CNPJ)")],
    )
    document = forms.CharField(
        label="CPF ou CNPJ",
        max_length=20,
        help_text="CNPJ com letras (novo formato) também é aceito.",
    )
    company_name = forms.CharField(label="Razão social (empresa)", required=False, max_length=150)
    lives = forms.IntegerField(
        label="Quantas pessoas (vidas)?",
        min_value=1,
        max_value=100_000,
        widget=forms.NumberInput(attrs={"inputmode": "numeric"}),
    )
    plan_type = forms.ChoiceField(
        label="Tipo de plano (se souber)",
        required=False,
        choices=[("", "Não sei")] + list(PlanType.choices),
    )
    current_plan = forms.CharField(label="Plano atual (se tiver)", required=False, max_length=120)
    message = _message_field(
        "Algo mais que devemos saber?", required=False, max_length=DETAIL_MAX, rows=3
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["name"].label = "Seu nome (contato)"
        self.fields["uf"].label = "Estado (UF) onde o plano será usado"
        self.setup_place()

    def clean_document(self):
        return normalize_document(self.cleaned_data["document"])

    def clean(self):
        cleaned = super().clean()
        self.clean_contact(cleaned)
        person_kind, document = cleaned.get("person_kind"), cleaned.get("document")
        if person_kind and document:
            expected = "cpf" if person_kind == self.PERSON else "cnpj"
            if document[0] != expected:
                self.add_error(
                    "document",
                    "Para pessoa física informe o CPF (11 dígitos)."
                    if expected == "cpf"
                    else "Para empresa informe o CNPJ (14 caracteres).",
                )
        if person_kind == self.COMPANY and not cleaned.get("company_name"):
            self.add_error("company_name", "Informe a razão social da empresa.")
        return cleaned


class LookupForm(PortalForm):
    number = forms.CharField(
        label="Número do protocolo",
        max_length=30,
        help_text="20 dígitos, como na confirmação.",
        widget=forms.TextInput(attrs={"inputmode": "numeric", "autocomplete": "off"}),
    )
    secret = forms.CharField(
        label="CPF ou e-mail informado na abertura",
        max_length=70,
        widget=forms.TextInput(attrs={"autocomplete": "off"}),
    )

    def clean_number(self):
        digits = only_digits(self.cleaned_data["number"])
        if len(digits) != 20:
            raise ValidationError("O número do protocolo tem 20 dígitos.")
        return digits
