"""Retention: clients who asked to cancel or pay late become cases, worked by the
Unimed's rules (régua de retenção)."""

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class ClientType(models.TextChoices):
    PF = "pf", _("Pessoa física")
    PJ = "pj", _("Pessoa jurídica")


class CaseOrigin(models.TextChoices):
    PROTOCOLO = "protocolo", _("Pedido de cancelamento/exclusão (protocolo)")
    INADIMPLENCIA = "inadimplencia", _("Fatura em atraso (importação)")
    MANUAL = "manual", _("Aberto à mão")


class CaseQueue(models.TextChoices):
    INADIMPLENTES = "inadimplentes", _("Inadimplentes")
    ADIMPLENTES = "adimplentes", _("Adimplentes")


class CaseStatus(models.TextChoices):
    ABERTO = "aberto", _("Aberto")
    EM_CONTATO = "em_contato", _("Em contato")
    PROPOSTA = "proposta", _("Proposta de retenção")
    RETIDO = "retido", _("Retido")
    CANCELADO = "cancelado", _("Cancelado")
    SEM_CONTATO = "sem_contato", _("Sem contato")


# The case's machine: retencao.services.cases._transition is the only place that
# assigns RetentionCase.status.
CASE_TRANSITIONS: dict[str, frozenset[str]] = {
    CaseStatus.ABERTO: frozenset(
        {CaseStatus.EM_CONTATO, CaseStatus.CANCELADO, CaseStatus.SEM_CONTATO}
    ),
    CaseStatus.EM_CONTATO: frozenset(
        {CaseStatus.PROPOSTA, CaseStatus.CANCELADO, CaseStatus.SEM_CONTATO}
    ),
    CaseStatus.PROPOSTA: frozenset(
        {CaseStatus.RETIDO, CaseStatus.CANCELADO, CaseStatus.EM_CONTATO}
    ),
    CaseStatus.RETIDO: frozenset(),
    CaseStatus.CANCELADO: frozenset(),
    CaseStatus.SEM_CONTATO: frozenset(),
}
CLOSED_STATUSES = frozenset({CaseStatus.RETIDO, CaseStatus.CANCELADO, CaseStatus.SEM_CONTATO})
# Reaching these needs the outcome reason; PROPOSTA needs the offer.
REASON_REQUIRED = frozenset({CaseStatus.CANCELADO, CaseStatus.SEM_CONTATO})


class OfferType(models.TextChoices):
    DESCONTO = "desconto", _("Desconto")
    TROCA_PRODUTO = "troca_produto", _("Troca de produto")
    PARCELAMENTO = "parcelamento", _("Parcelamento")
    OUTRO = "outro", _("Outro")


PERCENT = [MinValueValidator(0), MaxValueValidator(9999)]


class RetentionRule(models.Model):
    """One version of a rule of the régua. Rows are never edited: a change writes the
    next version (same `key`) and marks this one superseded, so a case keeps pointing
    at the version it was opened under. Empty bounds match anything; a bound set on an
    indicator the client lacks does not match."""

    unimed = models.ForeignKey(
        "unimeds.Unimed", on_delete=models.PROTECT, related_name="retention_rules"
    )
    key = models.PositiveIntegerField(_("regra"), help_text=_("Mesmo número em todas as versões"))
    version = models.PositiveIntegerField(_("versão"), default=1)
    name = models.CharField(_("nome"), max_length=80)
    priority = models.PositiveSmallIntegerField(
        _("prioridade"),
        default=1,
        validators=[MinValueValidator(1), MaxValueValidator(99)],
        help_text=_("1 é a mais alta: a primeira regra que atende o cliente decide."),
    )
    client_type = models.CharField(
        _("tipo de cliente"), max_length=2, choices=ClientType.choices, blank=True
    )
    loss_ratio_min = models.DecimalField(
        _("sinistralidade mínima (%)"),
        max_digits=6,
        decimal_places=2,
        null=True,
        blank=True,
        validators=PERCENT,
    )
    loss_ratio_max = models.DecimalField(
        _("sinistralidade máxima (%)"),
        max_digits=6,
        decimal_places=2,
        null=True,
        blank=True,
        validators=PERCENT,
    )
    days_late_min = models.PositiveIntegerField(_("dias em atraso (mín.)"), null=True, blank=True)
    days_late_max = models.PositiveIntegerField(_("dias em atraso (máx.)"), null=True, blank=True)
    lives_min = models.PositiveIntegerField(_("vidas (mín.)"), null=True, blank=True)
    lives_max = models.PositiveIntegerField(_("vidas (máx.)"), null=True, blank=True)
    age_bands = models.JSONField(
        _("faixas etárias"),
        default=list,
        blank=True,
        help_text=_("Vazio: qualquer faixa. Senão, o cliente precisa ter vidas numa delas."),
    )
    is_active = models.BooleanField(_("ativa"), default=True)
    created_by = models.CharField(_("criada por"), max_length=150)
    created_at = models.DateTimeField(_("criada em"), default=timezone.now)
    superseded_at = models.DateTimeField(_("substituída em"), null=True, blank=True)

    class Meta:
        verbose_name = _("regra de retenção")
        verbose_name_plural = _("regras de retenção")
        ordering = ["priority", "key", "-version"]
        constraints = [
            models.UniqueConstraint(
                fields=["unimed", "key", "version"], name="uniq_retention_rule_version"
            ),
            models.UniqueConstraint(
                fields=["unimed", "key"],
                condition=Q(superseded_at__isnull=True),
                name="uniq_retention_rule_current",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.name} (v{self.version})"


class RetentionSettings(models.Model):
    """Per-Unimed retention settings the gestor edits."""

    unimed = models.OneToOneField(
        "unimeds.Unimed", on_delete=models.CASCADE, related_name="retention_settings"
    )
    first_contact_days = models.PositiveSmallIntegerField(
        _("prazo do primeiro contato (dias úteis)"),
        default=2,
        validators=[MinValueValidator(0), MaxValueValidator(30)],
    )
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("configuração de retenção")
        verbose_name_plural = _("configurações de retenção")

    def __str__(self) -> str:
        return f"{self.unimed.code}: {self.first_contact_days} dias úteis"


class ContractIndicators(models.Model):
    """The latest indicators of a client's contract, loaded from the Unimed's system
    (CSV or API). A case copies them at opening."""

    unimed = models.ForeignKey(
        "unimeds.Unimed", on_delete=models.PROTECT, related_name="contract_indicators"
    )
    contract_number = models.CharField(_("número do contrato"), max_length=40)
    document_kind = models.CharField(_("tipo de documento"), max_length=4)
    document = models.CharField(_("CPF/CNPJ"), max_length=14, db_index=True)
    name = models.CharField(_("nome"), max_length=150, blank=True)
    lives = models.PositiveIntegerField(_("vidas"), null=True, blank=True)
    age_bands = models.JSONField(_("faixas etárias"), default=list, blank=True)
    loss_ratio = models.DecimalField(
        _("sinistralidade (%)"),
        max_digits=6,
        decimal_places=2,
        null=True,
        blank=True,
        validators=PERCENT,
    )
    months_of_contract = models.PositiveIntegerField(_("meses de contrato"), null=True, blank=True)
    monthly_value = models.DecimalField(
        _("mensalidade (R$)"), max_digits=12, decimal_places=2, null=True, blank=True
    )
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("indicadores do contrato")
        verbose_name_plural = _("indicadores dos contratos")
        constraints = [
            models.UniqueConstraint(
                fields=["unimed", "contract_number"], name="uniq_indicators_contract"
            )
        ]

    def __str__(self) -> str:
        return f"{self.unimed_id}/{self.contract_number}"


class RetentionCase(models.Model):
    unimed = models.ForeignKey(
        "unimeds.Unimed", on_delete=models.PROTECT, related_name="retention_cases"
    )
    document_kind = models.CharField(_("tipo de documento"), max_length=4)
    document = models.CharField(_("CPF/CNPJ"), max_length=14, db_index=True)
    contract_number = models.CharField(_("número do contrato"), max_length=40, blank=True)
    name = models.CharField(_("nome"), max_length=150)
    client_type = models.CharField(_("tipo de cliente"), max_length=2, choices=ClientType.choices)
    origin = models.CharField(_("origem"), max_length=14, choices=CaseOrigin.choices)
    queue = models.CharField(_("fila"), max_length=14, choices=CaseQueue.choices, db_index=True)
    protocol = models.ForeignKey(
        "protocols.Protocol",
        verbose_name=_("protocolo"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="retention_cases",
    )
    rule = models.ForeignKey(
        RetentionRule,
        verbose_name=_("regra (versão)"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="cases",
        help_text=_("A versão da regra sob a qual o caso foi aberto (vazio: aberto à mão)."),
    )
    priority = models.PositiveSmallIntegerField(_("prioridade"), default=99)
    # Indicators at opening (personal data: masked in exports).
    lives = models.PositiveIntegerField(_("vidas"), null=True, blank=True)
    age_bands = models.JSONField(_("faixas etárias"), default=list, blank=True)
    loss_ratio = models.DecimalField(
        _("sinistralidade (%)"), max_digits=6, decimal_places=2, null=True, blank=True
    )
    days_late = models.PositiveIntegerField(_("dias em atraso"), default=0)
    months_of_contract = models.PositiveIntegerField(_("meses de contrato"), null=True, blank=True)
    monthly_value = models.DecimalField(
        _("receita mensal em risco (R$)"), max_digits=12, decimal_places=2, default=0
    )
    owner = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("responsável"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="retention_cases_owned",
    )
    status = models.CharField(
        _("situação"),
        max_length=12,
        choices=CaseStatus.choices,
        default=CaseStatus.ABERTO,
        db_index=True,
    )
    outcome_reason = models.CharField(_("motivo do desfecho"), max_length=300, blank=True)
    offer_type = models.CharField(
        _("tipo de oferta"), max_length=14, choices=OfferType.choices, blank=True
    )
    offer_text = models.CharField(_("oferta feita"), max_length=500, blank=True)
    first_contact_due = models.DateField(_("prazo do primeiro contato"))
    first_contact_at = models.DateTimeField(_("primeiro contato em"), null=True, blank=True)
    opened_at = models.DateTimeField(_("aberto em"), default=timezone.now, db_index=True)
    closed_at = models.DateTimeField(_("encerrado em"), null=True, blank=True)
    updated_at = models.DateTimeField(_("atualizado em"), auto_now=True)

    class Meta:
        verbose_name = _("caso de retenção")
        verbose_name_plural = _("casos de retenção")
        ordering = ["priority", "first_contact_due", "id"]
        constraints = [
            # One open case per client and Unimed, also under concurrent feeds.
            models.UniqueConstraint(
                fields=["unimed", "document"],
                condition=~Q(status__in=["retido", "cancelado", "sem_contato"]),
                name="uniq_open_retention_case",
            ),
        ]
        indexes = [models.Index(fields=["unimed", "queue", "status", "priority"])]

    def __str__(self) -> str:
        return f"Caso #{self.pk} {self.name}"

    @property
    def is_open(self) -> bool:
        return self.status not in CLOSED_STATUSES

    @property
    def next_statuses(self) -> list[str]:
        return sorted(CASE_TRANSITIONS[self.status], key=CaseStatus.values.index)


class CaseEventKind(models.TextChoices):
    ABERTO = "aberto", _("Caso aberto")
    ATRIBUIDO = "atribuido", _("Atribuído")
    REATRIBUIDO = "reatribuido", _("Reatribuído")
    SEM_RESPONSAVEL = "sem_responsavel", _("Sem responsável disponível")
    CONTATO = "contato", _("Contato registrado")
    ETAPA = "etapa", _("Mudança de situação")
    NOVA_FATURA = "nova_fatura", _("Nova fatura em atraso")
    NOVO_PEDIDO = "novo_pedido", _("Novo pedido de cancelamento")
    PROTOCOLO_RESPONDIDO = "protocolo_resp", _("Protocolo respondido")


class ImmutableError(Exception):
    pass


class CaseEvent(models.Model):
    """The case's timeline: written once, never changed or deleted."""

    case = models.ForeignKey(RetentionCase, on_delete=models.PROTECT, related_name="events")
    at = models.DateTimeField(_("quando"), default=timezone.now)
    kind = models.CharField(_("tipo"), max_length=16, choices=CaseEventKind.choices)
    actor = models.CharField(_("quem"), max_length=150)
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    from_status = models.CharField(max_length=12, choices=CaseStatus.choices, blank=True)
    to_status = models.CharField(max_length=12, choices=CaseStatus.choices, blank=True)
    note = models.TextField(_("descrição"), blank=True)
    data = models.JSONField(default=dict, blank=True)

    class Meta:
        verbose_name = _("evento do caso")
        verbose_name_plural = _("eventos do caso")
        ordering = ["at", "id"]

    def __str__(self) -> str:
        return f"{self.case_id} {self.kind}"

    def save(self, *args, **kwargs):
        if self.pk is not None:
            raise ImmutableError("Eventos do caso de retenção não podem ser alterados.")
        super().save(*args, **kwargs)

    def delete(self, *args, **kwargs):
        raise ImmutableError("Eventos do caso de retenção não podem ser apagados.")


class OverdueBill(models.Model):
    """A bill reported overdue (CSV or API), keyed by its number: importing it again
    changes nothing."""

    unimed = models.ForeignKey("unimeds.Unimed", on_delete=models.PROTECT, related_name="+")
    bill_number = models.CharField(_("fatura"), max_length=40)
    document_kind = models.CharField(_("tipo de documento"), max_length=4)
    document = models.CharField(_("CPF/CNPJ"), max_length=14, db_index=True)
    contract_number = models.CharField(_("número do contrato"), max_length=40)
    due_date = models.DateField(_("vencimento"))
    amount = models.DecimalField(_("valor (R$)"), max_digits=12, decimal_places=2)
    days_late = models.PositiveIntegerField(_("dias em atraso"))
    case = models.ForeignKey(
        RetentionCase, on_delete=models.SET_NULL, null=True, blank=True, related_name="bills"
    )
    imported_at = models.DateTimeField(_("importada em"), default=timezone.now)

    class Meta:
        verbose_name = _("fatura em atraso")
        verbose_name_plural = _("faturas em atraso")
        constraints = [
            models.UniqueConstraint(fields=["unimed", "bill_number"], name="uniq_overdue_bill")
        ]

    def __str__(self) -> str:
        return f"{self.unimed_id}/{self.bill_number}"


class OutOfRule(models.Model):
    """ "Fora da régua": a client a feed brought who matched no rule, and why."""

    unimed = models.ForeignKey("unimeds.Unimed", on_delete=models.PROTECT, related_name="+")
    origin = models.CharField(_("origem"), max_length=14, choices=CaseOrigin.choices)
    document_kind = models.CharField(_("tipo de documento"), max_length=4, blank=True)
    document = models.CharField(_("CPF/CNPJ"), max_length=14, blank=True, db_index=True)
    contract_number = models.CharField(_("número do contrato"), max_length=40, blank=True)
    name = models.CharField(_("nome"), max_length=150, blank=True)
    protocol = models.ForeignKey(
        "protocols.Protocol",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="retention_out_of_rule",
    )
    bill = models.ForeignKey(OverdueBill, on_delete=models.SET_NULL, null=True, blank=True)
    reason = models.CharField(_("motivo"), max_length=500)
    indicators = models.JSONField(_("indicadores"), default=dict, blank=True)
    at = models.DateTimeField(_("quando"), default=timezone.now, db_index=True)

    class Meta:
        verbose_name = _("cliente fora da régua")
        verbose_name_plural = _("clientes fora da régua")
        ordering = ["-at", "-id"]

    def __str__(self) -> str:
        return f"{self.unimed_id} {self.document}: {self.reason}"
