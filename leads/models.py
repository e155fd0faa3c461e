"""Plan-sale leads, their timeline, the active-contract registry and market reservations."""

from datetime import timedelta

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class DocumentKind(models.TextChoices):
    CPF = "cpf", _("CPF (pessoa)")
    CNPJ = "cnpj", _("CNPJ (empresa)")


class LeadStatus(models.TextChoices):
    NOVO = "novo", _("Novo")
    EM_CONTATO = "em_contato", _("Em contato")
    COTACAO = "cotacao", _("Cotação")
    PROPOSTA = "proposta", _("Proposta")
    GANHO = "ganho", _("Ganho")
    PERDIDO = "perdido", _("Perdido")


# The pipeline as data: lead_transition() is the only place that assigns Lead.status.
LEAD_TRANSITIONS: dict[str, frozenset[str]] = {
    LeadStatus.NOVO: frozenset({LeadStatus.EM_CONTATO, LeadStatus.PERDIDO}),
    LeadStatus.EM_CONTATO: frozenset({LeadStatus.COTACAO, LeadStatus.PERDIDO}),
    LeadStatus.COTACAO: frozenset({LeadStatus.PROPOSTA, LeadStatus.EM_CONTATO, LeadStatus.PERDIDO}),
    LeadStatus.PROPOSTA: frozenset({LeadStatus.GANHO, LeadStatus.COTACAO, LeadStatus.PERDIDO}),
    LeadStatus.GANHO: frozenset(),
    LeadStatus.PERDIDO: frozenset(),
}
CLOSED_STATUSES = frozenset({LeadStatus.GANHO, LeadStatus.PERDIDO})
# Working a client this far needs the market: another Unimed's reservation blocks it.
RESERVATION_GUARDED_STATUSES = frozenset(
    {LeadStatus.COTACAO, LeadStatus.PROPOSTA, LeadStatus.GANHO}
)


class LeadSource(models.TextChoices):
    PORTAL = "portal", _("Portal")
    VENDEDOR = "vendedor", _("Prospecção do vendedor")
    INTEGRACAO = "integracao", _("Integração (Unimed)")


class LeadTeam(models.TextChoices):
    VENDAS = "vendas", _("Vendas")
    RELACIONAMENTO = "relacionamento", _("Relacionamento (já é cliente)")


class PlanType(models.TextChoices):
    INDIVIDUAL = "individual", _("Individual/familiar")
    EMPRESARIAL = "empresarial", _("Coletivo empresarial")
    ADESAO = "adesao", _("Coletivo por adesão")


# ANS age bands (RN 63/2003), the ones price tables use.
AGE_BANDS = ("0-18", "19-23", "24-28", "29-33", "34-38", "39-43", "44-48", "49-53", "54-58", "59+")


class Lead(models.Model):
    unimed = models.ForeignKey(
        "unimeds.Unimed",
        verbose_name=_("Unimed"),
        on_delete=models.PROTECT,
        related_name="leads",
        help_text=_("A Unimed cuja área contém o município do interessado"),
    )
    origin_unimed = models.ForeignKey(
        "unimeds.Unimed",
        verbose_name=_("Unimed de origem"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        help_text=_("Unimed integrada que enviou a demanda, quando veio pela API"),
    )
    document_kind = models.CharField(
        _("tipo de documento"), max_length=4, choices=DocumentKind.choices
    )
    document = models.CharField(_("CPF/CNPJ"), max_length=14, db_index=True)
    name = models.CharField(_("nome do contato"), max_length=120)
    company_name = models.CharField(_("razão social"), max_length=150, blank=True)
    email = models.EmailField(_("e-mail"), max_length=120, blank=True)
    phone = models.CharField(_("telefone"), max_length=13, blank=True)
    municipality = models.ForeignKey(
        "unimeds.Municipality",
        verbose_name=_("município"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    lives = models.PositiveIntegerField(_("vidas"), null=True, blank=True)
    age_bands = models.JSONField(_("faixas etárias"), default=list, blank=True)
    plan_type = models.CharField(
        _("tipo de plano"), max_length=12, choices=PlanType.choices, blank=True
    )
    current_plan = models.CharField(_("plano atual"), max_length=120, blank=True)
    source = models.CharField(_("origem"), max_length=12, choices=LeadSource.choices)
    protocol = models.ForeignKey(
        "protocols.Protocol",
        verbose_name=_("protocolo"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="leads",
        help_text=_("O protocolo com que a demanda chegou (portal, integração)"),
    )
    status = models.CharField(
        _("situação"),
        max_length=12,
        choices=LeadStatus.choices,
        default=LeadStatus.NOVO,
        db_index=True,
    )
    lost_reason = models.CharField(_("motivo da perda"), max_length=300, blank=True)
    team = models.CharField(
        _("equipe"), max_length=16, choices=LeadTeam.choices, default=LeadTeam.VENDAS
    )
    is_existing_client = models.BooleanField(_("já é cliente"), default=False)
    owner = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("responsável"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="leads_owned",
    )
    first_contact_due = models.DateField(_("prazo do primeiro contato"))
    first_contact_at = models.DateTimeField(_("primeiro contato em"), null=True, blank=True)
    closed_at = models.DateTimeField(_("encerrado em"), null=True, blank=True)
    created_at = models.DateTimeField(_("criado em"), default=timezone.now, db_index=True)
    updated_at = models.DateTimeField(_("atualizado em"), auto_now=True)

    class Meta:
        verbose_name = _("lead")
        verbose_name_plural = _("leads")
        ordering = ["-created_at", "-id"]
        constraints = [
            # De-duplication as a database guarantee: two simultaneous demands for one
            # document never open two leads in the same Unimed.
            models.UniqueConstraint(
                fields=["unimed", "document"],
                condition=~Q(status__in=["ganho", "perdido"]),
                name="uniq_open_lead_per_document_unimed",
            ),
        ]
        indexes = [models.Index(fields=["unimed", "status", "-created_at"])]

    def __str__(self) -> str:
        return f"Lead #{self.pk} {self.display_name}"

    @property
    def display_name(self) -> str:
        return self.company_name or self.name

    @property
    def phone_display(self) -> str:
        """(11) 98888-7777 / (11) 3333-4444; stored as digits."""
        p = self.phone
        if len(p) in (10, 11):
            return f"({p[:2]}) {p[2:-4]}-{p[-4:]}"
        return p

    @property
    def is_open(self) -> bool:
        return self.status not in CLOSED_STATUSES

    @property
    def next_statuses(self) -> list[str]:
        return sorted(LEAD_TRANSITIONS[self.status], key=LeadStatus.values.index)


class LeadEventKind(models.TextChoices):
    CRIADO = "criado", _("Lead criado")
    NOVA_DEMANDA = "nova_demanda", _("Nova demanda")
    JA_E_CLIENTE = "ja_e_cliente", _("Já é cliente")
    ATRIBUIDO = "atribuido", _("Atribuído")
    REATRIBUIDO = "reatribuido", _("Reatribuído")
    SEM_VENDEDOR = "sem_vendedor", _("Sem vendedor disponível")
    CONTATO = "contato", _("Contato registrado")
    ETAPA = "etapa", _("Mudança de etapa")
    RESERVA = "reserva", _("Reserva de mercado")


class LeadEvent(models.Model):
    """The lead's timeline; also what the panel shows as history."""

    lead = models.ForeignKey(Lead, on_delete=models.CASCADE, related_name="events")
    at = models.DateTimeField(_("quando"), default=timezone.now)
    kind = models.CharField(_("tipo"), max_length=16, choices=LeadEventKind.choices)
    actor = models.CharField(_("quem"), max_length=150)
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    from_status = models.CharField(max_length=12, choices=LeadStatus.choices, blank=True)
    to_status = models.CharField(max_length=12, choices=LeadStatus.choices, blank=True)
    note = models.TextField(_("descrição"), blank=True)
    data = models.JSONField(default=dict, blank=True)

    class Meta:
        verbose_name = _("evento do lead")
        verbose_name_plural = _("eventos do lead")
        ordering = ["at", "id"]

    def __str__(self) -> str:
        return f"{self.lead_id} {self.kind} {self.at:%d/%m/%Y %H:%M}"


class AssignmentRule(models.TextChoices):
    ROUND_ROBIN = "round_robin", _("Rodízio (um de cada vez)")
    FEWEST_OPEN = "fewest_open", _("Quem tem menos leads abertos")


class LeadSettings(models.Model):
    """Per-Unimed lead settings the gestor edits in the panel."""

    unimed = models.OneToOneField(
        "unimeds.Unimed", on_delete=models.CASCADE, related_name="lead_settings"
    )
    assignment_rule = models.CharField(
        _("regra de distribuição"),
        max_length=12,
        choices=AssignmentRule.choices,
        default=AssignmentRule.ROUND_ROBIN,
    )
    # Round-robin cursor: the next seller is the first one after this user id.
    last_assigned = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("configuração de leads")
        verbose_name_plural = _("configurações de leads")

    def __str__(self) -> str:
        return f"{self.unimed.code}: {self.get_assignment_rule_display()}"


class ActiveContract(models.Model):
    """A Unimed's contract with a client (CPF/CNPJ), loaded from its management system."""

    unimed = models.ForeignKey("unimeds.Unimed", on_delete=models.PROTECT, related_name="contracts")
    document_kind = models.CharField(
        _("tipo de documento"), max_length=4, choices=DocumentKind.choices
    )
    document = models.CharField(_("CPF/CNPJ"), max_length=14, db_index=True)
    contract_number = models.CharField(_("número do contrato"), max_length=40)
    since = models.DateField(_("vigente desde"), null=True, blank=True)
    active = models.BooleanField(_("ativo"), default=True)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("contrato ativo")
        verbose_name_plural = _("contratos ativos")
        ordering = ["unimed__code", "contract_number"]
        constraints = [
            models.UniqueConstraint(
                fields=["unimed", "contract_number"], name="uniq_contract_number_per_unimed"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.unimed.code}/{self.contract_number}"


class ReservationStatus(models.TextChoices):
    ACTIVE = "ativa", _("Ativa")
    RELEASED = "liberada", _("Liberada")
    EXPIRED = "expirada", _("Expirada")


# The reservation's machine: leads.services.reservations.reservation_transition is the
# only place that changes MarketReservation.status (a renewal keeps it active).
RESERVATION_TRANSITIONS: dict[str, frozenset[str]] = {
    ReservationStatus.ACTIVE: frozenset({ReservationStatus.RELEASED, ReservationStatus.EXPIRED}),
    ReservationStatus.RELEASED: frozenset(),
    ReservationStatus.EXPIRED: frozenset(),
}


class MarketReservation(models.Model):
    """Reserva de mercado: one seller's exclusive, time-limited right to work a client."""

    document_kind = models.CharField(
        _("tipo de documento"), max_length=4, choices=DocumentKind.choices
    )
    document = models.CharField(_("CPF/CNPJ"), max_length=14, db_index=True)
    unimed = models.ForeignKey(
        "unimeds.Unimed", on_delete=models.PROTECT, related_name="reservations"
    )
    seller = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("vendedor"),
        on_delete=models.PROTECT,
        related_name="market_reservations",
    )
    lead = models.ForeignKey(
        Lead, on_delete=models.SET_NULL, null=True, blank=True, related_name="reservations"
    )
    starts_at = models.DateTimeField(_("início"), default=timezone.now)
    expires_at = models.DateTimeField(_("expira em"), db_index=True)
    renewals = models.PositiveSmallIntegerField(_("renovações"), default=0)
    status = models.CharField(
        _("situação"),
        max_length=10,
        choices=ReservationStatus.choices,
        default=ReservationStatus.ACTIVE,
        db_index=True,
    )
    ended_at = models.DateTimeField(_("encerrada em"), null=True, blank=True)

    class Meta:
        verbose_name = _("reserva de mercado")
        verbose_name_plural = _("reservas de mercado")
        ordering = ["-starts_at", "-id"]
        constraints = [
            # The whole point of a reservation: at most one active per client in the
            # network, guaranteed by the database under concurrent attempts.
            models.UniqueConstraint(
                fields=["document"],
                condition=Q(status="ativa"),
                name="uniq_active_reservation_per_document",
            ),
        ]

    def __str__(self) -> str:
        return f"Reserva {self.document} ({self.unimed.code}) até {timezone.localtime(self.expires_at):%d/%m/%Y}"

    @property
    def renewals_left(self) -> int:
        return max(settings.GPU_MARKET_RESERVATION_MAX_RENEWALS - self.renewals, 0)

    @property
    def renewable_from(self):
        """From when a renewal moves the expiry: its last GPU_MARKET_RESERVATION_RENEW_WINDOW_DAYS."""
        return self.expires_at - timedelta(days=settings.GPU_MARKET_RESERVATION_RENEW_WINDOW_DAYS)

    @property
    def renewable_now(self) -> bool:
        return (
            self.status == ReservationStatus.ACTIVE
            and self.renewals_left > 0
            and timezone.now() >= self.renewable_from
        )
