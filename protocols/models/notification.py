"""E-mails already sent about a protocol, so that none is ever sent twice.

The unique (protocol, kind, key) row is claimed in the same transaction that sends the
e-mail (protocols.notifications): a second worker waits on the row and then skips it.
"""

from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class NotificationKind(models.TextChoices):
    ARRIVAL = "chegada", _("Protocolo chegou à Unimed")
    DUE_TOMORROW = "vence_amanha", _("Protocolo vence no próximo dia útil")
    ANSWER = "resposta", _("Resposta enviada ao solicitante")
    ASSIGNED = "atribuido", _("Protocolo atribuído a uma pessoa")
    ESCALATION = "escalado", _("Vence amanhã: aviso aos supervisores")
    OVERDUE = "vencido", _("Protocolo vencido")


class ProtocolNotification(models.Model):
    protocol = models.ForeignKey(
        "protocols.Protocol", on_delete=models.CASCADE, related_name="notifications"
    )
    kind = models.CharField(_("aviso"), max_length=20, choices=NotificationKind.choices)
    # Which occurrence: the receiving Unimed's code (arrival, also after a forward), the
    # due date (due tomorrow, again after a reopen) or the answer event's uuid.
    key = models.CharField(_("ocorrência"), max_length=64)
    recipient = models.CharField(_("destinatários"), max_length=254, blank=True)
    sent_at = models.DateTimeField(_("enviado em"), default=timezone.now)

    class Meta:
        verbose_name = _("aviso por e-mail")
        verbose_name_plural = _("avisos por e-mail")
        constraints = [
            models.UniqueConstraint(
                fields=["protocol", "kind", "key"], name="uniq_protocol_notification"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.protocol_id} {self.kind} {self.key}"
