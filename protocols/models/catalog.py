"""Manifestation catalog: types and categories, each category with its deadline rule.

The deadline table is data (seeded from RN 623/2024 by a migration, editable in the
admin) so a regulatory change is a data change, not a deploy.
"""

from django.core.validators import MaxValueValidator, MinValueValidator, RegexValidator
from django.db import models
from django.utils.translation import gettext_lazy as _


class DeadlineRule(models.TextChoices):
    BUSINESS_DAYS = "dias_uteis", _("Dias úteis após o dia da solicitação")
    IMMEDIATE = "imediato", _("Imediato (no mesmo dia)")


class Category(models.Model):
    """`tp_categoria_manifestacao` on the wire (integer code)."""

    code = models.PositiveSmallIntegerField(
        _("código"), unique=True, validators=[MinValueValidator(1)]
    )
    name = models.CharField(_("nome"), max_length=120)
    deadline_rule = models.CharField(
        _("regra de prazo"), max_length=12, choices=DeadlineRule.choices
    )
    deadline_days = models.PositiveSmallIntegerField(
        _("prazo (dias úteis)"),
        default=0,
        validators=[MaxValueValidator(365)],
        help_text=_("Ignorado quando a regra é 'imediato'."),
    )
    is_assistential = models.BooleanField(_("assistencial"), default=False)
    legal_basis = models.CharField(_("base normativa"), max_length=200, blank=True)
    is_active = models.BooleanField(_("ativa"), default=True)
    is_fallback = models.BooleanField(
        _("padrão para código não mapeado"),
        default=False,
        help_text=_(
            "Usada quando um sistema envia uma categoria fora do catálogo: o seu prazo é a regra "
            "padrão. Só uma categoria pode ser a padrão."
        ),
    )
    sort_order = models.PositiveSmallIntegerField(_("ordem"), default=0)

    class Meta:
        verbose_name = _("categoria de manifestação")
        verbose_name_plural = _("categorias de manifestação")
        ordering = ["sort_order", "code"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(deadline_rule="imediato") | models.Q(deadline_days__gte=1),
                name="category_business_days_positive",
            ),
            models.UniqueConstraint(
                fields=["is_fallback"],
                condition=models.Q(is_fallback=True),
                name="uniq_category_fallback",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.code} — {self.name}"

    @property
    def business_days(self) -> int:
        """0 means immediate (core.business_days.add_business_days convention)."""
        return 0 if self.deadline_rule == DeadlineRule.IMMEDIATE else self.deadline_days

    @property
    def deadline_label(self) -> str:
        if self.deadline_rule == DeadlineRule.IMMEDIATE:
            return str(_("imediato"))
        return f"{self.deadline_days} dias úteis"


class ManifestationType(models.Model):
    """`tp_manifestacao` on the wire (one character)."""

    code = models.CharField(
        _("código"),
        max_length=1,
        unique=True,
        validators=[RegexValidator(r"^[A-Z0-9]$", _("Use uma letra maiúscula ou um dígito."))],
    )
    wire_code = models.CharField(
        _("código numérico GPU"),
        max_length=1,
        unique=True,
        null=True,
        blank=True,
        validators=[RegexValidator(r"^[0-9]$", _("Use um dígito."))],
        help_text=_(
            "Dígito que os sistemas das Unimeds enviam em tp_manifestacao; aceito como sinônimo do código."
        ),
    )
    name = models.CharField(_("nome"), max_length=80)
    description = models.CharField(_("descrição"), max_length=300, blank=True)
    categories = models.ManyToManyField(
        Category, verbose_name=_("categorias permitidas"), related_name="manifestation_types"
    )
    is_active = models.BooleanField(_("ativo"), default=True)
    is_fallback = models.BooleanField(
        _("padrão para código não mapeado"),
        default=False,
        help_text=_(
            "Usado quando um sistema envia um tipo fora do catálogo. Só um tipo pode ser o padrão."
        ),
    )
    sort_order = models.PositiveSmallIntegerField(_("ordem"), default=0)

    class Meta:
        verbose_name = _("tipo de manifestação")
        verbose_name_plural = _("tipos de manifestação")
        ordering = ["sort_order", "code"]
        constraints = [
            models.UniqueConstraint(
                fields=["is_fallback"],
                condition=models.Q(is_fallback=True),
                name="uniq_type_fallback",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.code} — {self.name}"
