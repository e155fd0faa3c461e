from celery import shared_task

from core.integration_log import integration_log_purge


@shared_task(name="core.integration_log_purge")
def integration_log_purge_task() -> int:
    """Periodic: drop integration log rows past the retention setting."""
    return integration_log_purge()
