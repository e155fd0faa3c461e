from django.http import JsonResponse
from django.shortcuts import render
from django.utils.translation import gettext as _

from core.errors import DomainError


class NulCharacterMiddleware:
    """NUL, which no text in the database can hold (PostgreSQL's driver fails the
    query with a 500), never reaches a view: in the address or the query string
    (`%00`) the request is refused with 400; in a posted form it is dropped from the
    values, so the form is validated — and kept — as typed."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if "\x00" in request.path or "%00" in request.META.get("QUERY_STRING", ""):
            message = _("O endereço tem um caractere inválido (%00).")
            if request.path.startswith("/api/"):
                from core.api import error_body

                return JsonResponse(
                    error_body("requisicao_invalida", message, status=400), status=400
                )
            return render(request, "erro.html", {"status": 400, "mensagem": message}, status=400)
        if (
            request.method == "POST"
            and request.content_type in _FORM_TYPES
            and not request.path.startswith("/api/")
        ):
            _drop_nul(request)
        return self.get_response(request)


_FORM_TYPES = {"application/x-www-form-urlencoded", "multipart/form-data"}


def _drop_nul(request) -> None:
    posted = request.POST  # parsed here instead of in the CSRF check: same parse, once
    if not any("\x00" in value for _key, values in posted.lists() for value in values):
        return
    cleaned = posted.copy()
    for key, values in posted.lists():
        cleaned.setlist(key, [value.replace("\x00", "") for value in values])
    cleaned._mutable = False
    request.POST = cleaned


class DomainErrorMiddleware:
    """A DomainError escaping a panel/portal view becomes a friendly page with its
    status (404, 403, 409 …) instead of a 500. The API has its own handler."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        return self.get_response(request)

    def process_exception(self, request, exception):
        if isinstance(exception, DomainError) and not request.path.startswith("/api/"):
            return render(
                request,
                "erro.html",
                {"status": exception.status, "mensagem": exception.message},
                status=exception.status,
            )
        return None


class PermissionsPolicyMiddleware:
    """Permissions-Policy on every response: camera, microphone, geolocation… off."""

    def __init__(self, get_response):
        from django.conf import settings

        self.get_response = get_response
        self.policy = settings.GPU_PERMISSIONS_POLICY

    def __call__(self, request):
        response = self.get_response(request)
        if self.policy:
            response.headers.setdefault("Permissions-Policy", self.policy)
        return response
