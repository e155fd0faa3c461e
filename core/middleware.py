from django.shortcuts import render

from core.errors import DomainError


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
