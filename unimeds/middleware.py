from urllib.parse import urlencode

from django.http import HttpResponse, HttpResponseRedirect
from django.urls import reverse

from core.client_ip import client_ip
from unimeds.actors import actor_for_user


class ActorMiddleware:
    """Puts `request.actor` on every request: the signed-in staff user's Actor, or None."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        request.actor = actor_for_user(request.user, ip=client_ip(request))
        return self.get_response(request)


class SecondFactorMiddleware:
    """Panel and admin only after the second factor: a user with an authenticator confirms
    a code first (/entrar/verificar/); one whose role requires it (GPU_2FA_REQUIRED_ROLES)
    and has none is sent to enrol (/painel/2fa/) before reaching anything else."""

    GATED = ("/painel/", "/admin/")
    EXEMPT = ("/painel/2fa/", "/admin/login/", "/admin/logout/")

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        user = request.user
        path = request.path
        if (
            user.is_authenticated
            and path.startswith(self.GATED)
            and not path.startswith(self.EXEMPT)
            and not user.is_verified()
        ):
            target = self._target(user)
            if target:
                return self._redirect(
                    request, f"{target}?{urlencode({'next': request.get_full_path()})}"
                )
        return self.get_response(request)

    @staticmethod
    def _target(user) -> str | None:
        from unimeds.security import has_second_factor, second_factor_required

        if has_second_factor(user):
            return reverse("unimeds:otp_verify")
        if second_factor_required(user):
            return reverse("unimeds:otp_setup")
        return None

    @staticmethod
    def _redirect(request, url: str):
        if getattr(request, "htmx", False):
            response = HttpResponse(status=204)
            response["HX-Redirect"] = url
            return response
        return HttpResponseRedirect(url)


class AdminSignInAddressLimitMiddleware:
    """The admin's sign-in page gets the same per-address limit as /entrar/
    (unimeds.security): wrong passwords from one address over any usernames."""

    PATH = "/admin/login/"

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if request.method != "POST" or request.path != self.PATH:
            return self.get_response(request)
        from unimeds.security import address_blocked, note_address_failure

        if address_blocked(request):
            return HttpResponse(
                "Muitas tentativas de acesso deste endereço. Aguarde alguns minutos.",
                status=429,
                content_type="text/plain; charset=utf-8",
            )
        response = self.get_response(request)
        if (
            response.status_code == 200 and not request.user.is_authenticated
        ):  # the form came back: refused
            note_address_failure(request)
        return response
