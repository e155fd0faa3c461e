"""Gestor panel: search ("Localizar") and the record page (Dados gerais / Dados de acesso)."""

from django.contrib import messages
from django.shortcuts import redirect, render
from django.views.decorators.http import require_POST

from cooperados import selectors, services
from cooperados.forms import BlockForm, GeneralDataForm, PasswordForm, ResetLinkForm, SearchForm
from cooperados.models import LoginEmail
from cooperados.views.common import audit_view, querystring, unimed_param
from core.errors import DomainError
from core.forms import apply_domain_error
from core.identifiers import audit_safe_filters
from unimeds.access import staff_required
from unimeds.models import Level, Module

PAGE_SIZE = 25
LOGIN_IGNORED = (
    "O login é definido pelo PTU A400 e não pode ser alterado aqui: "
    "o valor enviado foi ignorado (a próxima importação do A400 manteria o dele)."
)


@staff_required(Module.COOPERADOS)
def cooperado_list(request):
    actor = request.actor
    form = SearchForm(request.GET or None, actor=actor)
    page, filters, unimed = None, {}, None
    if form.is_valid() or not request.GET:
        filters = form.cleaned_data if form.is_bound else {}
        code = filters.get("unimed") or unimed_param(request)
        if actor.unimed is not None or code:
            qs = selectors.cooperado_search(
                actor=actor,
                unimed_code=code,
                **{
                    k: filters.get(k, "")
                    for k in ("name", "login", "email", "cpf", "situation", "profile")
                },
            )
            page = selectors.cooperado_page(qs, request.GET.get("pagina"), per_page=PAGE_SIZE)
            unimed = code or actor.unimed.code
            audit_view(
                request,
                action="cooperados.busca",
                target_type="cooperados.busca",
                target_id=unimed,
                data={
                    "unimed": unimed,
                    "filtros": audit_safe_filters(filters),
                    "pagina": page.number,
                    "linhas": len(page.object_list),
                },
            )
    params = {k: v for k, v in (filters or {}).items() if v}
    return render(
        request,
        "cooperados/lista.html",
        {
            "form": form,
            "page": page,
            "unimed_code": unimed,
            "params": querystring(params),
            "export_params": [(k, v) for k, v in params.items() if k != "unimed"],
        },
    )


def _record_context(request, coop, **forms):
    actor = request.actor
    initial = {
        "email_unimed": coop.email_unimed,
        "email_private": coop.email_private,
        "login_email_source": coop.login_email_source,
    }
    audit = selectors.cooperado_audit(actor=actor, cooperado=coop).exclude(
        action="cooperado.visualizado"
    )[:50]
    return {
        "coop": coop,
        "general_form": forms.get("general_form") or GeneralDataForm(initial=initial),
        "block_form": forms.get("block_form") or BlockForm(),
        "password_form": forms.get("password_form") or PasswordForm(),
        "reset_form": forms.get("reset_form") or ResetLinkForm(),
        "pending_changes": forms.get("pending_changes"),
        "audit": audit,
        "login_email_choices": LoginEmail,
    }


@staff_required(Module.COOPERADOS)
def cooperado_detail(request, cooperado_id: int):
    """Dados gerais: a first POST shows the changes (old → new) for confirmation; the
    confirmed POST applies them. A posted `login` is never used."""
    actor = request.actor
    coop = selectors.cooperado_get(actor=actor, cooperado_id=cooperado_id)
    if request.method != "POST":
        audit_view(
            request,
            action="cooperado.visualizado",
            target_type="cooperado",
            target_id=coop.pk,
            data={"unimed": coop.unimed.code, "cooperado": coop.pk, "login": coop.login},
        )
        return render(request, "cooperados/registro.html", _record_context(request, coop))
    if "login" in request.POST and request.POST["login"].strip().upper() != coop.login:
        messages.warning(request, LOGIN_IGNORED)
    form = GeneralDataForm(request.POST)
    pending = None
    if form.is_valid():
        data = form.cleaned_data
        new = {
            "email_unimed": (data["email_unimed"] or "").lower(),
            "email_private": (data["email_private"] or "").lower(),
            "login_email_source": data["login_email_source"],
        }
        old = {
            "email_unimed": coop.email_unimed,
            "email_private": coop.email_private,
            "login_email_source": coop.login_email_source,
        }
        changed = {k: (old[k], new[k]) for k in new if old[k] != new[k]}
        if not changed:
            messages.info(request, "Nenhuma alteração em Dados gerais.")
            return redirect("cooperados:detail", cooperado_id=coop.pk)
        if data.get("confirmed"):
            try:
                services.cooperado_update_emails(actor=actor, cooperado_id=coop.pk, **new)
            except DomainError as exc:
                apply_domain_error(form, exc)
            else:
                messages.success(request, "Dados gerais atualizados.")
                return redirect("cooperados:detail", cooperado_id=coop.pk)
        else:
            labels = {
                "email_unimed": "E-mail do sistema Unimed",
                "email_private": "E-mail particular",
                "login_email_source": "E-mail de login do aplicativo",
            }
            pending = [(labels[k], _show(k, a), _show(k, b)) for k, (a, b) in changed.items()]
            form = GeneralDataForm(initial={**new, "confirmed": True})
    return render(
        request,
        "cooperados/registro.html",
        _record_context(request, coop, general_form=form, pending_changes=pending),
        status=400 if form.errors else 200,
    )


def _show(field: str, value: str) -> str:
    if field == "login_email_source":
        return str(LoginEmail(value).label)
    return value or "(vazio)"


def _access_action(request, cooperado_id: int, form_class, form_key: str, apply, success: str):
    actor = request.actor
    coop = selectors.cooperado_get(actor=actor, cooperado_id=cooperado_id)
    form = form_class(request.POST)
    if form.is_valid():
        try:
            apply(actor, coop, form.cleaned_data)
        except DomainError as exc:
            apply_domain_error(form, exc)
        else:
            messages.success(request, success)
            return redirect("cooperados:detail", cooperado_id=coop.pk)
    return render(
        request,
        "cooperados/registro.html",
        _record_context(request, coop, **{form_key: form}),
        status=400,
    )


@require_POST
@staff_required(Module.COOPERADOS, Level.OPERAR)
def cooperado_situation(request, cooperado_id: int):
    block = request.POST.get("acao") == "bloquear"
    service = services.cooperado_block if block else services.cooperado_unblock
    return _access_action(
        request,
        cooperado_id,
        BlockForm,
        "block_form",
        lambda actor, coop, d: service(actor=actor, cooperado_id=coop.pk, note=d["note"]),
        "Cooperado bloqueado." if block else "Cooperado desbloqueado.",
    )


@require_POST
@staff_required(Module.COOPERADOS, Level.OPERAR)
def cooperado_password(request, cooperado_id: int):
    return _access_action(
        request,
        cooperado_id,
        PasswordForm,
        "password_form",
        lambda actor, coop, d: services.cooperado_set_password(
            actor=actor, cooperado_id=coop.pk, password=d["password1"], must_change=d["must_change"]
        ),
        "Senha alterada.",
    )


@require_POST
@staff_required(Module.COOPERADOS, Level.OPERAR)
def cooperado_reset_link(request, cooperado_id: int):
    return _access_action(
        request,
        cooperado_id,
        ResetLinkForm,
        "reset_form",
        lambda actor, coop, d: services.cooperado_send_reset_link(
            actor=actor, cooperado_id=coop.pk
        ),
        "Link para definir a senha enviado ao e-mail de login.",
    )
