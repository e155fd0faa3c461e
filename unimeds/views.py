from django.contrib import messages
from django.contrib.auth import views as auth_views
from django.shortcuts import redirect, render
from django.urls import reverse_lazy
from django.views.decorators.http import require_POST

from core.errors import DomainError
from core.forms import apply_domain_error
from unimeds import security, selectors, services
from unimeds.access import staff_required
from unimeds.forms import SignInForm, StaffInviteForm, StaffLevelsForm, StaffRolesForm
from unimeds.models import Level, Module, Role


def lockout_response(request, credentials=None, *args, **kwargs):
    """django-axes: what a locked-out user sees (status 403, no hint about the password)."""
    form = SignInForm(request, data=None)
    return render(
        request,
        "unimeds/entrar.html",
        {
            "form": form,
            "bloqueado": True,
        },
        status=403,
    )


class SignInView(auth_views.LoginView):
    template_name = "unimeds/entrar.html"
    authentication_form = SignInForm
    redirect_authenticated_user = True

    def post(self, request, *args, **kwargs):
        if security.address_blocked(request):
            form = self.get_form()
            form.errors.clear()
            form.add_error(
                None,
                "Muitas tentativas de acesso deste endereço. Aguarde alguns minutos e "
                "tente de novo, ou use “Esqueci minha senha”.",
            )
            return self.render_to_response(self.get_context_data(form=form), status=429)
        return super().post(request, *args, **kwargs)

    def form_invalid(self, form):
        if self.request.POST.get("username") and self.request.POST.get("password"):
            security.note_address_failure(self.request)
        return super().form_invalid(form)


class SignOutView(auth_views.LogoutView):
    next_page = reverse_lazy("unimeds:entrar")


class InviteAcceptView(auth_views.PasswordResetConfirmView):
    template_name = "unimeds/convite.html"
    success_url = reverse_lazy("unimeds:entrar")
    post_reset_login = False

    def form_valid(self, form):
        messages.success(self.request, "Senha definida. Entre com seu usuário e a nova senha.")
        return super().form_valid(form)


@staff_required()
def panel_home(request):
    return render(request, "unimeds/painel.html")


@staff_required(Module.EQUIPE, Level.ADMINISTRAR, allow_hub_admin=False)
def team_list(request):
    members = list(selectors.staff_list(actor=request.actor))
    for member in members:
        member.locked = security.is_locked(member.get_username())
    return render(request, "unimeds/equipe_lista.html", {"members": members, "roles": Role})


@staff_required(Module.EQUIPE, Level.ADMINISTRAR, allow_hub_admin=False)
def team_invite(request):
    form = StaffInviteForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            user = services.staff_invite(actor=request.actor, **form.cleaned_data)
        except DomainError as exc:
            apply_domain_error(form, exc)
        else:
            messages.success(request, f"Convite enviado para {user.email}.")
            return redirect("unimeds:team_list")
    return render(request, "unimeds/equipe_convite.html", {"form": form})


@staff_required(Module.EQUIPE, Level.ADMINISTRAR, allow_hub_admin=False)
def team_member(request, user_id: int):
    member = selectors.staff_get(actor=request.actor, user_id=user_id)
    form = StaffRolesForm(initial={"roles": sorted(member.membership.roles)})
    levels_form = StaffLevelsForm(initial=member.membership.levels)
    if request.method == "POST" and "salvar_permissoes" in request.POST:
        levels_form = StaffLevelsForm(request.POST)
        if levels_form.is_valid():
            try:
                services.staff_set_levels(
                    actor=request.actor, user_id=member.pk, levels=levels_form.cleaned_data
                )
            except DomainError as exc:
                apply_domain_error(levels_form, exc)
            else:
                messages.success(request, "Permissões por módulo atualizadas.")
                return redirect("unimeds:team_member", user_id=member.pk)
    elif request.method == "POST":
        form = StaffRolesForm(request.POST)
        if form.is_valid():
            try:
                services.staff_set_roles(
                    actor=request.actor, user_id=member.pk, roles=form.cleaned_data["roles"]
                )
            except DomainError as exc:
                apply_domain_error(form, exc)
            else:
                messages.success(request, "Papéis atualizados; permissões redefinidas pelo modelo.")
                return redirect("unimeds:team_member", user_id=member.pk)
    return render(
        request,
        "unimeds/equipe_membro.html",
        {
            "member": member,
            "form": form,
            "levels_form": levels_form,
            "is_self": member.pk == request.actor.user.pk,
            "locked": security.is_locked(member.get_username()),
            "has_second_factor": security.has_second_factor(member),
        },
    )


@require_POST
@staff_required(Module.EQUIPE, Level.ADMINISTRAR, allow_hub_admin=False)
def team_member_active(request, user_id: int):
    selectors.staff_get(actor=request.actor, user_id=user_id)  # another Unimed's member: 404
    active = request.POST.get("ativo") == "1"
    try:
        services.staff_set_active(actor=request.actor, user_id=user_id, active=active)
    except DomainError as exc:
        messages.error(request, exc.message)
    else:
        messages.success(request, "Acesso reativado." if active else "Acesso desativado.")
    return redirect("unimeds:team_member", user_id=user_id)


@require_POST
@staff_required(Module.EQUIPE, Level.ADMINISTRAR, allow_hub_admin=False)
def team_member_reinvite(request, user_id: int):
    selectors.staff_get(actor=request.actor, user_id=user_id)  # another Unimed's member: 404
    try:
        services.staff_resend_invitation(actor=request.actor, user_id=user_id)
    except DomainError as exc:
        messages.error(request, exc.message)
    else:
        messages.success(request, "Convite reenviado.")
    return redirect("unimeds:team_member", user_id=user_id)
