"""Gestor panel: A400 upload, bulk forced reset (with progress), audit screen."""

from django.contrib import messages
from django.core.paginator import Paginator
from django.http import FileResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.http import require_POST

from cooperados import selectors, services
from cooperados.forms import A400UploadForm, BulkResetForm
from cooperados.selectors import managed_unimed
from cooperados.services import a400_jobs
from cooperados.views.common import querystring, unimed_param
from core.errors import DomainError
from core.forms import apply_domain_error
from core.labels import ACTION_LABELS
from unimeds.access import staff_required
from unimeds.models import Level, Module


@staff_required(Module.COOPERADOS, Level.OPERAR)
def a400_upload(request):
    """Store the file and queue its import: the page that follows shows the progress."""
    form = A400UploadForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        upload = form.cleaned_data["arquivo"]
        try:
            job = a400_jobs.a400_import_request(
                actor=request.actor, chunks=upload.chunks(), filename=upload.name
            )
        except DomainError as exc:
            apply_domain_error(form, exc)
        else:
            messages.success(request, f"Arquivo recebido: {job.total} registros 402 em importação.")
            return redirect("cooperados:a400_job", job_id=job.pk)
    return render(
        request, "cooperados/a400.html", {"form": form}, status=400 if form.errors else 200
    )


@staff_required(Module.COOPERADOS)
def a400_job(request, job_id: int):
    job = a400_jobs.a400_job_get(actor=request.actor, job_id=job_id)
    template = "cooperados/_a400_progresso.html" if request.htmx else "cooperados/a400_job.html"
    return render(request, template, {"job": job})


@staff_required(Module.COOPERADOS)
def a400_job_report(request, job_id: int):
    path = a400_jobs.a400_job_report_path(actor=request.actor, job_id=job_id)
    return FileResponse(
        path.open("rb"),
        as_attachment=True,
        filename=f"a400-resultado-{job_id}.csv",
        content_type="text/csv; charset=utf-8",
    )


def _selection(request) -> list[str] | None:
    """Selected ids (checkboxes of the search result), or None for "all of the Unimed"."""
    if (request.POST.get("escopo") or request.GET.get("escopo")) == "todos":
        return None
    return request.POST.getlist("ids") or request.GET.getlist("ids")


@staff_required(Module.COOPERADOS, Level.OPERAR)
def bulk_reset(request):
    """Dry run first (GET shows how many), then a POST with reason and typed code."""
    actor, code = request.actor, unimed_param(request)
    unimed = managed_unimed(actor, code)
    ids = _selection(request)
    try:
        count = services.bulk_reset_preview(actor=actor, unimed_code=unimed.code, ids=ids)
    except DomainError as exc:
        messages.error(request, exc.message)
        return redirect(reverse("cooperados:list") + "?" + querystring({"unimed": code}))
    form = BulkResetForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            job = services.bulk_reset_request(
                actor=actor, unimed_code=unimed.code, ids=ids, **form.cleaned_data
            )
        except DomainError as exc:
            apply_domain_error(form, exc)
        else:
            messages.success(
                request, f"Troca de senha forçada em andamento para {job.total} cooperados."
            )
            return redirect("cooperados:bulk_job", job_id=job.pk)
    return render(
        request,
        "cooperados/troca_forcada.html",
        {
            "form": form,
            "count": count,
            "unimed": unimed,
            "ids": ids or [],
            "todos": ids is None,
        },
        status=400 if form.errors else 200,
    )


@staff_required(Module.COOPERADOS)
def bulk_job(request, job_id: int):
    job = services.bulk_job_get(actor=request.actor, job_id=job_id)
    template = "cooperados/_acao_progresso.html" if request.htmx else "cooperados/acao.html"
    return render(request, template, {"job": job})


# The audit filter offers the cooperado actions by name (core.labels), never as codes.
AUDIT_ACTION_CHOICES = sorted(
    (
        (code, label)
        for code, label in ACTION_LABELS.items()
        if code.split(".")[0] in ("cooperado", "cooperados")
    ),
    key=lambda choice: choice[1],
)


@staff_required(Module.COOPERADOS, Level.ADMINISTRAR)
def audit_screen(request):
    actor, code = request.actor, unimed_param(request)
    if actor.unimed is None and not code:
        return render(request, "cooperados/auditoria.html", {"page": None, "choose_unimed": True})
    action = request.GET.get("acao", "")
    qs = selectors.audit_list(actor=actor, unimed_code=code, action=action)
    page = Paginator(qs, 50).get_page(request.GET.get("pagina"))
    return render(
        request,
        "cooperados/auditoria.html",
        {
            "page": page,
            "acao": action,
            "action_choices": AUDIT_ACTION_CHOICES,
            "unimed_code": code,
            "jobs": selectors.bulk_jobs(actor=actor, unimed_code=code)[:10],
            "params": querystring({"unimed": code, "acao": action}),
        },
    )


@require_POST
@staff_required(Module.COOPERADOS)
def export(request):
    """Queue the Excel/CSV of the current search (or of every cooperado) in the reports app.
    POST only: creating a job is a write. CPFs come masked (full ones: the reports page)."""
    from reports import report_request

    params = {
        k: request.POST.get(k, "")
        for k in ("unimed", "name", "login", "email", "cpf", "situation", "profile")
    }
    if request.POST.get("escopo") == "todos":
        params = {"unimed": params["unimed"]}
    fmt = "csv" if request.POST.get("formato") == "csv" else "xlsx"
    try:
        managed_unimed(request.actor, params["unimed"] or None)
        report_request(actor=request.actor, key="cooperados", params=params, fmt=fmt)
    except DomainError as exc:
        messages.error(request, exc.message)
        return redirect(reverse("cooperados:list") + "?" + querystring(params))
    messages.success(
        request, "Relatório em preparação: acompanhe o progresso e baixe o arquivo aqui."
    )
    return redirect("reports:reports")
