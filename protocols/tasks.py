"""Celery tasks of protocols: thin wrappers over services, taking primary keys."""

from celery import current_app, shared_task

from protocols.outbox.services import deliveries_sweep, delivery_attempt, enqueue_deliveries

# Longer waits are left to the sweep: a far ETA held by a worker outlives the Redis
# visibility timeout and would be redelivered anyway.
MAX_COUNTDOWN_SECONDS = 600


@shared_task(name="protocols.delivery_send", bind=True, ignore_result=True)
def delivery_send(self, delivery_id: int) -> None:
    """Send one attempt of a delivery; on failure schedule the next one (backoff)."""
    delay = delivery_attempt(delivery_id=delivery_id)
    if delay is None or current_app.conf.task_always_eager or delay > MAX_COUNTDOWN_SECONDS:
        return
    # Same queue as this task: a worker bound to a dedicated queue keeps its retries.
    queue = (self.request.delivery_info or {}).get("routing_key")
    enqueue_deliveries([delivery_id], countdown=delay, queue=queue)


@shared_task(name="protocols.deliveries_sweep", ignore_result=True)
def deliveries_sweep_task() -> int:
    """Periodic (beat, GPU_DELIVERY_SWEEP_SECONDS): re-publish due pending deliveries."""
    return deliveries_sweep()


@shared_task(name="protocols.notify_arrival", ignore_result=True)
def notify_arrival_task(protocol_id: int) -> bool:
    """E-mail the responsible Unimed's contingency address (once per arrival)."""
    from protocols.notifications import notify_arrival

    return notify_arrival(protocol_id=protocol_id)


@shared_task(name="protocols.notify_answer", ignore_result=True)
def notify_answer_task(event_id: int) -> bool:
    """E-mail an answer to the requester who chose id_resposta = 1 (once per answer)."""
    from protocols.notifications import notify_answer

    return notify_answer(event_id=event_id)


@shared_task(name="protocols.notifications_sweep", ignore_result=True)
def notifications_sweep_task() -> dict:
    """Periodic (beat, GPU_NOTIFICATION_SWEEP_SECONDS): due-tomorrow notices and catch-up."""
    from protocols.notifications import notifications_sweep

    return notifications_sweep()


@shared_task(name="protocols.deadline_alerts_sweep", ignore_result=True)
def deadline_alerts_sweep_task() -> dict:
    """Periodic (beat): D-1 escalation to supervisors and overdue notices, once each."""
    from protocols.escalation import deadline_alerts_sweep

    return deadline_alerts_sweep()


@shared_task(name="protocols.bulk_job_run", ignore_result=True)
def bulk_job_run_task(job_id: int) -> None:
    """Run a queued bulk action on protocols (a job already taken is skipped)."""
    from protocols.services.bulk import protocol_bulk_run

    protocol_bulk_run(job_id=job_id)


@shared_task(name="protocols.bulk_jobs_sweep", ignore_result=True)
def bulk_jobs_sweep_task() -> int:
    """Periodic (beat): re-enqueue bulk jobs the broker lost."""
    from protocols.services.bulk import protocol_bulk_sweep

    return protocol_bulk_sweep()
