"""The real services CI provides: these fail (not skip) when GPU_REQUIRE_SERVICES=1."""

import time

import pytest
from django.db import connection


@pytest.mark.postgres
def test_database_is_postgresql(db):
    assert connection.vendor == "postgresql"


@pytest.mark.redis
def test_cache_is_redis(db, client):
    from django.core.cache import cache

    cache.set("gpu:teste", "ok", 5)
    assert cache.get("gpu:teste") == "ok"
    assert client.get("/healthz/pronto").json()["cache"] == {"ok": True, "backend": "redis"}


@pytest.mark.redis
def test_healthz_is_200_with_no_worker_and_readiness_names_it(client, db):
    response = client.get("/healthz")
    assert response.status_code == 200
    assert set(response.json()) == {"status", "banco"}  # liveness: nothing asked of the workers
    ready = client.get("/healthz/pronto")
    assert ready.status_code == 503
    assert ready.json()["workers"]["ok"] is False and ready.json()["workers"]["ativos"] == []
    assert ready.json()["beat"]["ok"] is False


@pytest.mark.celery_worker
def test_readiness_sees_the_running_worker_by_its_heartbeat(celery_worker, client):
    deadline = time.monotonic() + 20
    while time.monotonic() < deadline and not client.get("/healthz/pronto").json()["workers"]["ok"]:
        time.sleep(0.2)  # the worker writes its heartbeat row when it is ready
    assert client.get("/healthz/pronto").json()["workers"]["ativos"]


@pytest.mark.celery_worker
def test_real_worker_runs_a_task(celery_worker):
    from datetime import timedelta

    from django.utils import timezone

    from core.integration_log import log_call
    from core.models import IntegrationLog
    from core.tasks import integration_log_purge_task

    old = log_call(direction="entrada", operation="antigo")
    IntegrationLog.objects.filter(pk=old.pk).update(at=timezone.now() - timedelta(days=400))
    integration_log_purge_task.delay()
    deadline = time.monotonic() + 20
    while IntegrationLog.objects.exists() and time.monotonic() < deadline:
        time.sleep(0.1)  # the worker, another process, deletes the row
    assert not IntegrationLog.objects.exists()
