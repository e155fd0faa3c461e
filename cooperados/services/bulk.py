"""Bulk "force password reset": the safe successor of the legacy "change the
password of ALL providers". Nobody gets a shared password: each selected account
must choose a new one at its next sign-in (or through a reset link)."""

from datetime import timedelta

from django.db import transaction
from django.db.models import F, QuerySet
from django.utils import timezone
from django.utils.translation import gettext as _

from cooperados.models import BULK_JOB_TRANSITIONS, BulkJob, BulkJobStatus, Cooperado
from cooperados.services.common import managed_unimed
from core.errors import InvalidInput, NotFound
from core.jobs import job_move
from core.services import audit_record
from core.tasks_util import enqueue_on_commit
from unimeds.actors import Actor
from unimeds.models import Level, Module, Unimed

BATCH_SIZE = 5000
MAX_SELECTION = 10000  # a selection beyond this is "all of the Unimed" or a search export


def _clean_selection(ids) -> list[int] | None:
    if ids is None:
        return None
    try:
        clean = sorted({int(i) for i in ids})
    except (TypeError, ValueError):
        raise InvalidInput(_("Seleção inválida.")) from None
    if not clean:
        raise InvalidInput(_("Selecione ao menos um cooperado (ou escolha todos da Unimed)."))
    if len(clean) > MAX_SELECTION:
        raise InvalidInput(
            _("Selecione no máximo %(MAX_SELECTION)s cooperados; para mais, use todos da Unimed.")
            % {"MAX_SELECTION": MAX_SELECTION}
        )
    return clean


def _targets(unimed: Unimed, selection: list[int] | None) -> QuerySet[Cooperado]:
    qs = Cooperado.objects.filter(unimed=unimed)
    return qs if selection is None else qs.filter(pk__in=selection)


def bulk_reset_preview(*, actor: Actor, unimed_code: str | None = None, ids=None) -> int:
    """Dry run: how many accounts the reset would reach. Changes nothing."""
    unimed = managed_unimed(actor, unimed_code)
    return _targets(unimed, _clean_selection(ids)).count()


@transaction.atomic
def bulk_reset_request(
    *, actor: Actor, unimed_code: str | None = None, ids=None, reason: str, confirmation: str
) -> BulkJob:
    """Queue the job after a typed confirmation (the Unimed code) and a reason."""
    actor.require(Module.COOPERADOS, Level.OPERAR)
    unimed = managed_unimed(actor, unimed_code)
    selection = _clean_selection(ids)
    errors = {}
    reason = " ".join((reason or "").split())
    if len(reason) < 10:
        errors["reason"] = ["Descreva o motivo (ao menos 10 caracteres)."]
    if (confirmation or "").strip() != unimed.code:
        errors["confirmation"] = [f"Digite o código da Unimed ({unimed.code}) para confirmar."]
    if errors:
        raise InvalidInput(next(iter(errors.values()))[0], fields=errors)
    total = _targets(unimed, selection).count()
    if not total:
        raise InvalidInput(_("Nenhum cooperado seria afetado."))
    job = BulkJob.objects.create(
        unimed=unimed,
        reason=reason[:500],
        selection=selection,
        total=total,
        requested_by=actor.user,
        requested_by_label=actor.label,
    )
    audit_record(
        actor=actor,
        action="cooperados.troca_forcada_pedida",
        target_type="cooperados.bulkjob",
        target_id=job.pk,
        data={
            "unimed": unimed.code,
            "motivo": job.reason,
            "quantidade": total,
            "escopo": "todos" if selection is None else "selecionados",
        },
    )
    from cooperados.tasks import run_bulk_job

    enqueue_on_commit(run_bulk_job, job.pk)  # bulk_jobs_sweep re-enqueues it if the broker lost it
    return job


def bulk_jobs_sweep(*, now=None) -> int:
    """Periodic: re-enqueue jobs still pending a minute after they were asked for (the
    broker was down at commit, or the task was lost). bulk_job_run claims with a
    compare-and-set, so a job enqueued twice still runs once. Returns how many."""
    from cooperados.tasks import run_bulk_job
    from core.tasks_util import enqueue_now

    now = now or timezone.now()
    waiting = BulkJob.objects.filter(
        status=BulkJobStatus.PENDING, created_at__lt=now - timedelta(minutes=1)
    )
    return sum(enqueue_now(run_bulk_job, pk) for pk in waiting.values_list("pk", flat=True)[:100])


def _move(job_id: int, to: str, **fields) -> bool:
    return job_move(BulkJob, job_id, to, BULK_JOB_TRANSITIONS, **fields)


def bulk_job_run(*, job_id: int) -> BulkJob | None:
    """Run a queued job in batches of UPDATEs (never one query per account), saving
    progress after each batch. Returns quietly when the job is gone or already taken."""
    if not _move(job_id, BulkJobStatus.RUNNING, started_at=timezone.now()):
        return BulkJob.objects.filter(pk=job_id).first()
    job = BulkJob.objects.select_related("unimed").get(pk=job_id)
    try:
        processed = _force_reset(job)
    except Exception as exc:
        _move(job_id, BulkJobStatus.FAILED, finished_at=timezone.now(), error=str(exc)[:2000])
        raise
    _move(job_id, BulkJobStatus.DONE, finished_at=timezone.now(), processed=processed)
    audit_record(
        actor=None,
        action="cooperados.troca_forcada_concluida",
        target_type="cooperados.bulkjob",
        target_id=job.pk,
        data={
            "unimed": job.unimed.code,
            "quantidade": processed,
            "pedido_por": job.requested_by_label,
            "motivo": job.reason,
        },
    )
    job.refresh_from_db()
    return job


def _force_reset(job: BulkJob) -> int:
    targets = _targets(job.unimed, job.selection)
    now, last_pk, processed = timezone.now(), 0, 0
    while True:
        with transaction.atomic():
            # The pk closing this batch; None → the rest fits in one last batch.
            edge = list(
                targets.filter(pk__gt=last_pk)
                .order_by("pk")
                .values_list("pk", flat=True)[BATCH_SIZE - 1 : BATCH_SIZE]
            )
            upper = edge[0] if edge else None
            batch = targets.filter(pk__gt=last_pk)
            if upper is not None:
                batch = batch.filter(pk__lte=upper)
            count = batch.update(
                must_change_password=True, session_version=F("session_version") + 1, updated_at=now
            )
            processed += count
            BulkJob.objects.filter(pk=job.pk).update(processed=processed)
        if upper is None:
            return processed
        last_pk = upper


def bulk_job_get(*, actor: Actor, job_id: int) -> BulkJob:
    job = BulkJob.objects.select_related("unimed").filter(pk=job_id).first()
    if job is None:
        raise NotFound(_("Ação em massa não encontrada."))
    unimed = managed_unimed(actor, job.unimed.code)
    if unimed.pk != job.unimed_id:
        raise NotFound(_("Ação em massa não encontrada."))
    return job
