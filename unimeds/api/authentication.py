"""Bearer tokens of service accounts: every API request knows its Unimed.

Tokens are django-oauth-toolkit's (issued at /o/token/, stored by checksum). This
reads them directly, one joined query, memoised per process (core.refcache: a revoked
token or a deactivated account is refused by every process within
GPU_REFCACHE_CHECK_SECONDS), instead of going through oauthlib on every request.
"""

import hashlib

from django.utils import timezone
from oauth2_provider.contrib.rest_framework import OAuth2Authentication
from oauth2_provider.models import AccessToken
from rest_framework.exceptions import AuthenticationFailed

from core import refcache
from core.client_ip import client_ip
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


def _token_account(checksum: str) -> tuple[object, ServiceAccount | None] | None:
    """(token expiry, its service account or None), or None for an unknown token."""
    token = (
        AccessToken.objects.select_related("application__service_account__unimed")
        .filter(token_checksum=checksum)
        .first()
    )
    if token is None:
        return None
    account = getattr(token.application, "service_account", None) if token.application_id else None
    return token.expires, account


class ServiceAccountAuthentication(OAuth2Authentication):
    """`Authorization: Bearer <token>` only (RFC 9700: no tokens in query or body)."""

    def authenticate(self, request):
        scheme, _, raw = request.META.get("HTTP_AUTHORIZATION", "").partition(" ")
        raw = raw.strip()
        if scheme.lower() != "bearer" or not raw:
            return None
        checksum = hashlib.sha256(raw.encode("utf-8")).hexdigest()
        found = refcache.memo(
            f"token:{checksum}", lambda: _token_account(checksum), remember_none=False
        )
        if found is None or found[0] is None or timezone.now() >= found[0]:
            request.oauth2_error = {
                "error": "invalid_token",
                "error_description": "Token inválido ou expirado.",
            }
            return None
        account = found[1]
        if account is None or not account.is_active or not account.unimed.is_active:
            raise AuthenticationFailed("Conta de serviço inativa ou sem Unimed.")
        return ServiceAccountPrincipal(account, client_ip(request)), checksum


try:  # OpenAPI: describe the bearer scheme of service accounts
    from drf_spectacular.extensions import OpenApiAuthenticationExtension

    class ServiceAccountAuthenticationScheme(OpenApiAuthenticationExtension):
        target_class = "unimeds.api.authentication.ServiceAccountAuthentication"
        name = "contaDeServico"

        def get_security_definition(self, auto_schema):
            return {
                "type": "oauth2",
                "description": "Conta de serviço da Unimed: client credentials em /o/token/.",
                "flows": {
                    "clientCredentials": {
                        "tokenUrl": "/o/token/",
                        "scopes": {"gpu": "Mensagens GPU"},
                    }
                },
            }
except ImportError:  # pragma: no cover
    pass
