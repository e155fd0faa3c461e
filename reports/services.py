"""Writes of report jobs: request, status transitions, retry, download.

The file itself is built by reports.build (called by the Celery task).
"""

import logging
from datetime import date, datetime, timedelta
from decimal import Decimal

from django.conf import settings
from django.db import models, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from core.errors import Conflict, Forbidden, InvalidInput, InvalidTransition
from core.identifiers import audit_safe_filters
from core.services import audit_record
from reports.models import REPORT_JOB_TRANSITIONS, ReportJob
from reports.registry import ReportDefinition, get_definition
from reports.selectors import report_job_get, report_jobs_active_count
from unimeds.actors import Actor, ActorKind, actor_for_user
from unimeds.models import Role, preset_levels

logger = logging.getLogger(__name__)
Status = ReportJob.Status


def _setting(name: str, default: int) -> int:
    return int(getattr(settings, name, default))


# --- Parameters -------------------------------------------------------------
def _jsonable(value):
    if isinstance(value, datetime | date):
        return value.isoformat()
    if isinstance(value, Decimal):
        return str(value)
    if isinstance(value, models.Model):
        return value.pk
    if isinstance(value, list | tuple | set | models.QuerySet):
        return [_jsonable(v) for v in value]
    return value


def clean_params(definition: ReportDefinition, params: dict | None) -> tuple[dict, dict]:
    """(typed params for rows/estimate, JSON-safe copy to store on the job).

    The definition's form validates them; the stored copy is validated again by
    the worker, so a job never runs with params its form would now refuse.
    """
    if definition.form is None:
        return {}, {}
    form = definition.form(data=params or {})
    if not form.is_valid():
        fields = {name: [str(m) for m in errors] for name, errors in form.errors.items()}
        first = next(iter(fields.values()))[0] if fields else "Parâmetros inválidos."
        raise InvalidInput(first, code="parametros_invalidos", fields=fields)
    typed = form.cleaned_data
    return typed, {name: _jsonable(value) for name, value in typed.items()}


def job_actor(job: ReportJob) -> Actor | None:
    """Who the report is generated for: the requester as they are *now* (a
    revoked role stops the build), or, for a scheduled report, the system acting
    as the Unimed's gestor."""
    if job.requested_by_id:
        actor = actor_for_user(job.requested_by)
        if actor is None or actor.unimed_id != job.unimed_id:
            return None
        return actor
    if job.unimed_id:
        # Not kind="system": selectors let the system see every Unimed.
        return Actor(
            unimed=job.unimed,
            roles=frozenset({Role.GESTOR}),
            levels=tuple(preset_levels([Role.GESTOR]).items()),
            kind=ActorKind.SCHEDULED,
            job="relatorio_mensal",
        )
    return None


# --- Status transitions -----------------------------------------------------
def _enqueue(job_id: int) -> None:
    from core.tasks_util import enqueue_now
    from reports.tasks import report_build

    enqueue_now(report_build, job_id)  # the broker may be down: the sweep re-enqueues queued jobs


@transaction.atomic
def report_job_transition(
    *, job_id: int, to: str, actor: Actor | None = None, expect: str | None = None, **changes
) -> ReportJob:
    """The one place a job's status changes: lock, check, save, record, side effects.

    `expect` makes it a compare-and-set (the worker claims only a queued job).
    """
    # The worker, the stale-job sweep and a user's retry click can race on a job.
    job = ReportJob.objects.select_for_update().get(pk=job_id)
    if (expect is not None and job.status != expect) or to not in REPORT_JOB_TRANSITIONS[
        job.status
    ]:
        raise InvalidTransition(
            _("O relatório está “%(situacao)s” e não pode passar para “%(label)s”.")
            % {"situacao": job.get_status_display(), "label": Status(to).label}
        )
    before = job.status
    job.status = to
    for name, value in changes.items():
        setattr(job, name, value)
    job.save()
    audit_record(
        actor=actor,
        action=f"relatorio.{to}",
        target_type="ReportJob",
        target_id=job.pk,
        data={
            "relatorio": job.report_key,
            "de": before,
            "para": to,
            **({"erro": job.error} if to == Status.FAILED else {}),
        },
    )
    if to == Status.QUEUED:
        transaction.on_commit(lambda: _enqueue(job.pk), robust=True)
    elif to == Status.DONE and job.scheduled:
        from reports.notify import notify_scheduled_done

        notify_scheduled_done(job_id=job.pk)  # an outbox row (core.mail), committed with the job
    return job


def report_job_fail(*, job_id: int, message: str) -> ReportJob | None:
    """Mark a queued/running job failed with a pt-BR message the user will read."""
    now = timezone.now()
    ttl = timedelta(hours=_setting("GPU_REPORT_TTL_HOURS", 72))
    try:
        return report_job_transition(
            job_id=job_id,
            to=Status.FAILED,
            error=message[:500],
            finished_at=now,
            expires_at=now + ttl,
        )
    except InvalidTransition:
        return None


# --- Use cases --------------------------------------------------------------
def _check_capacity(actor: Actor) -> None:
    limit = _setting("GPU_REPORT_MAX_ACTIVE_PER_USER", 3)
    if report_jobs_active_count(actor=actor) >= limit:
        raise Conflict(
            _("Você já tem %(limit)s relatórios em geração. Aguarde um terminar para pedir outro.")
            % {"limit": limit},
            code="limite_relatorios",
        )


@transaction.atomic
def report_request(
    *,
    actor: Actor,
    key: str,
    params: dict | None = None,
    fmt: str = "xlsx",
    full_cpf: bool = False,
    purpose: str = "",
) -> ReportJob:
    """A user asks for a report: validate, create the job, build it after commit.
    CPFs come masked; `full_cpf` (a gestor, with a `purpose` of at least 10 characters,
    audited) asks for them in full."""
    if actor is None or actor.user is None:
        raise Forbidden(_("Somente usuários da equipe podem pedir relatórios."))
    definition = get_definition(key)
    if definition is None:
        raise InvalidInput(
            _("Relatório desconhecido."),
            code="relatorio_desconhecido",
            fields={"report": ["Relatório desconhecido."]},
        )
    if not definition.allowed(actor):
        raise Forbidden(_("Seu papel não permite gerar este relatório."))
    if fmt not in ReportJob.Format.values:
        raise InvalidInput(
            _("Formato inválido: escolha Excel (.xlsx) ou CSV."),
            code="formato_invalido",
            fields={"fmt": ["Formato inválido: escolha Excel (.xlsx) ou CSV."]},
        )
    _typed, stored = clean_params(definition, params)
    purpose = " ".join((purpose or "").split())[:300]
    if full_cpf:
        from reports import FULL_CPF, may_export_full_cpf

        if not definition.personal_data or not may_export_full_cpf(actor):
            raise Forbidden(_("Somente o gestor da Unimed pode exportar CPFs completos."))
        if len(purpose) < 10:
            message = (
                "Informe a finalidade da exportação com CPF completo (ao menos 10 caracteres)."
            )
            raise InvalidInput(
                message, code="finalidade_obrigatoria", fields={"finalidade": [message]}
            )
        stored = {**stored, FULL_CPF: True, "_finalidade": purpose}
    _check_capacity(actor)
    job = ReportJob.objects.create(
        requested_by=actor.user,
        unimed=actor.unimed,
        report_key=key,
        title=str(definition.title)[:200],
        params=stored,
        format=fmt,
    )
    audit_record(
        actor=actor,
        action="relatorio.solicitado",
        target_type="ReportJob",
        target_id=job.pk,
        data={
            "relatorio": key,
            "parametros": audit_safe_filters(stored),
            "formato": fmt,
            "dados_pessoais": definition.personal_data,
            "cpf_completo": bool(full_cpf),
            **({"finalidade": purpose} if full_cpf else {}),
        },
    )
    transaction.on_commit(lambda: _enqueue(job.pk), robust=True)
    return job


def report_job_retry(*, actor: Actor, job_id: int) -> ReportJob:
    """Put a failed job back in the queue (same report, same parameters)."""
    job = report_job_get(actor=actor, job_id=job_id)
    definition = get_definition(job.report_key)
    if definition is None or not definition.allowed(actor):
        raise Forbidden(_("Seu papel não permite gerar este relatório."))
    if job.status != Status.FAILED:
        raise InvalidTransition(_("Só um relatório que falhou pode ser tentado novamente."))
    if job.requested_by_id:
        _check_capacity(actor)
    return report_job_transition(
        job_id=job.pk,
        to=Status.QUEUED,
        expect=Status.FAILED,
        actor=actor,
        error="",
        rows_written=0,
        rows_estimate=None,
        started_at=None,
        finished_at=None,
        heartbeat_at=None,
        expires_at=None,
    )


def report_job_download(*, actor: Actor, job_id: int):
    """Open a finished job's file for this actor: (job, file, download name).

    Another Unimed's user gets NotFound; a role that no longer allows the report
    gets Forbidden. Every download is audited (the export of personal data).
    """
    job = report_job_get(actor=actor, job_id=job_id)
    definition = get_definition(job.report_key)
    if definition is None or not definition.allowed(actor):
        raise Forbidden(_("Seu papel não permite baixar este relatório."))
    if job.status != Status.DONE or not job.file:
        raise Conflict(
            _("Este relatório não tem arquivo para baixar (ainda em geração, falhou ou expirou)."),
            code="arquivo_indisponivel",
        )
    try:
        handle = job.file.storage.open(job.file.name, "rb")
    except FileNotFoundError:
        raise Conflict(
            _("O arquivo deste relatório não existe mais; peça-o novamente."),
            code="arquivo_indisponivel",
        ) from None
    audit_record(
        actor=actor,
        action="relatorio.baixado",
        target_type="ReportJob",
        target_id=job.pk,
        data={
            "relatorio": job.report_key,
            "parametros": job.params,
            "linhas": job.rows_written,
            "formato": job.format,
            "dados_pessoais": definition.personal_data,
        },
    )
    stamp = timezone.localtime(job.finished_at).strftime("%Y%m%d_%H%M")
    return job, handle, f"{job.report_key}_{stamp}.{job.format}"
