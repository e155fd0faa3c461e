"""Cross-cutting records: the audit trail."""

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class AuditEvent(models.Model):
    """Who did what to which record, when. Immutable; never holds secrets."""

    at = models.DateTimeField(_("quando"), default=timezone.now, db_index=True)
    actor = models.CharField(_("quem"), max_length=150)
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    unimed = models.ForeignKey(
        "unimeds.Unimed",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        help_text=_("Unimed em nome da qual a ação foi feita"),
    )
    action = models.CharField(_("ação"), max_length=80, db_index=True)
    target_type = models.CharField(_("tipo do alvo"), max_length=80)
    target_id = models.CharField(_("id do alvo"), max_length=64, db_index=True)
    data = models.JSONField(_("detalhes"), default=dict, blank=True)
    ip = models.GenericIPAddressField(null=True, blank=True)

    class Meta:
        verbose_name = _("evento de auditoria")
        verbose_name_plural = _("eventos de auditoria")
        ordering = ["-at", "-id"]
        indexes = [models.Index(fields=["target_type", "target_id", "-at"])]

    def __str__(self) -> str:
        return f"{self.at:%d/%m/%Y %H:%M} {self.actor} {self.action} {self.target_type}#{self.target_id}"


class IntegrationLog(models.Model):
    """One inbound or outbound integration call, with personal data masked."""

    class Direction(models.TextChoices):
        INBOUND = "entrada", _("recebida")
        OUTBOUND = "saida", _("enviada")

    at = models.DateTimeField(_("quando"), default=timezone.now, db_index=True)
    direction = models.CharField(_("direção"), max_length=8, choices=Direction.choices)
    operation = models.CharField(_("operação"), max_length=80, db_index=True)
    unimed = models.ForeignKey(
        "unimeds.Unimed",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        help_text=_("Unimed que chamou (entrada) ou que recebeu (saída)"),
    )
    http_status = models.PositiveSmallIntegerField(_("status HTTP"), null=True, blank=True)
    duration_ms = models.PositiveIntegerField(_("duração (ms)"), default=0)
    request_id = models.CharField(_("id da requisição"), max_length=64, blank=True, db_index=True)
    url = models.CharField(max_length=300, blank=True)
    request_body = models.JSONField(_("corpo enviado"), null=True, blank=True)
    response_body = models.JSONField(_("corpo respondido"), null=True, blank=True)
    error = models.CharField(_("erro"), max_length=500, blank=True)

    class Meta:
        verbose_name = _("registro de integração")
        verbose_name_plural = _("registros de integração")
        ordering = ["-at", "-id"]
        indexes = [models.Index(fields=["unimed", "-at"])]

    def __str__(self) -> str:
        return f"{self.at:%d/%m/%Y %H:%M:%S} {self.direction} {self.operation} {self.http_status}"


class Heartbeat(models.Model):
    """Last sign of life of a background process: each Celery worker writes its row
    every GPU_HEARTBEAT_SECONDS, beat writes its row when it publishes a periodic task.
    Read by the readiness page instead of broadcasting a ping to every worker."""

    kind = models.CharField(_("tipo"), max_length=10)  # "worker" or "beat"
    name = models.CharField(_("processo"), max_length=200)
    seen_at = models.DateTimeField(_("visto em"))

    class Meta:
        verbose_name = _("sinal de vida")
        verbose_name_plural = _("sinais de vida")
        constraints = [
            models.UniqueConstraint(fields=["kind", "name"], name="uniq_heartbeat_kind_name")
        ]

    def __str__(self) -> str:
        return f"{self.kind} {self.name}"


class EmailStatus(models.TextChoices):
    PENDING = "pending", _("Na fila")
    SENDING = "sending", _("Enviando")
    SENT = "sent", _("Enviado")
    DEAD = "dead", _("Falhou")


# Allowed changes, made only by core.mail (compare-and-set on the status): a claim,
# its outcome, the sweep taking back a dead worker's claim, an admin's resend.
EMAIL_TRANSITIONS: dict[str, frozenset[str]] = {
    EmailStatus.PENDING: frozenset({EmailStatus.SENDING, EmailStatus.PENDING}),
    EmailStatus.SENDING: frozenset({EmailStatus.SENT, EmailStatus.PENDING, EmailStatus.DEAD}),
    EmailStatus.SENT: frozenset(),
    EmailStatus.DEAD: frozenset({EmailStatus.PENDING}),
}


class OutboundEmail(models.Model):
    """One e-mail to send, written in the transaction that decided to send it
    (core.mail.OutboxBackend). A worker claims it with a compare-and-set and sends it
    through the real backend; the sweep retries what an outage held back."""

    status = models.CharField(
        _("situação"), max_length=10, choices=EmailStatus.choices, default=EmailStatus.PENDING
    )
    subject = models.CharField(_("assunto"), max_length=998)
    recipients = models.JSONField(_("destinatários"))
    message = models.JSONField(
        _("mensagem")
    )  # from, body, cc, bcc, reply_to, headers, alternatives
    attempts = models.PositiveSmallIntegerField(_("tentativas"), default=0)
    next_attempt_at = models.DateTimeField(_("próxima tentativa"), default=timezone.now)
    claimed_at = models.DateTimeField(_("envio iniciado em"), null=True, blank=True)
    last_error = models.CharField(_("último erro"), max_length=500, blank=True)
    created_at = models.DateTimeField(_("criado em"), default=timezone.now)
    sent_at = models.DateTimeField(_("enviado em"), null=True, blank=True)

    class Meta:
        verbose_name = _("e-mail a enviar")
        verbose_name_plural = _("e-mails a enviar")
        ordering = ["-created_at", "-id"]
        indexes = [
            models.Index(fields=["status", "next_attempt_at"], name="outbound_email_queue_idx")
        ]

    def __str__(self) -> str:
        return f"{self.subject} ({self.status})"
