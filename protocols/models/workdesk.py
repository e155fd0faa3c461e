"""The staff's working aids around protocols (issue #18): answer templates, saved inbox
filters and who has a protocol's answer form open right now."""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class AnswerTemplate(models.Model):
    """A Unimed's ready-made answer ("resposta pronta"). The body may name variables
    ({{nome}}, {{numero}}, {{prazo}}, … — protocols.workdesk.variables.VARIABLES), filled
    by a plain substitution, never by the template engine."""

    unimed = models.ForeignKey(
        "unimeds.Unimed", on_delete=models.CASCADE, related_name="answer_templates"
    )
    title = models.CharField(_("título"), max_length=80)
    body = models.TextField(_("texto"), max_length=4000)
    is_active = models.BooleanField(_("ativa"), default=True)
    updated_by = models.CharField(_("alterada por"), max_length=150, blank=True)
    updated_at = models.DateTimeField(_("alterada em"), auto_now=True)

    class Meta:
        verbose_name = _("resposta pronta")
        verbose_name_plural = _("respostas prontas")
        constraints = [
            models.UniqueConstraint(fields=["unimed", "title"], name="uniq_answer_template_title")
        ]

    def __str__(self) -> str:
        return self.title


class SavedFilter(models.Model):
    """A named inbox view (tab, filters, order) as its query string. Personal (owner set)
    or shared with the whole Unimed (owner empty; managed by supervisors)."""

    unimed = models.ForeignKey(
        "unimeds.Unimed", on_delete=models.CASCADE, related_name="saved_filters"
    )
    owner = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="saved_filters",
    )
    name = models.CharField(_("nome"), max_length=60)
    query = models.CharField(_("consulta"), max_length=1000)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("filtro salvo")
        verbose_name_plural = _("filtros salvos")
        constraints = [
            models.UniqueConstraint(
                fields=["unimed", "owner", "name"], name="uniq_saved_filter_name"
            ),
            models.UniqueConstraint(
                fields=["unimed", "name"],
                condition=models.Q(owner__isnull=True),
                name="uniq_shared_filter_name",
            ),
        ]

    def __str__(self) -> str:
        return self.name

    @property
    def shared(self) -> bool:
        return self.owner_id is None


class ProtocolPresence(models.Model):
    """Someone has the answer form of a protocol open (a heartbeat renews `expires_at`):
    their colleagues see "em atendimento por …" until it expires."""

    protocol = models.ForeignKey(
        "protocols.Protocol", on_delete=models.CASCADE, related_name="presences"
    )
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    unimed = models.ForeignKey(
        "unimeds.Unimed", on_delete=models.CASCADE, null=True, blank=True, related_name="+"
    )
    label = models.CharField(max_length=150)
    expires_at = models.DateTimeField()

    class Meta:
        verbose_name = _("atendimento em curso")
        verbose_name_plural = _("atendimentos em curso")
        constraints = [
            models.UniqueConstraint(fields=["protocol", "user"], name="uniq_protocol_presence")
        ]

    def __str__(self) -> str:
        return f"{self.label} @ {self.protocol_id}"
