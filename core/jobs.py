"""Background jobs with a row per job (bulk actions, imports): their status choices, the
transitions between them, the compare-and-set move a worker claims a job with, and the
progress the panel's bars read. Apps keep their own job models and use these."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class JobStatus(models.TextChoices):
    PENDING = "pendente", _("Na fila")
    RUNNING = "executando", _("Executando")
    DONE = "concluido", _("Concluído")
    FAILED = "falhou", _("Falhou")


JOB_TRANSITIONS: dict[str, frozenset[str]] = {
    JobStatus.PENDING: frozenset({JobStatus.RUNNING, JobStatus.FAILED}),
    JobStatus.RUNNING: frozenset({JobStatus.DONE, JobStatus.FAILED}),
    JobStatus.DONE: frozenset(),
    JobStatus.FAILED: frozenset(),
}


class JobProgress:
    """Progress of a background job with `status`, `total` and `processed`: what the
    progress bars read."""

    @property
    def percent(self) -> int:
        if not self.total:
            return 100 if self.status == JobStatus.DONE else 0
        return min(100, round(100 * self.processed / self.total))

    @property
    def is_finished(self) -> bool:
        return self.status in (JobStatus.DONE, JobStatus.FAILED)


def job_move(model, job_id: int, to: str, transitions=JOB_TRANSITIONS, **fields) -> bool:
    """Compare-and-set on the status, so two workers never run one job: True when this
    call moved the row."""
    allowed_from = [s for s, targets in transitions.items() if to in targets]
    return model.objects.filter(pk=job_id, status__in=allowed_from).update(status=to, **fields) == 1
