"""Service checks: /healthz (liveness + database) and /healthz/pronto (readiness).

Liveness never looks at workers: a load balancer must keep a web node that can take
protocols even when every worker is down. Readiness reads heartbeats and the outbox
(rows in the database), never a broadcast to the workers.
"""

import time
from dataclasses import dataclass
from datetime import timedelta

from django.conf import settings
from django.core.cache import cache
from django.db import connection
from django.db.models import Min
from django.utils import timezone


def check_database() -> dict:
    started = time.monotonic()
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
            cursor.fetchone()
    except Exception as exc:  # noqa: BLE001 - any failure means unhealthy
        return {"ok": False, "erro": str(exc)[:200]}
    return {
        "ok": True,
        "ms": round((time.monotonic() - started) * 1000, 1),
        "engine": connection.vendor,
    }


def check_cache() -> dict:
    backend = "redis" if settings.REDIS_URL else "memoria-local"
    try:
        if hasattr(cache, "probe"):  # core.cache.FailOpenRedisCache hides errors from callers
            ok = cache.probe()
        else:
            cache.set("gpu:healthz", "1", 10)
            ok = cache.get("gpu:healthz") == "1"
    except Exception as exc:  # noqa: BLE001
        return {"ok": False, "backend": backend, "erro": str(exc)[:200]}
    return {"ok": ok, "backend": backend}


def _age(moment, now) -> float | None:
    return None if moment is None else round((now - moment).total_seconds(), 1)


def check_workers(now) -> dict:
    from core.models import Heartbeat

    if not settings.REDIS_URL:
        return {"ok": True, "modo": "eager"}
    recent = now - timedelta(seconds=settings.GPU_READY_WORKER_SECONDS)
    rows = Heartbeat.objects.filter(kind="worker").values_list("name", "seen_at")
    alive = sorted(name for name, seen in rows if seen >= recent)
    report = {"ok": bool(alive), "ativos": alive, "limite_s": settings.GPU_READY_WORKER_SECONDS}
    if not alive:
        report["erro"] = "Nenhum worker deu sinal de vida recentemente."
    return report


def check_beat(now) -> dict:
    from core.models import Heartbeat

    if not settings.REDIS_URL:
        return {"ok": True, "modo": "eager"}
    seen = Heartbeat.objects.filter(kind="beat").aggregate(last=Min("seen_at"))["last"]
    age = _age(seen, now)
    ok = age is not None and age <= settings.GPU_READY_BEAT_SECONDS
    report = {"ok": ok, "ultima_execucao_ha_s": age, "limite_s": settings.GPU_READY_BEAT_SECONDS}
    if not ok:
        report["erro"] = "O beat não rodou as tarefas periódicas recentemente (varreduras paradas)."
    return report


@dataclass(frozen=True)
class Backlog:
    """An outbox table the readiness check and the metrics watch: rows waiting to be
    sent (oldest first by `created_at`) and, when it has them, dead rows. The apps that
    own such tables register them (core's e-mails here, protocols' deliveries in its
    AppConfig), so core reads them without importing the apps."""

    model: type
    waiting: tuple[str, ...]
    dead: str | None
    pending_key: str  # readiness keys, pt-BR: "entregas_pendentes", …
    oldest_key: str
    dead_key: str = ""


BACKLOGS: list[Backlog] = []


def register_backlog(backlog: Backlog) -> None:
    if backlog not in BACKLOGS:
        BACKLOGS.append(backlog)


def check_outbox(now) -> dict:
    report: dict = {}
    oldest_age, dead = 0.0, 0
    for backlog in BACKLOGS:
        waiting = backlog.model.objects.filter(status__in=backlog.waiting)
        age = _age(waiting.aggregate(first=Min("created_at"))["first"], now) or 0.0
        report[backlog.pending_key], report[backlog.oldest_key] = waiting.count(), age
        oldest_age = max(oldest_age, age)
        if backlog.dead:
            report[backlog.dead_key] = backlog.model.objects.filter(status=backlog.dead).count()
            dead += report[backlog.dead_key]
    report.update(
        {
            "limite_idade_s": settings.GPU_READY_BACKLOG_SECONDS,
            "limite_mortas": settings.GPU_READY_DEAD_DELIVERIES,
        }
    )
    problems = []
    if oldest_age > settings.GPU_READY_BACKLOG_SECONDS:
        report["atraso"] = (
            f"Fila de saída parada: o envio pendente mais antigo espera há "
            f"{int(oldest_age // 60)} min (limite "
            f"{settings.GPU_READY_BACKLOG_SECONDS // 60} min)."
        )
        problems.append(report["atraso"])
    if dead > settings.GPU_READY_DEAD_DELIVERIES:
        problems.append("Há entregas mortas esperando reenvio.")
    report["ok"] = not problems
    if problems:
        report["erro"] = " ".join(problems)
    return report


def liveness_report() -> tuple[bool, dict]:
    database = check_database()
    return database["ok"], {"banco": database}


def readiness_report() -> tuple[bool, dict]:
    now = timezone.now()
    report = {"banco": check_database(), "cache": check_cache()}
    if report["banco"]["ok"]:
        report.update(
            {"workers": check_workers(now), "beat": check_beat(now), "fila": check_outbox(now)}
        )
    return all(part["ok"] for part in report.values()), report


def operations_warnings(now=None) -> list[str]:
    """What the supervisor's banner says: background work stalled (pt-BR), or nothing."""
    now = now or timezone.now()
    try:
        workers, beat, outbox = check_workers(now), check_beat(now), check_outbox(now)
    except Exception:  # noqa: BLE001 - the banner must never break a page
        return []
    # Dead deliveries have their own list in the panel; the banner is about stalls.
    found = [part["erro"] for part in (workers, beat) if not part["ok"]]
    return found + ([outbox["atraso"]] if "atraso" in outbox else [])
