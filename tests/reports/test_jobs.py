"""Report jobs through the panel and the services: access, failure and retry,
dead workers, expiry, limits, the monthly scheduled run."""

import io
import os
from datetime import date, timedelta

import openpyxl
import pytest
from django.core import mail
from django.urls import reverse
from django.utils import timezone

from core.errors import Conflict, Forbidden, InvalidInput
from core.models import AuditEvent
from reports import register, report_request, unregister
from reports.build import (
    STALE_MESSAGE,
    report_job_build,
    report_jobs_fail_stale,
    report_jobs_purge_expired,
    report_monthly_dispatch,
)
from reports.models import ReportJob
from reports.services import report_job_transition
from tests.factories import staff_user
from tests.reports.support import MONTHLY_REPORT, STATE, TEAM_REPORT
from unimeds.actors import actor_for_user
from unimeds.models import Membership, RoleGrant

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def sample_reports():
    register(TEAM_REPORT)
    register(MONTHLY_REPORT)
    STATE.update(fail_at=None, exception=None, on_row=None)
    yield
    unregister(TEAM_REPORT.key)
    unregister(MONTHLY_REPORT.key)
    STATE.update(fail_at=None, exception=None, on_row=None)


@pytest.fixture
def gestor(unimed):
    return staff_user(unimed, "gestor", username="gestora", email="gestora@unimed.example")


def _post_request(client, key, capture, **fields):
    data = {"report": key, f"{key}-fmt": fields.pop("fmt", "xlsx")}
    data.update({f"{key}-{k}": v for k, v in fields.items()})
    with capture(execute=True):
        return client.post(reverse("reports:reports"), data)


def test_gestor_requests_the_audit_report_in_the_panel_and_downloads_it(
    client, gestor, django_capture_on_commit_callbacks
):
    client.force_login(gestor)
    page = client.get(reverse("reports:reports"))
    assert page.status_code == 200 and "Trilha de auditoria" in page.content.decode()
    response = _post_request(client, "auditoria", django_capture_on_commit_callbacks)
    assert response.status_code == 302
    job = ReportJob.objects.get(report_key="auditoria")
    assert job.status == ReportJob.Status.DONE, job.error
    assert job.requested_by == gestor and job.unimed == gestor.membership.unimed

    download = client.get(reverse("reports:report_download", args=[job.pk]))
    assert download.status_code == 200
    assert download["Content-Disposition"].startswith('attachment; filename="auditoria_')
    ws = openpyxl.load_workbook(io.BytesIO(b"".join(download.streaming_content))).active
    rows = list(ws.iter_rows(values_only=True))
    assert rows[0][:4] == ("Quando", "Quem", "Unimed", "Ação")
    assert [r[3:5] for r in rows[1:]] == [("relatorio.solicitado", "Relatório pedido")]
    exported = AuditEvent.objects.get(action="relatorio.baixado")
    assert exported.user == gestor and exported.target_id == str(job.pk)
    assert exported.data["dados_pessoais"] is True and exported.data["linhas"] == 1


def test_the_audit_report_is_only_for_gestores(client, unimed, django_capture_on_commit_callbacks):
    atendente = staff_user(unimed, "atendente")
    client.force_login(atendente)
    assert "Trilha de auditoria" not in client.get(reverse("reports:reports")).content.decode()
    with pytest.raises(Forbidden):
        report_request(actor=actor_for_user(atendente), key="auditoria", params={})
    response = _post_request(client, "auditoria", django_capture_on_commit_callbacks)
    assert response.status_code == 302 and not ReportJob.objects.exists()


def test_invalid_period_is_refused_in_pt_br_and_nothing_is_created(client, gestor):
    client.force_login(gestor)
    response = client.post(
        reverse("reports:reports"),
        {
            "report": "auditoria",
            "auditoria-fmt": "xlsx",
            "auditoria-start": "2026-11-20",
            "auditoria-end": "2026-11-01",
        },
    )
    assert response.status_code == 400
    assert "A data final deve ser igual ou posterior à inicial." in response.content.decode()
    assert not ReportJob.objects.exists()
    with pytest.raises(InvalidInput) as exc:
        report_request(
            actor=actor_for_user(gestor), key="auditoria", params={"start": "31/02/2026"}
        )
    assert "start" in exc.value.fields
    with pytest.raises(InvalidInput):
        report_request(actor=actor_for_user(gestor), key="nao_existe", params={})
    with pytest.raises(InvalidInput):
        report_request(actor=actor_for_user(gestor), key="auditoria", params={}, fmt="pdf")


def test_another_unimeds_user_cannot_see_or_download_the_file(
    client, gestor, other_unimed, unimed, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        job = report_request(actor=actor_for_user(gestor), key="teste_equipe", params={})
    job.refresh_from_db()
    assert job.status == ReportJob.Status.DONE
    outsider = staff_user(other_unimed, "gestor", username="gestor.outra")
    colleague = staff_user(unimed, "atendente", username="colega")
    for user in (outsider, colleague):
        client.force_login(user)
        assert client.get(reverse("reports:report_download", args=[job.pk])).status_code == 404
        assert client.get(reverse("reports:report_job", args=[job.pk])).status_code == 404
        assert f"relatorio-{job.pk}" not in client.get(reverse("reports:reports")).content.decode()
    assert not AuditEvent.objects.filter(action="relatorio.baixado").exists()


def test_a_role_removed_after_the_request_blocks_the_download(
    client, gestor, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        job = report_request(actor=actor_for_user(gestor), key="auditoria", params={})
    # As the Django admin would do it (row by row, so the cached access is dropped).
    RoleGrant.objects.filter(membership__user=gestor).delete()
    RoleGrant.objects.create(membership=gestor.membership, role="atendente")
    client.force_login(gestor)
    assert client.get(reverse("reports:report_download", args=[job.pk])).status_code == 403


def test_a_failing_job_shows_its_error_and_can_be_retried(
    client, gestor, django_capture_on_commit_callbacks
):
    from openpyxl.worksheet._writer import ALL_TEMP_FILES

    leftovers = [path for path in ALL_TEMP_FILES if os.path.exists(path)]
    STATE.update(fail_at=1, exception=RuntimeError("boom"))
    with django_capture_on_commit_callbacks(execute=True):
        job = report_request(actor=actor_for_user(gestor), key="teste_equipe", params={})
    job.refresh_from_db()
    assert job.status == ReportJob.Status.FAILED and job.file.name == ""
    # The half-written sheet's temp file is removed at once, not when the worker exits.
    assert [path for path in ALL_TEMP_FILES if os.path.exists(path)] == leftovers
    assert job.error.startswith(f"Erro inesperado ao gerar o relatório (referência #{job.pk})")
    client.force_login(gestor)
    row = client.get(reverse("reports:report_job", args=[job.pk])).content.decode()
    assert "Erro inesperado" in row and "Tentar novamente" in row and "hx-trigger" not in row

    STATE.update(fail_at=None)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(reverse("reports:report_retry", args=[job.pk]))
    assert response.status_code == 302
    job.refresh_from_db()
    assert job.status == ReportJob.Status.DONE and job.error == "" and job.attempts == 2
    assert client.post(reverse("reports:report_retry", args=[job.pk])).status_code == 302
    job.refresh_from_db()
    assert job.status == ReportJob.Status.DONE  # a finished job is not retried


def test_a_domain_error_reaches_the_user_as_is(gestor, django_capture_on_commit_callbacks):
    STATE.update(fail_at=1, exception=Conflict("Período ainda em fechamento; tente amanhã."))
    with django_capture_on_commit_callbacks(execute=True):
        job = report_request(actor=actor_for_user(gestor), key="teste_equipe", params={})
    job.refresh_from_db()
    assert (
        job.status == ReportJob.Status.FAILED
        and job.error == "Período ainda em fechamento; tente amanhã."
    )


def test_running_progress_row_polls_until_done(client, gestor):
    job = report_request(actor=actor_for_user(gestor), key="teste_equipe", params={})
    report_job_transition(
        job_id=job.pk, to="running", started_at=timezone.now(), heartbeat_at=timezone.now()
    )
    ReportJob.objects.filter(pk=job.pk).update(rows_written=500, rows_estimate=2000)
    client.force_login(gestor)
    row = client.get(
        reverse("reports:report_job", args=[job.pk]), HTTP_HX_REQUEST="true"
    ).content.decode()
    assert 'hx-trigger="every 2s"' in row and "25%" in row and "500 de 2.000 linhas" in row


def test_a_killed_worker_leaves_the_job_failed_not_running(gestor, settings):
    job = report_request(actor=actor_for_user(gestor), key="teste_equipe", params={})
    old = timezone.now() - timedelta(minutes=settings.GPU_REPORT_STALE_MINUTES + 1)
    report_job_transition(job_id=job.pk, to="running", started_at=old, heartbeat_at=old)
    fresh = report_request(actor=actor_for_user(gestor), key="teste_equipe", params={})
    report_job_transition(
        job_id=fresh.pk, to="running", started_at=timezone.now(), heartbeat_at=timezone.now()
    )

    assert report_jobs_fail_stale() == 1
    job.refresh_from_db()
    fresh.refresh_from_db()
    assert job.status == ReportJob.Status.FAILED and job.error == STALE_MESSAGE
    assert fresh.status == ReportJob.Status.RUNNING


def test_a_build_marked_failed_meanwhile_stops_and_keeps_no_file(gestor, settings):
    settings.GPU_REPORT_PROGRESS_EVERY = 1
    job = report_request(actor=actor_for_user(gestor), key="teste_equipe", params={})
    staff_user(gestor.membership.unimed, "atendente", username="outro")

    def sweep_during_build(index):
        if index == 2:  # as if the heartbeat had been missed for too long
            assert report_jobs_fail_stale(now=timezone.now() + timedelta(hours=1)) == 1

    STATE["on_row"] = sweep_during_build
    assert report_job_build(job_id=job.pk) is None
    job.refresh_from_db()
    assert job.status == ReportJob.Status.FAILED and job.error == STALE_MESSAGE and not job.file


def test_expired_files_are_purged(client, gestor, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        job = report_request(actor=actor_for_user(gestor), key="teste_equipe", params={})
    job.refresh_from_db()
    storage, name = job.file.storage, job.file.name
    assert storage.exists(name)
    assert report_jobs_purge_expired() == 0
    assert report_jobs_purge_expired(now=job.expires_at + timedelta(seconds=1)) == 1
    job.refresh_from_db()
    assert job.status == ReportJob.Status.EXPIRED and not job.file and not storage.exists(name)
    client.force_login(gestor)
    response = client.get(reverse("reports:report_download", args=[job.pk]), follow=True)
    assert "não tem arquivo para baixar" in response.content.decode()


def test_active_jobs_per_user_are_limited(gestor, settings):
    settings.GPU_REPORT_MAX_ACTIVE_PER_USER = 2
    actor = actor_for_user(gestor)
    report_request(actor=actor, key="teste_equipe", params={})
    report_request(actor=actor, key="teste_equipe", params={})
    with pytest.raises(Conflict) as exc:
        report_request(actor=actor, key="teste_equipe", params={})
    assert exc.value.code == "limite_relatorios"


def test_monthly_report_is_built_once_per_unimed_and_mailed_as_a_link(
    gestor, other_unimed, django_capture_on_commit_callbacks
):
    staff_user(other_unimed, "atendente")  # no gestor there: nobody to send it to
    with django_capture_on_commit_callbacks(execute=True):
        created = report_monthly_dispatch(today=date(2026, 12, 1))
    assert [j.schedule_slot for j in created if j.report_key == "teste_mensal"] == [
        "teste_mensal:0137:2026-11"
    ]
    job = ReportJob.objects.get(report_key="teste_mensal")
    assert job.status == ReportJob.Status.DONE and job.scheduled and job.requested_by is None
    sent = [m for m in mail.outbox if "Mensal (teste)" in m.subject]
    assert len(sent) == 1
    message = sent[0]
    assert message.to == ["gestora@unimed.example"] and not message.attachments
    assert reverse("reports:report_download", args=[job.pk]) in message.body
    assert report_monthly_dispatch(today=date(2026, 12, 15)) == []

    # The gestor sees and downloads it; other staff of the Unimed do not.
    from django.test import Client

    client = Client()
    client.force_login(gestor)
    assert client.get(reverse("reports:report_download", args=[job.pk])).status_code == 200
    client.force_login(staff_user(gestor.membership.unimed, "atendente", username="at"))
    assert client.get(reverse("reports:report_download", args=[job.pk])).status_code == 404
    assert Membership.objects.count() == 3


def test_hub_admin_lists_jobs_read_only_in_the_admin(client, gestor):
    from tests.factories import UserFactory

    report_request(actor=actor_for_user(gestor), key="teste_equipe", params={})
    admin_user = UserFactory(username="hubadmin", is_staff=True, is_superuser=True)
    client.force_login(admin_user)
    page = client.get("/admin/reports/reportjob/")
    assert page.status_code == 200 and "Equipe (teste)" in page.content.decode()
    assert client.get("/admin/reports/reportjob/add/").status_code == 403
