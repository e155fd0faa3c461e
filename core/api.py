"""API error contract: every error is JSON, never HTML —
{"id_identificador": 2, "id_erro": <número>, "codigo": "<texto estável>", "mensagem", "campos"}.

TOTVS PLS treats a reply as an error only when id_identificador is 2, and shows
StrZero(id_erro, 4) with mensagem: so id_erro is a number from ERROR_NUMBERS (the table
in docs/api.md §6); our stable text code and the field-addressed campos stay beside it."""

import json
import logging
import math
import re

from django.core.exceptions import PermissionDenied as DjangoPermissionDenied
from django.core.exceptions import ValidationError as DjangoValidationError
from django.http import Http404, JsonResponse
from django.utils.translation import gettext as _
from rest_framework import exceptions, pagination, parsers, serializers
from rest_framework.parsers import get_encoding
from rest_framework.response import Response
from rest_framework.utils import json as drf_json

from core.errors import DomainError, InvalidInput

logger = logging.getLogger(__name__)

_DRF_CODES = {
    exceptions.NotAuthenticated: (
        "nao_autenticado",
        _("Autenticação necessária: envie Authorization: Bearer <token>."),
    ),
    exceptions.AuthenticationFailed: ("token_invalido", _("Token inválido ou expirado.")),
    exceptions.PermissionDenied: ("acesso_negado", _("Você não tem permissão para esta operação.")),
    exceptions.NotFound: ("nao_encontrado", _("Registro não encontrado.")),
    exceptions.MethodNotAllowed: (
        "metodo_nao_permitido",
        _("Método HTTP não permitido neste endereço."),
    ),
    exceptions.UnsupportedMediaType: (
        "tipo_de_conteudo_invalido",
        _("Envie o corpo como application/json."),
    ),
    exceptions.ParseError: ("json_invalido", _("O corpo da requisição não é um JSON válido.")),
    exceptions.Throttled: (
        "limite_excedido",
        _("Muitas requisições; tente novamente em instantes."),
    ),
    exceptions.NotAcceptable: ("formato_nao_aceito", _("Formato de resposta não suportado.")),
}


_SURROGATE_ESCAPE = re.compile(rb"\\u[dD][89a-fA-F]")


class _OutOfRange(ValueError):
    pass


def _finite(text: str) -> float:
    value = float(text)
    if not math.isfinite(value):
        raise _OutOfRange(text[:40])
    return value


class JSONParser(parsers.JSONParser):
    """DRF's JSON parser, stricter where Python reads what no database stores: a
    number too large for a float (`1e309`, read as infinity; NaN/Infinity are already
    refused) and half of a UTF-16 surrogate pair written as an escape (`"\\ud800"`).
    An escaped pair (an emoji) is fine."""

    def parse(self, stream, media_type=None, parser_context=None):
        raw = stream.read() if stream is not None else b""
        encoding = get_encoding(parser_context or {})
        from core.limits import MAX_JSON_DEPTH, too_deep

        if too_deep(raw):
            raise InvalidInput(
                _("JSON aninhado demais: no máximo %(n)s níveis.") % {"n": MAX_JSON_DEPTH},
                code="json_invalido",
            )
        try:
            constant = drf_json.strict_constant if self.strict else None
            data = json.loads(raw.decode(encoding), parse_constant=constant, parse_float=_finite)
        except _OutOfRange as exc:
            raise InvalidInput(
                _("Número fora do intervalo aceito: %(numero)s.") % {"numero": exc},
                code="json_invalido",
            ) from None
        except (ValueError, RecursionError) as exc:  # UnicodeDecodeError included
            raise exceptions.ParseError(f"JSON parse error - {exc}") from None
        if _SURROGATE_ESCAPE.search(raw):
            try:
                json.dumps(data, ensure_ascii=False).encode("utf-8")
            except UnicodeEncodeError:
                raise InvalidInput(
                    _("O corpo tem um caractere Unicode inválido (\\uD800–\\uDFFF sem o seu par)."),
                    code="json_invalido",
                ) from None
        return data


class CursorPagination(pagination.CursorPagination):
    """A cursor that was not one of our `next`/`previous` links is a 400 that says so
    (DRF answers 404 "invalid cursor", which reads as if the data were gone)."""

    def decode_cursor(self, request):
        try:
            return super().decode_cursor(request)
        except exceptions.NotFound:
            message = _(
                "Cursor inválido: use o endereço de next ou previous de uma página anterior."
            )
            raise InvalidInput(
                message, code="cursor_invalido", fields={self.cursor_query_param: [message]}
            ) from None


ERROR_IDENTIFIER = 2  # id_identificador of an error reply (TOTVS reads only this)

# The numeric id_erro of each stable code. Numbers are never reused; a code missing
# here takes its HTTP status family's number (ERROR_BY_STATUS).
ERROR_NUMBERS: dict[str, int] = {
    # 1xxx — the message itself
    "dados_invalidos": 1001,
    "json_invalido": 1002,
    "requisicao_invalida": 1003,
    "cursor_invalido": 1004,
    "tipo_de_conteudo_invalido": 1005,
    "corpo_grande_demais": 1006,
    "parametros_invalidos": 1007,
    "operacao_incompativel": 1008,
    "cpf_invalido": 1010,
    "cnpj_invalido": 1011,
    "cns_invalido": 1012,
    "carteirinha_invalida": 1013,
    "uf_invalida": 1014,
    "registro_ans_invalido": 1015,
    # 2xxx — sign-in and access
    "nao_autenticado": 2001,
    "token_invalido": 2002,
    "credenciais_invalidas": 2003,
    "conta_bloqueada": 2004,
    "acesso_negado": 2010,
    "origem_divergente": 2011,
    "bloqueado": 2012,
    "troca_de_senha_obrigatoria": 2013,
    # 3xxx — what the message refers to
    "nao_encontrado": 3001,
    "metodo_nao_permitido": 3002,
    "formato_nao_aceito": 3003,
    # 4xxx — state and conflicts
    "transicao_invalida": 4001,
    "transacao_repetida": 4002,
    "protocolo_duplicado": 4003,
    "conflito": 4004,
    "conflito_concorrente": 4005,
    "reserva_existente": 4010,
    "reserva_concorrente": 4011,
    "reserva_inativa": 4012,
    "limite_renovacoes": 4013,
    "sequencia_esgotada": 4020,
    "transacao_divergente": 4021,
    # 5xxx — limits; 9xxx — the hub
    "limite_excedido": 5001,
    "servico_indisponivel": 9001,
    "erro_interno": 9999,
}
ERROR_BY_STATUS = {
    400: 1000,
    401: 2000,
    403: 2010,
    404: 3000,
    405: 3002,
    406: 3003,
    409: 4000,
    413: 1006,
    415: 1005,
    429: 5001,
    503: 9001,
}


class ErrorSerializer(serializers.Serializer):
    """The error body of every API answer (4xx and 5xx)."""

    id_identificador = serializers.IntegerField(
        help_text="Sempre 2 num erro (o TOTVS só reconhece erro assim)"
    )
    id_erro = serializers.IntegerField(help_text="Número do erro (tabela em docs/api.md)")
    codigo = serializers.CharField(help_text="Código estável do erro, em texto")
    mensagem = serializers.CharField(help_text="Mensagem em pt-BR")
    campos = serializers.DictField(
        child=serializers.ListField(child=serializers.CharField()),
        help_text='{"bloco.campo": ["mensagens"]}',
    )


def error_number(code: str, status: int | None = None) -> int:
    return (
        ERROR_NUMBERS.get(code)
        or ERROR_BY_STATUS.get(status or 0)
        or (9999 if (status or 500) >= 500 else 1000)
    )


def error_body(
    code: str, message: str, fields: dict | None = None, status: int | None = None
) -> dict:
    return {
        "id_identificador": ERROR_IDENTIFIER,
        "id_erro": error_number(code, status),
        "codigo": code,
        "mensagem": str(message),
        "campos": fields or {},
    }


def flatten_errors(detail, prefix: str = "") -> dict[str, list[str]]:
    """DRF's nested error detail → {"bloco.campo": [mensagens]}."""
    out: dict[str, list[str]] = {}
    if isinstance(detail, dict):
        for key, value in detail.items():
            name = (
                prefix
                if key in ("non_field_errors", "__all__") and prefix
                else (f"{prefix}.{key}" if prefix else str(key))
            )
            if key == "non_field_errors" and not prefix:
                name = "__all__"
            for k, v in flatten_errors(value, name).items():
                out.setdefault(k, []).extend(v)
    elif isinstance(detail, list):
        if all(not isinstance(item, dict | list) for item in detail):
            out[prefix or "__all__"] = [str(item) for item in detail]
        else:
            for index, item in enumerate(detail):
                for k, v in flatten_errors(item, f"{prefix}[{index}]").items():
                    out.setdefault(k, []).extend(v)
    else:
        out[prefix or "__all__"] = [str(detail)]
    return out


def exception_handler(exc, context):
    if isinstance(exc, DomainError):
        return Response(
            error_body(exc.code, exc.message, exc.fields, exc.status), status=exc.status
        )
    if isinstance(exc, DjangoValidationError):
        err = DomainError.from_validation_error(exc)
        return Response(error_body(err.code, err.message, err.fields, 400), status=400)
    if isinstance(exc, Http404):
        exc = exceptions.NotFound()
    elif isinstance(exc, DjangoPermissionDenied):
        exc = exceptions.PermissionDenied()
    if isinstance(exc, exceptions.ValidationError):
        fields = flatten_errors(exc.detail)
        first = next(iter(fields.values()))[0] if fields else _("Dados inválidos.")
        return Response(error_body("dados_invalidos", first, fields, 400), status=400)
    if isinstance(exc, exceptions.APIException):
        code, message = next(
            ((c, m) for cls, (c, m) in _DRF_CODES.items() if isinstance(exc, cls)),
            ("erro", str(exc.detail)),
        )
        headers = {}
        if getattr(exc, "auth_header", None):
            headers["WWW-Authenticate"] = exc.auth_header
        if getattr(exc, "wait", None):
            headers["Retry-After"] = str(int(exc.wait))
        return Response(
            error_body(code, message, status=exc.status_code),
            status=exc.status_code,
            headers=headers,
        )
    from core.outage import outage_response

    response = outage_response(exc)
    if response is not None:
        logger.warning("Banco de dados indisponível ou ocupado na API: %s", exc)
        return response
    logger.exception("Erro inesperado na API", exc_info=exc)
    return Response(
        error_body("erro_interno", _("Erro interno inesperado; a equipe foi avisada."), status=500),
        status=500,
    )


def json_not_found(request, exception=None):
    return JsonResponse(
        error_body("nao_encontrado", _("Endereço não encontrado."), status=404), status=404
    )


def json_server_error(request):
    return JsonResponse(
        error_body("erro_interno", _("Erro interno inesperado; a equipe foi avisada."), status=500),
        status=500,
    )


_ERROR_SCHEMA = {
    "type": "object",
    "required": ["id_identificador", "id_erro", "codigo", "mensagem", "campos"],
    "properties": {
        "id_identificador": {"type": "integer", "enum": [ERROR_IDENTIFIER]},
        "id_erro": {"type": "integer", "description": "Número do erro (docs/api.md)"},
        "codigo": {"type": "string"},
        "mensagem": {"type": "string"},
        "campos": {
            "type": "object",
            "additionalProperties": {"type": "array", "items": {"type": "string"}},
        },
    },
}
_COMMON_ERRORS = {
    "400": "Dados ou parâmetros inválidos",
    "401": "Sem token ou token inválido",
    "403": "Sem permissão",
    "404": "Não encontrado",
    "405": "Método não permitido",
    "413": "Corpo grande demais",
    "415": "Envie application/json",
    "429": "Muitas requisições",
    "503": "Serviço temporariamente indisponível (tente de novo; veja Retry-After)",
}


def document_common_errors(result, generator, request, public):
    """drf-spectacular postprocessing hook: every API operation may answer these statuses,
    always with the JSON error body (core.api.exception_handler), so the schema says so."""
    for path_item in result.get("paths", {}).values():
        for operation in path_item.values():
            if not isinstance(operation, dict) or "responses" not in operation:
                continue
            for status, description in _COMMON_ERRORS.items():
                operation["responses"].setdefault(
                    status,
                    {
                        "description": description,
                        "content": {"application/json": {"schema": _ERROR_SCHEMA}},
                    },
                )
    return result
