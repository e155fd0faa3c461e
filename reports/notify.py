"""E-mail to the gestores when a scheduled report is ready: a link, never the file
(personal data must not travel as an attachment)."""

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.mail import send_mail
from django.urls import reverse

from reports.models import ReportJob
from unimeds.models import Role


def notify_scheduled_done(*, job_id: int) -> int:
    job = (
        ReportJob.objects.select_related("unimed")
        .filter(pk=job_id, status=ReportJob.Status.DONE)
        .first()
    )
    if job is None or job.unimed is None:
        return 0
    recipients = list(
        get_user_model()
        .objects.filter(
            is_active=True, membership__unimed=job.unimed, membership__grants__role=Role.GESTOR
        )
        .exclude(email="")
        .values_list("email", flat=True)
        .distinct()
    )
    if not recipients:
        return 0
    base = settings.GPU_BASE_URL.rstrip("/")
    panel = base + reverse("reports:reports")
    download = base + reverse("reports:report_download", args=[job.pk])
    send_mail(
        subject=f"GPU — relatório disponível: {job.title}",
        message=(
            f"Olá,\n\nO relatório “{job.title}” da {job.unimed.name} está pronto "
            f"({job.rows_written} linhas).\n\n"
            f"Baixar (é preciso entrar no GPU): {download}\n"
            f"Todos os seus relatórios: {panel}\n\n"
            "O arquivo fica disponível por tempo limitado. Esta é uma mensagem automática."
        ),
        from_email=None,
        recipient_list=recipients,
    )
    return len(recipients)
