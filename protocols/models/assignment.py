"""Per-Unimed distribution of arriving protocols among its people, and bulk jobs on
protocols selected in the inbox."""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from core.jobs import JobProgress, JobStatus
from unimeds.assignment import FEWEST_OPEN, ROUND_ROBIN


class AssignmentRule(models.TextChoices):
    MANUAL = "", _("Manual (a equipe assume ou o supervisor atribui)")
    ROUND_ROBIN = ROUND_ROBIN, _("Rodízio (um de cada vez)")
    FEWEST_OPEN = FEWEST_OPEN, _("Quem tem menos protocolos abertos")


class ProtocolSettings(models.Model):
    """How a Unimed's arriving protocols get an owner (unimeds.assignment picks)."""

    unimed = models.OneToOneField(
        "unimeds.Unimed", on_delete=models.CASCADE, related_name="protocol_settings"
    )
    assignment_rule = models.CharField(
        _("distribuição automática"),
        max_length=12,
        choices=AssignmentRule.choices,
        default=AssignmentRule.MANUAL,
        blank=True,
    )
    # Round-robin cursor: the next person is the first one after this user id.
    last_assigned = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("configuração de protocolos")
        verbose_name_plural = _("configurações de protocolos")

    def __str__(self) -> str:
        return f"{self.unimed.code}: {self.get_assignment_rule_display()}"


class BulkAction(models.TextChoices):
    ASSIGN = "atribuir", _("Atribuir")
    FORWARD = "encaminhar", _("Encaminhar")
    NOTE = "nota", _("Nota interna")
    ANSWER = "responder", _("Resposta conclusiva")


class ProtocolBulkJob(JobProgress, models.Model):
    """One bulk action over protocols picked in the inbox: each protocol goes through the
    same service as one at a time, and `results` keeps one line per protocol."""

    unimed = models.ForeignKey("unimeds.Unimed", on_delete=models.PROTECT, related_name="+")
    action = models.CharField(_("ação"), max_length=12, choices=BulkAction.choices)
    params = models.JSONField(_("parâmetros"), default=dict, blank=True)
    selection = models.JSONField(_("protocolos"), default=list)  # protocol primary keys
    status = models.CharField(max_length=12, choices=JobStatus.choices, default=JobStatus.PENDING)
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    requested_by_label = models.CharField(max_length=150)
    total = models.PositiveIntegerField(default=0)
    processed = models.PositiveIntegerField(default=0)
    # [{"numero": …, "ok": bool, "mensagem": pt-BR}], in the selection's order.
    results = models.JSONField(_("resultado"), default=list, blank=True)
    error = models.TextField(blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    started_at = models.DateTimeField(null=True, blank=True)
    finished_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = _("ação em lote sobre protocolos")
        verbose_name_plural = _("ações em lote sobre protocolos")
        ordering = ["-created_at", "-id"]

    def __str__(self) -> str:
        return f"{self.get_action_display()} #{self.pk} ({self.unimed_id})"

    @property
    def failed_count(self) -> int:
        return sum(1 for line in self.results if not line.get("ok"))
