"""Panel views of the staff's working aids (issue #18): answer templates ("respostas
prontas") and the answer form's picker, saved inbox filters, export of the inbox view,
presence on the answer form and the inbox's "N novos" badge. Writes through
protocols.workdesk.services, reads through its selectors."""

from datetime import datetime
from urllib.parse import urlencode

from django import forms
from django.conf import settings
from django.contrib import messages
from django.http import HttpResponse, QueryDict
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.views.decorators.http import require_GET, require_POST

from core.errors import DomainError
from core.forms import BootstrapFormMixin, apply_domain_error
from protocols.panel.forms import AnswerForm, InboxFilterForm
from protocols.panel.selectors import TAB_RECEIVED, capped_count, inbox_queryset, owner_names
from protocols.selectors import protocol_get, protocols_of_requester
from protocols.workdesk import services
from protocols.workdesk.selectors import (
    answer_template_get,
    answer_templates_for,
    protocol_presence_others,
    saved_filters_for,
)
from protocols.workdesk.variables import VARIABLES
from reports import report_request
from unimeds.access import staff_required
from unimeds.models import Level, Module

# The inbox's own parameters besides the filter form's fields.
VIEW_PARAMS = ("aba", "ordem")
NEWS_CAP = 99


def inbox_query(params) -> str:
    """The inbox view a query string names, reduced to what a saved filter or an export
    keeps: the tab, the order and the filter form's fields with a value (no page)."""
    keep = (*VIEW_PARAMS, *InboxFilterForm.base_fields)
    return urlencode(
        [(key, value) for key in keep for value in params.getlist(key) if value not in ("", None)]
    )


def inbox_tools(request, tab: str) -> dict:
    """What the inbox's toolbar needs (the include protocols/_inbox_tools.html)."""
    actor = request.actor
    query = inbox_query(request.GET)
    return {
        "current_query": query,
        "rendered_at": timezone.now().isoformat(),
        "poll_seconds": settings.GPU_INBOX_POLL_SECONDS,
        "saved_filters": list(saved_filters_for(actor=actor)),
        "may_share_filters": actor.may(Module.PROTOCOLOS, Level.ADMINISTRAR),
        "may_save_filters": actor.unimed is not None and actor.user is not None,
        "may_export": actor.may(Module.RELATORIOS),
    }


# --- Answer templates -------------------------------------------------------------
class AnswerTemplateForm(BootstrapFormMixin, forms.Form):
    id_prefix = "modelo"
    title = forms.CharField(label=_("Título"), max_length=80)
    body = forms.CharField(
        label=_("Texto da resposta"),
        max_length=4000,
        widget=forms.Textarea(attrs={"rows": 6}),
        help_text=_("Variáveis: escreva entre chaves duplas, por exemplo {{nome}}."),
    )
    is_active = forms.BooleanField(
        label=_("Ativa (aparece no formulário de resposta)"), required=False, initial=True
    )


def _template_form_page(request, form, template=None, status=200):
    context = {
        "form": form,
        "template": template,
        "templates": answer_templates_for(actor=request.actor, active_only=False),
        "variables": [(name, label) for name, (label, _read) in VARIABLES.items()],
    }
    return render(request, "protocols/respostas_prontas.html", context, status=status)


def _save_template(request, template_id=None):
    form = AnswerTemplateForm(request.POST)
    if form.is_valid():
        try:
            services.answer_template_save(
                actor=request.actor, template_id=template_id, **form.cleaned_data
            )
        except DomainError as exc:
            if exc.status == 404:
                raise
            apply_domain_error(form, exc)
        else:
            messages.success(request, "Resposta pronta salva.")
            return redirect("protocols:answer_templates")
    return form


@staff_required(Module.PROTOCOLOS, Level.ADMINISTRAR, allow_hub_admin=False)
def answer_templates(request):
    """The Unimed's answer templates and a form for a new one."""
    if request.method == "POST":
        result = _save_template(request)
        if not isinstance(result, AnswerTemplateForm):
            return result
        return _template_form_page(request, result, status=400)
    return _template_form_page(request, AnswerTemplateForm())


@staff_required(Module.PROTOCOLOS, Level.ADMINISTRAR, allow_hub_admin=False)
def answer_template_edit(request, template_id: int):
    template = answer_template_get(actor=request.actor, template_id=template_id)
    if request.method == "POST":
        result = _save_template(request, template_id=template.pk)
        if not isinstance(result, AnswerTemplateForm):
            return result
        return _template_form_page(request, result, template, status=400)
    form = AnswerTemplateForm(
        initial={"title": template.title, "body": template.body, "is_active": template.is_active}
    )
    return _template_form_page(request, form, template)


@require_POST
@staff_required(Module.PROTOCOLOS, Level.ADMINISTRAR, allow_hub_admin=False)
def answer_template_delete(request, template_id: int):
    services.answer_template_delete(actor=request.actor, template_id=template_id)
    messages.success(request, "Resposta pronta excluída.")
    return redirect("protocols:answer_templates")


@require_GET
@staff_required(Module.PROTOCOLOS, Level.OPERAR)
def answer_template_fill(request, number: str):
    """htmx: the answer form's text box, filled with the chosen template for this protocol
    (an empty choice keeps an empty box)."""
    protocol = protocol_get(actor=request.actor, number=number)
    chosen = request.GET.get("modelo") or ""
    text = ""
    if chosen:
        text = services.answer_template_render(
            actor=request.actor, template_id=chosen, protocol=protocol
        )
    form = AnswerForm(prefix="answer", initial={"message": text})
    return HttpResponse(str(form["message"]))


# --- Presence and news --------------------------------------------------------------
@require_POST
@staff_required(Module.PROTOCOLOS)
def presence(request, number: str):
    """htmx heartbeat of the protocol page (every 20 s): records whether this user has the
    answer form open and answers with who else has it open."""
    actor = request.actor
    protocol = protocol_get(actor=actor, number=number)
    services.protocol_presence_touch(
        actor=actor, protocol=protocol, answering=request.POST.get("respondendo") == "1"
    )
    others = protocol_presence_others(actor=actor, protocol=protocol)
    return render(request, "protocols/_presence.html", {"presence_others": others})


@require_GET
@staff_required(Module.PROTOCOLOS)
def inbox_news(request):
    """htmx poll of the inbox (every GPU_INBOX_POLL_SECONDS): how many protocols of the
    current view arrived since the page was drawn ("desde")."""
    # The inbox's owner choices (cached): without them a colleague's id in "dono" made
    # the form invalid and the count ignored every filter of the view.
    form = InboxFilterForm(request.GET or None, owners=owner_names(request.actor.unimed_id))
    tab = request.GET.get("aba") or TAB_RECEIVED
    try:
        since = datetime.fromisoformat(request.GET.get("desde", ""))
    except ValueError:
        since = None
    count = 0
    if since is not None and timezone.is_aware(since):
        queryset, _sort = inbox_queryset(actor=request.actor, tab=tab, filters=form.filters())
        count = capped_count(queryset.filter(opened_at__gt=since), NEWS_CAP)
    context = {
        "news": min(count, NEWS_CAP),
        "news_capped": count > NEWS_CAP,
        "current_query": inbox_query(request.GET),
    }
    return render(request, "protocols/_inbox_news.html", context)


# --- Saved filters and export -------------------------------------------------------
def _back_to_inbox(query: str):
    return redirect(reverse("protocols:inbox") + (f"?{query}" if query else ""))


@require_POST
@staff_required(Module.PROTOCOLOS)
def saved_filter_save(request):
    query = inbox_query(QueryDict(request.POST.get("consulta", "")))
    try:
        saved = services.saved_filter_save(
            actor=request.actor,
            name=request.POST.get("nome", ""),
            query=query,
            shared=request.POST.get("compartilhar") == "1",
        )
    except DomainError as exc:
        if exc.status == 404:
            raise
        messages.error(request, exc.message)
    else:
        where = "compartilhado com a equipe" if saved.shared else "salvo para você"
        messages.success(request, f"Filtro “{saved.name}” {where}.")
    return _back_to_inbox(query)


@require_POST
@staff_required(Module.PROTOCOLOS)
def saved_filter_delete(request, filter_id: int):
    try:
        services.saved_filter_delete(actor=request.actor, filter_id=filter_id)
    except DomainError as exc:
        if exc.status == 404:
            raise
        messages.error(request, exc.message)
    else:
        messages.success(request, "Filtro excluído.")
    return redirect("protocols:inbox")


@require_POST
@staff_required(Module.PROTOCOLOS)
def inbox_export(request):
    """The inbox view in the request (its query string) as a report job: same filters and
    the same tenant scope as the inbox (protocols.reports: protocolos_caixa)."""
    query = inbox_query(QueryDict(request.POST.get("consulta", "")))
    params = dict(QueryDict(query).items())
    try:
        job = report_request(
            actor=request.actor,
            key="protocolos_caixa",
            params=params,
            fmt=request.POST.get("formato", "xlsx"),
        )
    except DomainError as exc:
        if exc.status == 404:
            raise
        messages.error(request, exc.message)
        return _back_to_inbox(query)
    messages.success(request, "Exportação pedida: acompanhe o progresso e baixe o arquivo aqui.")
    return redirect(reverse("reports:reports") + f"#relatorio-{job.pk}")


def protocol_page_extras(actor, protocol) -> dict:
    """What the protocol page adds for the working aids: the requester's other protocols,
    who else is answering, the answer templates to pick from."""
    return {
        "requester_history": protocols_of_requester(actor=actor, protocol=protocol),
        "may_open_related": actor.unimed is not None and actor.may(Module.PROTOCOLOS, Level.OPERAR),
        "presence_others": protocol_presence_others(actor=actor, protocol=protocol),
        "answer_templates": list(answer_templates_for(actor=actor)),
    }


def related_initial(actor, number: str | None) -> dict:
    """Initial data of the "new protocol" form for a protocol related to `number` (a
    reanálise): the same requester and subject, with it as the previous protocol. Empty
    for a number the actor may not see."""
    if not number:
        return {}
    try:
        previous = protocol_get(actor=actor, number=number)
    except DomainError:
        return {}
    return {
        "kind": previous.kind,
        "card": previous.card or "",
        "cpf": previous.requester_cpf or "",
        "name": previous.requester_name,
        "phone_ddd": previous.phone_ddd or "",
        "phone": previous.phone or "",
        "email": previous.email or "",
        "uf": previous.uf or "",
        "municipality_code": previous.city_code or "",
        "serving_unimed_code": previous.serving_unimed.code if previous.serving_unimed else "",
        "manifestation_type": previous.manifestation_type.code,
        "category": previous.category.code,
        "answer_preference": previous.answer_preference,
        "previous_number": previous.number,
    }
