"""Shared fixtures. Service-dependent tests are marked `postgres`, `redis` or
`celery_worker`: they skip when the service is absent, and FAIL instead when
GPU_REQUIRE_SERVICES=1 (as .ci/run sets)."""

import os
import socket
import subprocess
import sys
import time
import uuid
from importlib import import_module
from pathlib import Path

import pytest
from django.conf import settings
from django.db import connection
from rest_framework.test import APIClient

from protocols.outbox.receiver import Receiver
from tests.factories import UnimedFactory, service_token, staff_user

ROOT = Path(__file__).resolve().parent.parent
RECEIVER_SECRET = "segredo-de-teste-0137"  # tests.gpu_api.conftest.SECRET


def _missing(reason: str):
    if settings.GPU_REQUIRE_SERVICES:
        pytest.fail(
            f"Serviço obrigatório ausente (GPU_REQUIRE_SERVICES=1): {reason}", pytrace=False
        )
    pytest.skip(reason)


def redis_available() -> bool:
    if not settings.REDIS_URL:
        return False
    try:
        import redis

        redis.Redis.from_url(settings.REDIS_URL, socket_connect_timeout=1).ping()
    except Exception:  # noqa: BLE001
        return False
    return True


def pytest_runtest_setup(item):
    if item.get_closest_marker("postgres") and not settings.IS_POSTGRES:
        _missing("este teste precisa de PostgreSQL (DATABASE_URL=postgres://…)")
    if (
        item.get_closest_marker("redis") or item.get_closest_marker("celery_worker")
    ) and not redis_available():
        _missing("este teste precisa de Redis (REDIS_URL)")


@pytest.fixture(autouse=True)
def _fresh_cache_and_media(settings, tmp_path):
    from django.core.cache import cache

    settings.MEDIA_ROOT = str(tmp_path / "media")
    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    from core import refcache

    cache.clear()
    refcache.clear()
    yield


@pytest.fixture(autouse=True)
def _second_factor_not_required(settings):
    """Most tests sign staff in with force_login and test something else: the second
    factor is required only where a test turns it on (tests/unimeds/panel/test_second_factor.py
    sets GPU_2FA_REQUIRED_ROLES to the production default)."""
    settings.GPU_2FA_REQUIRED_ROLES = []


@pytest.fixture
def reference_data(transactional_db):
    """Put back what the data migrations load (IBGE municipalities, the manifestation
    catalog): a transactional test starts after another one flushed every table.
    Preferred over serialized_rollback, whose restore clashes with the content types
    that post_migrate recreates after a flush."""
    from django.apps import apps as django_apps

    from unimeds.models import Municipality

    if not Municipality.objects.filter(code="4205407").exists():
        import_module("unimeds.migrations.0002_load_municipalities").load(django_apps, None)
    import_module("protocols.migrations.0002_seed_catalog").seed(django_apps, None)
    import_module("protocols.migrations.0007_manifestation_wire_codes").set_wire_codes(
        django_apps, None
    )


@pytest.fixture(autouse=True)
def _reference_data_in_transactional_tests(request):
    marker = request.node.get_closest_marker("django_db")
    transactional = (marker is not None and marker.kwargs.get("transaction")) or any(
        name in request.fixturenames
        for name in ("transactional_db", "live_server", "celery_worker")
    )
    if transactional:
        request.getfixturevalue("reference_data")


@pytest.fixture
def unimed(db):
    return UnimedFactory(code="0137", ans_registry="322831", name="Unimed Teste 0137", uf="SP")


@pytest.fixture
def other_unimed(db):
    return UnimedFactory(code="0025", ans_registry="302147", name="Unimed Teste 0025", uf="SC")


@pytest.fixture
def make_staff(db):
    return staff_user


@pytest.fixture
def api_client():
    return APIClient()


@pytest.fixture
def api_for(db):
    """api_for(unimed) → an APIClient authenticated as a service account of that Unimed."""

    def build(unimed):
        client = APIClient()
        client.credentials(HTTP_AUTHORIZATION=f"Bearer {service_token(unimed)}")
        return client

    return build


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@pytest.fixture
def free_port():
    return _free_port()


@pytest.fixture
def celery_worker(transactional_db):
    """A real Celery worker process on Redis, using this test's database.

    Tasks sent while it runs are published to Redis (not eager) and executed by
    the worker, which sees what the test committed (transactional_db)."""
    if not redis_available():
        _missing("o worker Celery precisa de Redis (REDIS_URL)")
    if not settings.IS_POSTGRES:
        _missing("o worker Celery precisa de PostgreSQL (o SQLite de teste fica em memória)")
    from gpu_project.celery import app

    db = connection.settings_dict
    env = dict(os.environ)
    if settings.IS_POSTGRES:
        env["DATABASE_URL"] = (
            f"postgres://{db['USER']}:{db.get('PASSWORD') or ''}@{db['HOST'] or '127.0.0.1'}:{db['PORT'] or 5432}/{db['NAME']}"
        )
    else:
        env["DATABASE_URL"] = f"sqlite:///{db['NAME']}"
    env.update(
        {
            "SECRET_KEY": settings.SECRET_KEY,
            "GPU_DEBUG": "1",
            "GPU_REFCACHE_CHECK_SECONDS": "0",
            "GPU_CELERY_EAGER": "0",
            "REDIS_URL": settings.REDIS_URL,
            "GPU_MEDIA_ROOT": str(settings.MEDIA_ROOT),
        }
    )
    queue = f"test-{uuid.uuid4().hex[:8]}"
    node = f"{queue}@localhost"
    proc = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "celery",
            "-A",
            "gpu_project",
            "worker",
            "-P",
            "threads",
            "-c",
            "4",
            "-n",
            node,
            "-Q",
            queue,
            "--without-gossip",
            "--without-mingle",
            "--loglevel=WARNING",
        ],
        cwd=ROOT,
        env=env,
    )
    old = (app.conf.task_always_eager, app.conf.task_default_queue)
    app.conf.task_always_eager = False
    app.conf.task_default_queue = queue
    try:
        deadline = time.monotonic() + 30
        while time.monotonic() < deadline:
            if proc.poll() is not None:
                pytest.fail("o worker Celery terminou ao iniciar")
            replies = app.control.inspect(destination=[node], timeout=0.5).ping() or {}
            if node in replies:
                break
        else:
            pytest.fail("o worker Celery não respondeu em 30 s")
        yield proc
    finally:
        app.conf.task_always_eager, app.conf.task_default_queue = old
        proc.terminate()
        try:
            proc.wait(timeout=15)
        except subprocess.TimeoutExpired:
            proc.kill()


@pytest.fixture
def receivers():
    """integrate(unimed, secret, statuses=None) → a started Receiver that is the Unimed's endpoint."""
    started: list[Receiver] = []

    def integrate(unimed, secret: str = RECEIVER_SECRET, **kwargs) -> Receiver:
        receiver = Receiver(secret, **kwargs).start()
        started.append(receiver)
        unimed.is_integrated = True
        unimed.endpoint_url = receiver.url
        unimed.signing_secret = secret
        unimed.save()
        return receiver

    yield integrate
    for receiver in started:
        receiver.stop()
