"""Fault suite fixtures: private Redis/PostgreSQL, Celery worker and beat processes
with short settings, this process's publisher and cache pointed at the private Redis.

Every scenario is marked `faults` (plus `postgres`/`redis` when it needs them): it
skips where redis-server or PostgreSQL binaries are missing and fails instead when
GPU_REQUIRE_SERVICES=1 (CI). Time is scaled down through settings, e.g. a delivery
deadline of 2 s instead of 10 s and sweeps every second (docs/operations.md)."""

import os
import signal
import subprocess
import sys

import pytest
from django.conf import settings
from django.db import connection

from tests.conftest import ROOT, _missing
from tests.faults.services import PrivatePostgres, PrivateRedis, postgres_bin_dir, wait_until

# Short timings for the processes the suite starts (documented in docs/operations.md).
FAST = {
    "GPU_DELIVERY_TIMEOUT_SECONDS": "2",
    "GPU_DELIVERY_STALE_SECONDS": "5",
    "GPU_DELIVERY_SWEEP_SECONDS": "1",
    "GPU_DELIVERY_RETRY_BASE_SECONDS": "1",
    "GPU_EMAIL_SWEEP_SECONDS": "1",
    "GPU_EMAIL_RETRY_BASE_SECONDS": "1",
    "GPU_EMAIL_RETRY_MAX_SECONDS": "1",
    "GPU_HEARTBEAT_SECONDS": "1",
    "GPU_NOTIFICATION_SWEEP_SECONDS": "2",
}


@pytest.fixture
def private_redis():
    if not PrivateRedis.binary:
        _missing("o teste de falhas precisa do binário redis-server (apt-get install redis-server)")
    redis = PrivateRedis().start()
    yield redis
    redis.stop()


@pytest.fixture(scope="session")
def private_postgres():
    if not postgres_bin_dir():
        _missing(
            "o teste de falhas precisa dos binários do PostgreSQL (apt-get install postgresql)"
        )
    cluster = PrivatePostgres().init().start()
    yield cluster
    cluster.destroy()


def _switch_broker(url: str) -> None:
    from gpu_project.celery import app

    # kombu keeps one producer pool per broker URL: dropping the app's references
    # makes the next publish use `url`.
    app._pool = None
    app.amqp._producer_pool = None
    app.conf.broker_url = url


@pytest.fixture
def on_private_redis(private_redis, settings):
    """This process publishes to, and caches in, the private Redis (not eagerly)."""
    from gpu_project.celery import app

    old = (app.conf.broker_url, app.conf.task_always_eager)
    settings.REDIS_URL = private_redis.url
    settings.CACHES = {
        "default": {
            "BACKEND": "core.cache.FailOpenRedisCache",
            "LOCATION": private_redis.url,
            "OPTIONS": {"socket_connect_timeout": 0.3, "socket_timeout": 0.3},
        }
    }
    _switch_broker(private_redis.url)
    app.conf.task_always_eager = False
    yield private_redis
    _switch_broker(old[0])
    app.conf.task_always_eager = old[1]


def _database_url() -> str:
    db = connection.settings_dict
    return (
        f"postgres://{db['USER']}:{db.get('PASSWORD') or ''}@{db['HOST'] or '127.0.0.1'}:"
        f"{db['PORT'] or 5432}/{db['NAME']}"
    )


class Processes:
    """Worker and beat subprocesses of one test, stopped at its end."""

    def __init__(self, redis_url: str, tmp_path, extra_env: dict):
        self.redis_url, self.tmp_path, self.extra_env = redis_url, tmp_path, extra_env
        self.started: list[subprocess.Popen] = []

    def _env(self) -> dict:
        env = dict(os.environ)
        env.update(
            {
                "DATABASE_URL": _database_url(),
                "REDIS_URL": self.redis_url,
                "GPU_DEBUG": "1",
                "GPU_CELERY_EAGER": "0",
                "GPU_REFCACHE_CHECK_SECONDS": "0",
                "GPU_MEDIA_ROOT": str(settings.MEDIA_ROOT),
                **FAST,
                **self.extra_env,
            }
        )
        return env

    def worker(self, name: str = "w1") -> subprocess.Popen:
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
                f"{name}@faults",
                "--without-gossip",
                "--without-mingle",
                "--loglevel=WARNING",
            ],
            cwd=ROOT,
            env=self._env(),
        )
        self.started.append(proc)
        return proc

    def beat(self) -> subprocess.Popen:
        proc = subprocess.Popen(
            [
                sys.executable,
                "-m",
                "celery",
                "-A",
                "gpu_project",
                "beat",
                "--loglevel=WARNING",
                "-s",
                str(self.tmp_path / "beat-schedule"),
            ],
            cwd=ROOT,
            env=self._env(),
        )
        self.started.append(proc)
        return proc

    @staticmethod
    def kill(proc: subprocess.Popen) -> None:
        proc.send_signal(signal.SIGKILL)
        proc.wait(timeout=10)

    def stop_all(self) -> None:
        for proc in self.started:
            if proc.poll() is None:
                proc.terminate()
        for proc in self.started:
            try:
                proc.wait(timeout=15)
            except subprocess.TimeoutExpired:
                proc.kill()


@pytest.fixture
def processes(on_private_redis, transactional_db, tmp_path):
    if not settings.IS_POSTGRES:
        _missing("worker e beat precisam de PostgreSQL (o SQLite de teste fica em memória)")
    started = Processes(on_private_redis.url, tmp_path, {})
    yield started
    started.stop_all()


def worker_seen(name: str) -> bool:
    from core.models import Heartbeat

    return Heartbeat.objects.filter(kind="worker", name=f"{name}@faults").exists()


def wait_for_worker(name: str = "w1", timeout: float = 40) -> None:
    wait_until(lambda: worker_seen(name), timeout=timeout, what=f"o worker {name} ficar pronto")
