from rest_framework.permissions import BasePermission

from unimeds.api.authentication import ServiceAccountPrincipal


class IsServiceAccount(BasePermission):
    message = "Acesso somente com token de conta de serviço."

    def has_permission(self, request, view) -> bool:
        return isinstance(request.user, ServiceAccountPrincipal)


def api_actor(request):
    """The Actor of an authenticated API request."""
    return request.user.actor
