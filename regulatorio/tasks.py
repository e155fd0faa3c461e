"""Celery tasks of regulatorio: thin wrappers over services."""

from celery import shared_task

from regulatorio.services.alerts import alerts_send


@shared_task(name="regulatorio.alerts_send", ignore_result=True)
def alerts_send_task() -> int:
    """Periodic (beat, hourly): D-2 and due-day e-mails, each sent once."""
    return alerts_send()
