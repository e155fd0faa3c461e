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
