"""Panel: /painel/relatorios/ — request reports, follow progress, download."""

from django import forms
from django.contrib import messages
from django.http import FileResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.http import require_GET, require_POST

from core.errors import DomainError
from core.forms import BootstrapFormMixin, apply_domain_error
from reports import may_export_full_cpf, services
from reports.models import ReportJob
from reports.registry import available_for
from reports.selectors import report_job_get, report_jobs_for
from unimeds.access import staff_required
from unimeds.models import Module

CONTENT_TYPES = {
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    "csv": "text/csv; charset=utf-8",
}


class FormatForm(BootstrapFormMixin, forms.Form):
    fmt = forms.ChoiceField(label="Formato", choices=ReportJob.Format.choices, initial="xlsx")


class FullCpfForm(BootstrapFormMixin, forms.Form):
    """Only for a gestor, on reports with personal data: CPFs in full, with the reason (audited)."""

    cpf_completo = forms.BooleanField(
        label="Exportar CPFs completos (o padrão é mascarado)", required=False
    )
    finalidade = forms.CharField(
        label="Finalidade da exportação com CPF completo",
        required=False,
        max_length=300,
        help_text="Obrigatória para CPFs completos; fica registrada na auditoria.",
    )


def _cards(actor, data=None, chosen=None):
    """One request card per report the actor may ask for; only the submitted one is bound."""
    cards = []
    for definition in available_for(actor):
        bound = data if definition.key == chosen else None
        params_form = definition.form(bound, prefix=definition.key) if definition.form else None
        cards.append(
            {
                "definition": definition,
                "fmt_form": FormatForm(bound, prefix=definition.key),
                "params_form": params_form,
                "cpf_form": FullCpfForm(bound, prefix=definition.key)
                if definition.personal_data and may_export_full_cpf(actor)
                else None,
            }
        )
    return cards


def _raw_params(form) -> dict:
    """What the user typed, unprefixed, for the service (which validates it again)."""
    return {
        name: field.widget.value_from_datadict(form.data, form.files, form.add_prefix(name))
        for name, field in form.fields.items()
    }


@staff_required(Module.RELATORIOS)
def report_list(request):
    actor = request.actor
    chosen = request.POST.get("report") if request.method == "POST" else None
    cards = _cards(actor, request.POST if chosen else None, chosen)
    status = 200
    if chosen:
        card = next((c for c in cards if c["definition"].key == chosen), None)
        if card is None:
            messages.error(request, "Relatório desconhecido ou não permitido para o seu papel.")
            return redirect("reports:reports")
        fmt_form, params_form, cpf_form = card["fmt_form"], card["params_form"], card["cpf_form"]
        target = params_form or fmt_form
        if (
            fmt_form.is_valid()
            and (params_form is None or params_form.is_valid())
            and (cpf_form is None or cpf_form.is_valid())
        ):
            full = cpf_form.cleaned_data if cpf_form is not None else {}
            try:
                job = services.report_request(
                    actor=actor,
                    key=chosen,
                    fmt=fmt_form.cleaned_data["fmt"],
                    params=_raw_params(params_form) if params_form else {},
                    full_cpf=bool(full.get("cpf_completo")),
                    purpose=full.get("finalidade", ""),
                )
            except DomainError as exc:
                apply_domain_error(
                    cpf_form if "finalidade" in exc.fields and cpf_form else target, exc
                )
            else:
                messages.success(
                    request, f"Relatório “{job.title}” pedido. Acompanhe o progresso abaixo."
                )
                return redirect(reverse("reports:reports") + f"#relatorio-{job.pk}")
        card["open"] = True
        status = 400
    jobs = report_jobs_for(actor=actor).select_related("requested_by")[:50]
    return render(request, "reports/relatorios.html", {"cards": cards, "jobs": jobs}, status=status)


@require_GET
@staff_required(Module.RELATORIOS)
def report_job_row(request, job_id: int):
    """The job's table row; htmx polls it while the job is queued or running."""
    job = report_job_get(actor=request.actor, job_id=job_id)
    return render(request, "reports/relatorios_job.html", {"job": job})


@require_GET
@staff_required(Module.RELATORIOS)
def report_download(request, job_id: int):
    try:
        job, handle, filename = services.report_job_download(actor=request.actor, job_id=job_id)
    except DomainError as exc:
        if exc.status in (403, 404):
            raise
        messages.error(request, exc.message)
        return redirect("reports:reports")
    response = FileResponse(
        handle, as_attachment=True, filename=filename, content_type=CONTENT_TYPES[job.format]
    )
    response["Cache-Control"] = "private, no-store"
    return response


@require_POST
@staff_required(Module.RELATORIOS)
def report_retry(request, job_id: int):
    try:
        job = services.report_job_retry(actor=request.actor, job_id=job_id)
    except DomainError as exc:
        if exc.status == 404:
            raise
        messages.error(request, exc.message)
    else:
        messages.success(request, f"Relatório “{job.title}” voltou para a fila.")
    return redirect(reverse("reports:reports") + f"#relatorio-{job_id}")
