"""Outbox writes: create deliveries with an event, attempt, retry, redeliver, sweep.

Delivery is at-least-once: a claim is a compare-and-set on (status, attempts), so two
workers never send the same attempt, and receivers de-duplicate on X-GPU-Delivery.
"""

import http.client
import json
import logging
import time
from dataclasses import dataclass
from datetime import timedelta

from django.conf import settings
from django.db import transaction
from django.db.models import F
from django.utils import timezone
from django.utils.translation import gettext as _

from core.db import insert_new, relaxed_commit
from core.errors import Forbidden, InvalidTransition, NotFound
from core.integration_log import log_call
from core.services import audit_record
from core.tasks_util import enqueue_now
from protocols.models import ProtocolEvent
from protocols.models.delivery import DELIVERY_TRANSITIONS, Delivery, DeliveryStatus
from protocols.outbox import transport
from protocols.outbox.messages import accepts, build_message
from protocols.outbox.selectors import deliveries_visible
from protocols.outbox.signing import encode_body, signed_headers
from unimeds.actors import Actor, ActorKind

logger = logging.getLogger(__name__)

SWEEP_BATCH = 500
# Answers a retry cannot change: the endpoint is gone (410), moved for good (301/308:
# never followed, a person must update the endpoint), or refuses the message itself.
PERMANENT_STATUSES = frozenset({301, 308, 400, 405, 410, 413, 415, 422})
# Retry-After further than this is clamped: a receiver cannot park a delivery for days.
MAX_RETRY_AFTER_SECONDS = 24 * 3600


@dataclass(frozen=True)
class Outcome:
    status: int | None
    error: str = ""
    answer: object = None
    retry_after: float | None = None
    permanent: bool = False


def stale_sending() -> timedelta:
    """A "sending" row older than this belongs to a worker that died mid-attempt: an
    attempt never outlives its deadline (protocols.outbox.transport), so twice the deadline
    plus a margin means nobody is still sending it — no two copies in flight."""
    seconds = settings.GPU_DELIVERY_STALE_SECONDS or 2 * settings.GPU_DELIVERY_TIMEOUT_SECONDS + 60
    return timedelta(seconds=seconds)


def is_deliverable(unimed) -> bool:
    return bool(
        unimed.is_active and unimed.is_integrated and unimed.endpoint_url and unimed.signing_secret
    )


def _recipients(protocol, *, exclude_id):
    """The Unimeds working the case now: origin, responsible and serving (a former
    responsible that forwarded it away gets nothing more). The services have these
    related objects loaded already, so this costs no query on the hot path."""
    found = {}
    for field in ("origin_unimed", "responsible_unimed", "serving_unimed"):
        pk = getattr(protocol, f"{field}_id")
        if pk and pk != exclude_id and pk not in found:
            found[pk] = getattr(protocol, field)
    return list(found.values())


def deliveries_create_for_event(event: ProtocolEvent) -> list[Delivery]:
    """Protocol event hook (protocols.timeline.on_event): one delivery per integrated
    Unimed in the case other than the one that acted. Runs in the event's transaction;
    the send is enqueued only after commit."""
    if not event.public:
        return []
    protocol = event.protocol  # the caller's locked, saved instance: no second read
    created = []
    for unimed in _recipients(protocol, exclude_id=event.actor_unimed_id):
        if not is_deliverable(unimed):
            continue
        op, payload = build_message(event, protocol, unimed)
        if not accepts(unimed, op):  # its receiver does not read it: panel and read API only
            continue
        created.append(
            Delivery(
                unimed=unimed,
                protocol=protocol,
                event=event,
                sender_unimed_id=event.actor_unimed_id,
                operation=op.name,
                payload=payload,
                next_attempt_at=event.at,
            )
        )
    if created:
        insert_new(*created)
        ids = [d.pk for d in created]
        transaction.on_commit(lambda: enqueue_deliveries(ids))
    return created


def enqueue_deliveries(ids, *, countdown: float | None = None, queue: str | None = None) -> int:
    """Publish a send task per id. Never raises: with the broker down the rows stay
    pending and the sweep publishes them later. Returns how many were published."""
    from protocols.tasks import delivery_send

    published = 0
    for pk in ids:
        options = {}
        if countdown:
            options["countdown"] = countdown
        if queue:
            options["queue"] = queue
        if not enqueue_now(delivery_send, pk, **options):
            break  # the broker is down: the sweep publishes the rest
        published += 1
    return published


def delivery_transition(rows, *, from_status: str, to_status: str, **fields) -> int:
    """The only change of Delivery.status: allowed by DELIVERY_TRANSITIONS and written as
    a compare-and-set on `rows` still in `from_status` (two workers never both win).
    Returns how many rows changed."""
    if to_status not in DELIVERY_TRANSITIONS[from_status]:
        raise InvalidTransition(
            _("Entrega: %(from_status)s → %(to_status)s não é permitido.")
            % {"from_status": from_status, "to_status": to_status}
        )
    return rows.filter(status=from_status).update(status=to_status, **fields)


def _claim(pk: int, now) -> int | None:
    """Compare-and-set pending → sending; the new attempt number, or None when another
    worker has it, it is not due yet, or it is no longer pending."""
    with relaxed_commit():  # a claim lost in a crash only means the attempt is made again
        claimed = delivery_transition(
            Delivery.objects.filter(pk=pk, next_attempt_at__lte=now),
            from_status=DeliveryStatus.PENDING,
            to_status=DeliveryStatus.SENDING,
            claimed_at=now,
            last_attempt_at=now,
            attempts=F("attempts") + 1,
        )
        if claimed != 1:
            return None
        return Delivery.objects.values_list("attempts", flat=True).get(pk=pk)


def retry_delay(attempt: int) -> float:
    """Seconds before attempt `attempt + 1`: GPU_DELIVERY_RETRY_BASE_SECONDS doubling."""
    return settings.GPU_DELIVERY_RETRY_BASE_SECONDS * (2 ** max(0, attempt - 1))


def _post(delivery: Delivery) -> Outcome:
    unimed = delivery.unimed
    if not is_deliverable(unimed):
        return Outcome(
            None,
            f"Unimed {unimed.code} não está integrada ou não tem endpoint e segredo.",
            permanent=True,
        )
    body = encode_body(delivery.payload)
    headers = signed_headers(
        secret=unimed.signing_secret, body=body, delivery_id=str(delivery.uuid)
    )
    headers.setdefault("Content-Type", "application/json")
    url = f"{unimed.endpoint_url.rstrip('/')}/{delivery.operation}"
    deadline = settings.GPU_DELIVERY_TIMEOUT_SECONDS
    try:
        response = transport.post(url, body=body, headers=headers, deadline_seconds=deadline)
    except transport.DeadlineExceeded:
        return Outcome(
            None, f"Prazo de {deadline:g} s esgotado antes do fim da resposta; tentativa encerrada."
        )
    except transport.InternalAddress as exc:  # SSRF guard at connect time: never retried
        return Outcome(None, f"Recusado: {exc}.", permanent=True)
    except (OSError, http.client.HTTPException) as exc:
        return Outcome(None, f"{type(exc).__name__}: {exc}"[:500])
    return _outcome(response)


def _outcome(response: transport.Answer) -> Outcome:
    text = response.body.decode("utf-8", "replace")
    try:
        answer = json.loads(text) if text else None
    except ValueError:
        answer = {"texto": text[:500]}
    status = response.status
    if 200 <= status < 300:
        return Outcome(status, "", answer)
    error = f"HTTP {status}"
    if 300 <= status < 400:
        error = (
            f"HTTP {status}: redirecionamento para {response.headers.get('location', '?')[:300]} "
            "não seguido; atualize o endpoint da Unimed"
        )
    elif status == 410:
        error = "HTTP 410: o endpoint não existe mais (Gone); atualize o endpoint da Unimed"
    elif status in PERMANENT_STATUSES:
        error = f"HTTP {status}: recusa definitiva do destino"
    retry_after = None
    if status in (429, 503):
        retry_after = transport.retry_after_seconds(response.headers.get("retry-after"))
    return Outcome(
        status, error[:500], answer, retry_after=retry_after, permanent=status in PERMANENT_STATUSES
    )


def delivery_attempt(*, delivery_id: int) -> float | None:
    """Claim and send one attempt. Returns the delay before the next attempt when it
    failed and may be retried, else None (delivered, dead, or not ours to send)."""
    now = timezone.now()
    attempt = _claim(delivery_id, now)
    if attempt is None:
        return None
    delivery = Delivery.objects.select_related("unimed").get(pk=delivery_id)
    started = time.monotonic()
    outcome = _post(delivery)
    duration = (time.monotonic() - started) * 1000
    with relaxed_commit():  # lost in a crash: the delivery is sent again (at-least-once)
        return _record_attempt(delivery, attempt, outcome, duration)


def _record_attempt(
    delivery: Delivery, attempt: int, outcome: Outcome, duration: float
) -> float | None:
    from core import metrics

    status, error, answer = outcome.status, outcome.error, outcome.answer
    log_call(
        direction="saida",
        operation=delivery.operation,
        unimed=delivery.unimed,
        http_status=status,
        duration_ms=duration,
        request_id=str(delivery.uuid),
        url=f"{delivery.unimed.endpoint_url.rstrip('/')}/{delivery.operation}",
        request_body=delivery.payload,
        response_body=answer,
        error=error,
    )
    finished = timezone.now()
    mine = Delivery.objects.filter(
        pk=delivery.pk, attempts=attempt
    )  # this attempt's claim, still held

    def finish(to_status, **fields):
        delivery_transition(mine, from_status=DeliveryStatus.SENDING, to_status=to_status, **fields)

    if not error:
        finish(
            DeliveryStatus.DELIVERED,
            delivered_at=finished,
            last_http_status=status,
            last_error="",
            claimed_at=None,
        )
        metrics.delivery_finished("entregue", (finished - delivery.created_at).total_seconds())
        return None
    if outcome.permanent or attempt >= settings.GPU_DELIVERY_MAX_ATTEMPTS:
        finish(DeliveryStatus.DEAD, last_http_status=status, last_error=error, claimed_at=None)
        logger.warning(
            "Entrega %s para %s falhou de vez: %s", delivery.uuid, delivery.unimed.code, error
        )
        metrics.delivery_finished("morta", None)
        return None
    metrics.delivery_finished("falhou", None)
    delay = retry_delay(attempt)
    if outcome.retry_after is not None:  # the receiver said when: never sooner
        delay = min(max(delay, outcome.retry_after), MAX_RETRY_AFTER_SECONDS)
    finish(
        DeliveryStatus.PENDING,
        last_http_status=status,
        last_error=error,
        claimed_at=None,
        next_attempt_at=finished + timedelta(seconds=delay),
    )
    return delay


def _check_redeliverable(delivery: Delivery) -> None:
    # SENDING → PENDING exists for retries only; a person may redeliver a finished one.
    if (
        delivery.status == DeliveryStatus.SENDING
        or DeliveryStatus.PENDING not in DELIVERY_TRANSITIONS[delivery.status]
    ):
        raise InvalidTransition(
            _("A entrega está '%(situacao)s' e não pode ser reenviada agora.")
            % {"situacao": delivery.get_status_display()},
            code="entrega_em_andamento",
        )


@transaction.atomic
def delivery_redeliver(*, actor: Actor, delivery_id: int) -> Delivery:
    """Put a dead (or delivered, if the receiver lost it) delivery back in the queue with
    a fresh attempt budget and the same X-GPU-Delivery. Staff of the destination or of
    the Unimed that originated the message, or a hub admin."""
    # One redeliver at a time; another Unimed's delivery is "not found".
    delivery = deliveries_visible(actor=actor).select_for_update().filter(pk=delivery_id).first()
    if delivery is None:
        raise NotFound(_("Entrega não encontrada."))
    if actor.kind != ActorKind.USER:
        raise Forbidden(_("Somente a equipe da Unimed pode reenviar entregas."))
    _check_redeliverable(delivery)
    previous = delivery.status
    now = timezone.now()
    delivery_transition(
        Delivery.objects.filter(pk=delivery.pk),
        from_status=previous,
        to_status=DeliveryStatus.PENDING,
        attempts=0,
        next_attempt_at=now,
        claimed_at=None,
        redeliveries=F("redeliveries") + 1,
    )
    audit_record(
        actor=actor,
        action="entrega.reenviada",
        target_type="Delivery",
        target_id=delivery.pk,
        data={"de": previous, "protocolo": delivery.protocol_id, "destino": delivery.unimed_id},
    )
    transaction.on_commit(lambda: enqueue_deliveries([delivery.pk]))
    delivery.refresh_from_db()
    return delivery


def deliveries_sweep(*, now=None) -> int:
    """Periodic: give back rows of workers that died mid-send, then publish every
    pending delivery that is due (broker was down at commit, task lost). Returns how
    many were published."""
    now = now or timezone.now()
    delivery_transition(
        Delivery.objects.filter(claimed_at__lt=now - stale_sending()),
        from_status=DeliveryStatus.SENDING,
        to_status=DeliveryStatus.PENDING,
        claimed_at=None,
        next_attempt_at=now,
    )
    due = list(
        Delivery.objects.filter(status=DeliveryStatus.PENDING, next_attempt_at__lte=now)
        .order_by("next_attempt_at")
        .values_list("pk", flat=True)[:SWEEP_BATCH]
    )
    return enqueue_deliveries(due) if due else 0
