"""Staff access recovery and strength: "Esqueci minha senha" by e-mail, the second factor
(verify, enrol, recovery codes) and the gestor's unlock / second-factor reset."""

from django import forms
from django.contrib import messages
from django.contrib.auth import views as auth_views
from django.contrib.auth.forms import PasswordResetForm
from django.contrib.auth.views import redirect_to_login
from django.core.cache import cache
from django.shortcuts import redirect, render
from django.urls import reverse, reverse_lazy
from django.utils.http import url_has_allowed_host_and_scheme
from django.views.decorators.http import require_POST
from django_otp import login as otp_login

from core.client_ip import client_ip
from core.errors import DomainError
from core.forms import BootstrapFormMixin
from core.mail import site_url
from core.services import audit_record
from unimeds import security
from unimeds.access import staff_required
from unimeds.models import Level, Module

RESET_REQUESTS_PER_IP = 10
RESET_WINDOW_SECONDS = 15 * 60


def _next_url(request, default: str = "/painel/") -> str:
    target = request.POST.get("next") or request.GET.get("next") or ""
    if target and url_has_allowed_host_and_scheme(
        target, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return target
    return default


# --- Esqueci minha senha ------------------------------------------------------------
class StaffPasswordResetForm(PasswordResetForm):
    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["email"].label = "E-mail cadastrado"
        self.fields["email"].widget.attrs["class"] = "form-control"


class PasswordForgotView(auth_views.PasswordResetView):
    """Always the same answer (no enumeration); a mail only to an active account with that
    e-mail. The link is single-use (it dies with the password change) and expires."""

    template_name = "unimeds/senha_esqueci.html"
    form_class = StaffPasswordResetForm
    email_template_name = "unimeds/email_senha.txt"
    subject_template_name = "unimeds/email_senha_assunto.txt"
    success_url = reverse_lazy("unimeds:password_forgot_sent")

    def form_valid(self, form):
        key = f"staff-reset-ip:{client_ip(self.request) or 'desconhecido'}"
        cache.add(key, 0, timeout=RESET_WINDOW_SECONDS)
        try:
            count = cache.incr(key)
        except ValueError:
            count = 1
        if count > RESET_REQUESTS_PER_IP:  # same page, no mail: no mail bombing, no oracle
            return redirect(self.success_url)
        self.extra_email_context = {"base_url": site_url()}
        return super().form_valid(form)


class PasswordForgotSentView(auth_views.PasswordResetDoneView):
    template_name = "unimeds/senha_esqueci_enviado.html"


class PasswordResetConfirmView(auth_views.PasswordResetConfirmView):
    template_name = "unimeds/senha_nova.html"
    success_url = reverse_lazy("unimeds:entrar")
    post_reset_login = False

    def form_valid(self, form):
        response = super().form_valid(form)
        # Whoever reads the account's e-mail proved it is theirs: failed attempts by
        # others no longer keep them out.
        security.unlock_username(form.user.get_username())
        audit_record(
            actor=None,
            action="equipe.senha_redefinida_por_email",
            target_type="User",
            target_id=form.user.pk,
            data={"usuario": form.user.get_username()},
        )
        messages.success(self.request, "Senha redefinida. Entre com seu usuário e a nova senha.")
        return response


# --- Second factor ------------------------------------------------------------------
class TokenForm(BootstrapFormMixin, forms.Form):
    token = forms.CharField(
        label="Código",
        max_length=16,
        strip=True,
        widget=forms.TextInput(attrs={"autocomplete": "one-time-code", "inputmode": "numeric"}),
    )


def otp_verify(request):
    """After the password: the authenticator's code (or a recovery code)."""
    if not request.user.is_authenticated:
        return redirect_to_login(request.get_full_path())
    if request.user.is_verified():
        return redirect(_next_url(request))
    form = TokenForm(request.POST or None)
    status = 200
    if request.method == "POST" and form.is_valid():
        device = security.verify_second_factor(user=request.user, token=form.cleaned_data["token"])
        if device is not None:
            otp_login(request, device)
            if device.__class__.__name__ == "StaticDevice":
                messages.warning(
                    request,
                    "Você usou um código de recuperação: ele não vale mais. "
                    "Gere novos códigos em Segundo fator.",
                )
            return redirect(_next_url(request))
        form.add_error("token", "Código inválido ou expirado.")
        status = 400
    return render(
        request,
        "unimeds/2fa_verificar.html",
        {"form": form, "next": _next_url(request)},
        status=status,
    )


@staff_required()
def otp_setup(request):
    """Enrol an authenticator: its secret (and otpauth URI, QR code drawn here) and a code to confirm."""
    user = request.user
    if security.has_second_factor(user) and not user.is_verified():
        return redirect(reverse("unimeds:otp_verify") + "?next=" + reverse("unimeds:otp_setup"))
    renewing = request.GET.get("novo") == "1" or request.POST.get("novo") == "1"
    if security.has_second_factor(user) and not renewing:
        return render(request, "unimeds/2fa.html", {"active": True})
    device = security.totp_pending(user)
    form = TokenForm(request.POST or None)
    status = 200
    if request.method == "POST" and form.is_valid():
        try:
            device, codes = security.otp_confirm(user=user, token=form.cleaned_data["token"])
        except DomainError as exc:
            form.add_error("token", exc.message)
            status = 400
        else:
            otp_login(request, device)
            return render(
                request, "unimeds/2fa_codigos.html", {"codes": codes, "next": _next_url(request)}
            )
    uri = device.config_url
    return render(
        request,
        "unimeds/2fa.html",
        {
            "form": form,
            "secret": _base32(device),
            "uri": uri,
            "qr": _qr_svg(uri),
            "renewing": renewing,
            "required": security.second_factor_required(user),
            "next": _next_url(request, ""),
        },
        status=status,
    )


@staff_required()
def otp_recovery_codes(request):
    if request.method == "POST":
        if not request.user.is_verified():
            return redirect(reverse("unimeds:otp_verify") + "?next=" + reverse("unimeds:otp_setup"))
        try:
            codes = security.otp_recovery_codes_renew(user=request.user)
        except DomainError as exc:
            messages.error(request, exc.message)
            return redirect("unimeds:otp_setup")
        return render(request, "unimeds/2fa_codigos.html", {"codes": codes, "next": "/painel/"})
    return redirect("unimeds:otp_setup")


def _base32(device) -> str:
    from base64 import b32encode

    raw = b32encode(device.bin_key).decode().rstrip("=")
    return " ".join(raw[i : i + 4] for i in range(0, len(raw), 4))


def _qr_svg(uri: str) -> str:
    """The otpauth URI as an inline SVG QR code (segno, pure Python: nothing from the internet)."""
    import segno

    return segno.make(uri, error="m").svg_inline(
        scale=4, dark="#000", light="#fff", title="QR code do segundo fator"
    )


# --- The gestor's actions on a member --------------------------------------------------
@require_POST
@staff_required(Module.EQUIPE, Level.ADMINISTRAR, allow_hub_admin=False)
def team_member_unlock(request, user_id: int):
    member = security.staff_unlock(actor=request.actor, user_id=user_id)
    messages.success(request, f"Acesso de {member.get_username()} desbloqueado.")
    return redirect("unimeds:team_member", user_id=user_id)


@require_POST
@staff_required(Module.EQUIPE, Level.ADMINISTRAR, allow_hub_admin=False)
def team_member_otp_reset(request, user_id: int):
    member = security.staff_reset_second_factor(actor=request.actor, user_id=user_id)
    messages.success(
        request,
        f"Segundo fator de {member.get_username()} redefinido: "
        "ele cadastrará um novo aplicativo ao entrar.",
    )
    return redirect("unimeds:team_member", user_id=user_id)
