"""Strict JSON field types for PTU messages.

PTU senders mix JSON numbers and strings for codes (`"codigoUnimedOrigem": 999`,
`"codigoVersaoPTU": "010"`); these fields accept both where the fixtures do, and
nothing looser: DRF's own BooleanField takes "sim"/1, which a PTU indicator must not.
"""

import re
from datetime import date, datetime

from django.core.exceptions import ValidationError as DjangoValidationError
from django.utils.translation import gettext_lazy as _
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from core.identifiers import normalize_unimed_code

_NAME_RE = re.compile(r"^[A-Za-zÀ-ÖØ-öø-ÿ][A-Za-zÀ-ÖØ-öø-ÿ' .\-]*$")


@extend_schema_field(OpenApiTypes.BOOL)
class StrictBooleanField(serializers.Field):
    default_error_messages = {"invalid": _("Informe true ou false (booleano JSON).")}

    def to_internal_value(self, data):
        if isinstance(data, bool):
            return data
        self.fail("invalid")

    def to_representation(self, value):
        return value


@extend_schema_field(
    {"oneOf": [{"type": "integer", "minimum": 0}, {"type": "string", "pattern": r"^\d+$"}]}
)
class DigitsField(serializers.Field):
    """A numeric code sent as a JSON number or a string of digits → a digit string.

    `pad` left-pads with zeros (PTU numbers such as Unimed 999 travel without them).
    """

    default_error_messages = {
        "invalid": _("Informe somente dígitos (número ou texto numérico)."),
        "length": _("Deve ter de {min} a {max} dígitos."),
    }

    def __init__(self, *, min_length: int = 1, max_length: int, pad: int = 0, **kwargs):
        self.min_length, self.max_length, self.pad = min_length, max_length, pad
        super().__init__(**kwargs)

    def to_internal_value(self, data):
        if isinstance(data, bool):
            self.fail("invalid")
        if isinstance(data, int) and data >= 0:
            digits = str(data)
        elif isinstance(data, str) and data.strip().isdigit() and data.strip().isascii():
            digits = data.strip()
        else:
            self.fail("invalid")
        digits = digits.zfill(self.pad)
        if not self.min_length <= len(digits) <= self.max_length:
            self.fail("length", min=self.min_length, max=self.max_length)
        return digits

    def to_representation(self, value):
        return value


class UnimedCodeField(DigitsField):
    def __init__(self, **kwargs):
        super().__init__(max_length=4, pad=4, **kwargs)

    def to_internal_value(self, data):
        return run_normalizer(normalize_unimed_code, super().to_internal_value(data))


@extend_schema_field(OpenApiTypes.INT)
class IntChoiceField(serializers.Field):
    """A JSON integer out of a closed table (PTU domain tables)."""

    default_error_messages = {"invalid": _("Valor inválido: use um destes códigos: {choices}.")}

    def __init__(self, *, choices: dict[int, str], **kwargs):
        self.int_choices = choices
        super().__init__(**kwargs)

    def to_internal_value(self, data):
        if isinstance(data, bool) or not isinstance(data, int) or data not in self.int_choices:
            self.fail(
                "invalid", choices=", ".join(f"{k} ({v})" for k, v in self.int_choices.items())
            )
        return data

    def to_representation(self, value):
        return value


class IdentifierField(serializers.CharField):
    """Text checked by one of core.identifiers' normalisers (CPF, CNPJ, CNS, card, CEP…)."""

    def __init__(self, normalizer, **kwargs):
        self.normalizer = normalizer
        kwargs.setdefault("max_length", 40)
        super().__init__(**kwargs)

    def to_internal_value(self, data):
        if isinstance(data, int) and not isinstance(data, bool):
            data = str(data)  # numbers lose leading zeros: the normaliser says so
        return run_normalizer(self.normalizer, super().to_internal_value(data))


class IbgeField(DigitsField):
    def __init__(self, **kwargs):
        super().__init__(min_length=7, max_length=7, **kwargs)
        self.error_messages["length"] = _("Código IBGE do município deve ter 7 dígitos.")


class PersonNameField(serializers.CharField):
    default_error_messages = {"name": _("Use somente letras, espaços, apóstrofo, ponto ou hífen.")}

    def to_internal_value(self, data):
        value = " ".join(super().to_internal_value(data).split())
        if not _NAME_RE.match(value):
            self.fail("name")
        return value


class IsoDateField(serializers.DateField):
    default_error_messages = {
        "invalid": _("Data inválida: use o formato AAAA-MM-DD."),
        "datetime": _("Informe só a data (AAAA-MM-DD), sem horário."),
        "range": _("Data fora do intervalo aceito."),
    }

    def __init__(self, **kwargs):
        super().__init__(input_formats=["%Y-%m-%d"], **kwargs)

    def to_internal_value(self, value):
        if not isinstance(value, str):
            self.fail("invalid")
        parsed = super().to_internal_value(value)
        if parsed.year < 1900:
            self.fail("range")
        return parsed


@extend_schema_field(OpenApiTypes.DATETIME)
class OffsetDateTimeField(serializers.Field):
    """ISO 8601 date-time that states its UTC offset, as PTU's `dataGeracao`."""

    default_error_messages = {
        "invalid": _(
            "Data e hora inválidas: use ISO 8601 com fuso, ex.: 2024-11-12T17:30:21-03:00."
        ),
        "naive": _("Informe o fuso horário (ex.: -03:00 ou Z) na data e hora."),
    }

    def to_internal_value(self, data):
        if not isinstance(data, str) or "T" not in data:
            self.fail("invalid")
        text = data.strip()
        try:
            parsed = datetime.fromisoformat(text[:-1] + "+00:00" if text.endswith("Z") else text)
        except ValueError:
            self.fail("invalid")
        if parsed.tzinfo is None or parsed.utcoffset() is None:
            self.fail("naive")
        return parsed

    def to_representation(self, value):
        return value.isoformat()


def run_normalizer(normalizer, value):
    try:
        return normalizer(value)
    except DjangoValidationError as exc:
        raise serializers.ValidationError([str(m) for m in exc.messages]) from None


def not_in_future(value: date) -> None:
    from django.utils import timezone

    if value > timezone.localdate():
        raise serializers.ValidationError(_("A data não pode estar no futuro."))
