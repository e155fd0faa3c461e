"""Regulator demands: ANS NIP and Ressarcimento ao SUS (PERSUS), their legal deadlines,
immutable timeline, attachments, PERSUS items and the subsídio requests to other Unimeds."""

import uuid

from django.conf import settings
from django.core.validators import MinValueValidator
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from core.identifiers import validate_card
from protocols.models.timeline import StoredFile


class DemandKind(models.TextChoices):
    NIP_ASSISTENCIAL = "nip_assistencial", _("NIP assistencial")
    NIP_NAO_ASSISTENCIAL = "nip_nao_assistencial", _("NIP não assistencial")
    PERSUS_ABI = "persus_abi", _("PERSUS — ABI (ressarcimento ao SUS)")


NIP_KINDS = frozenset({DemandKind.NIP_ASSISTENCIAL, DemandKind.NIP_NAO_ASSISTENCIAL})


class DemandStatus(models.TextChoices):
    RECEBIDA = "recebida", _("Recebida")
    EM_ANALISE = "em_analise", _("Em análise")
    RESPONDIDA = "respondida", _("Respondida")
    IMPUGNADA = "impugnada", _("Impugnada")
    DECIDIDA = "decidida", _("Decidida")
    RECURSO = "recurso", _("Em recurso")
    ENCERRADA = "encerrada", _("Encerrada")


# The only source of truth for status changes; regulatorio.services.demand_act checks it.
# A NIP is answered (respondida), a PERSUS notice contested (impugnada); ANS decides; a
# decision may be appealed (recurso), which ANS decides again.
TRANSITIONS: dict[str, frozenset[str]] = {
    DemandStatus.RECEBIDA: frozenset(
        {
            DemandStatus.EM_ANALISE,
            DemandStatus.RESPONDIDA,
            DemandStatus.IMPUGNADA,
            DemandStatus.ENCERRADA,
        }
    ),
    DemandStatus.EM_ANALISE: frozenset(
        {DemandStatus.RESPONDIDA, DemandStatus.IMPUGNADA, DemandStatus.ENCERRADA}
    ),
    DemandStatus.RESPONDIDA: frozenset({DemandStatus.DECIDIDA, DemandStatus.ENCERRADA}),
    DemandStatus.IMPUGNADA: frozenset({DemandStatus.DECIDIDA, DemandStatus.ENCERRADA}),
    DemandStatus.DECIDIDA: frozenset({DemandStatus.RECURSO, DemandStatus.ENCERRADA}),
    DemandStatus.RECURSO: frozenset({DemandStatus.DECIDIDA, DemandStatus.ENCERRADA}),
    DemandStatus.ENCERRADA: frozenset(),
}
# The legal clock runs: the operator owes ANS an answer, a contestation or an appeal.
CLOCK_STATUSES = frozenset({DemandStatus.RECEBIDA, DemandStatus.EM_ANALISE})


class Outcome(models.TextChoices):
    RVE = "rve", _("RVE — resolvida (reparação voluntária e eficaz)")
    NAO_PROCEDENTE = "nao_procedente", _("Não procedente")
    PROCEDENTE = "procedente", _("Procedente")
    DEFERIDA = "deferida", _("Deferida")
    INDEFERIDA = "indeferida", _("Indeferida")
    PARCIALMENTE_DEFERIDA = "parcialmente_deferida", _("Parcialmente deferida")


NIP_OUTCOMES = frozenset({Outcome.RVE, Outcome.NAO_PROCEDENTE, Outcome.PROCEDENTE})
PERSUS_OUTCOMES = frozenset({Outcome.DEFERIDA, Outcome.INDEFERIDA, Outcome.PARCIALMENTE_DEFERIDA})


class Counting(models.TextChoices):
    BUSINESS = "dias_uteis", _("Dias úteis após a notificação (calendário da ANS)")
    CALENDAR = (
        "dias_corridos",
        _("Dias corridos, sem o dia da notificação, prorrogado ao próximo dia útil"),
    )


class DeadlineRule(models.Model):
    """A legal term as data (seeded by a migration, editable in the admin): a rule change
    is a data change. `key` is a demand kind or a later stage (persus_recurso)."""

    key = models.CharField(_("regra"), max_length=30, unique=True)
    name = models.CharField(_("nome"), max_length=120)
    days = models.PositiveSmallIntegerField(_("dias"), validators=[MinValueValidator(1)])
    counting = models.CharField(_("contagem"), max_length=14, choices=Counting.choices)
    source = models.CharField(_("fonte normativa"), max_length=300)

    class Meta:
        verbose_name = _("prazo regulatório")
        verbose_name_plural = _("prazos regulatórios")
        ordering = ["key"]

    def __str__(self) -> str:
        return f"{self.name}: {self.days} {self.get_counting_display()}"


PERSUS_RECURSO = "persus_recurso"


class Demand(models.Model):
    kind = models.CharField(_("tipo"), max_length=22, choices=DemandKind.choices)
    ans_number = models.CharField(_("número da demanda/processo ANS"), max_length=40)
    received_by = models.ForeignKey(
        "unimeds.Unimed",
        verbose_name=_("Unimed notificada"),
        on_delete=models.PROTECT,
        related_name="regulatory_demands_received",
    )
    responsible_unimed = models.ForeignKey(
        "unimeds.Unimed",
        verbose_name=_("Unimed responsável"),
        on_delete=models.PROTECT,
        related_name="regulatory_demands",
    )
    responsible_reason = models.CharField(_("motivo da Unimed responsável"), max_length=200)
    notified_on = models.DateField(_("data da notificação"))
    card = models.CharField(_("carteirinha"), max_length=17, validators=[validate_card])
    beneficiary_name = models.CharField(_("beneficiário"), max_length=70)
    description = models.TextField(_("descrição"), max_length=4000, blank=True)
    status = models.CharField(
        _("situação"), max_length=12, choices=DemandStatus.choices, default=DemandStatus.RECEBIDA
    )
    deadline_rule = models.CharField(_("regra de prazo"), max_length=30)
    due_date = models.DateField(_("prazo legal"))
    outcome = models.CharField(_("resultado"), max_length=22, choices=Outcome.choices, blank=True)
    decided_on = models.DateField(_("decidida em"), null=True, blank=True)
    answer_text = models.TextField(_("resposta enviada à ANS"), max_length=4000, blank=True)
    answered_at = models.DateTimeField(_("respondida em"), null=True, blank=True)
    owner = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("responsável interno"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="regulatory_demands",
    )
    fingerprint = models.CharField(_("impressão do registro"), max_length=64)
    event_count = models.PositiveIntegerField(default=0)
    created_at = models.DateTimeField(default=timezone.now)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("demanda regulatória")
        verbose_name_plural = _("demandas regulatórias")
        ordering = ["due_date", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["received_by", "ans_number"], name="uniq_demand_ans_number"
            )
        ]
        indexes = [
            models.Index(fields=["responsible_unimed", "status", "due_date"]),
            models.Index(fields=["received_by", "status", "due_date"]),
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} {self.ans_number}"

    @property
    def is_nip(self) -> bool:
        return self.kind in NIP_KINDS

    @property
    def clock_running(self) -> bool:
        """The operator owes ANS something by due_date: an answer, a contestation or,
        after a PERSUS decision, an appeal."""
        if self.status in CLOCK_STATUSES:
            return True
        return (
            self.status == DemandStatus.DECIDIDA
            and not self.is_nip
            and self.deadline_rule == PERSUS_RECURSO
        )

    @property
    def days_left(self) -> int:
        return (self.due_date - timezone.localdate()).days


class DemandEventKind(models.TextChoices):
    RECEBIDA = "recebida", _("Demanda registrada")
    SITUACAO = "situacao", _("Mudança de situação")
    ANEXO = "anexo", _("Anexos")
    NOTA = "nota", _("Nota")
    SUBSIDIO_PEDIDO = "subsidio_pedido", _("Subsídios pedidos")
    ITENS = "itens", _("Itens PERSUS")
    ALERTA = "alerta", _("Alerta de prazo")
    RESPONSAVEL = "responsavel", _("Responsável interno")


class DemandEvent(models.Model):
    """One thing that happened to a demand. Written only by regulatorio.services; never
    updated or deleted."""

    uuid = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    demand = models.ForeignKey(Demand, on_delete=models.PROTECT, related_name="events")
    seq = models.PositiveIntegerField(_("ordem"))
    at = models.DateTimeField(_("quando"), default=timezone.now)
    kind = models.CharField(_("o quê"), max_length=20, choices=DemandEventKind.choices)
    from_status = models.CharField(_("situação anterior"), max_length=12, blank=True)
    to_status = models.CharField(_("situação nova"), max_length=12)
    message = models.TextField(_("mensagem"), blank=True)
    payload = models.JSONField(_("dados"), default=dict, blank=True)
    actor_label = models.CharField(_("quem"), max_length=150)
    actor_unimed = models.ForeignKey(
        "unimeds.Unimed", on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )

    class Meta:
        verbose_name = _("evento da demanda")
        verbose_name_plural = _("eventos da demanda")
        ordering = ["demand_id", "seq"]
        constraints = [
            models.UniqueConstraint(fields=["demand", "seq"], name="uniq_demand_event_seq")
        ]

    def __str__(self) -> str:
        return f"{self.demand_id}#{self.seq} {self.kind}"

    def save(self, *args, **kwargs):
        if self.pk is not None:
            raise ImmutableEventError("Eventos da demanda não podem ser alterados.")
        super().save(*args, **kwargs)

    def delete(self, *args, **kwargs):
        raise ImmutableEventError("Eventos da demanda não podem ser apagados.")


class ImmutableEventError(Exception):
    pass


class DemandAttachment(StoredFile):
    """A petition or evidence file (the protocols' attachment rules)."""

    UPLOAD_DIR = "regulatorio"

    event = models.ForeignKey(DemandEvent, on_delete=models.PROTECT, related_name="attachments")

    class Meta(StoredFile.Meta):
        verbose_name = _("anexo da demanda")
        verbose_name_plural = _("anexos da demanda")


class ItemKind(models.TextChoices):
    AIH = "AIH", _("AIH (internação)")
    APAC = "APAC", _("APAC (alta complexidade ambulatorial)")


class PersusItem(models.Model):
    """One SUS service (AIH or APAC) of an ABI notice, with the amounts at each stage."""

    demand = models.ForeignKey(Demand, on_delete=models.CASCADE, related_name="items")
    item_kind = models.CharField(_("tipo"), max_length=4, choices=ItemKind.choices)
    number = models.CharField(_("número AIH/APAC"), max_length=20)
    card = models.CharField(_("carteirinha"), max_length=17, validators=[validate_card])
    beneficiary_name = models.CharField(_("beneficiário"), max_length=70)
    competence = models.DateField(_("competência"), help_text=_("Primeiro dia do mês"))
    amount_charged = models.DecimalField(_("valor cobrado"), max_digits=12, decimal_places=2)
    amount_contested = models.DecimalField(
        _("valor impugnado"), max_digits=12, decimal_places=2, null=True, blank=True
    )
    amount_decided = models.DecimalField(
        _("valor devido após decisão"), max_digits=12, decimal_places=2, null=True, blank=True
    )

    class Meta:
        verbose_name = _("item PERSUS")
        verbose_name_plural = _("itens PERSUS")
        ordering = ["competence", "number"]
        constraints = [
            models.UniqueConstraint(fields=["demand", "number"], name="uniq_persus_item_number")
        ]

    def __str__(self) -> str:
        return f"{self.item_kind} {self.number}"


class Subsidy(models.Model):
    """A request for information to another Unimed: a regulatory GPU protocol to it."""

    demand = models.ForeignKey(Demand, on_delete=models.PROTECT, related_name="subsidies")
    unimed = models.ForeignKey(
        "unimeds.Unimed", on_delete=models.PROTECT, related_name="regulatory_subsidies"
    )
    protocol = models.OneToOneField(
        "protocols.Protocol", on_delete=models.PROTECT, related_name="regulatory_subsidy"
    )
    internal_due = models.DateField(_("prazo interno"))
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        verbose_name = _("pedido de subsídios")
        verbose_name_plural = _("pedidos de subsídios")
        ordering = ["created_at", "id"]

    def __str__(self) -> str:
        return f"{self.demand_id} → {self.unimed_id}"


class AlertKind(models.TextChoices):
    D2 = "d2", _("Dois dias úteis antes do prazo")
    DUE = "vencimento", _("No dia do prazo")


class DemandAlert(models.Model):
    """An e-mail alert sent (or decided) for one demand, stage and due date: the unique
    row is what keeps an alert from ever being sent twice."""

    demand = models.ForeignKey(Demand, on_delete=models.CASCADE, related_name="alerts")
    kind = models.CharField(max_length=12, choices=AlertKind.choices)
    due_date = models.DateField()
    sent_at = models.DateTimeField(default=timezone.now)
    recipients = models.PositiveSmallIntegerField(default=0)

    class Meta:
        verbose_name = _("alerta de prazo")
        verbose_name_plural = _("alertas de prazo")
        constraints = [
            models.UniqueConstraint(fields=["demand", "kind", "due_date"], name="uniq_demand_alert")
        ]

    def __str__(self) -> str:
        return f"{self.demand_id} {self.kind} {self.due_date}"
