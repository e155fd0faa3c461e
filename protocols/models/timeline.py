"""The protocol's timeline: immutable events and the files attached to them."""

import uuid

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from protocols.models.protocol import Channel, Protocol


class EventKind(models.TextChoices):
    ABERTO = "aberto", _("Protocolo aberto")
    ENCAMINHADO = "encaminhado", _("Encaminhado a outra Unimed")
    RESPOSTA_PARCIAL = "resposta_parcial", _("Resposta parcial (em análise)")
    RESPOSTA = "resposta", _("Resposta conclusiva")
    NOTA_INTERNA = "nota_interna", _("Nota interna")
    COMPLEMENTO = "complemento", _("Complemento")
    CANCELADO = "cancelado", _("Cancelado")
    ENCERRADO = "encerrado", _("Encerrado")
    REABERTO = "reaberto", _("Reaberto (reanálise)")
    PRAZO_RECALCULADO = "prazo_recalculado", _("Prazo recalculado")
    RECLASSIFICADO = "reclassificado", _("Reclassificado")
    ATRIBUIDO = "atribuido", _("Atribuído")


class ImmutableError(Exception):
    pass


class ProtocolEvent(models.Model):
    """One thing that happened to a protocol. Written only by
    protocols.timeline.record_event; never updated or deleted."""

    uuid = models.UUIDField(_("identificador"), default=uuid.uuid4, unique=True, editable=False)
    protocol = models.ForeignKey(Protocol, on_delete=models.PROTECT, related_name="events")
    seq = models.PositiveIntegerField(_("ordem"))
    at = models.DateTimeField(_("quando"), default=timezone.now)
    kind = models.CharField(_("o quê"), max_length=20, choices=EventKind.choices)
    from_status = models.CharField(_("situação anterior"), max_length=12, blank=True)
    to_status = models.CharField(_("situação nova"), max_length=12)
    public = models.BooleanField(
        _("público"),
        default=True,
        help_text=_(
            "Público: vai ao solicitante e à origem. Interno: fica na Unimed que escreveu."
        ),
    )
    message = models.TextField(_("mensagem"), blank=True)
    payload = models.JSONField(_("dados"), default=dict, blank=True)
    channel = models.CharField(_("canal"), max_length=12, choices=Channel.choices, blank=True)
    actor_label = models.CharField(_("quem"), max_length=150)
    actor_kind = models.CharField(_("tipo de ator"), max_length=10)
    actor_user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    actor_service_account = models.ForeignKey(
        "unimeds.ServiceAccount", on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    actor_unimed = models.ForeignKey(
        "unimeds.Unimed",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        help_text=_("Unimed em nome da qual o evento foi registrado"),
    )

    class Meta:
        verbose_name = _("evento do protocolo")
        verbose_name_plural = _("eventos do protocolo")
        ordering = ["protocol_id", "seq"]
        constraints = [
            models.UniqueConstraint(fields=["protocol", "seq"], name="uniq_protocol_event_seq")
        ]
        indexes = [models.Index(fields=["actor_unimed", "-at"], name="protocol_event_unimed_idx")]

    def __str__(self) -> str:
        return f"{self.protocol_id}#{self.seq} {self.kind}"

    def save(self, *args, **kwargs):
        if self.pk is not None:
            raise ImmutableError("Eventos do protocolo não podem ser alterados.")
        super().save(*args, **kwargs)

    def delete(self, *args, **kwargs):
        raise ImmutableError("Eventos do protocolo não podem ser apagados.")


def attachment_path(instance: "Attachment", filename: str) -> str:
    # Never the user's file name on disk: it may carry personal data or path tricks.
    suffix = filename.rsplit(".", 1)[-1].lower() if "." in filename else "bin"
    return f"protocolos/{timezone.now():%Y/%m}/{uuid.uuid4().hex}.{suffix}"


class Attachment(models.Model):
    event = models.ForeignKey(ProtocolEvent, on_delete=models.PROTECT, related_name="attachments")
    file = models.FileField(_("arquivo"), upload_to=attachment_path, max_length=200)
    original_name = models.CharField(_("nome original"), max_length=200)
    content_type = models.CharField(_("tipo"), max_length=100)
    size = models.PositiveIntegerField(_("tamanho (bytes)"))
    sha256 = models.CharField(max_length=64)
    uploaded_at = models.DateTimeField(default=timezone.now)

    class Meta:
        verbose_name = _("anexo")
        verbose_name_plural = _("anexos")
        ordering = ["id"]

    def __str__(self) -> str:
        return self.original_name
