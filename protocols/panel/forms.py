"""Panel forms. Field names follow the services' parameters so that
core.forms.apply_domain_error puts each service error beside its field."""

from django import forms
from django.utils.translation import gettext_lazy as _

from core import refcache
from core.errors import DomainError
from core.forms import BootstrapFormMixin, apply_domain_error
from core.identifiers import UF_CHOICES
from protocols.models import AnswerPreference, AssignmentRule, Channel, Kind, Status
from protocols.panel.selectors import OWNER_ME, OWNER_NONE, InboxFilters
from protocols.selectors import manifestation_types
from unimeds.models import Unimed
from unimeds.selectors import municipalities_for_uf

DATE_FORMATS = ["%Y-%m-%d", "%d/%m/%Y"]


class DateInput(forms.DateInput):
    input_type = "date"

    def __init__(self, **kwargs):
        super().__init__(format="%Y-%m-%d", **kwargs)


class MultipleFileInput(forms.ClearableFileInput):
    allow_multiple_selected = True


class MultipleFileField(forms.FileField):
    widget = MultipleFileInput

    def clean(self, data, initial=None):
        files = data if isinstance(data, list | tuple) else ([data] if data else [])
        return [super(MultipleFileField, self).clean(f, initial) for f in files]


def _blank(label: str, choices) -> list:
    return [("", label), *choices]


# Filter and form choices change only when the hub edits the catalog or the network:
# memoised in each process (core.refcache, dropped by every process within a second of
# any change to a Unimed or the catalog) instead of queries or a cache round trip on
# every inbox page. Tuples: one value shared by every form of the process.


def _catalog_choices() -> tuple[tuple, tuple]:
    return refcache.memo("protocols:panel:catalog_choices", _read_catalog_choices)


def _read_catalog_choices() -> tuple[tuple, tuple]:
    """(type choices, category choices) from one read of the active catalog."""
    types, seen, categories = [], set(), []
    for mtype in manifestation_types():
        types.append((mtype.code, mtype.name))
        for cat in mtype.categories.all():
            if cat.is_active and cat.code not in seen:
                seen.add(cat.code)
                categories.append((cat.code, f"{cat.code} — {cat.name}"))
    return tuple(types), tuple(sorted(categories))


def _unimed_choices() -> tuple:
    return refcache.memo(
        "protocols:panel:unimed_choices",
        lambda: tuple(
            (u.code, f"{u.code} — {u.name}")
            for u in Unimed.objects.filter(is_active=True).only("code", "name")
        ),
    )


class InboxFilterForm(BootstrapFormMixin, forms.Form):
    q = forms.CharField(
        label=_("Buscar"),
        required=False,
        max_length=80,
        widget=forms.TextInput(
            attrs={
                "placeholder": "Número, CPF, carteirinha ou nome",
                "type": "search",
                "autocomplete": "off",
            }
        ),
    )
    situacao = forms.ChoiceField(label=_("Situação"), required=False)
    tipo = forms.ChoiceField(label=_("Tipo"), required=False)
    categoria = forms.TypedChoiceField(
        label=_("Categoria"), required=False, coerce=int, empty_value=None
    )
    canal = forms.ChoiceField(label=_("Canal"), required=False)
    de = forms.DateField(
        label=_("Aberto de"), required=False, input_formats=DATE_FORMATS, widget=DateInput()
    )
    ate = forms.DateField(
        label=_("até"), required=False, input_formats=DATE_FORMATS, widget=DateInput()
    )
    venc_de = forms.DateField(
        label=_("Vence de"), required=False, input_formats=DATE_FORMATS, widget=DateInput()
    )
    venc_ate = forms.DateField(
        label=_("até"), required=False, input_formats=DATE_FORMATS, widget=DateInput()
    )
    origem = forms.ChoiceField(label=_("Unimed de origem"), required=False)
    responsavel = forms.ChoiceField(label=_("Unimed responsável"), required=False)
    prazo = forms.ChoiceField(
        label=_("Prazo"), required=False, choices=[("", "Todos"), ("hoje", "Vence hoje")]
    )
    catalogo = forms.ChoiceField(
        label=_("Catálogo"),
        required=False,
        choices=[("", "Todos"), ("nao_mapeada", "Categoria não mapeada")],
    )
    dono = forms.ChoiceField(label=_("Atribuído a"), required=False)

    def __init__(self, *args, owners: dict | None = None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["dono"].choices = [
            ("", "Todos"),
            (OWNER_ME, "Comigo"),
            (OWNER_NONE, "Ninguém (não atribuídos)"),
            *[(str(pk), name) for pk, name in sorted((owners or {}).items(), key=lambda i: i[1])],
        ]
        types, categories = _catalog_choices()
        self.fields["situacao"].choices = _blank("Todas", Status.choices)
        self.fields["tipo"].choices = _blank("Todos", types)
        self.fields["categoria"].choices = _blank("Todas", categories)
        self.fields["canal"].choices = _blank("Todos", Channel.choices)
        unimeds = _unimed_choices()
        self.fields["origem"].choices = _blank("Todas", unimeds)
        self.fields["responsavel"].choices = _blank("Todas", unimeds)

    # Under "Mais filtros"; the search box, situação and prazo stay on top.
    MORE = (
        "tipo",
        "categoria",
        "catalogo",
        "canal",
        "de",
        "ate",
        "venc_de",
        "venc_ate",
        "origem",
        "responsavel",
        "dono",
    )

    def more_fields(self) -> list:
        return [self[name] for name in self.MORE]

    def more_open(self) -> bool:
        """Show "Mais filtros" unfolded: one of them is set, or something is wrong."""
        return any(self.data.get(name) for name in self.MORE) or bool(self.errors)

    def clean(self):
        data = super().clean()
        if data.get("de") and data.get("ate") and data["de"] > data["ate"]:
            self.add_error("ate", "A data final é anterior à inicial.")
        if data.get("venc_de") and data.get("venc_ate") and data["venc_de"] > data["venc_ate"]:
            self.add_error("venc_ate", "A data final é anterior à inicial.")
        return data

    def filters(self) -> InboxFilters:
        data = self.cleaned_data if self.is_valid() else {}
        return InboxFilters(
            status=data.get("situacao") or "",
            manifestation_type=data.get("tipo") or "",
            category=data.get("categoria"),
            channel=data.get("canal") or "",
            opened_from=data.get("de"),
            opened_to=data.get("ate"),
            origin=data.get("origem") or "",
            responsible=data.get("responsavel") or "",
            due=data.get("prazo") or "",
            due_from=data.get("venc_de"),
            due_to=data.get("venc_ate"),
            q=data.get("q") or "",
            unmapped=data.get("catalogo") == "nao_mapeada",
            owner=data.get("dono") or "",
        )


class OpenProtocolForm(BootstrapFormMixin, forms.Form):
    kind = forms.ChoiceField(
        label=_("Solicitante"),
        choices=Kind.choices,
        initial=Kind.BENEFICIARIO,
        widget=forms.RadioSelect,
    )
    card = forms.CharField(
        label=_("Carteirinha (17 dígitos)"),
        required=False,
        max_length=30,
        widget=forms.TextInput(attrs={"inputmode": "numeric", "autocomplete": "off"}),
    )
    cpf = forms.CharField(
        label=_("CPF"),
        required=False,
        max_length=20,
        widget=forms.TextInput(attrs={"inputmode": "numeric", "autocomplete": "off"}),
    )
    name = forms.CharField(label=_("Nome do solicitante"), max_length=70)
    phone_ddd = forms.CharField(
        label=_("DDD"),
        required=False,
        max_length=4,
        widget=forms.TextInput(attrs={"inputmode": "numeric"}),
    )
    phone = forms.CharField(
        label=_("Telefone"),
        required=False,
        max_length=15,
        widget=forms.TextInput(attrs={"inputmode": "tel"}),
    )
    email = forms.CharField(
        label=_("E-mail"),
        required=False,
        max_length=70,
        widget=forms.EmailInput(attrs={"autocomplete": "off"}),
    )
    uf = forms.ChoiceField(label=_("UF"), required=False, choices=_blank("—", UF_CHOICES))
    municipality_code = forms.ChoiceField(label=_("Município"), required=False)
    serving_unimed_code = forms.ChoiceField(
        label=_("Unimed de atendimento"),
        required=False,
        help_text=_("Onde o beneficiário está sendo atendido (intercâmbio)."),
    )
    manifestation_type = forms.ChoiceField(label=_("Tipo de manifestação"))
    category = forms.TypedChoiceField(label=_("Categoria"), coerce=int)
    answer_preference = forms.TypedChoiceField(
        label=_("Resposta por"),
        coerce=int,
        choices=AnswerPreference.choices,
        initial=AnswerPreference.EMAIL,
    )
    message = forms.CharField(
        label=_("Mensagem"), max_length=4000, widget=forms.Textarea(attrs={"rows": 5})
    )
    previous_number = forms.CharField(
        label=_("Protocolo anterior (reanálise)"), required=False, max_length=24
    )
    attachments = MultipleFileField(label=_("Anexos (PDF, JPG, PNG)"), required=False)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        types, categories = _catalog_choices()
        self.fields["manifestation_type"].choices = _blank("Escolha…", types)
        self.fields["category"].choices = _blank("Escolha…", categories)
        self.fields["serving_unimed_code"].choices = _blank(
            "A própria Unimed / não se aplica", _unimed_choices()
        )
        self.fields["municipality_code"].choices = municipality_choices(
            self.data.get("uf") if self.is_bound else self.initial.get("uf", "")
        )

    def clean(self):
        data = super().clean()
        if data.get("kind") == Kind.BENEFICIARIO:
            if not (data.get("card") or "").strip():
                self.add_error("card", "Informe a carteirinha do beneficiário (17 dígitos).")
            if not (data.get("cpf") or "").strip():
                self.add_error("cpf", "Informe o CPF do beneficiário.")
        elif data.get("kind") == Kind.NAO_CLIENTE and not data.get("municipality_code"):
            self.add_error("municipality_code", "Escolha a UF e o município do solicitante.")
        return data

    def service_kwargs(self) -> dict:
        data = self.cleaned_data
        beneficiary = data["kind"] == Kind.BENEFICIARIO
        city = data.get("municipality_code") or ""
        return {
            "kind": data["kind"],
            "requester": {
                "name": data["name"],
                "cpf": data.get("cpf", ""),
                "phone_ddd": data.get("phone_ddd", ""),
                "phone": data.get("phone", ""),
                "email": data.get("email", ""),
                "uf": data.get("uf", ""),
                "city_code": city,
            },
            "card": data.get("card") if beneficiary else None,
            "municipality_code": None if beneficiary else city,
            "serving_unimed_code": data.get("serving_unimed_code") or None,
            "manifestation_type": data["manifestation_type"],
            "category": data["category"],
            "answer_preference": data["answer_preference"],
            "message": data["message"],
            "previous_number": data.get("previous_number") or None,
            "attachments": data.get("attachments") or [],
        }


def municipality_choices(uf: str | None) -> list:
    if not uf:
        return [("", "Escolha a UF primeiro")]
    return _blank("Escolha…", [(m.code, m.name) for m in municipalities_for_uf(uf)])


# Service error keys → the panel field that shows them.
FIELD_ALIASES = {
    "requester.city_code": "municipality_code",
    "requester.uf": "uf",
    "to_unimed_code": "to_unimed_code",
}


def show_domain_error(form, error: DomainError) -> None:
    """apply_domain_error with the service keys that the panel names differently."""
    apply_domain_error(form, error, FIELD_ALIASES)


class AnswerForm(BootstrapFormMixin, forms.Form):
    conclusive = forms.TypedChoiceField(
        label=_("Tipo de resposta"),
        coerce=lambda v: v == "1",
        widget=forms.RadioSelect,
        initial="1",
        choices=[
            ("1", "Conclusiva (encerra o prazo)"),
            ("0", "Parcial — em análise (o prazo continua)"),
        ],
    )
    message = forms.CharField(
        label=_("Resposta ao solicitante"),
        max_length=4000,
        widget=forms.Textarea(attrs={"rows": 4}),
    )
    attachments = MultipleFileField(label=_("Anexos"), required=False)


class NoteForm(BootstrapFormMixin, forms.Form):
    message = forms.CharField(
        label=_("Nota interna (só a sua Unimed vê)"),
        max_length=4000,
        widget=forms.Textarea(attrs={"rows": 3}),
    )
    attachments = MultipleFileField(label=_("Anexos"), required=False)


class ComplementForm(BootstrapFormMixin, forms.Form):
    message = forms.CharField(
        label=_("Complemento"), max_length=4000, widget=forms.Textarea(attrs={"rows": 3})
    )
    attachments = MultipleFileField(label=_("Anexos"), required=False)


class ForwardForm(BootstrapFormMixin, forms.Form):
    to_unimed_code = forms.ChoiceField(label=_("Encaminhar para a Unimed"))
    reason = forms.CharField(
        label=_("Motivo do encaminhamento"),
        max_length=4000,
        widget=forms.Textarea(attrs={"rows": 2}),
    )

    def __init__(self, *args, exclude_code: str = "", **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["to_unimed_code"].choices = _blank(
            "Escolha…", [c for c in _unimed_choices() if c[0] != exclude_code]
        )


class ReclassifyForm(BootstrapFormMixin, forms.Form):
    """Correct the type and category (e.g. a code outside the catalog sent by a Unimed's
    system): the deadline follows the new category's rule from the same start."""

    manifestation_type = forms.ChoiceField(label=_("Tipo de manifestação"))
    category = forms.TypedChoiceField(label=_("Categoria"), coerce=int)
    reason = forms.CharField(
        label=_("Motivo da reclassificação"),
        max_length=4000,
        widget=forms.Textarea(attrs={"rows": 2}),
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        types, categories = _catalog_choices()
        self.fields["manifestation_type"].choices = _blank("Escolha…", types)
        self.fields["category"].choices = _blank("Escolha…", categories)


class ReasonForm(BootstrapFormMixin, forms.Form):
    reason = forms.CharField(
        label=_("Motivo"), max_length=4000, widget=forms.Textarea(attrs={"rows": 2})
    )


class CloseForm(BootstrapFormMixin, forms.Form):
    message = forms.CharField(
        label=_("Observação (opcional)"),
        required=False,
        max_length=4000,
        widget=forms.Textarea(attrs={"rows": 2}),
    )


def _people_choices(people) -> list:
    return [(str(p.pk), p.get_full_name() or p.get_username()) for p in people]


class AssumeForm(BootstrapFormMixin, forms.Form):
    """ "Assumir": nothing to fill in."""


class AssignForm(BootstrapFormMixin, forms.Form):
    owner_id = forms.ChoiceField(label=_("Atribuir a"))
    note = forms.CharField(
        label=_("Observação (opcional)"),
        required=False,
        max_length=4000,
        widget=forms.Textarea(attrs={"rows": 2}),
    )

    def __init__(self, *args, people=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["owner_id"].choices = _blank("Escolha…", _people_choices(people))


class BulkForm(BootstrapFormMixin, forms.Form):
    """A bulk action over the rows picked in the inbox (or all that match its filter)."""

    acao = forms.ChoiceField(label=_("Ação em lote"))
    owner_id = forms.ChoiceField(label=_("Atribuir a"), required=False)
    to_unimed_code = forms.ChoiceField(label=_("Encaminhar para"), required=False)
    message = forms.CharField(
        label=_("Texto (nota, resposta ou motivo)"),
        required=False,
        max_length=4000,
        widget=forms.Textarea(attrs={"rows": 2}),
    )

    def __init__(self, *args, people=(), actions=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["acao"].choices = _blank("Escolha…", actions)
        self.fields["owner_id"].choices = _blank("—", _people_choices(people))
        self.fields["to_unimed_code"].choices = _blank("—", _unimed_choices())


class DistributionForm(BootstrapFormMixin, forms.Form):
    assignment_rule = forms.ChoiceField(
        label=_("Distribuição automática dos protocolos que chegam"),
        required=False,
        choices=AssignmentRule.choices,
    )
