"""Celery tasks: thin wrappers taking primary keys and calling the services."""

from celery import shared_task

from reports import build


@shared_task(name="core.reports.build", acks_late=True)
def report_build(job_id: int) -> str:
    """Build one report file (idempotent: a job already claimed is left alone)."""
    job = build.report_job_build(job_id=job_id)
    return job.status if job else "ignorado"


@shared_task(name="core.reports.upkeep")
def report_upkeep() -> dict:
    """Fail jobs whose worker died, re-enqueue lost ones, purge expired files."""
    return build.report_jobs_upkeep()


@shared_task(name="core.reports.monthly")
def report_monthly() -> int:
    """Create last month's scheduled reports for every Unimed (e-mailed when ready)."""
    return len(build.report_monthly_dispatch())
