"""Answers while a service is down: the database (503 JSON with Retry-After, never a
500 page) — the process itself keeps running and reconnects on the next request
(CONN_HEALTH_CHECKS and Django's close-on-error)."""

import logging
import sys

from django.conf import settings
from django.db import InterfaceError, OperationalError
from django.http import JsonResponse
from django.utils.translation import gettext as _

logger = logging.getLogger(__name__)

DATABASE_ERRORS = (OperationalError, InterfaceError)


def _database_error(exc: BaseException | None) -> BaseException | None:
    while exc is not None:
        if isinstance(exc, DATABASE_ERRORS):
            return exc
        exc = exc.__cause__ or exc.__context__
    return None


def is_database_locked(exc: BaseException | None) -> bool:
    """SQLite (embedded mode) gave up waiting for another writer: a conflict between
    two concurrent requests, not an outage."""
    found = _database_error(exc)
    return found is not None and "database is locked" in str(found)


def is_database_outage(exc: BaseException | None) -> bool:
    """An error that means "cannot reach the database" rather than a bad query."""
    return _database_error(exc) is not None and not is_database_locked(exc)


def outage_response(exc: BaseException | None) -> JsonResponse | None:
    """The answer for a database that is down (503) or busy (409), else None."""
    if is_database_locked(exc):
        return database_busy_response()
    if is_database_outage(exc):
        return database_unavailable_response()
    return None


def database_busy_response() -> JsonResponse:
    from core.api import error_body

    response = JsonResponse(
        error_body(
            "conflito_concorrente",
            _("Outra operação simultânea ocupou o registro; nada foi gravado. Envie de novo."),
            status=409,
        ),
        status=409,
    )
    response["Retry-After"] = "1"
    return response


def database_unavailable_response() -> JsonResponse:
    """503 JSON built without touching the database, sessions or templates."""
    from core.api import error_body

    response = JsonResponse(
        error_body(
            "servico_indisponivel",
            _(
                "Serviço temporariamente indisponível (banco de dados). Tente novamente em instantes; "
                "nada foi gravado por esta requisição."
            ),
            status=503,
        ),
        status=503,
    )
    response["Retry-After"] = str(settings.GPU_OUTAGE_RETRY_AFTER_SECONDS)
    response["Cache-Control"] = "no-store"
    return response


def current_outage_response() -> JsonResponse | None:
    """For handler500, which Django calls inside its `except` block."""
    return outage_response(sys.exc_info()[1])


class DatabaseOutageMiddleware:
    """A view that fails because the database is unreachable answers 503 JSON with
    Retry-After. Errors raised in other middleware reach handler500
    (gpu_project.errors.server_error), which answers the same."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        return self.get_response(request)

    def process_exception(self, request, exception):
        response = outage_response(exception)
        if response is not None:
            logger.warning(
                "Banco de dados indisponível ou ocupado em %s %s: %s",
                request.method,
                request.path,
                exception,
            )
        return response
