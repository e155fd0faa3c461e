"""Service checks used by /healthz."""

import time

from django.conf import settings
from django.core.cache import cache
from django.db import connection


def check_database() -> dict:
    started = time.monotonic()
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
            cursor.fetchone()
    except Exception as exc:  # noqa: BLE001 - any failure means unhealthy
        return {"ok": False, "erro": str(exc)[:200]}
    return {"ok": True, "ms": round((time.monotonic() - started) * 1000, 1), "engine": connection.vendor}


def check_cache() -> dict:
    try:
        cache.set("gpu:healthz", "1", 10)
        ok = cache.get("gpu:healthz") == "1"
    except Exception as exc:  # noqa: BLE001
        return {"ok": False, "erro": str(exc)[:200]}
    return {"ok": ok, "backend": "redis" if settings.REDIS_URL else "memoria-local"}


def check_celery() -> dict:
    if not settings.REDIS_URL:
        return {"ok": True, "modo": "eager"}
    from gpu_project.celery import app

    try:
        replies = app.control.inspect(timeout=1.0).ping() or {}
    except Exception as exc:  # noqa: BLE001
        return {"ok": False, "erro": str(exc)[:200]}
    return {"ok": bool(replies), "workers": sorted(replies)}


def health_report() -> tuple[bool, dict]:
    report = {"banco": check_database(), "cache": check_cache(), "celery": check_celery()}
    return all(part["ok"] for part in report.values()), report
