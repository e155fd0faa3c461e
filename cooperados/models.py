"""Cooperado app accounts (the doctors' sign-in to the cooperado app) and bulk jobs.

A400 (the provider registry movement) owns the identity fields: provider code,
name, login, CRM, CPF and profile. The Unimed's gestores own the e-mails and the
access data. Passwords are Django hashes (Argon2) and never leave this model.
"""

import unicodedata

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from core.identifiers import UF_CHOICES
from core.jobs import JOB_TRANSITIONS, JobProgress, JobStatus


def search_key(value: str) -> str:
    """Upper case without accents: what the name search compares (JOSÉ ~ jose)."""
    decomposed = unicodedata.normalize("NFKD", value or "")
    return " ".join("".join(c for c in decomposed if not unicodedata.combining(c)).upper().split())


AUDIT_TARGET = "cooperado"  # target_type of the audit rows about one cooperado


class Profile(models.TextChoices):
    PRESTADOR = "PRESTADOR", _("Prestador")
    CLINICA = "CLINICA", _("Clínica / hospital")
    SECRETARIA = "SECRETARIA", _("Secretária")


class Situation(models.TextChoices):
    ATIVO = "ativo", _("Ativo")
    BLOQUEADO = "bloqueado", _("Bloqueado")


# Allowed situation changes, as data: services.cooperado_set_situation is the only writer.
SITUATION_TRANSITIONS: dict[str, frozenset[str]] = {
    Situation.ATIVO: frozenset({Situation.BLOQUEADO}),
    Situation.BLOQUEADO: frozenset({Situation.ATIVO}),
}


class BlockReason(models.TextChoices):
    ADMIN = "admin", _("Bloqueado pelo gestor")
    FAILED_SIGN_INS = "falhas", _("Bloqueado por tentativas de acesso com senha errada")
    A400_EXCLUSION = "a400", _("Excluído no A400 (desligamento)")


class LoginEmail(models.TextChoices):
    UNIMED = "unimed", _("E-mail do sistema Unimed")
    PRIVATE = "particular", _("E-mail particular")


class Cooperado(models.Model):
    unimed = models.ForeignKey(
        "unimeds.Unimed", on_delete=models.PROTECT, related_name="cooperados"
    )
    provider_code = models.CharField(
        _("código do prestador"),
        max_length=8,
        help_text=_("Chave do prestador no A400 desta Unimed."),
    )
    full_name = models.CharField(_("nome completo"), max_length=120)
    search_name = models.CharField(max_length=120, editable=False, default="")
    login = models.CharField(
        _("login"), max_length=20, help_text=_("Definido pelo PTU A400; não é editado à mão.")
    )
    crm_number = models.CharField(_("CRM"), max_length=10, blank=True)
    crm_uf = models.CharField(_("UF do CRM"), max_length=2, choices=UF_CHOICES, blank=True)
    cpf = models.CharField(_("CPF"), max_length=11, blank=True)
    profile = models.CharField(
        _("perfil"), max_length=12, choices=Profile.choices, default=Profile.PRESTADOR
    )

    email_unimed = models.EmailField(_("e-mail do sistema Unimed"), blank=True)
    email_private = models.EmailField(_("e-mail particular"), blank=True)
    login_email_source = models.CharField(
        _("e-mail de login do aplicativo"),
        max_length=10,
        choices=LoginEmail.choices,
        default=LoginEmail.UNIMED,
    )
    # Derived from the two above (lower case) so sign-in and uniqueness use one column.
    login_email = models.CharField(max_length=254, blank=True, editable=False, default="")

    situation = models.CharField(
        _("situação"), max_length=10, choices=Situation.choices, default=Situation.ATIVO
    )
    block_reason = models.CharField(
        _("motivo do bloqueio"), max_length=10, choices=BlockReason.choices, blank=True
    )
    block_note = models.CharField(_("observação do bloqueio"), max_length=300, blank=True)
    blocked_at = models.DateTimeField(_("bloqueado em"), null=True, blank=True)

    password = models.CharField(_("senha (hash)"), max_length=128, blank=True)
    must_change_password = models.BooleanField(_("troca de senha obrigatória"), default=False)
    password_changed_at = models.DateTimeField(null=True, blank=True)
    failed_sign_ins = models.PositiveSmallIntegerField(_("tentativas com senha errada"), default=0)
    last_sign_in = models.DateTimeField(_("último acesso"), null=True, blank=True)
    # Bumped on block, password change and forced reset: app tokens carry it, so
    # every token issued before such a change stops working at once.
    session_version = models.PositiveIntegerField(default=1)

    a400_synced_at = models.DateTimeField(_("última atualização pelo A400"), null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("cooperado")
        verbose_name_plural = _("cooperados")
        ordering = ["search_name", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["unimed", "provider_code"], name="coop_uniq_provider_code"
            ),
            models.UniqueConstraint(fields=["unimed", "login"], name="coop_uniq_login"),
            models.UniqueConstraint(
                fields=["unimed", "login_email"],
                condition=~Q(login_email=""),
                name="coop_uniq_login_email",
            ),
        ]
        # Prefix searches (LIKE 'x%') need pattern opclasses on PostgreSQL; other
        # databases ignore opclasses. Name fragments use a trigram index (migration 0002).
        indexes = [
            # With id, a page of pks is an index-only scan (the name filter reads the index).
            models.Index(fields=["unimed", "search_name", "id"], name="coop_unimed_name_id"),
            models.Index(
                fields=["unimed", "situation", "search_name", "id"],
                name="coop_unimed_situation_name",
            ),
            models.Index(
                fields=["unimed", "login"],
                opclasses=["int8_ops", "varchar_pattern_ops"],
                name="coop_login_prefix",
            ),
            models.Index(
                fields=["unimed", "cpf"],
                opclasses=["int8_ops", "varchar_pattern_ops"],
                name="coop_cpf_prefix",
            ),
            models.Index(
                fields=["unimed", "email_unimed"],
                opclasses=["int8_ops", "varchar_pattern_ops"],
                name="coop_email_unimed_prefix",
            ),
            models.Index(
                fields=["unimed", "email_private"],
                opclasses=["int8_ops", "varchar_pattern_ops"],
                name="coop_email_private_prefix",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.login} — {self.full_name}"

    @property
    def crm(self) -> str:
        return f"{self.crm_number}/{self.crm_uf}" if self.crm_number else ""

    @property
    def is_blocked(self) -> bool:
        return self.situation == Situation.BLOQUEADO

    @property
    def has_password(self) -> bool:
        return bool(self.password) and not self.password.startswith("!")

    def sync_derived(self) -> None:
        """Recompute the derived columns; every writer calls it before saving."""
        self.search_name = search_key(self.full_name)
        chosen = (
            self.email_private
            if self.login_email_source == LoginEmail.PRIVATE
            else self.email_unimed
        )
        self.login_email = (chosen or "").strip().lower()


# The job status, transitions and progress are shared with the other apps' jobs (core.jobs).
BulkJobStatus = JobStatus
BULK_JOB_TRANSITIONS = JOB_TRANSITIONS


class BulkJob(JobProgress, models.Model):
    """A bulk "force password reset": who asked, why, for whom, and how far it got."""

    class Kind(models.TextChoices):
        FORCE_RESET = "forcar_troca", _("Forçar troca de senha")

    unimed = models.ForeignKey("unimeds.Unimed", on_delete=models.PROTECT, related_name="+")
    kind = models.CharField(max_length=20, choices=Kind.choices, default=Kind.FORCE_RESET)
    status = models.CharField(
        max_length=12, choices=BulkJobStatus.choices, default=BulkJobStatus.PENDING
    )
    reason = models.CharField(_("motivo"), max_length=500)
    # None = every cooperado of the Unimed; else the selected primary keys.
    selection = models.JSONField(null=True, blank=True)
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    requested_by_label = models.CharField(max_length=150)
    total = models.PositiveIntegerField(default=0)
    processed = models.PositiveIntegerField(default=0)
    error = models.TextField(blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    started_at = models.DateTimeField(null=True, blank=True)
    finished_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = _("ação em massa")
        verbose_name_plural = _("ações em massa")
        ordering = ["-created_at", "-id"]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} #{self.pk} ({self.unimed_id})"


# An import whose worker died goes back to the queue: applying a file again is
# idempotent (lines already applied come out "sem alteração").
A400_JOB_TRANSITIONS: dict[str, frozenset[str]] = {
    **BULK_JOB_TRANSITIONS,
    BulkJobStatus.RUNNING: frozenset(
        {BulkJobStatus.DONE, BulkJobStatus.FAILED, BulkJobStatus.PENDING}
    ),
}


class A400ImportJob(JobProgress, models.Model):
    """An A400 file imported in the background: the stored file, progress, counts and
    the line-by-line report (a CSV file next to it)."""

    unimed = models.ForeignKey("unimeds.Unimed", on_delete=models.PROTECT, related_name="+")
    status = models.CharField(
        max_length=12, choices=BulkJobStatus.choices, default=BulkJobStatus.PENDING
    )
    filename = models.CharField(_("arquivo"), max_length=200)
    stored_path = models.CharField(max_length=300)
    report_path = models.CharField(max_length=300, blank=True)
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    requested_by_label = models.CharField(max_length=150)
    total = models.PositiveIntegerField(default=0)
    processed = models.PositiveIntegerField(default=0)
    counts = models.JSONField(default=dict, blank=True)
    error = models.TextField(blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    started_at = models.DateTimeField(null=True, blank=True)
    progress_at = models.DateTimeField(null=True, blank=True)
    finished_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = _("importação A400")
        verbose_name_plural = _("importações A400")
        ordering = ["-created_at", "-id"]

    def __str__(self) -> str:
        return f"A400 #{self.pk} ({self.filename})"
