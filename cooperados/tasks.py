from celery import shared_task

from cooperados import services


@shared_task(name="cooperados.run_bulk_job")
def run_bulk_job(job_id: int) -> int | None:
    """Run a queued bulk action (see services.bulk_job_run)."""
    job = services.bulk_job_run(job_id=job_id)
    return job.processed if job else None


@shared_task(name="cooperados.bulk_jobs_sweep", ignore_result=True)
def bulk_jobs_sweep() -> int:
    """Periodic (beat): re-enqueue bulk jobs the broker lost."""
    return services.bulk_jobs_sweep()


@shared_task(name="cooperados.a400_import_run", ignore_result=True)
def a400_import_run(job_id: int) -> None:
    """Apply a queued A400 file (cooperados.services.a400_jobs); a taken job is skipped."""
    from cooperados.services.a400_jobs import a400_import_job_run

    a400_import_job_run(job_id=job_id)


@shared_task(name="cooperados.a400_jobs_sweep", ignore_result=True)
def a400_jobs_sweep() -> int:
    """Periodic (beat): requeue A400 imports whose worker died or whose task was lost."""
    from cooperados.services.a400_jobs import a400_jobs_sweep as sweep

    return sweep()


@shared_task(name="cooperados.send_reset_email")
def send_reset_email(cooperado_id: int) -> bool:
    """E-mail a password link; quietly nothing when the account is gone or has no login e-mail."""
    from cooperados.models import Cooperado
    from cooperados.services.accounts import send_reset_email as send

    coop = Cooperado.objects.select_related("unimed").filter(pk=cooperado_id).first()
    if coop is None or not coop.login_email:
        return False
    send(coop)
    return True
