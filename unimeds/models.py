"""The Unimed network: cooperatives, their areas, staff access and service accounts."""

from urllib.parse import urlparse

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.utils.translation import gettext_lazy as _

from core.identifiers import (
    UF_CHOICES,
    validate_ans_registry,
    validate_cpf,
    validate_ibge,
    validate_unimed_code,
)

# The GPU messages the hub may deliver, by cd_transacao (protocols.outbox.messages has
# the shapes). A TOTVS receiver (PLSGPURest) reads the first seven; "008" is the hub's
# own status push, sent only to receivers that declare it.
RECEIVER_MESSAGE_CHOICES = [
    ("001", _("001 — novo protocolo de beneficiário")),
    ("003", _("003 — complemento")),
    ("005", _("005 — resposta ao atendimento")),
    ("011", _("011 — cancelamento")),
    ("013", _("013 — encaminhamento para execução")),
    ("015", _("015 — novo protocolo de não cliente")),
    ("017", _("017 — resposta a protocolo de não cliente")),
    ("008", _("008 — outras mudanças de situação (encerrado, reaberto, prazo…)")),
]
TOTVS_RECEIVER_ACCEPTS = ("001", "003", "005", "011", "013", "015", "017")


def default_receiver_accepts() -> list[str]:
    return list(TOTVS_RECEIVER_ACCEPTS)


def validate_receiver_accepts(value) -> None:
    known = {code for code, _label in RECEIVER_MESSAGE_CHOICES}
    if not isinstance(value, list) or any(not isinstance(c, str) or c not in known for c in value):
        raise ValidationError(
            _("Use uma lista de códigos entre: %(codigos)s.")
            % {"codigos": ", ".join(sorted(known))}
        )


def validate_endpoint_url(value: str) -> None:
    """HTTPS to a public address. Plain HTTP, and private, loopback, link-local or
    metadata addresses (SSRF), only for hosts listed in GPU_ENDPOINT_ALLOWED_HOSTS
    (tests, local simulators, the embedded demo)."""
    from core.netguard import host_allowed_by_setting, internal_address_reason

    try:
        parsed = urlparse(value)
        host = parsed.hostname or ""
    except ValueError:
        parsed, host = None, ""
    if parsed is None or not host or parsed.scheme not in ("https", "http"):
        raise ValidationError(
            _("O endpoint deve ser uma URL https:// válida."), code="endpoint_invalido"
        )
    if parsed.scheme == "http" and not host_allowed_by_setting(host):
        raise ValidationError(
            _(
                "O endpoint deve usar https:// (http:// só para hosts liberados em GPU_ENDPOINT_ALLOWED_HOSTS)."
            ),
            code="endpoint_invalido",
        )
    reason = internal_address_reason(host)
    if reason:
        raise ValidationError(
            _(
                "Endpoint recusado (%(reason)s): aponte para um endereço público da Unimed ou libere o host "
                "em GPU_ENDPOINT_ALLOWED_HOSTS."
            ),
            params={"reason": reason},
            code="endpoint_interno",
        )


class Municipality(models.Model):
    """An IBGE municipality; `unimed` is the Unimed whose area covers it (at most one)."""

    code = models.CharField(
        _("código IBGE"), max_length=7, primary_key=True, validators=[validate_ibge]
    )
    name = models.CharField(_("nome"), max_length=120)
    uf = models.CharField(_("UF"), max_length=2, choices=UF_CHOICES, db_index=True)
    unimed = models.ForeignKey(
        "Unimed",
        verbose_name=_("Unimed da área"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="municipalities",
    )

    class Meta:
        verbose_name = _("município")
        verbose_name_plural = _("municípios")
        ordering = ["uf", "name"]
        indexes = [models.Index(fields=["uf", "name"])]

    def __str__(self) -> str:
        return f"{self.name}/{self.uf} ({self.code})"


class Unimed(models.Model):
    code = models.CharField(
        _("código Unimed"),
        max_length=4,
        unique=True,
        validators=[validate_unimed_code],
        help_text=_("4 dígitos, ex.: 0137"),
    )
    ans_registry = models.CharField(
        _("registro ANS"),
        max_length=6,
        unique=True,
        validators=[validate_ans_registry],
        help_text=_("6 dígitos, ex.: 322831"),
    )
    name = models.CharField(_("nome"), max_length=120)
    uf = models.CharField(_("UF"), max_length=2, choices=UF_CHOICES)
    is_active = models.BooleanField(_("ativa"), default=True)

    is_integrated = models.BooleanField(
        _("integrada"),
        default=False,
        help_text=_(
            "Integrada: o sistema da Unimed troca mensagens pela API. Senão, usa o painel de contingência."
        ),
    )
    endpoint_url = models.CharField(
        _("URL base do endpoint"), max_length=300, blank=True, validators=[validate_endpoint_url]
    )
    signing_secret = models.CharField(_("segredo de assinatura"), max_length=128, blank=True)
    receiver_accepts = models.JSONField(
        _("mensagens que o receptor aceita"),
        default=default_receiver_accepts,
        blank=True,
        validators=[validate_receiver_accepts],
        help_text=_(
            "Códigos cd_transacao que o sistema da Unimed recebe (um receptor TOTVS: 001, 003, 005, "
            "011, 013, 015, 017). O resto fica só no painel e na API de leitura."
        ),
    )
    contingency_email = models.EmailField(_("e-mail da contingência"), blank=True)

    carnival_is_holiday = models.BooleanField(_("Carnaval é feriado"), default=False)
    ash_wednesday_is_holiday = models.BooleanField(
        _("Quarta-feira de Cinzas é feriado"), default=False
    )
    corpus_christi_is_holiday = models.BooleanField(_("Corpus Christi é feriado"), default=False)

    hub_sequence_start = models.PositiveIntegerField(
        _("início da faixa de numeração do hub"),
        default=500000,
        validators=[MinValueValidator(1), MaxValueValidator(999999)],
        help_text=_(
            "Sequência diária usada pelo hub para esta Unimed; o CRM próprio usa números abaixo dela."
        ),
    )

    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("Unimed")
        verbose_name_plural = _("Unimeds")
        ordering = ["code"]

    def __str__(self) -> str:
        return f"{self.code} — {self.name}"

    def clean(self) -> None:
        if self.is_integrated and not (self.endpoint_url and self.signing_secret):
            raise ValidationError(
                {"endpoint_url": _("Unimed integrada precisa de endpoint e segredo de assinatura.")}
            )

    @property
    def optional_off(self) -> frozenset[str]:
        """Optional days this Unimed does not work (core.business_days keys)."""
        flags = {
            "carnaval": self.carnival_is_holiday,
            "quarta_cinzas": self.ash_wednesday_is_holiday,
            "corpus_christi": self.corpus_christi_is_holiday,
        }
        return frozenset(key for key, off in flags.items() if off)


class Role(models.TextChoices):
    ATENDENTE = "atendente", _("Atendente")
    SUPERVISOR = "supervisor", _("Supervisor")
    VENDEDOR = "vendedor", _("Vendedor")
    GESTOR = "gestor", _("Gestor")


class Module(models.TextChoices):
    """The panel's modules, each granted per member at a Level (ANS's ADMP grants per system)."""

    PROTOCOLOS = "protocolos", _("Protocolos")
    REGULATORIO = "regulatorio", _("Regulatório")
    LEADS = "leads", _("Leads")
    RETENCAO = "retencao", _("Retenção")
    COOPERADOS = "cooperados", _("Cooperados")
    RELATORIOS = "relatorios", _("Relatórios")
    INTEGRACOES = "integracoes", _("Integrações")
    EQUIPE = "equipe", _("Equipe")


class Level(models.IntegerChoices):
    """Ordered: each level includes the ones below it."""

    NENHUM = 0, _("sem acesso")
    CONSULTAR = 1, _("consultar")
    OPERAR = 2, _("operar")
    ADMINISTRAR = 3, _("administrar")


_C, _O, _A = Level.CONSULTAR, Level.OPERAR, Level.ADMINISTRAR

# Today's roles are presets of the matrix: granting a role grants these levels; the
# gestor may then raise or lower any module for one member (ModuleGrant).
ROLE_PRESETS: dict[str, dict[str, int]] = {
    Role.ATENDENTE: {
        Module.PROTOCOLOS: _O,
        Module.REGULATORIO: _O,
        Module.RELATORIOS: _C,
    },
    Role.SUPERVISOR: {
        Module.PROTOCOLOS: _A,
        Module.REGULATORIO: _A,
        Module.LEADS: _A,
        Module.RETENCAO: _A,
        Module.RELATORIOS: _O,
        Module.INTEGRACOES: _C,
    },
    Role.VENDEDOR: {
        Module.LEADS: _O,
        Module.RETENCAO: _O,
        Module.RELATORIOS: _C,
    },
    Role.GESTOR: dict.fromkeys(Module.values, _A),
}


def preset_levels(roles) -> dict[str, int]:
    """The matrix the roles grant: per module, the highest level of any role."""
    levels: dict[str, int] = {}
    for role in roles:
        for module, level in ROLE_PRESETS.get(role, {}).items():
            levels[module] = max(levels.get(module, Level.NENHUM), level)
    return levels


class Membership(models.Model):
    """A staff user's place in one Unimed. Hub admins are superusers without one."""

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="membership"
    )
    unimed = models.ForeignKey(Unimed, on_delete=models.PROTECT, related_name="memberships")
    cpf = models.CharField(_("CPF"), max_length=11, blank=True, validators=[validate_cpf])
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("vínculo de equipe")
        verbose_name_plural = _("vínculos de equipe")

    def __str__(self) -> str:
        return f"{self.user.get_username()} @ {self.unimed.code}"

    @property
    def roles(self) -> frozenset[str]:
        return frozenset(grant.role for grant in self.grants.all())

    @property
    def levels(self) -> dict[str, int]:
        """The effective matrix: the roles' presets, then the gestor's per-module settings."""
        levels = preset_levels(self.roles)
        for grant in self.module_grants.all():
            levels[grant.module] = grant.level
        return {module: level for module, level in levels.items() if level > Level.NENHUM}


class RoleGrant(models.Model):
    membership = models.ForeignKey(Membership, on_delete=models.CASCADE, related_name="grants")
    role = models.CharField(_("papel"), max_length=20, choices=Role.choices)
    granted_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("papel concedido")
        verbose_name_plural = _("papéis concedidos")
        constraints = [
            models.UniqueConstraint(fields=["membership", "role"], name="uniq_role_per_membership")
        ]

    def __str__(self) -> str:
        return f"{self.membership} : {self.role}"


class ModuleGrant(models.Model):
    """A gestor's setting for one member and one module, over the roles' presets
    (level 0 takes the module away even when a role would grant it)."""

    membership = models.ForeignKey(
        Membership, on_delete=models.CASCADE, related_name="module_grants"
    )
    module = models.CharField(_("módulo"), max_length=20, choices=Module.choices)
    level = models.PositiveSmallIntegerField(_("nível"), choices=Level.choices)
    changed_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("permissão por módulo")
        verbose_name_plural = _("permissões por módulo")
        constraints = [
            models.UniqueConstraint(
                fields=["membership", "module"], name="uniq_module_per_membership"
            )
        ]

    def __str__(self) -> str:
        return f"{self.membership} : {self.module}={self.level}"


class ServiceAccount(models.Model):
    """An OAuth2 client-credentials application bound to exactly one Unimed."""

    application = models.OneToOneField(
        "oauth2_provider.Application", on_delete=models.CASCADE, related_name="service_account"
    )
    unimed = models.ForeignKey(Unimed, on_delete=models.PROTECT, related_name="service_accounts")
    name = models.CharField(_("nome"), max_length=120)
    is_active = models.BooleanField(_("ativa"), default=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("conta de serviço")
        verbose_name_plural = _("contas de serviço")

    def __str__(self) -> str:
        return f"{self.name} ({self.unimed.code})"

    @property
    def client_id(self) -> str:
        return self.application.client_id
