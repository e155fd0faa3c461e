"""Wire format of GPU messages: field shapes, the transaction header, the leniency the
real clients need, and the translation of service errors back to wire field names.

Serializers check only the shape (sizes, digits, types); every rule about the
content lives in the protocols and leads services that the panel also calls.

What the clients send (docs/api.md §2): optional fields absent, "" or null alike;
numbers as numbers or numeric strings; codes with leading zeros as strings (a number
is padded back); nr_protocolo_anterior of twenty zeros for "none".
"""

import copy
import functools

from django.core.validators import RegexValidator
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from core.errors import DomainError
from gpu_api.schema import WIRE_DATETIME
from protocols.models import Channel
from protocols.outbox.messages import NO_PREVIOUS, Operation

DATETIME_FORMATS = ["%Y-%m-%d %H:%M:%S", "%Y-%m-%dT%H:%M:%S", "%Y-%m-%d %H:%M", "%Y-%m-%d"]


def without_blanks(value):
    """The message with every "" and null dropped (absent, "" and null mean "not given"),
    and a previous-protocol number of twenty zeros dropped too."""
    if isinstance(value, dict):
        out = {}
        for key, item in value.items():
            if item is None or (isinstance(item, str) and not item.strip()):
                continue
            if key == "nr_protocolo_anterior" and str(item).strip() == NO_PREVIOUS:
                continue
            out[key] = without_blanks(item)
        return out
    if isinstance(value, list):
        return [without_blanks(item) for item in value]
    return value


class ShapeField(serializers.CharField):
    """A CharField whose checks say one thing once: a value too long for a fixed-size
    code breaks both the length and the pattern, and the sender should read
    "exactly 10 letters or digits" once, not that and "at most 10 characters"."""

    def __init__(self, *, pad: int = 0, **kwargs):
        self.pad = pad
        super().__init__(**kwargs)

    def to_internal_value(self, data):
        if self.pad and isinstance(data, int) and not isinstance(data, bool) and data >= 0:
            data = str(data).zfill(self.pad)  # 137 → "0137": a code sent as a JSON number
        return super().to_internal_value(data)

    def run_validators(self, value):
        try:
            super().run_validators(value)
        except serializers.ValidationError as exc:
            unique: dict[str, serializers.ErrorDetail] = {}
            for message in exc.detail:  # same text, other code (max_length, invalid): once
                unique.setdefault(str(message), message)
            raise serializers.ValidationError(list(unique.values())) from None


def _fixed(
    size: int, pattern: str, message: str, required: bool, label: str, pad: int = 0
) -> ShapeField:
    return ShapeField(
        required=required,
        allow_blank=not required,
        max_length=size,
        trim_whitespace=True,
        pad=pad,
        error_messages={"max_length": message},
        validators=[RegexValidator(pattern, message)],
        help_text=label or None,
    )


def digits(size: int, *, required: bool = True, label: str = "") -> serializers.CharField:
    """A string of exactly `size` digits (wire codes keep their leading zeros)."""
    return _fixed(
        size, rf"^\d{{{size}}}$", f"Deve ter exatamente {size} dígitos.", required, label, pad=size
    )


def text(max_length: int, *, required: bool = True, label: str = "") -> serializers.CharField:
    return serializers.CharField(
        required=required, allow_blank=not required, max_length=max_length, help_text=label or None
    )


def transaction_id(*, required: bool = True, label: str = "") -> serializers.CharField:
    return _fixed(10, r"^[0-9A-Za-z]{1,10}$", "Até 10 letras ou dígitos.", required, label)


def number(*, required: bool = False, label: str = "", **kwargs) -> serializers.IntegerField:
    """An integer sent as a JSON number or a numeric string."""
    return serializers.IntegerField(required=required, help_text=label or None, **kwargs)


@extend_schema_field({"type": "string", "pattern": WIRE_DATETIME, "example": "2026-11-20 16:45:00"})
class WireDateTimeField(serializers.DateTimeField):
    """`AAAA-MM-DD hh:mm:ss`, Brasília time (documented as that pattern, not date-time)."""


def wire_datetime_field(*, required: bool = False, label: str = "") -> serializers.DateTimeField:
    return WireDateTimeField(
        input_formats=DATETIME_FORMATS,
        required=required,
        help_text=label or "AAAA-MM-DD hh:mm:ss (horário de Brasília)",
    )


class CategoryListField(serializers.ListField):
    """tp_categoria_manifestacao: a list of integer codes (one number alone is taken as a
    list of one)."""

    def __init__(self, **kwargs):
        super().__init__(
            child=serializers.IntegerField(min_value=1, max_value=2_000_000_000),
            min_length=1,
            max_length=10,
            **kwargs,
        )

    def to_internal_value(self, data):
        if isinstance(data, int | str) and not isinstance(data, bool):
            data = [data]
        return super().to_internal_value(data)


# Base of the GPU message serializers (no docstring: the schema would show it on every
# message). DRF deep-copies every declared field for each new serializer, re-running
# every field's constructor: on the message hot path that was half the validation
# time. These fields are never changed after declaration, so each serializer gets
# shallow copies, bound to it as usual.
class WireSerializer(serializers.Serializer):
    def get_fields(self):
        return {name: copy.copy(field) for name, field in self._declared_fields.items()}


class HeaderSerializer(WireSerializer):
    """cabecalho_transacao."""

    cd_transacao = digits(3, label="Código da transação (001, 003, …)")
    tp_cliente = serializers.ChoiceField(choices=Channel.values, help_text="Canal de entrada")
    cd_uni_origem = digits(4, label="Unimed que envia; deve ser a Unimed do token")
    cd_uni_destino = digits(4, required=False, label="Unimed de destino (ou nr_ans)")
    nr_ans = digits(
        6, required=False, label="Registro ANS do destino (ao lado ou no lugar de cd_uni_destino)"
    )
    nr_transacao_prestadora = transaction_id(
        label="Identificador da transação na origem, até 10 caracteres (idempotência)"
    )
    dt_manifestacao = wire_datetime_field(label="AAAA-MM-DD hh:mm:ss")
    dt_cancelamento = wire_datetime_field(
        label="No cancelamento (011), no lugar de dt_manifestacao"
    )
    id_usuario = text(100, required=False, label="Usuário que registrou na origem")
    nr_versao_protocolo = text(3, required=False, label="Versão do leiaute, ex.: 001")


@functools.cache
def message_serializer(
    op: Operation, body: type[serializers.Serializer]
) -> type[serializers.Serializer]:
    """{"cabecalho_transacao": …, "<block>": …} for one operation (one class each)."""
    name = f"{op.name[0].upper()}{op.name[1:]}Mensagem"
    fields = {"cabecalho_transacao": HeaderSerializer(), op.body_key: body()}
    return type(name, (WireSerializer,), fields)


def translate(exc: DomainError, body_key: str, names: dict[str, str]) -> DomainError:
    """The service's field keys → the wire's ("requester.cpf" → "solicitar_protocolo.cd_cpf")."""
    fields: dict[str, list[str]] = {}
    for key, messages in exc.fields.items():
        if key.startswith((f"{body_key}.", "cabecalho_transacao.")):  # already on the wire
            fields.setdefault(key, []).extend(messages)
            continue
        wire = names.get(key) or names.get(key.split(".")[-1]) or key
        target = (
            wire
            if wire.startswith("cabecalho_transacao") or wire == "__all__"
            else f"{body_key}.{wire}"
        )
        fields.setdefault(target, []).extend(messages)
    return type(exc)(exc.message, code=exc.code, fields=fields)
