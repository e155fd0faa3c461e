"""A real Celery worker builds a report while the panel polls its progress
(PostgreSQL + Redis; skipped without them, failing under GPU_REQUIRE_SERVICES=1)."""

import re
import time

import pytest
from django.urls import reverse
from django.utils import timezone

from core.models import AuditEvent
from reports.models import ReportJob
from tests.factories import staff_user

ROWS = 5000


@pytest.fixture
def worker_settings(monkeypatch):
    # Read by the worker process, which gets a copy of this environment.
    monkeypatch.setenv("GPU_REPORT_PROGRESS_EVERY", "50")


@pytest.mark.postgres
@pytest.mark.celery_worker
def test_progress_is_visible_while_a_worker_builds_the_report(
    worker_settings, celery_worker, client, unimed, other_unimed
):
    gestor = staff_user(unimed, "gestor", username="gestora.worker")
    now = timezone.now()
    AuditEvent.objects.bulk_create(
        AuditEvent(
            at=now,
            actor="carga",
            unimed=unimed,
            action="teste.carga",
            target_type="X",
            target_id=str(i),
        )
        for i in range(ROWS)
    )
    client.force_login(gestor)
    response = client.post(
        reverse("reports:reports"), {"report": "auditoria", "auditoria-fmt": "xlsx"}
    )
    assert response.status_code == 302
    job = ReportJob.objects.get()
    url = reverse("reports:report_job", args=[job.pk])

    progress = []
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        row = client.get(url, HTTP_HX_REQUEST="true").content.decode()
        if "Baixar" in row:
            break
        match = re.search(r"([\d.]+) de ([\d.]+) linhas", row)
        if match:
            progress.append(int(match.group(1).replace(".", "")))
        time.sleep(0.02)
    else:
        pytest.fail("o relatório não terminou em 60 s")
    assert any(0 < seen < ROWS for seen in progress), progress
    job.refresh_from_db()
    assert job.status == ReportJob.Status.DONE and job.rows_written >= ROWS

    outsider = staff_user(other_unimed, "gestor", username="gestor.outra.worker")
    client.force_login(outsider)
    assert client.get(reverse("reports:report_download", args=[job.pk])).status_code == 404
    client.force_login(gestor)
    assert client.get(reverse("reports:report_download", args=[job.pk])).status_code == 200
