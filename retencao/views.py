"""Panel pages of retention: the two queues, the case page and its actions, the
dashboard, the régua (rules and settings), imports, "fora da régua" and the export."""

import tempfile
from pathlib import Path

from django.contrib import messages
from django.core.paginator import Paginator
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.http import require_POST

from core.errors import DomainError
from core.forms import apply_domain_error
from core.services import audit_record
from leads.views import document_display
from protocols.panel.charts import Bar, bar_chart
from reports import report_request
from retencao import selectors, services
from retencao.forms import (
    CaseCreateForm,
    CaseFilterForm,
    ContactForm,
    ImportForm,
    ReassignForm,
    RuleForm,
    SettingsForm,
    StageForm,
)
from retencao.importers import read_rows
from retencao.models import CaseQueue, CaseStatus
from retencao.stats import retention_dashboard
from unimeds.access import staff_required
from unimeds.models import Level, Module


def _queue_filters(request):
    owners = selectors.retention_members(request.actor.unimed_id) if request.actor.unimed else []
    form = CaseFilterForm(request.GET or None, owners=owners)
    return form, (form.cleaned_data if form.is_valid() else {})


@staff_required(Module.RETENCAO)
def case_queue(request):
    queue = request.GET.get("fila")
    queue = queue if queue in CaseQueue.values else CaseQueue.INADIMPLENTES
    form, filters = _queue_filters(request)
    page = Paginator(
        selectors.case_queue(actor=request.actor, queue=queue, filters=filters), 50
    ).get_page(request.GET.get("pagina"))
    for case in page.object_list:
        case.document_shown = document_display(request.actor, case)
    counts = {
        q: selectors.case_queue(actor=request.actor, queue=q).count() for q in CaseQueue.values
    }
    query = request.GET.copy()
    query.pop("pagina", None)
    return render(
        request,
        "retencao/fila.html",
        {
            "form": form,
            "page": page,
            "queue": queue,
            "queues": [(q, label, counts[q]) for q, label in CaseQueue.choices],
            "query": query.urlencode(),
        },
    )


@staff_required(Module.RETENCAO, Level.OPERAR, allow_hub_admin=False)
def case_create(request):
    form = CaseCreateForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            case = services.case_create(actor=request.actor, **form.cleaned_data)
        except DomainError as exc:
            apply_domain_error(form, exc)
        else:
            messages.success(request, f"Caso #{case.pk} aberto.")
            return redirect("retencao:detail", case_id=case.pk)
    return render(request, "retencao/novo.html", {"form": form})


def _detail_context(request, case, **forms):
    actor = request.actor
    return {
        "case": case,
        "document_shown": document_display(actor, case),
        "events": selectors.case_events(case=case),
        "bills": selectors.case_bills(case=case)[:20],
        "may_work": selectors.case_may_work(actor, case),
        "owners": selectors.owner_choices(actor=actor, case=case),
        "contact_form": forms.get("contact") or ContactForm(),
        "stage_form": forms.get("stage")
        or StageForm(choices=selectors.case_stage_choices(actor=actor, case=case)),
        "reassign_form": forms.get("reassign")
        or ReassignForm(owners=selectors.owner_choices(actor=actor, case=case)),
    }


@staff_required(Module.RETENCAO)
def case_detail(request, case_id: int):
    case = selectors.case_get(actor=request.actor, case_id=case_id)
    # LGPD: the indicators are personal data; every view of a case is recorded.
    audit_record(
        actor=request.actor,
        action="retencao.caso_visualizado",
        target_type="RetentionCase",
        target_id=case.pk,
    )
    return render(request, "retencao/detalhe.html", _detail_context(request, case))


def _act(request, case_id: int, key: str, form, call, success: str):
    """One case-page action; on error the page again with the bound form (nothing the
    user typed is lost) and the message beside the field."""
    case = selectors.case_get(actor=request.actor, case_id=case_id)
    if form.is_valid():
        try:
            call(case, form.cleaned_data)
        except DomainError as exc:
            apply_domain_error(form, exc)
        else:
            messages.success(request, success)
            return redirect("retencao:detail", case_id=case_id)
    case = selectors.case_get(actor=request.actor, case_id=case_id)
    return render(
        request, "retencao/detalhe.html", _detail_context(request, case, **{key: form}), status=400
    )


@require_POST
@staff_required(Module.RETENCAO, Level.OPERAR, allow_hub_admin=False)
def case_contact(request, case_id: int):
    return _act(
        request,
        case_id,
        "contact",
        ContactForm(request.POST),
        lambda case, d: services.case_log_contact(actor=request.actor, case_id=case.pk, **d),
        "Contato registrado.",
    )


@require_POST
@staff_required(Module.RETENCAO, Level.OPERAR, allow_hub_admin=False)
def case_stage(request, case_id: int):
    case = selectors.case_get(actor=request.actor, case_id=case_id)
    # Every step of the table: a refused one gets the service's reason, not a bare form error.
    return _act(
        request,
        case_id,
        "stage",
        StageForm(request.POST, choices=case.next_statuses),
        lambda case, d: services.case_transition(actor=request.actor, case_id=case.pk, **d),
        "Situação atualizada.",
    )


@require_POST
@staff_required(Module.RETENCAO, Level.ADMINISTRAR, allow_hub_admin=False)
def case_reassign(request, case_id: int):
    case = selectors.case_get(actor=request.actor, case_id=case_id)
    form = ReassignForm(
        request.POST, owners=selectors.owner_choices(actor=request.actor, case=case)
    )
    return _act(
        request,
        case_id,
        "reassign",
        form,
        lambda case, d: services.case_reassign(
            actor=request.actor, case_id=case.pk, owner_id=d["owner"], note=d["note"]
        ),
        "Caso reatribuído.",
    )


def _money(value) -> str:
    return f"R$ {value:,.2f}".replace(",", "X").replace(".", ",").replace("X", ".")


@staff_required(Module.RETENCAO)
def dashboard(request):
    stats = retention_dashboard(actor=request.actor)
    queue_url = reverse("retencao:queue")
    monthly_chart = bar_chart(
        [
            Bar(
                label=f"{month:%m/%y}",
                value=rate,
                href=f"{queue_url}?status={CaseStatus.RETIDO}",
                title=f"{month:%m/%Y}: {retained} retido(s) de {closed} encerrado(s) ({rate}%)",
                caption=f"{rate}%",
            )
            for month, retained, closed, rate in stats["monthly"]
        ],
        title="Taxa de retenção por mês",
        max_value=100,
    )
    outcome_chart = bar_chart(
        [
            Bar(
                label=label[:10],
                value=n,
                href=f"{queue_url}?status={value}",
                title=f"{label}: {n}",
                caption=str(n),
            )
            for value, label, n in stats["by_outcome"]
        ],
        title="Casos por desfecho",
        bar_width=60,
    )
    return render(
        request,
        "retencao/painel.html",
        {
            "stats": stats,
            "monthly_chart": monthly_chart,
            "outcome_chart": outcome_chart,
            "at_risk": _money(stats["at_risk"]),
            "retained_value": _money(stats["retained_value"]),
            "lost_value": _money(stats["lost_value"]),
        },
    )


@staff_required(Module.RETENCAO, Level.ADMINISTRAR, allow_hub_admin=False)
def rules(request):
    current = selectors.retention_settings_get(actor=request.actor)
    form = RuleForm(request.POST or None, prefix="regra")
    settings_form = SettingsForm(
        request.POST if "prazo" in request.POST else None,
        initial={"first_contact_days": current.first_contact_days},
        prefix="prazo",
    )
    if request.method == "POST":
        if "prazo" in request.POST:
            if settings_form.is_valid():
                try:
                    services.retention_settings_update(
                        actor=request.actor, **settings_form.cleaned_data
                    )
                except DomainError as exc:
                    apply_domain_error(settings_form, exc)
                else:
                    messages.success(request, "Prazo do primeiro contato salvo.")
                    return redirect("retencao:rules")
            form = RuleForm(prefix="regra")
        elif form.is_valid():
            try:
                rule = services.rule_create(actor=request.actor, **form.cleaned_data)
            except DomainError as exc:
                apply_domain_error(form, exc)
            else:
                messages.success(request, f"Regra {rule.name} criada (versão 1).")
                return redirect("retencao:rules")
    return render(
        request,
        "retencao/regras.html",
        {
            "rules": selectors.rules_current(actor=request.actor),
            "form": form,
            "settings_form": settings_form,
        },
        status=400 if request.method == "POST" else 200,
    )


@staff_required(Module.RETENCAO, Level.ADMINISTRAR, allow_hub_admin=False)
def rule_edit(request, rule_id: int):
    rule = selectors.rule_get_current(actor=request.actor, rule_id=rule_id)
    initial = {f: getattr(rule, f) for f in services.rules.RULE_FIELDS}
    form = RuleForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            new = services.rule_update(actor=request.actor, rule_id=rule.pk, **form.cleaned_data)
        except DomainError as exc:
            apply_domain_error(form, exc)
        else:
            messages.success(
                request,
                f"Regra {new.name} agora na versão {new.version}; casos já abertos seguem a versão deles.",
            )
            return redirect("retencao:rules")
    return render(
        request,
        "retencao/regra.html",
        {
            "rule": rule,
            "form": form,
            "versions": selectors.rule_versions(actor=request.actor, key=rule.key),
        },
        status=400 if request.method == "POST" else 200,
    )


@staff_required(Module.RETENCAO, Level.OPERAR, allow_hub_admin=False)
def import_file(request):
    form = ImportForm(request.POST or None, request.FILES or None)
    results = None
    if request.method == "POST" and form.is_valid():
        upload = form.cleaned_data["file"]
        suffix = Path(upload.name).suffix.lower()
        with tempfile.TemporaryDirectory() as folder:
            path = Path(folder) / f"arquivo{suffix}"
            with path.open("wb") as out:
                for chunk in upload.chunks():
                    out.write(chunk)
            try:
                results = services.retention_load(
                    actor=request.actor,
                    kind=form.cleaned_data["kind"],
                    rows=read_rows(form.cleaned_data["kind"], path),
                )
            except DomainError as exc:
                apply_domain_error(form, exc)
    return render(
        request,
        "retencao/importar.html",
        {"form": form, "results": results},
        status=400 if request.method == "POST" and results is None else 200,
    )


@staff_required(Module.RETENCAO)
def out_of_rule(request):
    page = Paginator(selectors.out_of_rule_list(actor=request.actor), 50).get_page(
        request.GET.get("pagina")
    )
    for row in page.object_list:
        row.document_shown = document_display(request.actor, row) if row.document else "—"
    return render(request, "retencao/fora_da_regua.html", {"page": page})


@require_POST
@staff_required(Module.RETENCAO, allow_hub_admin=False)
def export(request):
    """Excel export of the cases, built in the background by the reports app."""
    params = {k: v for k, v in request.POST.items() if k in ("status", "origin", "queue") and v}
    try:
        job = report_request(actor=request.actor, key="retencao_casos", params=params, fmt="xlsx")
    except DomainError as exc:
        messages.error(request, exc.message)
        return redirect("retencao:queue")
    messages.success(request, f"Exportação #{job.pk} em preparo: acompanhe em Relatórios.")
    return redirect("reports:reports")
