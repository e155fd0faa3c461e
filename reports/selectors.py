"""Reads of report jobs, scoped by the acting user and their Unimed."""

from django.db.models import Q, QuerySet
from django.utils.translation import gettext as _

from core.errors import NotFound
from reports.models import ReportJob
from unimeds.models import Level, Module


def report_jobs_for(*, actor) -> QuerySet[ReportJob]:
    """The jobs this actor may see: their own, plus — for a gestor — the
    scheduled reports of their Unimed. Never another Unimed's."""
    if actor is None or actor.user is None:
        return ReportJob.objects.none()
    if actor.unimed is None:
        return ReportJob.objects.filter(requested_by=actor.user, unimed__isnull=True)
    visible = Q(requested_by=actor.user)
    if actor.may(Module.RELATORIOS, Level.ADMINISTRAR):
        visible |= Q(scheduled=True)
    return ReportJob.objects.filter(Q(unimed=actor.unimed) & visible)


def report_job_get(*, actor, job_id) -> ReportJob:
    try:
        return report_jobs_for(actor=actor).get(pk=int(job_id))
    except (ReportJob.DoesNotExist, TypeError, ValueError):
        raise NotFound(_("Relatório não encontrado.")) from None


def report_jobs_active_count(*, actor) -> int:
    return (
        report_jobs_for(actor=actor)
        .filter(
            requested_by=actor.user, status__in=[ReportJob.Status.QUEUED, ReportJob.Status.RUNNING]
        )
        .count()
    )
