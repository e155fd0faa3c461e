"""Dashboard figures of the acting Unimed's received protocols (the inbox scope).

Each figure is one aggregate query over indexed columns; the result is cached for a
minute per Unimed because the dashboard is the panel's landing page, and every
protocol event of that Unimed (after commit) starts a fresh cache version, so what a
user just did shows at once.
"""

import logging
import secrets
from datetime import date, timedelta

from django.core.cache import cache
from django.db import transaction
from django.db.models import Count, F, Q
from django.db.models.functions import TruncMonth

from protocols.models import OPEN_STATUSES, Status
from protocols.numbering import local_day
from protocols.panel.selectors import inbox_queryset
from unimeds.actors import Actor

logger = logging.getLogger(__name__)

CACHE_SECONDS = 60
DAYS = 30
MONTHS = 6


def _month_start(day: date, back: int) -> date:
    year, month = day.year, day.month - back
    while month < 1:
        month += 12
        year -= 1
    return date(year, month, 1)


def dashboard_stats(*, actor: Actor, today: date | None = None) -> dict:
    """{"by_status": [(status, label, n)], "due_today", "overdue", "per_day": [(day, n)],
    "on_time": [(month, answered_on_time, total)]} for what the actor's Unimed received."""
    today = today or local_day()
    version = cache.get_or_set(_version_key(actor.unimed_id), 1, None)
    key = f"protocols:dashboard:{actor.unimed_id or 'hub'}:{version}:{today.isoformat()}"
    cached = cache.get(key)
    if cached is not None:
        return cached
    base = inbox_queryset(actor=actor)[0].order_by()
    counts = dict(base.values_list("status").annotate(n=Count("id")).values_list("status", "n"))
    open_q = Q(status__in=list(OPEN_STATUSES))
    first_day = today - timedelta(days=DAYS - 1)
    per_day_counts = dict(
        base.filter(opened_on__gte=first_day)
        .values_list("opened_on")
        .annotate(n=Count("id"))
        .values_list("opened_on", "n")
    )
    first_month = _month_start(today, MONTHS - 1)
    # On time = answered (local date) by the due date. A protocol counts in the month it
    # fell due once that day has passed, or earlier if it is already answered.
    monthly = (
        base.filter(due_date__gte=first_month)
        .exclude(status=Status.CANCELADO)
        .filter(Q(due_date__lt=today) | Q(answered_at__isnull=False))
        .annotate(month=TruncMonth("due_date"))
        .values("month")
        .annotate(
            total=Count("id"),
            on_time=Count(
                "id", filter=Q(answered_at__isnull=False, answered_at__date__lte=F("due_date"))
            ),
        )
    )
    by_month = {_as_date(row["month"]): (row["on_time"], row["total"]) for row in monthly}
    stats = {
        "by_status": [(value, label, counts.get(value, 0)) for value, label in Status.choices],
        "due_today": base.filter(open_q, due_date=today).count(),
        "overdue": base.filter(open_q, due_date__lt=today).count(),
        "per_day": [
            (day, per_day_counts.get(day, 0))
            for day in (first_day + timedelta(days=n) for n in range(DAYS))
        ],
        "on_time": [
            (month, *by_month.get(month, (0, 0)))
            for month in (_month_start(today, back) for back in range(MONTHS - 1, -1, -1))
        ],
        "today": today,
    }
    cache.set(key, stats, CACHE_SECONDS)
    return stats


def _as_date(value) -> date:
    return value.date() if hasattr(value, "date") and callable(value.date) else value


def _version_key(unimed_id) -> str:
    return f"protocols:dashboard:version:{unimed_id or 'hub'}"


def _bump(unimed_ids) -> None:
    """A new version for each (any new value will do: readers only compare), in one
    round trip to the cache."""
    version = secrets.token_hex(4)
    try:
        cache.set_many({_version_key(unimed_id): version for unimed_id in unimed_ids}, None)
    except Exception:  # noqa: BLE001 — cache down: the figures expire within CACHE_SECONDS
        logger.warning(
            "Cache indisponível: painel de %s atualiza ao expirar", unimed_ids, exc_info=True
        )


def dashboard_stats_invalidate(event) -> None:
    """Protocol event hook: the responsible Unimed's (and the hub's) figures changed."""
    protocol = event.protocol
    ids = {protocol.responsible_unimed_id, None}
    if event.payload.get("from_unimed"):  # a forward also changes the former responsible's figures
        ids.update(protocol.parties.values_list("unimed_id", flat=True))
    transaction.on_commit(lambda: _bump(ids))
