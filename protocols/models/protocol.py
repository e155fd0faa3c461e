"""The protocol (manifestação), its daily number counter and the Unimeds involved in it."""

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator, RegexValidator
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from core.identifiers import (
    UF_CHOICES,
    validate_ans_registry,
    validate_card,
    validate_cpf,
    validate_ibge,
)
from protocols.models.search import NameKey

validate_protocol_number = RegexValidator(r"^\d{20}$", _("O número do protocolo tem 20 dígitos."))


class Channel(models.TextChoices):
    """`tp_cliente` on the wire: where the contact came in."""

    PORTAL = "PORTAL", _("Portal")
    UNIMED = "UNIMED", _("Sistema da Unimed (integração)")
    CONTINGENCIA = "CONTINGENCIA", _("Painel de contingência")
    GUIA_MEDICO = "GUIA_MEDICO", _("Guia Médico")
    WHATSAPP = "WHATSAPP", _("WhatsApp")


class Kind(models.TextChoices):
    BENEFICIARIO = "beneficiario", _("Beneficiário")
    NAO_CLIENTE = "nao_cliente", _("Não cliente")


class AnswerPreference(models.IntegerChoices):
    """`id_resposta` on the wire: how the requester wants the answer."""

    EMAIL = 1, _("E-mail")
    TELEFONE = 2, _("Telefone")
    WHATSAPP = 3, _("WhatsApp / SMS")


class Status(models.TextChoices):
    ABERTO = "aberto", _("Aberto")
    ENCAMINHADO = "encaminhado", _("Encaminhado")
    EM_ANALISE = "em_analise", _("Em análise")
    RESPONDIDO = "respondido", _("Respondido")
    ENCERRADO = "encerrado", _("Encerrado")
    CANCELADO = "cancelado", _("Cancelado")
    REABERTO = "reaberto", _("Reaberto")


# The only source of truth for status changes; protocols.services.lifecycle checks it.
# "Em análise" may repeat (several partial answers) and a forwarded protocol may be
# forwarded again; a cancelled protocol is final, a closed one may be reopened.
TRANSITIONS: dict[str, frozenset[str]] = {
    Status.ABERTO: frozenset(
        {Status.ENCAMINHADO, Status.EM_ANALISE, Status.RESPONDIDO, Status.CANCELADO}
    ),
    Status.ENCAMINHADO: frozenset(
        {Status.ENCAMINHADO, Status.EM_ANALISE, Status.RESPONDIDO, Status.CANCELADO}
    ),
    Status.EM_ANALISE: frozenset(
        {Status.EM_ANALISE, Status.ENCAMINHADO, Status.RESPONDIDO, Status.CANCELADO}
    ),
    Status.REABERTO: frozenset(
        {Status.ENCAMINHADO, Status.EM_ANALISE, Status.RESPONDIDO, Status.CANCELADO}
    ),
    Status.RESPONDIDO: frozenset({Status.ENCERRADO, Status.REABERTO}),
    Status.ENCERRADO: frozenset({Status.REABERTO}),
    Status.CANCELADO: frozenset(),
}
# How an actor relates to a protocol (protocols.selectors.actor_parties).
RESPONSIBLE, ORIGIN, SERVING, PARTY, PORTAL, SYSTEM = (
    "responsible",
    "origin",
    "serving",
    "party",
    "portal",
    "system",
)

# Who may do what and the status it leads to (None: the status stays; the status move
# itself must be in TRANSITIONS). The services (protocols.services.lifecycle) check these
# sets; protocols.selectors.protocol_allowed_actions reads the same table, so the buttons
# a panel or API offers never drift from what is accepted.
ACTION_RULES: dict[str, tuple[frozenset[str], str | None]] = {
    "answer_partial": (frozenset({RESPONSIBLE}), Status.EM_ANALISE),
    "answer": (frozenset({RESPONSIBLE}), Status.RESPONDIDO),
    "note": (frozenset({PARTY}), None),
    "forward": (frozenset({RESPONSIBLE}), Status.ENCAMINHADO),
    "cancel": (frozenset({RESPONSIBLE, ORIGIN}), Status.CANCELADO),
    "close": (frozenset({RESPONSIBLE, ORIGIN, PORTAL}), Status.ENCERRADO),
    "reopen": (frozenset({RESPONSIBLE, ORIGIN, PORTAL}), Status.REABERTO),
    "complement": (frozenset({ORIGIN, SERVING, PORTAL}), None),
    "reclassify": (frozenset({RESPONSIBLE}), None),
    "recompute_deadline": (frozenset({RESPONSIBLE}), None),
    # Who works the case inside the responsible Unimed (protocols.services.assignment):
    # assuming needs the Protocolos module at operar, assigning others at administrar.
    "assume": (frozenset({RESPONSIBLE}), None),
    "assign": (frozenset({RESPONSIBLE}), None),
}
# Waiting for a conclusive answer from the responsible Unimed: the deadline clock runs.
OPEN_STATUSES = frozenset({Status.ABERTO, Status.ENCAMINHADO, Status.EM_ANALISE, Status.REABERTO})
FINAL_STATUSES = frozenset({Status.ENCERRADO, Status.CANCELADO})


class ProtocolSequence(models.Model):
    """Daily counter per number prefix (ANS registry or the non-client prefix).

    Incremented with one INSERT … ON CONFLICT DO UPDATE … RETURNING inside the
    protocol's transaction (protocols.numbering), so the row lock serialises
    concurrent openings and a rollback returns the number.
    """

    prefix = models.CharField(_("prefixo"), max_length=6, validators=[validate_ans_registry])
    day = models.DateField(_("dia (America/Sao_Paulo)"))
    last_value = models.PositiveIntegerField(
        _("último número"), validators=[MaxValueValidator(999999)]
    )

    class Meta:
        verbose_name = _("sequência diária de protocolos")
        verbose_name_plural = _("sequências diárias de protocolos")
        constraints = [
            models.UniqueConstraint(fields=["prefix", "day"], name="uniq_protocol_sequence_day")
        ]

    def __str__(self) -> str:
        return f"{self.prefix} {self.day:%Y%m%d} → {self.last_value:06d}"


class Protocol(models.Model):
    number = models.CharField(
        _("número"), max_length=20, unique=True, validators=[validate_protocol_number]
    )
    externally_numbered = models.BooleanField(
        _("numerado pela Unimed"),
        default=False,
        help_text=_("Número gerado pelo sistema próprio da Unimed de origem, não pelo hub."),
    )
    kind = models.CharField(_("tipo de solicitante"), max_length=12, choices=Kind.choices)
    channel = models.CharField(_("canal"), max_length=12, choices=Channel.choices)
    status = models.CharField(
        _("situação"), max_length=12, choices=Status.choices, default=Status.ABERTO
    )

    origin_unimed = models.ForeignKey(
        "unimeds.Unimed",
        verbose_name=_("Unimed de origem"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="protocols_opened",
        help_text=_("Quem abriu (cd_uni_origem). Vazio: aberto pelo portal do hub."),
    )
    responsible_unimed = models.ForeignKey(
        "unimeds.Unimed",
        verbose_name=_("Unimed responsável"),
        on_delete=models.PROTECT,
        related_name="protocols_responsible",
    )
    responsible_reason = models.CharField(_("motivo da Unimed responsável"), max_length=200)
    serving_unimed = models.ForeignKey(
        "unimeds.Unimed",
        verbose_name=_("Unimed de atendimento"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="protocols_serving",
        help_text=_("cd_uni_atendimento"),
    )

    requester_name = models.CharField(_("nome"), max_length=70)
    # What the inbox search and the sort by name compare (protocols.models.search):
    # computed by the database on every write, whoever writes.
    requester_name_key = models.GeneratedField(
        expression=NameKey("requester_name"),
        output_field=models.CharField(max_length=70),
        db_persist=True,
        verbose_name=_("nome para busca"),
    )
    requester_cpf = models.CharField(_("CPF"), max_length=11, blank=True, validators=[validate_cpf])
    card = models.CharField(_("carteirinha"), max_length=17, blank=True, validators=[validate_card])
    phone_ddd = models.CharField(_("DDD"), max_length=2, blank=True)
    phone = models.CharField(_("telefone"), max_length=9, blank=True)
    email = models.EmailField(_("e-mail"), max_length=70, blank=True)
    uf = models.CharField(_("UF"), max_length=2, choices=UF_CHOICES, blank=True)
    city_code = models.CharField(
        _("município (IBGE)"), max_length=7, blank=True, validators=[validate_ibge]
    )

    manifestation_type = models.ForeignKey(
        "protocols.ManifestationType",
        verbose_name=_("tipo de manifestação"),
        on_delete=models.PROTECT,
    )
    category = models.ForeignKey(
        "protocols.Category", verbose_name=_("categoria"), on_delete=models.PROTECT
    )
    # What the sender's system sent, kept as sent: a code outside the catalog opens the
    # protocol under the fallback type/category (flagged) and the raw code survives here.
    manifestation_code_received = models.CharField(
        _("tipo recebido"),
        max_length=1,
        blank=True,
        help_text=_("tp_manifestacao como enviado"),
    )
    category_code_received = models.PositiveIntegerField(
        _("categoria recebida"),
        null=True,
        blank=True,
        help_text=_("tp_categoria_manifestacao como enviado"),
    )
    subcategory_code = models.PositiveIntegerField(
        _("subcategoria"),
        null=True,
        blank=True,
        help_text=_("tp_sub_categoria"),
    )
    catalog_unmapped = models.BooleanField(
        _("categoria não mapeada"),
        default=False,
        help_text=_(
            "Tipo ou categoria fora do catálogo (ou incompatíveis): prazo pela regra padrão; "
            "o supervisor reclassifica."
        ),
    )
    answer_preference = models.PositiveSmallIntegerField(
        _("resposta por"),
        choices=AnswerPreference.choices,
        validators=[MinValueValidator(1), MaxValueValidator(3)],
    )
    message = models.TextField(_("mensagem"), max_length=4000)

    previous_number = models.CharField(
        _("protocolo anterior"),
        max_length=20,
        blank=True,
        validators=[validate_protocol_number],
        help_text=_("nr_protocolo_anterior (reanálise)"),
    )
    previous = models.ForeignKey(
        "self",
        verbose_name=_("protocolo anterior no hub"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="followups",
    )
    sender_transaction_id = models.CharField(
        _("transação da origem"), max_length=10, blank=True, help_text=_("nr_transacao_prestadora")
    )
    intercambio_transaction_id = models.CharField(
        _("transação de intercâmbio"),
        max_length=10,
        blank=True,
        help_text=_("nr_transacao_intercambio"),
    )

    opened_at = models.DateTimeField(_("aberto em"), default=timezone.now)
    opened_on = models.DateField(
        _("dia da solicitação"), help_text=_("Data local (America/Sao_Paulo)")
    )
    deadline_rule = models.CharField(_("regra de prazo"), max_length=12)
    deadline_days = models.PositiveSmallIntegerField(_("prazo (dias úteis)"))
    deadline_start = models.DateField(_("prazo contado a partir de"))
    due_date = models.DateField(_("prazo"))
    answered_at = models.DateTimeField(_("resposta conclusiva em"), null=True, blank=True)
    closed_at = models.DateTimeField(_("encerrado em"), null=True, blank=True)
    cancelled_at = models.DateTimeField(_("cancelado em"), null=True, blank=True)
    cancel_reason = models.TextField(_("motivo do cancelamento"), blank=True)
    reopen_count = models.PositiveSmallIntegerField(_("reaberturas"), default=0)
    is_regulatory = models.BooleanField(
        _("regulatório"),
        default=False,
        help_text=_(
            "Pedido de subsídios de uma demanda do regulador (NIP, PERSUS): prazo interno, "
            "mostrado primeiro na caixa da Unimed responsável."
        ),
    )
    event_count = models.PositiveIntegerField(_("eventos"), default=0)
    # The person of the responsible Unimed working the case (cleared by a forward).
    owner = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("atribuído a"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        db_index=False,  # protocol_owner_*_idx below lead with it
    )
    # The due date whose D-1 escalation went to the supervisors (the inbox marks the row
    # while it is still the due date; a reopen or recompute moves the date on).
    escalated_due = models.DateField(_("escalado para o prazo"), null=True, blank=True)
    # The due date whose "vencido" e-mail went out (once per protocol and deadline).
    overdue_notified_due = models.DateField(_("aviso de vencido do prazo"), null=True, blank=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("protocolo")
        verbose_name_plural = _("protocolos")
        ordering = ["-opened_at", "-id"]
        indexes = [
            models.Index(
                fields=["responsible_unimed", "status", "due_date"], name="protocol_inbox_idx"
            ),
            # The sent tab newest first; with the responsible Unimed at hand, the inbox's
            # origin filter counts without reading the table.
            models.Index(
                fields=["origin_unimed", "-opened_at", "-id"],
                include=["responsible_unimed"],
                name="protocol_origin_idx",
            ),
            models.Index(fields=["serving_unimed", "-opened_at"], name="protocol_serving_idx"),
            # The CPF search: the requester's protocols at the responsible Unimed, newest
            # first, as one index range in the page's order (0015). The bare (requester_cpf)
            # index it replaced made a prepared statement's generic plan AND the CPF's
            # few hundred rows with the bitmap of every protocol of a large Unimed.
            models.Index(
                fields=["requester_cpf", "responsible_unimed", "-opened_at", "-id"],
                name="protocol_cpf_resp_idx",
            ),
            models.Index(fields=["card"], name="protocol_card_idx"),
            models.Index(fields=["status", "due_date"], name="protocol_due_idx"),
            # Contingency panel (docs/panel.md): the received tab newest first, the period
            # filter and per-day chart, and the open protocols by deadline (due soon,
            # overdue, due today) without walking the answered ones. INCLUDE (PostgreSQL;
            # ignored elsewhere): the name search, the period and the type/category filters
            # are checked in the index, so the capped count never reads the table.
            models.Index(
                fields=["responsible_unimed", "-opened_at", "-id"],
                include=["requester_name_key", "opened_on", "manifestation_type", "category"],
                name="protocol_resp_opened_idx",
            ),
            models.Index(fields=["responsible_unimed", "opened_on"], name="protocol_resp_day_idx"),
            models.Index(
                fields=["responsible_unimed", "due_date", "id"],
                name="protocol_resp_open_due_idx",
                condition=models.Q(status__in=["aberto", "encaminhado", "em_analise", "reaberto"]),
            ),
            # The inbox columns sortable over everything received: deadline and requester.
            models.Index(
                fields=["responsible_unimed", "due_date", "id"], name="protocol_resp_due_sort_idx"
            ),
            models.Index(
                fields=["responsible_unimed", "requester_name_key", "id"],
                name="protocol_resp_namekey_idx",
            ),
            # Name search "starts with" (LIKE 'maria da%'; the pattern opclass is PostgreSQL's
            # and ignored elsewhere). A word inside the name: protocol_surnames_trgm_idx (0008).
            models.Index(
                fields=["requester_name_key"],
                opclasses=["varchar_pattern_ops"],
                name="protocol_namekey_prefix_idx",
            ),
            models.Index(
                fields=["responsible_unimed", "status", "-opened_at", "-id"],
                include=["requester_name_key"],
                name="protocol_resp_status_idx",
            ),
            models.Index(
                fields=["responsible_unimed", "channel", "-opened_at", "-id"],
                name="protocol_resp_channel_idx",
            ),
            # "Meus" (the owner's open protocols, by time left) and the owner filter. The
            # responsible Unimed (every selector's scope) is in the key, so the page is one
            # index range in the order shown, however many protocols one person holds.
            models.Index(
                fields=["owner", "responsible_unimed", "due_date", "id"],
                name="protocol_owner_open_idx",
                condition=models.Q(status__in=["aberto", "encaminhado", "em_analise", "reaberto"]),
            ),
            # "Meus" newest (or oldest) first: the same open rows in the opening order
            # (0015); without it PostgreSQL sorted all of the person's open protocols.
            models.Index(
                fields=["owner", "responsible_unimed", "-opened_at", "-id"],
                name="protocol_owner_open_opened_idx",
                condition=models.Q(status__in=["aberto", "encaminhado", "em_analise", "reaberto"]),
            ),
            models.Index(
                fields=["owner", "responsible_unimed", "-opened_at", "-id"],
                name="protocol_owner_opened_idx",
            ),
            # "Não atribuídos": without it, a Unimed whose protocols all have an owner
            # would be walked whole to find none.
            models.Index(
                fields=["responsible_unimed", "-opened_at", "-id"],
                name="protocol_resp_unowned_idx",
                condition=models.Q(owner__isnull=True),
            ),
            # The regulatory requests shown above the inbox: few rows, so a partial index.
            models.Index(
                fields=["responsible_unimed", "due_date", "id"],
                name="protocol_resp_regulatory_idx",
                condition=models.Q(is_regulatory=True),
            ),
            # The supervisor's "categoria não mapeada" filter: few rows, so a partial index.
            models.Index(
                fields=["responsible_unimed", "-opened_at", "-id"],
                name="protocol_resp_unmapped_idx",
                condition=models.Q(catalog_unmapped=True),
            ),
        ]
        constraints = [
            # The idempotency key of an incoming message (DESIGN.md §4): one protocol per
            # (origin Unimed, nr_transacao_prestadora), also under concurrent arrival.
            models.UniqueConstraint(
                fields=["origin_unimed", "sender_transaction_id"],
                condition=~models.Q(sender_transaction_id=""),
                name="uniq_protocol_sender_transaction",
            ),
        ]

    def __str__(self) -> str:
        return self.number

    @property
    def is_open(self) -> bool:
        return self.status in OPEN_STATUSES

    @property
    def is_overdue(self) -> bool:
        return self.is_open and timezone.localdate() > self.due_date

    @property
    def answered_late(self) -> bool | None:
        if self.answered_at is None:
            return None
        return timezone.localdate(self.answered_at) > self.due_date

    @property
    def is_escalated(self) -> bool:
        return self.is_open and self.escalated_due == self.due_date

    @property
    def registry_prefix(self) -> str:
        return self.number[:6]


class ProtocolParty(models.Model):
    """A Unimed that may read the protocol: origin, responsible (now or before a
    forward) and serving. Selectors scope through this table with one indexed join."""

    class Role(models.TextChoices):
        ORIGIN = "origem", _("Origem")
        RESPONSIBLE = "responsavel", _("Responsável")
        SERVING = "atendimento", _("Atendimento")
        FORWARDED_FROM = "encaminhou", _("Responsável anterior (encaminhou)")

    protocol = models.ForeignKey(Protocol, on_delete=models.CASCADE, related_name="parties")
    unimed = models.ForeignKey(
        "unimeds.Unimed", on_delete=models.PROTECT, related_name="protocol_parties"
    )
    role = models.CharField(max_length=12, choices=Role.choices)

    class Meta:
        verbose_name = _("Unimed envolvida")
        verbose_name_plural = _("Unimeds envolvidas")
        constraints = [
            models.UniqueConstraint(fields=["unimed", "protocol"], name="uniq_protocol_party")
        ]

    def __str__(self) -> str:
        return f"{self.protocol_id} {self.unimed_id} {self.role}"
