"""Panel pages of the Regulatório module: inbox by legal deadline, demand page, intake,
ABI import, dashboard. Reading needs the module at "consultar"; every change "operar"."""

from django.contrib import messages
from django.core.paginator import Paginator
from django.http import FileResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from core.errors import DomainError, Forbidden, NotFound
from core.forms import apply_domain_error
from core.labels import humanize
from core.services import audit_record
from regulatorio import selectors, services
from regulatorio.deadlines import rule_for
from regulatorio.forms import (
    ActionForm,
    AttachForm,
    DemandCreateForm,
    DemandFilterForm,
    ImportForm,
    OwnerForm,
    SubsidyForm,
)
from regulatorio.models import DemandKind
from unimeds.access import staff_required
from unimeds.models import Level, Module

REG = Module.REGULATORIO


@staff_required(REG)
def inbox(request):
    form = DemandFilterForm(request.GET or None)
    data = form.cleaned_data if form.is_valid() else {}
    filters = selectors.DemandFilters(
        kind=data.get("tipo", ""),
        status=data.get("situacao", ""),
        ans_number=data.get("numero", ""),
        due=data.get("prazo", ""),
    )
    page = Paginator(selectors.demand_list(actor=request.actor, filters=filters), 50).get_page(
        request.GET.get("pagina")
    )
    return render(
        request,
        "regulatorio/caixa.html",
        {
            "form": form,
            "page": page,
            "counts": selectors.inbox_counts(actor=request.actor),
            "may_operate": request.actor.may(REG, Level.OPERAR),
        },
    )


@staff_required(REG, Level.OPERAR, allow_hub_admin=False)
def demand_new(request):
    form = DemandCreateForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            demand, created = services.demand_register(actor=request.actor, **form.cleaned_data)
        except DomainError as exc:
            apply_domain_error(form, exc)
        else:
            if created:
                messages.success(
                    request, f"Demanda registrada; prazo legal {demand.due_date:%d/%m/%Y}."
                )
            else:
                messages.info(request, "Esta demanda já estava registrada.")
            return redirect("regulatorio:detail", demand_id=demand.pk)
    return render(
        request, "regulatorio/nova.html", {"form": form}, status=400 if form.errors else 200
    )


def _rule_name(key: str) -> str:
    """The deadline rule as people call it ("NIP assistencial"), not its key."""
    try:
        return rule_for(key).name
    except DomainError:
        return humanize(key)


def _detail_context(request, demand, **forms):
    actor = request.actor
    actions = services.allowed_actions(actor=actor, demand=demand)
    may_operate = actor.may(REG, Level.OPERAR)
    may_assign = services.may_assign_others(actor, demand)
    return {
        "demand": demand,
        "deadline_rule_name": _rule_name(demand.deadline_rule),
        "timeline": selectors.demand_timeline(actor=actor, demand=demand),
        "subsidies": selectors.demand_subsidies(actor=actor, demand=demand),
        "items": selectors.demand_items(actor=actor, demand=demand),
        "may_operate": may_operate,
        "action_form": forms.get("action_form") or ActionForm(actions=actions),
        "actions": actions,
        "subsidy_form": forms.get("subsidy_form") or SubsidyForm(),
        "attach_form": forms.get("attach_form") or AttachForm(),
        "may_assume": services.may_assume(actor, demand),
        "owner_form": forms.get("owner_form")
        or (OwnerForm(people=services.owner_candidates(demand)) if may_assign else None),
    }


@staff_required(REG)
def detail(request, demand_id: int):
    demand = selectors.demand_get(actor=request.actor, demand_id=demand_id)
    return render(request, "regulatorio/detalhe.html", _detail_context(request, demand))


def _amounts(post) -> dict:
    return {key[len("valor_") :]: value for key, value in post.items() if key.startswith("valor_")}


def _demand_post(request, demand, form, form_key: str, run, success):
    """The demand page's forms: run the service with the valid form's data and go back
    to the page with `success` (a text, or a function of the service's result); a refusal
    is shown in the form, re-rendered with what was typed (400). Another Unimed's person
    (NotFound) or a level too low (Forbidden) gets its error page instead."""
    if form.is_valid():
        try:
            result = run(form.cleaned_data)
        except (Forbidden, NotFound):
            raise
        except DomainError as exc:
            apply_domain_error(form, exc)
        else:
            messages.success(request, success(result) if callable(success) else success)
            return redirect("regulatorio:detail", demand_id=demand.pk)
    demand = selectors.demand_get(actor=request.actor, demand_id=demand.pk)
    return render(
        request,
        "regulatorio/detalhe.html",
        _detail_context(request, demand, **{form_key: form}),
        status=400,
    )


@require_POST
@staff_required(REG, Level.OPERAR)
def action(request, demand_id: int):
    demand = selectors.demand_get(actor=request.actor, demand_id=demand_id)
    actions = services.allowed_actions(actor=request.actor, demand=demand)
    return _demand_post(
        request,
        demand,
        ActionForm(request.POST, actions=actions),
        "action_form",
        lambda data: services.demand_act(
            actor=request.actor,
            demand_id=demand.pk,
            action=data["action"],
            message=data["message"],
            outcome=data["outcome"],
            decided_on=data["decided_on"],
            amounts=_amounts(request.POST),
            attachments=request.FILES.getlist("attachments"),
        ),
        "Demanda atualizada.",
    )


@require_POST
@staff_required(REG, Level.OPERAR)
def subsidy(request, demand_id: int):
    demand = selectors.demand_get(actor=request.actor, demand_id=demand_id)
    return _demand_post(
        request,
        demand,
        SubsidyForm(request.POST),
        "subsidy_form",
        lambda data: services.subsidy_request(actor=request.actor, demand_id=demand.pk, **data),
        lambda created: (
            f"Subsídios pedidos à Unimed {created.unimed.code}: "
            f"protocolo {created.protocol.number}."
        ),
    )


@require_POST
@staff_required(REG, Level.OPERAR)
def owner(request, demand_id: int):
    """ "Assumir" (the button posts one's own id) or "Atribuir" to a colleague."""
    demand = selectors.demand_get(actor=request.actor, demand_id=demand_id)
    return _demand_post(
        request,
        demand,
        OwnerForm(request.POST, people=services.owner_candidates(demand)),
        "owner_form",
        lambda data: services.demand_set_owner(
            actor=request.actor, demand_id=demand.pk, owner_id=data["owner"]
        ),
        "Responsável interno definido.",
    )


@require_POST
@staff_required(REG, Level.OPERAR)
def attach(request, demand_id: int):
    demand = selectors.demand_get(actor=request.actor, demand_id=demand_id)
    return _demand_post(
        request,
        demand,
        AttachForm(request.POST),
        "attach_form",
        lambda data: services.demand_attach(
            actor=request.actor,
            demand_id=demand.pk,
            files=request.FILES.getlist("attachments"),
            message=data["message"],
        ),
        "Arquivos anexados.",
    )


@staff_required(REG)
def attachment_download(request, attachment_id: int):
    attachment = selectors.attachment_get(actor=request.actor, attachment_id=attachment_id)
    try:
        handle = attachment.file.open("rb")
    except (FileNotFoundError, OSError):
        raise NotFound(_("O arquivo deste anexo não está disponível.")) from None
    audit_record(
        actor=request.actor,
        action="regulatorio.anexo_baixado",
        target_type="Demand",
        target_id=attachment.event.demand_id,
        data={"anexo": attachment.pk},
    )
    response = FileResponse(
        handle,
        as_attachment=True,
        filename=attachment.original_name,
        content_type=attachment.content_type,
    )
    response["Cache-Control"] = "private, no-store"
    return response


@staff_required(REG, Level.OPERAR, allow_hub_admin=False)
def abi_import(request):
    form = ImportForm(request.POST or None, request.FILES or None)
    report = None
    if request.method == "POST" and form.is_valid():
        upload = form.cleaned_data["file"]
        try:
            report = services.persus_import(
                actor=request.actor, content=upload.read(), filename=upload.name or "abi.csv"
            )
        except DomainError as exc:
            apply_domain_error(form, exc, aliases={"file": "file"})
    return render(
        request,
        "regulatorio/importar.html",
        {"form": form, "report": report},
        status=400 if form.errors else 200,
    )


@staff_required(REG)
def dashboard(request):
    data = selectors.dashboard(actor=request.actor)
    return render(
        request,
        "regulatorio/indicadores.html",
        {**data, "kinds": DemandKind, "may_operate": request.actor.may(REG, Level.OPERAR)},
    )
