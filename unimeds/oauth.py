"""OAuth2 (client credentials) for service accounts: a token only for an account that is
active, of an active Unimed — refused at issue time, not only when the token is used."""

from oauth2_provider.oauth2_validators import OAuth2Validator


class ServiceAccountOAuth2Validator(OAuth2Validator):
    def authenticate_client(self, request, *args, **kwargs):
        if not super().authenticate_client(request, *args, **kwargs):
            return False
        from unimeds.models import ServiceAccount

        account = (
            ServiceAccount.objects.select_related("unimed")
            .filter(application_id=getattr(request.client, "pk", None))
            .first()
        )
        # Answered like a wrong secret (invalid_client): nothing tells which accounts exist.
        return bool(account and account.is_active and account.unimed.is_active)
