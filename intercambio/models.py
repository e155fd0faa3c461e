"""The intercâmbio registry: which Unimed attends another Unimed's beneficiary.

PTU risk-sharing messages (seed 003) feed it; protocol routing reads it. Only what
routing needs is kept about the person (LGPD): name, birth date and CPF — never the
CNS, address, phones, e-mails, mother's name or the company and plan blocks.
"""

from datetime import date

from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from core.identifiers import validate_card, validate_cpf


class SharingType(models.TextChoices):
    REPASSE = "P", _("Pré-pagamento (repasse)")
    CUSTO_OPERACIONAL = "C", _("Pós-pagamento (custo operacional)")


class InboundMessage(models.Model):
    """One accepted PTU message, keyed by (origin, control code) for idempotency.

    The body itself is not kept (it carries personal data); its fingerprint tells a
    repeat from a changed copy, and the first answer is kept to be replayed.
    """

    origin_unimed = models.ForeignKey(
        "unimeds.Unimed",
        verbose_name=_("Unimed de origem"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    control_code = models.CharField(_("código de controle da transação"), max_length=20)
    fingerprint = models.CharField(_("impressão digital do corpo"), max_length=64)
    ptu_version = models.CharField(_("versão PTU"), max_length=3)
    generated_at = models.DateTimeField(_("gerada em (remetente)"))
    received_at = models.DateTimeField(_("recebida em"), default=timezone.now, db_index=True)
    sharing = models.ForeignKey(
        "RiskSharing", on_delete=models.SET_NULL, null=True, blank=True, related_name="messages"
    )
    response_status = models.PositiveSmallIntegerField(_("status da resposta"), default=201)
    response_body = models.JSONField(_("resposta enviada"), default=dict)

    class Meta:
        verbose_name = _("mensagem PTU recebida")
        verbose_name_plural = _("mensagens PTU recebidas")
        ordering = ["-received_at", "-id"]
        constraints = [
            models.UniqueConstraint(
                fields=["origin_unimed", "control_code"], name="uniq_ptu_message_per_origin"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.origin_unimed.code}/{self.control_code}"


class RiskSharing(models.Model):
    """The current risk sharing of one beneficiary card (one row per card)."""

    card = models.CharField(
        _("carteirinha"), max_length=17, unique=True, validators=[validate_card]
    )
    holder_unimed = models.ForeignKey(
        "unimeds.Unimed",
        verbose_name=_("Unimed detentora do contrato"),
        on_delete=models.PROTECT,
        related_name="+",
        help_text=_("A Unimed do prefixo da carteirinha."),
    )
    attending_unimed = models.ForeignKey(
        "unimeds.Unimed",
        verbose_name=_("Unimed de atendimento"),
        on_delete=models.PROTECT,
        related_name="+",
        help_text=_("A Unimed de destino da mensagem PTU."),
    )
    sender_unimed = models.ForeignKey(
        "unimeds.Unimed",
        verbose_name=_("Unimed remetente"),
        on_delete=models.PROTECT,
        related_name="+",
        help_text=_("Quem enviou a última mensagem que alterou o compartilhamento."),
    )
    sharing_type = models.CharField(
        _("tipo de compartilhamento"), max_length=1, choices=SharingType.choices
    )
    starts_on = models.DateField(_("início do compartilhamento"))
    ends_on = models.DateField(_("fim do compartilhamento"), null=True, blank=True)
    last_generated_at = models.DateTimeField(
        _("geração da última mensagem aplicada"),
        null=True,
        blank=True,
        help_text=_(
            "dataGeracao da última mensagem aplicada: uma mais antiga chegando depois não desfaz a mais nova."
        ),
    )

    full_name = models.CharField(_("nome do beneficiário"), max_length=70)
    birth_date = models.DateField(_("data de nascimento"))
    cpf = models.CharField(_("CPF"), max_length=11, blank=True, validators=[validate_cpf])

    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("compartilhamento de risco")
        verbose_name_plural = _("compartilhamentos de risco")
        ordering = ["card"]
        constraints = [
            models.CheckConstraint(
                condition=Q(ends_on__isnull=True) | Q(ends_on__gte=models.F("starts_on")),
                name="risk_sharing_ends_after_start",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.card} {self.sharing_type} {self.holder_unimed.code}→{self.attending_unimed.code}"

    def is_active_on(self, day: date) -> bool:
        return self.starts_on <= day and (self.ends_on is None or day <= self.ends_on)

    @property
    def is_active(self) -> bool:
        return self.is_active_on(timezone.localdate())


class RiskSharingHistory(models.Model):
    """One version of a sharing: written by every message or action that changes it."""

    class Change(models.TextChoices):
        CREATED = "inclusao", _("Inclusão")
        CHANGED = "alteracao", _("Alteração")
        ENDED = "encerramento", _("Encerramento")

    sharing = models.ForeignKey(RiskSharing, on_delete=models.CASCADE, related_name="history")
    change = models.CharField(_("mudança"), max_length=12, choices=Change.choices)
    recorded_at = models.DateTimeField(_("registrada em"), default=timezone.now, db_index=True)
    message = models.ForeignKey(
        InboundMessage, on_delete=models.SET_NULL, null=True, blank=True, related_name="history"
    )
    actor = models.CharField(_("quem"), max_length=150)
    reason = models.CharField(_("motivo"), max_length=300, blank=True)
    changed_fields = models.JSONField(_("campos alterados"), default=list, blank=True)

    holder_unimed = models.ForeignKey("unimeds.Unimed", on_delete=models.PROTECT, related_name="+")
    attending_unimed = models.ForeignKey(
        "unimeds.Unimed", on_delete=models.PROTECT, related_name="+"
    )
    sender_unimed = models.ForeignKey("unimeds.Unimed", on_delete=models.PROTECT, related_name="+")
    sharing_type = models.CharField(max_length=1, choices=SharingType.choices)
    starts_on = models.DateField()
    ends_on = models.DateField(null=True, blank=True)

    class Meta:
        verbose_name = _("histórico de compartilhamento")
        verbose_name_plural = _("históricos de compartilhamento")
        ordering = ["sharing", "recorded_at", "id"]

    def __str__(self) -> str:
        return f"{self.sharing.card} {self.change} {self.recorded_at:%d/%m/%Y %H:%M}"


class ActsFor(models.Model):
    """The registry's word that `agent` sends intercâmbio registrations on behalf of
    `principal` (a federation for its singulares; Unimed do Brasil, with no principal,
    for every Unimed). Kept as data, edited by hub operators: a registration about a card
    changes routing only when its sender is the card's holder or acts for it."""

    agent = models.ForeignKey(
        "unimeds.Unimed",
        verbose_name=_("Unimed que atua"),
        on_delete=models.CASCADE,
        related_name="+",
    )
    principal = models.ForeignKey(
        "unimeds.Unimed",
        verbose_name=_("em nome da Unimed"),
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="+",
        help_text=_("Vazio: em nome de todas as Unimeds (ex.: Unimed do Brasil)."),
    )
    note = models.CharField(
        _("fundamento"),
        max_length=200,
        blank=True,
        help_text=_("Ex.: federação estadual, contrato de representação."),
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("atuação em nome de outra Unimed")
        verbose_name_plural = _("atuações em nome de outras Unimeds")
        constraints = [
            models.UniqueConstraint(fields=["agent", "principal"], name="uniq_acts_for"),
            models.UniqueConstraint(
                fields=["agent"], condition=Q(principal__isnull=True), name="uniq_acts_for_all"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.agent.code} → {self.principal.code if self.principal else 'todas'}"


class PendingRiskSharing(models.Model):
    """A registration by a Unimed that is not the card's holder nor acts for it: kept
    apart, ignored by routing, until the holder confirms (then applied) or rejects it."""

    class Status(models.TextChoices):
        PENDING = "pendente", _("Pendente")
        CONFIRMED = "confirmado", _("Confirmado")
        REJECTED = "recusado", _("Recusado")

    # The holder decides once (intercambio.services.pending_transition changes the status).
    TRANSITIONS = {
        "pendente": frozenset({"confirmado", "recusado"}),
        "confirmado": frozenset(),
        "recusado": frozenset(),
    }

    card = models.CharField(
        _("carteirinha"), max_length=17, validators=[validate_card], db_index=True
    )
    holder_unimed = models.ForeignKey(
        "unimeds.Unimed",
        verbose_name=_("Unimed detentora"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    attending_unimed = models.ForeignKey(
        "unimeds.Unimed",
        verbose_name=_("Unimed de atendimento"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    sender_unimed = models.ForeignKey(
        "unimeds.Unimed",
        verbose_name=_("Unimed remetente"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    message = models.OneToOneField(InboundMessage, on_delete=models.PROTECT, related_name="pending")
    sharing_type = models.CharField(
        _("tipo de compartilhamento"), max_length=1, choices=SharingType.choices
    )
    starts_on = models.DateField(_("início do compartilhamento"))
    full_name = models.CharField(_("nome do beneficiário"), max_length=70)
    birth_date = models.DateField(_("data de nascimento"))
    cpf = models.CharField(_("CPF"), max_length=11, blank=True, validators=[validate_cpf])
    generated_at = models.DateTimeField(_("gerada em (remetente)"))
    status = models.CharField(
        _("situação"), max_length=10, choices=Status.choices, default=Status.PENDING, db_index=True
    )
    decided_by = models.CharField(_("decidido por"), max_length=150, blank=True)
    decided_at = models.DateTimeField(_("decidido em"), null=True, blank=True)
    decision_note = models.CharField(_("observação"), max_length=300, blank=True)
    created_at = models.DateTimeField(_("recebido em"), default=timezone.now)

    class Meta:
        verbose_name = _("compartilhamento pendente de confirmação")
        verbose_name_plural = _("compartilhamentos pendentes de confirmação")
        ordering = ["-created_at", "-id"]
        indexes = [models.Index(fields=["holder_unimed", "status"])]

    def __str__(self) -> str:
        return f"{self.card} {self.sender_unimed.code}→{self.attending_unimed.code} ({self.status})"
