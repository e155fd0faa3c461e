"""Report jobs: one requested report file, its progress and the result."""

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class ReportJob(models.Model):
    """One requested report file: who asked, what, its progress and the result.

    Status changes go through reports.services.report_job_transition only;
    progress (rows_written, heartbeat_at) is a plain UPDATE by the building task.
    """

    class Status(models.TextChoices):
        QUEUED = "queued", _("Na fila")
        RUNNING = "running", _("Gerando")
        DONE = "done", _("Pronto")
        FAILED = "failed", _("Falhou")
        EXPIRED = "expired", _("Expirado")

    class Format(models.TextChoices):
        XLSX = "xlsx", _("Excel (.xlsx)")
        CSV = "csv", _("CSV (;)")

    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("solicitante"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        help_text=_("Vazio nos relatórios agendados (gerados pelo sistema)."),
    )
    unimed = models.ForeignKey(
        "unimeds.Unimed",
        verbose_name=_("Unimed"),
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="+",
    )
    report_key = models.CharField(_("relatório"), max_length=80, db_index=True)
    title = models.CharField(_("título"), max_length=200)
    params = models.JSONField(_("parâmetros"), default=dict, blank=True)
    format = models.CharField(
        _("formato"), max_length=4, choices=Format.choices, default=Format.XLSX
    )
    status = models.CharField(
        _("situação"), max_length=10, choices=Status.choices, default=Status.QUEUED
    )
    scheduled = models.BooleanField(_("agendado"), default=False)
    schedule_slot = models.CharField(
        _("execução agendada"),
        max_length=120,
        blank=True,
        help_text=_(
            "Identifica a execução mensal (relatório, Unimed, mês) para não gerá-la duas vezes."
        ),
    )
    rows_written = models.PositiveBigIntegerField(_("linhas escritas"), default=0)
    rows_estimate = models.PositiveBigIntegerField(_("linhas previstas"), null=True, blank=True)
    file = models.FileField(_("arquivo"), upload_to="relatorios/%Y/%m/", blank=True, max_length=300)
    file_size = models.PositiveBigIntegerField(_("tamanho do arquivo"), null=True, blank=True)
    error = models.CharField(_("erro"), max_length=500, blank=True)
    attempts = models.PositiveSmallIntegerField(_("tentativas"), default=0)
    created_at = models.DateTimeField(_("solicitado em"), default=timezone.now)
    started_at = models.DateTimeField(_("iniciado em"), null=True, blank=True)
    finished_at = models.DateTimeField(_("concluído em"), null=True, blank=True)
    heartbeat_at = models.DateTimeField(_("último sinal do processo"), null=True, blank=True)
    expires_at = models.DateTimeField(_("expira em"), null=True, blank=True)

    class Meta:
        db_table = "core_reportjob"  # created by core before this app existed
        verbose_name = _("relatório solicitado")
        verbose_name_plural = _("relatórios solicitados")
        ordering = ["-created_at", "-id"]
        indexes = [
            models.Index(
                fields=["unimed", "requested_by", "-created_at"], name="reportjob_owner_idx"
            ),
            models.Index(fields=["status", "heartbeat_at"], name="reportjob_status_hb_idx"),
            models.Index(fields=["status", "expires_at"], name="reportjob_status_exp_idx"),
        ]
        constraints = [
            models.UniqueConstraint(
                fields=["schedule_slot"],
                condition=~models.Q(schedule_slot=""),
                name="reportjob_unique_slot",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.title} #{self.pk} ({self.get_status_display()})"

    @property
    def is_active(self) -> bool:
        return self.status in (self.Status.QUEUED, self.Status.RUNNING)

    @property
    def progress_percent(self) -> int | None:
        """0–100 while running; None when the size is unknown."""
        if self.status == self.Status.DONE:
            return 100
        if not self.rows_estimate:
            return None
        return min(99, int(self.rows_written * 100 / self.rows_estimate))


# Allowed report job status changes: data, checked by report_job_transition.
REPORT_JOB_TRANSITIONS: dict[str, frozenset[str]] = {
    ReportJob.Status.QUEUED: frozenset({ReportJob.Status.RUNNING, ReportJob.Status.FAILED}),
    ReportJob.Status.RUNNING: frozenset({ReportJob.Status.DONE, ReportJob.Status.FAILED}),
    ReportJob.Status.DONE: frozenset({ReportJob.Status.EXPIRED}),
    ReportJob.Status.FAILED: frozenset({ReportJob.Status.QUEUED, ReportJob.Status.EXPIRED}),
    ReportJob.Status.EXPIRED: frozenset(),
}
