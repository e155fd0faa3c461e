"""Bearer tokens of service accounts: every API request knows its Unimed."""

from oauth2_provider.contrib.rest_framework import OAuth2Authentication
from rest_framework.exceptions import AuthenticationFailed

from unimeds.actors import actor_for_service_account
from unimeds.models import ServiceAccount


class ServiceAccountPrincipal:
    """What DRF sees as request.user for a service account."""

    is_authenticated = True
    is_anonymous = False
    is_active = True

    def __init__(self, account: ServiceAccount, ip: str | None):
        self.account = account
        self.pk = f"svc-{account.pk}"
        self.actor = actor_for_service_account(account, ip=ip)

    def __str__(self) -> str:
        return self.actor.label


class ServiceAccountAuthentication(OAuth2Authentication):
    def authenticate(self, request):
        result = super().authenticate(request)
        if result is None:
            return None
        _user, token = result
        account = (
            ServiceAccount.objects.select_related("unimed", "application")
            .filter(application_id=token.application_id)
            .first()
        )
        if account is None or not account.is_active or not account.unimed.is_active:
            raise AuthenticationFailed("Conta de serviço inativa ou sem Unimed.")
        return ServiceAccountPrincipal(account, request.META.get("REMOTE_ADDR")), token


try:  # OpenAPI: describe the bearer scheme of service accounts
    from drf_spectacular.extensions import OpenApiAuthenticationExtension

    class ServiceAccountAuthenticationScheme(OpenApiAuthenticationExtension):
        target_class = "unimeds.api.authentication.ServiceAccountAuthentication"
        name = "contaDeServico"

        def get_security_definition(self, auto_schema):
            return {
                "type": "oauth2",
                "description": "Conta de serviço da Unimed: client credentials em /o/token/.",
                "flows": {"clientCredentials": {"tokenUrl": "/o/token/", "scopes": {"gpu": "Mensagens GPU"}}},
            }
except ImportError:  # pragma: no cover
    pass
