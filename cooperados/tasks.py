from celery import shared_task

from cooperados import services


@shared_task(name="cooperados.run_bulk_job")
def run_bulk_job(job_id: int) -> int | None:
    """Run a queued bulk action (see services.bulk_job_run)."""
    job = services.bulk_job_run(job_id=job_id)
    return job.processed if job else None
