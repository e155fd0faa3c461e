"""Reads of the integration log and delivery counts, scoped by the acting Unimed."""

from dataclasses import dataclass
from datetime import date, datetime, time, timedelta

from django.db.models import Count, Q, QuerySet
from django.utils import timezone

from core.models import IntegrationLog
from protocols.models import Delivery
from unimeds.actors import Actor


@dataclass(frozen=True)
class LogFilters:
    direction: str = ""  # entrada | saida
    operation: str = ""
    outcome: str = ""  # ok | erro
    since: date | None = None
    until: date | None = None
    request_id: str = ""


def _day_start(day: date) -> datetime:
    return timezone.make_aware(datetime.combine(day, time.min))


def deliveries_visible(*, actor: Actor) -> QuerySet[Delivery]:
    """Deliveries to or from the actor's Unimed (everything for an actor that sees every
    Unimed; nothing for the portal)."""
    if actor.sees_all_unimeds:
        return Delivery.objects.all()
    if actor.unimed is None:
        return Delivery.objects.none()
    return Delivery.objects.filter(Q(unimed=actor.unimed) | Q(sender_unimed=actor.unimed))


def integration_log_list(
    *, actor: Actor, filters: LogFilters | None = None
) -> QuerySet[IntegrationLog]:
    """Calls made by or to the actor's Unimed (bodies already masked); hub admins see all."""
    f = filters or LogFilters()
    if actor.sees_all_unimeds:
        queryset = IntegrationLog.objects.all()
    elif actor.unimed is not None:
        queryset = IntegrationLog.objects.filter(unimed=actor.unimed)
    else:
        return IntegrationLog.objects.none()
    if f.direction:
        queryset = queryset.filter(direction=f.direction)
    if f.operation:
        queryset = queryset.filter(operation=f.operation)
    if f.outcome == "ok":
        queryset = queryset.filter(http_status__gte=200, http_status__lt=300)
    elif f.outcome == "erro":
        queryset = queryset.filter(
            Q(http_status__isnull=True) | Q(http_status__lt=200) | Q(http_status__gte=300)
        )
    if f.since:
        queryset = queryset.filter(at__gte=_day_start(f.since))
    if f.until:
        queryset = queryset.filter(at__lt=_day_start(f.until) + timedelta(days=1))
    if f.request_id:
        queryset = queryset.filter(request_id=f.request_id.strip())
    return queryset.select_related("unimed").order_by("-at", "-id")


def integration_operations(*, actor: Actor) -> list[str]:
    return sorted(set(integration_log_list(actor=actor).values_list("operation", flat=True)[:1000]))


def delivery_counts(*, actor: Actor) -> dict[str, int]:
    """Deliveries to or from the actor's Unimed by status."""
    return dict(
        deliveries_visible(actor=actor).values_list("status").annotate(n=Count("id")).order_by()
    )
