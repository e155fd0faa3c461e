"""E-mail outbox: every e-mail is a row first, sent by a worker, retried for as long
as SMTP is away.

`OutboxBackend` is Django's EMAIL_BACKEND in production: `send_mail` anywhere writes
an OutboundEmail row in the caller's transaction (so a rolled-back request sends
nothing, and a committed one cannot lose its e-mail) and enqueues `core.email_send`
after commit. The worker claims the row with a compare-and-set and sends it through
GPU_EMAIL_TRANSPORT (the backend EMAIL_URL describes). A failure puts the row back
with a growing delay capped at GPU_EMAIL_RETRY_MAX_SECONDS; `emails_sweep` (beat)
re-enqueues due rows and takes back claims of workers that died. After
GPU_EMAIL_MAX_ATTEMPTS the row is dead (visible in the admin and in metrics).

Send-once: a row is claimed by one worker at a time and marked sent right after the
SMTP server took it; only a crash between those two steps can send it twice.
"""

import logging
from datetime import timedelta

from django.conf import settings
from django.core.mail import EmailMessage, EmailMultiAlternatives, get_connection
from django.core.mail.backends.base import BaseEmailBackend
from django.db import transaction
from django.db.models import F
from django.utils import timezone

from core.models import EMAIL_TRANSITIONS, EmailStatus, OutboundEmail
from core.tasks_util import enqueue_now, enqueue_on_commit

logger = logging.getLogger(__name__)


def site_url(path: str = "") -> str:
    """`path` on the site as people reach it: every link in an e-mail starts from the one
    setting GPU_BASE_URL (`make run` derives it from its PORT)."""
    return settings.GPU_BASE_URL.rstrip("/") + path


SWEEP_BATCH = 500


class OutboxBackend(BaseEmailBackend):
    """Writes each message as an OutboundEmail row; the worker sends it later."""

    def send_messages(self, email_messages) -> int:
        from core.tasks import email_send

        count = 0
        for message in email_messages:
            recipients = message.recipients()
            if not recipients:
                continue
            row = OutboundEmail.objects.create(
                subject=str(message.subject)[:998],
                recipients=recipients,
                message=_serialise(message),
            )
            enqueue_on_commit(email_send, row.pk)
            count += 1
        return count


def _serialise(message: EmailMessage) -> dict:
    return {
        "from": message.from_email or settings.DEFAULT_FROM_EMAIL,
        "body": message.body,
        "to": list(message.to),
        "cc": list(message.cc),
        "bcc": list(message.bcc),
        "reply_to": list(message.reply_to),
        "headers": dict(message.extra_headers),
        "alternatives": [
            [content, mimetype] for content, mimetype in getattr(message, "alternatives", [])
        ],
    }


def _rebuild(row: OutboundEmail) -> EmailMultiAlternatives:
    data = row.message
    message = EmailMultiAlternatives(
        subject=row.subject,
        body=data["body"],
        from_email=data["from"],
        to=data["to"],
        cc=data["cc"],
        bcc=data["bcc"],
        reply_to=data["reply_to"],
        headers=data["headers"],
    )
    for content, mimetype in data.get("alternatives", []):
        message.attach_alternative(content, mimetype)
    return message


def _move(
    email_id: int, *, to: str, frm: list[str] | None = None, where: dict | None = None, **fields
) -> int:
    """The one status change of an outbound e-mail: a compare-and-set from the states
    EMAIL_TRANSITIONS allows (narrowed by `frm`, and by `where`). Returns the rows
    changed (0 or 1)."""
    allowed = [
        s for s, targets in EMAIL_TRANSITIONS.items() if to in targets and (frm is None or s in frm)
    ]
    return OutboundEmail.objects.filter(pk=email_id, status__in=allowed, **(where or {})).update(
        status=to, **fields
    )


def retry_delay(attempt: int) -> float:
    """Seconds before attempt `attempt + 1`: doubling, capped, so a long SMTP outage is
    retried every few minutes for as long as GPU_EMAIL_MAX_ATTEMPTS lasts (~2 days)."""
    return min(
        settings.GPU_EMAIL_RETRY_BASE_SECONDS * (2 ** max(0, attempt - 1)),
        settings.GPU_EMAIL_RETRY_MAX_SECONDS,
    )


def email_send(*, email_id: int) -> bool:
    """Claim and send one e-mail; True when this call sent it. Quietly False when it is
    not due, already sent, or claimed by another worker."""
    now = timezone.now()
    claimed = _move(
        email_id,
        to=EmailStatus.SENDING,
        where={"next_attempt_at__lte": now},
        claimed_at=now,
        attempts=F("attempts") + 1,
    )
    if claimed != 1:
        return False  # not due, already sent, or another worker has it
    row = OutboundEmail.objects.get(pk=email_id)
    try:
        connection = get_connection(
            settings.GPU_EMAIL_TRANSPORT,
            fail_silently=False,
            timeout=settings.GPU_EMAIL_TIMEOUT_SECONDS,
        )
        connection.send_messages([_rebuild(row)])
    except Exception as exc:  # noqa: BLE001 - SMTP, DNS and socket errors all mean "try later"
        _failed(row, f"{type(exc).__name__}: {exc}"[:500])
        return False
    _move(row.pk, to=EmailStatus.SENT, sent_at=timezone.now(), claimed_at=None, last_error="")
    return True


def _failed(row: OutboundEmail, error: str) -> None:
    if row.attempts >= settings.GPU_EMAIL_MAX_ATTEMPTS:
        _move(row.pk, to=EmailStatus.DEAD, claimed_at=None, last_error=error)
        logger.error("E-mail %s desistido após %s tentativas: %s", row.pk, row.attempts, error)
        return
    _move(
        row.pk,
        to=EmailStatus.PENDING,
        frm=[EmailStatus.SENDING],
        claimed_at=None,
        last_error=error,
        next_attempt_at=timezone.now() + timedelta(seconds=retry_delay(row.attempts)),
    )
    logger.warning("E-mail %s não enviado (tentativa %s): %s", row.pk, row.attempts, error)


def emails_sweep(*, now=None) -> int:
    """Periodic: take back claims of workers that died mid-send, drop sent e-mails past
    GPU_EMAIL_RETENTION_DAYS (their bodies are personal data), then publish every due
    pending e-mail. Returns how many were published."""
    from core.tasks import email_send as email_send_task

    now = now or timezone.now()
    OutboundEmail.objects.filter(
        status=EmailStatus.SENT, sent_at__lt=now - timedelta(days=settings.GPU_EMAIL_RETENTION_DAYS)
    ).delete()
    stale = now - timedelta(seconds=settings.GPU_EMAIL_TIMEOUT_SECONDS * 4 + 60)
    # SENDING → PENDING for every stale claim (a worker died mid-send).
    for pk in OutboundEmail.objects.filter(
        status=EmailStatus.SENDING, claimed_at__lt=stale
    ).values_list("pk", flat=True):
        _move(
            pk,
            to=EmailStatus.PENDING,
            frm=[EmailStatus.SENDING],
            where={"claimed_at__lt": stale},
            claimed_at=None,
            next_attempt_at=now,
        )
    due = list(
        OutboundEmail.objects.filter(status=EmailStatus.PENDING, next_attempt_at__lte=now)
        .order_by("next_attempt_at")
        .values_list("pk", flat=True)[:SWEEP_BATCH]
    )
    published = 0
    for pk in due:
        if not enqueue_now(email_send_task, pk):
            break
        published += 1
    return published


@transaction.atomic
def email_resend(*, actor, email_id: int) -> bool:
    """A hub admin gives a dead (or waiting) e-mail a fresh attempt budget; audited.
    False when it was already sent or is being sent."""
    from core.services import audit_record
    from core.tasks import email_send as email_send_task

    moved = _move(
        email_id,
        to=EmailStatus.PENDING,
        frm=[EmailStatus.DEAD, EmailStatus.PENDING],
        attempts=0,
        next_attempt_at=timezone.now(),
        claimed_at=None,
    )
    if moved:
        audit_record(
            actor=actor, action="email.reenviado", target_type="OutboundEmail", target_id=email_id
        )
        enqueue_on_commit(email_send_task, email_id)
    return bool(moved)
