"""Panel pages for leads: list, new lead, detail with actions, distribution settings, export."""

from django.contrib import messages
from django.core.paginator import Paginator
from django.shortcuts import redirect, render
from django.views.decorators.http import require_POST

from core.errors import DomainError
from core.forms import apply_domain_error
from core.identifiers import format_cnpj, format_cpf, mask_cpf
from core.services import audit_record
from leads import selectors, services
from leads.forms import (
    ContactForm,
    LeadCreateForm,
    LeadFilterForm,
    LeadSettingsForm,
    ReassignForm,
    ReleaseForm,
    ReserveForm,
    StageForm,
)
from leads.models import DocumentKind, LeadSource, ReservationStatus
from reports import report_request
from unimeds.access import staff_required
from unimeds.models import Level, Module
from unimeds.selectors import sellers_of


def document_display(actor, lead) -> str:
    """CNPJ in full; a person's CPF masked unless the actor's role may see it (LGPD)."""
    if lead.document_kind == DocumentKind.CNPJ:
        return format_cnpj(lead.document)
    return format_cpf(lead.document) if actor.may_see_cpf else mask_cpf(lead.document)


def _filters(request):
    owners = sellers_of(request.actor.unimed).order_by("first_name") if request.actor.unimed else []
    form = LeadFilterForm(request.GET or None, owners=owners)
    filters = form.cleaned_data if form.is_valid() else {}
    return form, filters


@staff_required(Module.LEADS)
def lead_list(request):
    form, filters = _filters(request)
    page = Paginator(selectors.lead_list(actor=request.actor, filters=filters), 50).get_page(
        request.GET.get("pagina")
    )
    for lead in page.object_list:
        lead.document_shown = document_display(request.actor, lead)
    query = request.GET.copy()
    query.pop("pagina", None)
    return render(
        request, "leads/lista.html", {"form": form, "page": page, "query": query.urlencode()}
    )


@require_POST
@staff_required(Module.LEADS, allow_hub_admin=False)
def lead_export(request):
    """Excel export of the filtered list, built in the background by the reports app."""
    params = {k: v for k, v in request.POST.items() if k in LeadFilterForm.base_fields and v}
    try:
        job = report_request(actor=request.actor, key="leads", params=params, fmt="xlsx")
    except DomainError as exc:
        messages.error(request, exc.message)
        return redirect("leads:list")
    messages.success(request, f"Exportação #{job.pk} em preparo: acompanhe em Relatórios.")
    return redirect("reports:reports")


@staff_required(Module.LEADS, Level.OPERAR, allow_hub_admin=False)
def lead_create(request):
    form = LeadCreateForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            lead, created = services.lead_intake(
                actor=request.actor, source=LeadSource.VENDEDOR, **form.cleaned_data
            )
        except DomainError as exc:
            apply_domain_error(form, exc)
        else:
            if lead.unimed_id != request.actor.unimed_id:
                messages.info(
                    request,
                    f"O município é da área da Unimed {lead.unimed.code}: o lead foi enviado a ela.",
                )
                return redirect("leads:list")
            messages.success(
                request,
                "Lead cadastrado."
                if created
                else "Já existia um lead aberto para este documento: a demanda foi anexada a ele.",
            )
            return redirect("leads:detail", lead_id=lead.pk)
    return render(request, "leads/novo.html", {"form": form})


def _detail_context(request, lead, **forms):
    actor = request.actor
    may_supervise = actor.may(Module.LEADS, Level.ADMINISTRAR) and actor.unimed_id == lead.unimed_id
    owners = selectors.owner_choices(actor=actor, lead=lead) if may_supervise else []
    sellers = (
        sellers_of(lead.unimed).order_by("first_name")
        if may_supervise
        else ([actor.user] if actor.user and actor.may(Module.LEADS, Level.OPERAR) else [])
    )
    reservations = list(selectors.reservations_for_lead(actor=actor, lead=lead)[:10])
    holder = selectors.reservation_active_for(document=lead.document)
    return {
        "lead": lead,
        "document_shown": document_display(actor, lead),
        "events": selectors.lead_events(lead=lead),
        "reservations": reservations,
        "active_here": next(
            (
                r
                for r in reservations
                if r.status == ReservationStatus.ACTIVE and holder and r.pk == holder.pk
            ),
            None,
        ),
        "held_elsewhere": holder if holder and holder.unimed_id != lead.unimed_id else None,
        "may_work": selectors.lead_may_work(actor, lead),
        "actions": selectors.lead_actions(actor=actor, lead=lead),
        "may_supervise": may_supervise,
        "contact_form": forms.get("contact") or ContactForm(),
        "stage_form": forms.get("stage")
        or StageForm(choices=selectors.lead_stage_choices(actor=actor, lead=lead)),
        "reassign_form": forms.get("reassign") or ReassignForm(owners=owners),
        "reserve_form": forms.get("reserve") or ReserveForm(sellers=sellers),
        "release_form": forms.get("release") or ReleaseForm(),
    }


@staff_required(Module.LEADS)
def lead_detail(request, lead_id: int):
    lead = selectors.lead_get(actor=request.actor, lead_id=lead_id)
    if lead.document_kind == DocumentKind.CPF:
        # LGPD: every view of a person's data is recorded.
        audit_record(
            actor=request.actor, action="lead.visualizado", target_type="Lead", target_id=lead.pk
        )
    return render(request, "leads/detalhe.html", _detail_context(request, lead))


def _act(request, lead_id: int, key: str, form, call, success: str):
    """Run one detail-page action; on error re-render the page with the bound form
    (what the user typed is kept) and the message beside the field."""
    lead = selectors.lead_get(actor=request.actor, lead_id=lead_id)
    if form.is_valid():
        try:
            call(lead, form.cleaned_data)
        except DomainError as exc:
            apply_domain_error(form, exc)
        else:
            messages.success(request, success)
            return redirect("leads:detail", lead_id=lead_id)
    lead = selectors.lead_get(actor=request.actor, lead_id=lead_id)
    return render(
        request, "leads/detalhe.html", _detail_context(request, lead, **{key: form}), status=400
    )


@require_POST
@staff_required(Module.LEADS, Level.OPERAR, allow_hub_admin=False)
def lead_contact(request, lead_id: int):
    return _act(
        request,
        lead_id,
        "contact",
        ContactForm(request.POST),
        lambda lead, d: services.lead_log_contact(actor=request.actor, lead_id=lead.pk, **d),
        "Contato registrado.",
    )


@require_POST
@staff_required(Module.LEADS, Level.OPERAR, allow_hub_admin=False)
def lead_stage(request, lead_id: int):
    lead = selectors.lead_get(actor=request.actor, lead_id=lead_id)
    # Every step of the table: a refused one gets the service's reason, not a bare form error.
    return _act(
        request,
        lead_id,
        "stage",
        StageForm(request.POST, choices=lead.next_statuses),
        lambda lead, d: services.lead_transition(actor=request.actor, lead_id=lead.pk, **d),
        "Etapa atualizada.",
    )


@require_POST
@staff_required(Module.LEADS, Level.ADMINISTRAR, allow_hub_admin=False)
def lead_reassign(request, lead_id: int):
    lead = selectors.lead_get(actor=request.actor, lead_id=lead_id)
    form = ReassignForm(
        request.POST, owners=selectors.owner_choices(actor=request.actor, lead=lead)
    )
    return _act(
        request,
        lead_id,
        "reassign",
        form,
        lambda lead, d: services.lead_reassign(
            actor=request.actor, lead_id=lead.pk, owner_id=d["owner"], note=d["note"]
        ),
        "Lead reatribuído.",
    )


@require_POST
@staff_required(Module.LEADS, Level.OPERAR, allow_hub_admin=False)
def lead_reserve(request, lead_id: int):
    sellers = sellers_of(request.actor.unimed)
    return _act(
        request,
        lead_id,
        "reserve",
        ReserveForm(request.POST, sellers=sellers),
        lambda lead, d: services.reservation_reserve(
            actor=request.actor, document=lead.document, seller=d["seller"] or None, lead_id=lead.pk
        ),
        "Cliente reservado.",
    )


@require_POST
@staff_required(Module.LEADS, Level.OPERAR, allow_hub_admin=False)
def reservation_renew(request, lead_id: int, reservation_id: int):
    return _act(
        request,
        lead_id,
        "release",
        ReleaseForm(request.POST),
        lambda lead, d: services.reservation_renew(
            actor=request.actor, reservation_id=reservation_id
        ),
        "Reserva renovada.",
    )


@require_POST
@staff_required(Module.LEADS, Level.OPERAR, allow_hub_admin=False)
def reservation_release(request, lead_id: int, reservation_id: int):
    return _act(
        request,
        lead_id,
        "release",
        ReleaseForm(request.POST),
        lambda lead, d: services.reservation_release(
            actor=request.actor, reservation_id=reservation_id, reason=d["reason"]
        ),
        "Reserva liberada.",
    )


@staff_required(Module.LEADS, Level.ADMINISTRAR, allow_hub_admin=False)
def lead_settings(request):
    current = selectors.lead_settings_get(actor=request.actor)
    form = LeadSettingsForm(
        request.POST or None, initial={"assignment_rule": current.assignment_rule}
    )
    if request.method == "POST" and form.is_valid():
        try:
            services.lead_settings_update(actor=request.actor, **form.cleaned_data)
        except DomainError as exc:
            apply_domain_error(form, exc)
        else:
            messages.success(request, "Regra de distribuição salva.")
            return redirect("leads:settings")
    counts = selectors.open_lead_counts(actor=request.actor)
    sellers = [
        (s, counts.get(s.pk, 0))
        for s in sellers_of(request.actor.unimed).order_by("first_name", "username")
    ]
    return render(
        request, "leads/configuracao.html", {"form": form, "sellers": sellers, "current": current}
    )


@staff_required(Module.LEADS)
def lead_dashboard(request):
    """Sales panel: funnel, conversion by month and seller, time per stage, reservations."""
    from django.urls import reverse

    from leads.stats import sales_dashboard
    from protocols.panel.charts import Bar, bar_chart

    stats = sales_dashboard(actor=request.actor)
    list_url = reverse("leads:list")
    funnel_chart = bar_chart(
        [
            Bar(
                label=label[:9],
                value=n,
                href=f"{list_url}?status={value}",
                title=f"{label}: {n}",
                caption=str(n),
            )
            for value, label, n in stats["funnel"]
        ],
        title="Funil de leads por etapa",
        bar_width=48,
    )
    monthly_chart = bar_chart(
        [
            Bar(
                label=f"{month:%m/%y}",
                value=rate,
                href=list_url,
                title=f"{month:%m/%Y}: {won} ganho(s) de {total} ({rate}%)",
                caption=f"{rate}%",
            )
            for month, total, won, _lost, rate in stats["monthly"]
        ],
        title="Conversão por mês de entrada",
        max_value=100,
    )
    return render(
        request,
        "leads/painel.html",
        {"stats": stats, "funnel_chart": funnel_chart, "monthly_chart": monthly_chart},
    )
