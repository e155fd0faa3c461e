"""The forced reset through a real Celery worker on Redis/PostgreSQL (CI), polled
like the panel's progress bar."""

import time

import pytest

from cooperados.models import BulkJob, BulkJobStatus, Cooperado
from cooperados.services import bulk_reset_request
from tests.factories import staff_user
from unimeds.actors import actor_for_user
from unimeds.models import Role


@pytest.mark.celery_worker
def test_bulk_reset_runs_in_the_worker_with_progress(celery_worker, unimed, client):
    rows = []
    for i in range(400):
        c = Cooperado(
            unimed=unimed,
            provider_code=str(i),
            full_name=f"Pessoa {i}",
            login=f"{9000 + i}SP",
            password="!x",
        )
        c.sync_derived()
        rows.append(c)
    Cooperado.objects.bulk_create(rows)
    gestor = staff_user(unimed, Role.GESTOR, username="gestor.worker")
    job = bulk_reset_request(
        actor=actor_for_user(gestor), reason="Teste com worker real", confirmation="0137"
    )
    client.force_login(gestor)
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        job.refresh_from_db()
        if job.is_finished:
            break
        time.sleep(0.2)
    assert (job.status, job.processed, job.total) == (BulkJobStatus.DONE, 400, 400)
    progress = client.get(
        f"/painel/cooperados/acoes/{job.pk}/", HTTP_HX_REQUEST="true"
    ).content.decode()
    assert "400 de 400" in progress and "hx-trigger" not in progress  # polling stops when done
    assert Cooperado.objects.filter(must_change_password=True).count() == 400
    assert BulkJob.objects.count() == 1
