"""Error pages: JSON under /api/ and /o/, friendly pt-BR pages elsewhere."""

from django.http import JsonResponse
from django.shortcuts import render

from core.api import error_body


def _is_api(request) -> bool:
    return request.path.startswith(("/api/", "/o/"))


def _respond(request, status: int, code: str, message: str):
    if _is_api(request):
        return JsonResponse(error_body(code, message, status=status), status=status)
    return render(request, "erro.html", {"status": status, "mensagem": message}, status=status)


def not_found(request, exception=None):
    return _respond(request, 404, "nao_encontrado", "Página não encontrada.")


def forbidden(request, exception=None):
    return _respond(
        request, 403, "acesso_negado", "Você não tem permissão para acessar esta página."
    )


def bad_request(request, exception=None):
    return _respond(request, 400, "requisicao_invalida", "Requisição inválida.")


def server_error(request):
    from core.outage import current_outage_response

    response = current_outage_response()  # e.g. the session or the user read in a middleware
    if response is not None:
        return response
    return _respond(request, 500, "erro_interno", "Erro interno inesperado; a equipe foi avisada.")


def csrf_failure(request, reason=""):
    """An expired form or session: say so plainly instead of Django's technical page."""
    return _respond(
        request,
        403,
        "csrf_invalido",
        "O formulário expirou ou a sessão mudou. Recarregue a página e envie de novo; nada foi gravado.",
    )
