"""A400 imports as background jobs: the panel upload and `a400_import` store the file
and queue a job; a worker applies it in batches (cooperados.services.a400_import),
saving progress after each committed batch and writing the line-by-line report to a
CSV file. Nothing runs inside the request; memory stays flat whatever the file size.
"""

import csv
import uuid
from datetime import timedelta
from pathlib import Path

from django.conf import settings
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from cooperados.models import A400_JOB_TRANSITIONS, A400ImportJob, BulkJobStatus
from cooperados.services.a400_import import a400_apply, check_file, decode_file
from core.errors import DomainError, NotFound
from core.jobs import job_move
from core.services import audit_record
from core.tasks_util import enqueue_now, enqueue_on_commit
from unimeds.actors import Actor, ActorKind, system_actor

# A running job whose progress has not moved for this long lost its worker.
STALE_RUNNING = timedelta(minutes=10)
REPORT_HEADER = ["linha", "resultado", "codigo", "login", "detalhe"]


def _folder() -> Path:
    folder = Path(settings.MEDIA_ROOT) / "a400"
    folder.mkdir(parents=True, exist_ok=True)
    return folder


def _read_text(job: A400ImportJob) -> str:
    return decode_file((_folder() / job.stored_path).read_bytes())


@transaction.atomic
def a400_import_request(*, actor: Actor, chunks, filename: str) -> A400ImportJob:
    """Store an uploaded A400 file and queue its import. The whole file is checked
    first (header, trailer, the actor's own Unimed): a broken file is refused here
    with InvalidInput/Forbidden and nothing is queued."""
    stored = f"{uuid.uuid4().hex}.txt"
    path = _folder() / stored
    with path.open("wb") as out:
        for chunk in chunks:
            out.write(chunk)
    try:
        header = check_file(actor, decode_file(path.read_bytes()))
    except DomainError:
        path.unlink(missing_ok=True)
        raise
    from unimeds.models import Unimed

    job = A400ImportJob.objects.create(
        unimed=Unimed.objects.get(code=header.unimed_code),
        filename=(filename or "a400.txt")[:200],
        stored_path=stored,
        total=header.line_count,
        requested_by=actor.user if actor.kind == ActorKind.USER else None,
        requested_by_label=actor.label[:150],
    )
    audit_record(
        actor=actor,
        action="cooperados.a400_importacao_pedida",
        target_type="cooperados.a400importjob",
        target_id=job.pk,
        data={"unimed": header.unimed_code, "arquivo": job.filename, "linhas": header.line_count},
    )
    from cooperados.tasks import a400_import_run

    enqueue_on_commit(
        a400_import_run, job.pk
    )  # a400_jobs_sweep re-enqueues it if the broker lost it
    return job


def _move(job_id: int, to: str, **fields) -> bool:
    return job_move(A400ImportJob, job_id, to, A400_JOB_TRANSITIONS, **fields)


def a400_import_job_run(*, job_id: int) -> A400ImportJob | None:
    """Run a queued import; quietly returns when the job is gone or taken."""
    now = timezone.now()
    if not _move(job_id, BulkJobStatus.RUNNING, started_at=now, progress_at=now, processed=0):
        return A400ImportJob.objects.filter(pk=job_id).first()
    job = A400ImportJob.objects.select_related("requested_by").get(pk=job_id)
    report_name = Path(job.stored_path).with_suffix(".resultado.csv").name
    actor = _job_actor(job)
    try:
        with (_folder() / report_name).open("w", newline="", encoding="utf-8") as out:
            writer = csv.writer(out, delimiter=";")
            writer.writerow(REPORT_HEADER)

            def on_line(result):
                writer.writerow(
                    [
                        result.line_no,
                        result.status,
                        result.provider_code,
                        result.login,
                        result.detail,
                    ]
                )

            def on_batch(done: int) -> None:
                out.flush()
                A400ImportJob.objects.filter(pk=job_id).update(
                    processed=done, progress_at=timezone.now()
                )

            text = _read_text(job)
            check_file(actor, text)
            counts = a400_apply(
                actor=actor, text=text, filename=job.filename, on_line=on_line, on_batch=on_batch
            )
    except DomainError as exc:
        _move(job_id, BulkJobStatus.FAILED, finished_at=timezone.now(), error=exc.message[:2000])
        return A400ImportJob.objects.get(pk=job_id)
    except Exception as exc:
        _move(job_id, BulkJobStatus.FAILED, finished_at=timezone.now(), error=str(exc)[:2000])
        raise
    _move(
        job_id,
        BulkJobStatus.DONE,
        finished_at=timezone.now(),
        counts=counts,
        report_path=report_name,
        processed=job.total,
    )
    return A400ImportJob.objects.get(pk=job_id)


def _job_actor(job: A400ImportJob) -> Actor:
    if job.requested_by is not None:
        from unimeds.actors import actor_for_user

        return actor_for_user(job.requested_by)
    return system_actor()


def a400_job_get(*, actor: Actor, job_id: int) -> A400ImportJob:
    """A job of the actor's Unimed (hub admins: any)."""
    job = A400ImportJob.objects.select_related("unimed").filter(pk=job_id).first()
    if job is None or not (actor.sees_all_unimeds or job.unimed_id == actor.unimed_id):
        raise NotFound(_("Importação não encontrada."))
    return job


def a400_job_report_path(*, actor: Actor, job_id: int) -> Path:
    job = a400_job_get(actor=actor, job_id=job_id)
    if not job.report_path:
        raise NotFound(_("O relatório desta importação ainda não está pronto."))
    return _folder() / job.report_path


def a400_jobs_sweep(*, now=None) -> int:
    """Periodic: jobs whose worker died go back to the queue (the import is idempotent),
    and pending jobs the broker lost are published again. Returns how many."""
    from cooperados.tasks import a400_import_run

    now = now or timezone.now()
    stale = A400ImportJob.objects.filter(
        status=BulkJobStatus.RUNNING, progress_at__lt=now - STALE_RUNNING
    )
    for pk in stale.values_list("pk", flat=True):
        _move(pk, BulkJobStatus.PENDING)
    waiting = A400ImportJob.objects.filter(
        status=BulkJobStatus.PENDING, created_at__lt=now - timedelta(minutes=1)
    )
    return sum(
        enqueue_now(a400_import_run, pk) for pk in waiting.values_list("pk", flat=True)[:100]
    )
