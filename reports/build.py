"""Building a report file, and the periodic upkeep of jobs (stale, expired, monthly)."""

import logging
import tempfile
from datetime import date, timedelta

from celery.exceptions import SoftTimeLimitExceeded
from django.core.files import File
from django.db import IntegrityError, transaction
from django.utils import timezone

from core.errors import DomainError, InvalidTransition
from reports import FULL_CPF
from reports.models import ReportJob
from reports.registry import all_definitions, get_definition
from reports.services import (
    _enqueue,
    _setting,
    clean_params,
    job_actor,
    report_job_fail,
    report_job_transition,
)
from reports.writers import WRITERS, TooManyRows
from unimeds.models import Role, Unimed

logger = logging.getLogger(__name__)
Status = ReportJob.Status

STALE_MESSAGE = (
    "A geração foi interrompida: o processo que gerava o relatório parou de responder. "
    "Clique em “Tentar novamente”."
)


class JobAbandoned(Exception):
    """The job stopped being ours (the stale sweep marked it failed)."""


class ReportFailed(Exception):
    """A failure whose message the user should read as is."""


class _Progress:
    """Cheap progress write: one UPDATE, no lock, also the worker's heartbeat."""

    def __init__(self, job_id: int):
        self.job_id = job_id

    def __call__(self, rows: int) -> None:
        updated = ReportJob.objects.filter(pk=self.job_id, status=Status.RUNNING).update(
            rows_written=rows, heartbeat_at=timezone.now()
        )
        if not updated:
            raise JobAbandoned


def report_job_build(*, job_id: int) -> ReportJob | None:
    """Claim a queued job and stream its rows into a file in Django storage.

    Returns the finished job, or None when there was nothing to do (gone,
    claimed by another worker, already finished) or it failed.
    """
    now = timezone.now()
    try:
        job = report_job_transition(
            job_id=job_id,
            to=Status.RUNNING,
            expect=Status.QUEUED,
            started_at=now,
            heartbeat_at=now,
            rows_written=0,
            attempts=_attempts(job_id) + 1,
        )
    except (ReportJob.DoesNotExist, InvalidTransition):
        return None
    stored = ""
    try:
        definition = get_definition(job.report_key)
        if definition is None:
            raise ReportFailed("Este relatório não está mais disponível no sistema.")
        actor = job_actor(job)
        if actor is None or not definition.allowed(actor):
            raise ReportFailed("O acesso de quem pediu não permite mais gerar este relatório.")
        params, _stored = clean_params(definition, job.params)
        if job.params.get(FULL_CPF):  # set by report_request for a gestor, with a purpose
            params = {**params, FULL_CPF: True}
        estimate = definition.estimate(actor, params)
        ReportJob.objects.filter(pk=job.pk).update(
            rows_estimate=estimate, heartbeat_at=timezone.now()
        )
        field = ReportJob._meta.get_field("file")
        # An anonymous temp file: big reports go to disk, never to the worker's memory.
        with tempfile.TemporaryFile(prefix="gpu-relatorio-") as fh:
            count = WRITERS[job.format](
                fh,
                title=str(definition.title),
                columns=definition.columns,
                rows=definition.rows(actor, params),
                on_progress=_Progress(job.pk),
                every=_setting("GPU_REPORT_PROGRESS_EVERY", 2000),
            )
            size = fh.tell()
            fh.seek(0)
            stamp = timezone.localtime().strftime("%Y%m%d-%H%M%S")
            name = field.generate_filename(job, f"{job.pk}-{job.report_key}-{stamp}.{job.format}")
            stored = field.storage.save(name, File(fh, name=name))
        finished = timezone.now()
        return report_job_transition(
            job_id=job.pk,
            to=Status.DONE,
            expect=Status.RUNNING,
            file=stored,
            file_size=size,
            rows_written=count,
            finished_at=finished,
            heartbeat_at=finished,
            expires_at=finished + timedelta(hours=_setting("GPU_REPORT_TTL_HOURS", 72)),
        )
    except (JobAbandoned, InvalidTransition):
        _discard(stored)
        return None
    except ReportFailed as exc:
        report_job_fail(job_id=job.pk, message=str(exc))
    except DomainError as exc:
        report_job_fail(job_id=job.pk, message=exc.message)
    except TooManyRows:
        report_job_fail(
            job_id=job.pk,
            message=(
                "O relatório passa de 1.048.575 linhas, o limite de uma planilha do Excel. "
                "Escolha um período menor ou o formato CSV."
            ),
        )
    except SoftTimeLimitExceeded:
        report_job_fail(
            job_id=job.pk,
            message=(
                "O relatório excedeu o tempo máximo de geração. Escolha um período menor e tente novamente."
            ),
        )
    except Exception:
        logger.exception("Falha ao gerar o relatório %s (%s)", job.pk, job.report_key)
        report_job_fail(
            job_id=job.pk,
            message=(
                f"Erro inesperado ao gerar o relatório (referência #{job.pk}). "
                "Tente novamente; se persistir, avise o suporte informando a referência."
            ),
        )
    _discard(stored)
    return None


def _attempts(job_id: int) -> int:
    return ReportJob.objects.filter(pk=job_id).values_list("attempts", flat=True).first() or 0


def _discard(name: str) -> None:
    if name:
        ReportJob._meta.get_field("file").storage.delete(name)


# --- Periodic upkeep --------------------------------------------------------
def report_jobs_fail_stale(*, now=None) -> int:
    """Jobs 'running' with no heartbeat for GPU_REPORT_STALE_MINUTES: the worker
    died (killed, out of memory, host lost). Mark them failed so users can retry."""
    now = now or timezone.now()
    cutoff = now - timedelta(minutes=_setting("GPU_REPORT_STALE_MINUTES", 10))
    stale = ReportJob.objects.filter(status=Status.RUNNING, heartbeat_at__lt=cutoff).values_list(
        "pk", flat=True
    )
    return sum(1 for pk in list(stale) if report_job_fail(job_id=pk, message=STALE_MESSAGE))


def report_jobs_requeue(*, now=None) -> int:
    """Re-enqueue jobs still queued after GPU_REPORT_REQUEUE_MINUTES (the broker
    was down at commit time, or the message was lost). A duplicate is harmless:
    the build claims the job with a compare-and-set."""
    now = now or timezone.now()
    cutoff = now - timedelta(minutes=_setting("GPU_REPORT_REQUEUE_MINUTES", 5))
    ids = list(
        ReportJob.objects.filter(status=Status.QUEUED, created_at__lt=cutoff).values_list(
            "pk", flat=True
        )
    )
    for pk in ids:
        _enqueue(pk)
    return len(ids)


def report_jobs_purge_expired(*, now=None) -> int:
    """Delete the files of jobs past their expiry and mark them expired."""
    now = now or timezone.now()
    expired = list(
        ReportJob.objects.filter(
            status__in=[Status.DONE, Status.FAILED], expires_at__lt=now
        ).values_list("pk", "file")
    )
    purged = 0
    for pk, name in expired:
        try:
            report_job_transition(job_id=pk, to=Status.EXPIRED, file="")
        except InvalidTransition:
            continue
        _discard(name)
        purged += 1
    return purged


def report_jobs_upkeep() -> dict:
    """The periodic task's work, in order."""
    return {
        "falhas_por_inatividade": report_jobs_fail_stale(),
        "reenfileirados": report_jobs_requeue(),
        "expirados": report_jobs_purge_expired(),
    }


# --- Monthly scheduled reports -----------------------------------------------
def previous_month(today: date) -> date:
    first = today.replace(day=1)
    return (first - timedelta(days=1)).replace(day=1)


def report_monthly_dispatch(*, today: date | None = None) -> list[ReportJob]:
    """For each report with `monthly_params`, one job per active Unimed that has
    a gestor, covering the previous month. Running it twice creates nothing new."""
    today = today or timezone.localdate()
    month = previous_month(today)
    created = []
    unimeds = Unimed.objects.filter(
        is_active=True, memberships__grants__role=Role.GESTOR, memberships__user__is_active=True
    ).distinct()
    for definition in all_definitions():
        if definition.monthly_params is None:
            continue
        _typed, params = clean_params(definition, definition.monthly_params(month))
        for unimed in unimeds:
            slot = f"{definition.key}:{unimed.code}:{month:%Y-%m}"
            if ReportJob.objects.filter(schedule_slot=slot).exists():
                continue
            try:
                with transaction.atomic():
                    job = ReportJob.objects.create(
                        unimed=unimed,
                        report_key=definition.key,
                        params=params,
                        scheduled=True,
                        schedule_slot=slot,
                        format=ReportJob.Format.XLSX,
                        title=f"{definition.title} — {month:%m/%Y}"[:200],
                    )
                    transaction.on_commit(lambda pk=job.pk: _enqueue(pk), robust=True)
            except IntegrityError:  # another beat run got there first
                continue
            created.append(job)
    return created
