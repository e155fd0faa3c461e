"""API error contract: every error is JSON {"id_erro", "mensagem", "campos"}, never HTML."""

import json
import logging
import math
import re

from django.core.exceptions import PermissionDenied as DjangoPermissionDenied
from django.core.exceptions import ValidationError as DjangoValidationError
from django.http import Http404, JsonResponse
from django.utils.translation import gettext as _
from rest_framework import exceptions, pagination, parsers
from rest_framework.parsers import get_encoding
from rest_framework.response import Response
from rest_framework.utils import json as drf_json

from core.errors import DomainError, InvalidInput

logger = logging.getLogger(__name__)

_DRF_CODES = {
    exceptions.NotAuthenticated: ("nao_autenticado", _("Autenticação necessária: envie Authorization: Bearer <token>.")),
    exceptions.AuthenticationFailed: ("token_invalido", _("Token inválido ou expirado.")),
    exceptions.PermissionDenied: ("acesso_negado", _("Você não tem permissão para esta operação.")),
    exceptions.NotFound: ("nao_encontrado", _("Registro não encontrado.")),
    exceptions.MethodNotAllowed: ("metodo_nao_permitido", _("Método HTTP não permitido neste endereço.")),
    exceptions.UnsupportedMediaType: ("tipo_de_conteudo_invalido", _("Envie o corpo como application/json.")),
    exceptions.ParseError: ("json_invalido", _("O corpo da requisição não é um JSON válido.")),
    exceptions.Throttled: ("limite_excedido", _("Muitas requisições; tente novamente em instantes.")),
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
            raise InvalidInput(_("JSON aninhado demais: no máximo %(n)s níveis.") % {"n": MAX_JSON_DEPTH},
                               code="json_invalido")
        try:
            constant = drf_json.strict_constant if self.strict else None
            data = json.loads(raw.decode(encoding), parse_constant=constant, parse_float=_finite)
        except _OutOfRange as exc:
            raise InvalidInput(_("Número fora do intervalo aceito: %(numero)s.") % {"numero": exc},
                               code="json_invalido") from None
        except (ValueError, RecursionError) as exc:  # UnicodeDecodeError included
            raise exceptions.ParseError(f"JSON parse error - {exc}") from None
        if _SURROGATE_ESCAPE.search(raw):
            try:
                json.dumps(data, ensure_ascii=False).encode("utf-8")
            except UnicodeEncodeError:
                raise InvalidInput(_("O corpo tem um caractere Unicode inválido (\\uD800–\\uDFFF sem o seu par)."),
                                   code="json_invalido") from None
        return data


class CursorPagination(pagination.CursorPagination):
    """A cursor that was not one of our `next`/`previous` links is a 400 that says so
    (DRF answers 404 "invalid cursor", which reads as if the data were gone)."""

    def decode_cursor(self, request):
        try:
            return super().decode_cursor(request)
        except exceptions.NotFound:
            message = _("Cursor inválido: use o endereço de next ou previous de uma página anterior.")
            raise InvalidInput(message, code="cursor_invalido", fields={self.cursor_query_param: [message]}) from None


def error_body(code: str, message: str, fields: dict | None = None) -> dict:
    return {"id_erro": code, "mensagem": str(message), "campos": fields or {}}


def flatten_errors(detail, prefix: str = "") -> dict[str, list[str]]:
    """DRF's nested error detail → {"bloco.campo": [mensagens]}."""
    out: dict[str, list[str]] = {}
    if isinstance(detail, dict):
        for key, value in detail.items():
            name = prefix if key in ("non_field_errors", "__all__") and prefix else (
                f"{prefix}.{key}" if prefix else str(key)
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
        return Response(error_body(exc.code, exc.message, exc.fields), status=exc.status)
    if isinstance(exc, DjangoValidationError):
        err = DomainError.from_validation_error(exc)
        return Response(error_body(err.code, err.message, err.fields), status=400)
    if isinstance(exc, Http404):
        exc = exceptions.NotFound()
    elif isinstance(exc, DjangoPermissionDenied):
        exc = exceptions.PermissionDenied()
    if isinstance(exc, exceptions.ValidationError):
        fields = flatten_errors(exc.detail)
        first = next(iter(fields.values()))[0] if fields else _("Dados inválidos.")
        return Response(error_body("dados_invalidos", first, fields), status=400)
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
        return Response(error_body(code, message), status=exc.status_code, headers=headers)
    from core.outage import outage_response

    response = outage_response(exc)
    if response is not None:
        logger.warning("Banco de dados indisponível ou ocupado na API: %s", exc)
        return response
    logger.exception("Erro inesperado na API", exc_info=exc)
    return Response(
        error_body("erro_interno", _("Erro interno inesperado; a equipe foi avisada.")), status=500
    )


def json_not_found(request, exception=None):
    return JsonResponse(error_body("nao_encontrado", _("Endereço não encontrado.")), status=404)


def json_server_error(request):
    return JsonResponse(error_body("erro_interno", _("Erro interno inesperado; a equipe foi avisada.")), status=500)
