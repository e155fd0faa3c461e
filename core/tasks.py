from celery import shared_task

from core.integration_log import integration_log_purge


@shared_task(name="core.integration_log_purge")
def integration_log_purge_task() -> int:
    """Periodic: drop integration log rows past the retention setting."""
    return integration_log_purge()


@shared_task(name="core.beat_heartbeat", ignore_result=True)
def beat_heartbeat() -> None:
    """Periodic: nothing to do — beat records its heartbeat when it publishes this
    (core.heartbeat), so a quiet schedule still shows beat alive."""


@shared_task(name="core.email_send", ignore_result=True)
def email_send(email_id: int) -> bool:
    """Send one outbox e-mail (core.mail); idempotent: a sent or claimed row is skipped."""
    from core.mail import email_send as send

    return send(email_id=email_id)


@shared_task(name="core.emails_sweep", ignore_result=True)
def emails_sweep() -> int:
    """Periodic (beat, GPU_EMAIL_SWEEP_SECONDS): re-enqueue due outbox e-mails."""
    from core.mail import emails_sweep as sweep

    return sweep()
