"""Integration outbox and inbound idempotency records.

Delivery rows are the source of truth for what must reach an integrated Unimed:
written in the same transaction as the protocol event, sent after commit by a
Celery task, retried with backoff, swept when left behind. InboundMessage rows make
an incoming GPU message idempotent on (origin Unimed, nr_transacao_prestadora).
"""

import uuid

from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class DeliveryStatus(models.TextChoices):
    PENDING = "pending", _("Na fila")
    SENDING = "sending", _("Enviando")
    DELIVERED = "delivered", _("Entregue")
    DEAD = "dead", _("Falhou (esgotou as tentativas)")


# Allowed changes, checked by protocols.outbox.services. Redelivery puts a dead (or
# already delivered, when the receiver lost it) delivery back in the queue.
DELIVERY_TRANSITIONS: dict[str, frozenset[str]] = {
    DeliveryStatus.PENDING: frozenset({DeliveryStatus.SENDING}),
    DeliveryStatus.SENDING: frozenset(
        {DeliveryStatus.DELIVERED, DeliveryStatus.PENDING, DeliveryStatus.DEAD}
    ),
    DeliveryStatus.DELIVERED: frozenset({DeliveryStatus.PENDING}),
    DeliveryStatus.DEAD: frozenset({DeliveryStatus.PENDING}),
}


class Delivery(models.Model):
    """One GPU message to one integrated Unimed's endpoint."""

    uuid = models.UUIDField(
        _("identificador da entrega"),
        default=uuid.uuid4,
        unique=True,
        editable=False,
        help_text=_("Enviado em X-GPU-Delivery; o mesmo em todas as tentativas."),
    )
    unimed = models.ForeignKey(
        "unimeds.Unimed",
        verbose_name=_("Unimed de destino"),
        on_delete=models.PROTECT,
        related_name="deliveries",
    )
    protocol = models.ForeignKey(
        "protocols.Protocol",
        verbose_name=_("protocolo"),
        on_delete=models.PROTECT,
        related_name="deliveries",
    )
    event = models.ForeignKey(
        "protocols.ProtocolEvent",
        verbose_name=_("evento"),
        on_delete=models.PROTECT,
        related_name="deliveries",
    )
    sender_unimed = models.ForeignKey(
        "unimeds.Unimed",
        verbose_name=_("Unimed que originou"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    operation = models.CharField(_("operação"), max_length=40)
    payload = models.JSONField(_("mensagem"))
    status = models.CharField(
        _("situação"), max_length=10, choices=DeliveryStatus.choices, default=DeliveryStatus.PENDING
    )
    attempts = models.PositiveSmallIntegerField(_("tentativas"), default=0)
    next_attempt_at = models.DateTimeField(_("próxima tentativa"), default=timezone.now)
    claimed_at = models.DateTimeField(_("envio iniciado em"), null=True, blank=True)
    last_http_status = models.PositiveSmallIntegerField(
        _("último status HTTP"), null=True, blank=True
    )
    last_error = models.CharField(_("último erro"), max_length=500, blank=True)
    created_at = models.DateTimeField(_("criada em"), default=timezone.now)
    last_attempt_at = models.DateTimeField(_("última tentativa"), null=True, blank=True)
    delivered_at = models.DateTimeField(_("entregue em"), null=True, blank=True)
    redeliveries = models.PositiveSmallIntegerField(_("reenvios manuais"), default=0)

    class Meta:
        verbose_name = _("entrega à Unimed integrada")
        verbose_name_plural = _("entregas às Unimeds integradas")
        ordering = ["-created_at", "-id"]
        indexes = [
            models.Index(fields=["status", "next_attempt_at"], name="delivery_queue_idx"),
            models.Index(fields=["unimed", "status", "-created_at"], name="delivery_unimed_idx"),
        ]
        constraints = [
            models.UniqueConstraint(fields=["event", "unimed"], name="uniq_delivery_event_unimed"),
        ]

    def __str__(self) -> str:
        return f"{self.operation} → {self.unimed_id} ({self.status})"


class InboundMessage(models.Model):
    """The first answer given to an incoming message, replayed for its repeats."""

    unimed = models.ForeignKey(
        "unimeds.Unimed",
        verbose_name=_("Unimed de origem"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    transaction_id = models.CharField(_("nr_transacao_prestadora"), max_length=10)
    operation = models.CharField(_("operação"), max_length=40)
    body_sha256 = models.CharField(max_length=64)
    response_status = models.PositiveSmallIntegerField(default=0)
    response_body = models.JSONField(null=True, blank=True)
    protocol = models.ForeignKey(
        "protocols.Protocol", on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    received_at = models.DateTimeField(default=timezone.now)

    class Meta:
        verbose_name = _("mensagem recebida")
        verbose_name_plural = _("mensagens recebidas")
        constraints = [
            models.UniqueConstraint(
                fields=["unimed", "transaction_id"], name="uniq_inbound_transaction"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.unimed_id}:{self.transaction_id} {self.operation}"
