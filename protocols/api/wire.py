"""Wire format of GPU messages: field shapes, the transaction header, and the
translation of service errors back to wire field names.

Serializers check only the shape (sizes, digits, types); every rule about the
content lives in the protocols services that the panel also calls.
"""

import copy
import functools

from django.core.validators import RegexValidator
from rest_framework import serializers

from core.errors import DomainError
from protocols.models import Channel


class ShapeField(serializers.CharField):
    """A CharField whose checks say one thing once: a value too long for a fixed-size
    code breaks both the length and the pattern, and the sender should read
    "exactly 10 letters or digits" once, not that and "at most 10 characters"."""

    def run_validators(self, value):
        try:
            super().run_validators(value)
        except serializers.ValidationError as exc:
            unique: dict[str, serializers.ErrorDetail] = {}
            for message in exc.detail:  # same text, other code (max_length, invalid): once
                unique.setdefault(str(message), message)
            raise serializers.ValidationError(list(unique.values())) from None


def _fixed(size: int, pattern: str, message: str, required: bool, label: str) -> ShapeField:
    return ShapeField(
        required=required, allow_blank=not required, max_length=size, trim_whitespace=True,
        error_messages={"max_length": message}, validators=[RegexValidator(pattern, message)],
        help_text=label or None,
    )


def digits(size: int, *, required: bool = True, label: str = "") -> serializers.CharField:
    """A string of exactly `size` digits (wire codes keep their leading zeros)."""
    return _fixed(size, rf"^\d{{{size}}}$", f"Deve ter exatamente {size} dígitos.", required, label)


def text(max_length: int, *, required: bool = True, label: str = "") -> serializers.CharField:
    return serializers.CharField(required=required, allow_blank=not required, max_length=max_length,
                                 help_text=label or None)


def transaction_id(*, required: bool = True, label: str = "") -> serializers.CharField:
    return _fixed(10, r"^[0-9A-Za-z]{10}$", "Deve ter exatamente 10 letras ou dígitos.", required, label)


# Base of the GPU message serializers (no docstring: the schema would show it on every
# message). DRF deep-copies every declared field for each new serializer, re-running
# every field's constructor: on the message hot path that was half the validation
# time. These fields are never changed after declaration, so each serializer gets
# shallow copies, bound to it as usual.
class WireSerializer(serializers.Serializer):
    def get_fields(self):
        return {name: copy.copy(field) for name, field in self._declared_fields.items()}


class HeaderSerializer(WireSerializer):
    """cabecalho_transacao (DOMAIN.md §3)."""

    cd_transacao = digits(3, label="Código da transação")
    tp_cliente = serializers.ChoiceField(choices=Channel.values, help_text="Canal de entrada")
    cd_uni_origem = digits(4, label="Unimed que envia; deve ser a Unimed do token")
    cd_uni_destino = digits(4, required=False, label="Unimed de destino (ou nr_ans)")
    nr_ans = digits(6, required=False, label="Registro ANS do destino")
    nr_transacao_prestadora = transaction_id(label="Identificador da transação na origem (idempotência)")
    dt_manifestacao = serializers.DateTimeField(input_formats=["%Y-%m-%d %H:%M:%S"],
                                                help_text="AAAA-MM-DD HH:MM:SS")
    id_usuario = text(100, required=False, label="Usuário que registrou na origem")
    nr_versao_protocolo = digits(3, label="Versão do leiaute")


@functools.cache
def message_serializer(body_key: str, body: type[serializers.Serializer]) -> type[serializers.Serializer]:
    """{"cabecalho_transacao": …, "<body_key>": …} for one operation (one class each)."""
    name = "".join(part.title() for part in body_key.split("_")) + "Mensagem"
    fields = {"cabecalho_transacao": HeaderSerializer(), body_key: body()}
    return type(name, (WireSerializer,), fields)


def translate(exc: DomainError, body_key: str, names: dict[str, str]) -> DomainError:
    """The service's field keys → the wire's ("requester.cpf" → "solicitar_protocolo.cd_cpf")."""
    fields: dict[str, list[str]] = {}
    for key, messages in exc.fields.items():
        if key.startswith((f"{body_key}.", "cabecalho_transacao.")):  # already on the wire
            fields.setdefault(key, []).extend(messages)
            continue
        wire = names.get(key) or names.get(key.split(".")[-1]) or key
        target = wire if wire.startswith("cabecalho_transacao") or wire == "__all__" else f"{body_key}.{wire}"
        fields.setdefault(target, []).extend(messages)
    return type(exc)(exc.message, code=exc.code, fields=fields)
