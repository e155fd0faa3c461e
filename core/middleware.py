from django.http import JsonResponse
from django.shortcuts import render
from django.utils.translation import gettext as _

from core.errors import DomainError


class NulCharacterMiddleware:
    """A NUL in the address or the query string (`%00`) is refused with 400 before any
    view runs: no text in the database can hold it, and PostgreSQL's driver would
    fail the query with a 500."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if "\x00" in request.path or "%00" in request.META.get("QUERY_STRING", ""):
            message = _("O endereço tem um caractere inválido (%00).")
            if request.path.startswith("/api/"):
                from core.api import error_body

                return JsonResponse(error_body("requisicao_invalida", message), status=400)
            return render(request, "erro.html", {"status": 400, "mensagem": message}, status=400)
        return self.get_response(request)


class DomainErrorMiddleware:
    """A DomainError escaping a panel/portal view becomes a friendly page with its
    status (404, 403, 409 …) instead of a 500. The API has its own handler."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        return self.get_response(request)

    def process_exception(self, request, exception):
        if isinstance(exception, DomainError) and not request.path.startswith("/api/"):
            return render(request, "erro.html", {"status": exception.status, "mensagem": exception.message},
                          status=exception.status)
        return None
