"""Celery tasks of the portal: thin wrappers taking primary keys."""

from celery import shared_task

from portal.notifications import confirmation_email_send


@shared_task(
    name="portal.confirmation_email",
    ignore_result=True,
    autoretry_for=(OSError,),
    retry_backoff=30,
    max_retries=5,
)
def confirmation_email(protocol_id: int) -> None:
    """E-mail the requester the protocol number, deadline and next steps."""
    confirmation_email_send(protocol_id=protocol_id)
