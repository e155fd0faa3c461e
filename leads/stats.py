"""Sales dashboard of the acting Unimed's leads (what the CRM tracked in spreadsheets):
funnel by stage, conversion by month and by seller, time in each stage, and what became
of market reservations."""

from collections import defaultdict
from datetime import date

from django.db.models import Count, Q
from django.db.models.functions import TruncMonth
from django.utils import timezone

from leads.models import LeadEvent, LeadEventKind, LeadStatus, MarketReservation, ReservationStatus
from leads.selectors import leads_visible
from protocols.panel.stats import _as_date, _month_start
from unimeds.actors import Actor

MONTHS = 6
WON, LOST = LeadStatus.GANHO, LeadStatus.PERDIDO


def _rate(won: int, total: int) -> int:
    return round(100 * won / total) if total else 0


def conversion_by_month(leads, first_month: date):
    """(month, created, won, lost, conversion %) per month of creation."""
    rows = (
        leads.order_by()
        .filter(created_at__date__gte=first_month)
        .annotate(month=TruncMonth("created_at"))
        .values("month")
        .annotate(
            total=Count("id"),
            won=Count("id", filter=Q(status=WON)),
            lost=Count("id", filter=Q(status=LOST)),
        )
        .order_by("month")
    )
    return [
        (_as_date(r["month"]), r["total"], r["won"], r["lost"], _rate(r["won"], r["total"]))
        for r in rows
    ]


def conversion_by_seller(leads):
    """(seller, total, open, won, lost, conversion %), most leads first."""
    rows = (
        leads.order_by()
        .values("owner__username")
        .annotate(
            total=Count("id"),
            won=Count("id", filter=Q(status=WON)),
            lost=Count("id", filter=Q(status=LOST)),
        )
        .order_by("-total", "owner__username")
    )
    return [
        (
            r["owner__username"] or "(sem responsável)",
            r["total"],
            r["total"] - r["won"] - r["lost"],
            r["won"],
            r["lost"],
            _rate(r["won"], r["total"]),
        )
        for r in rows
    ]


def days_in_stage(leads) -> list[tuple[str, str, float, int]]:
    """(stage, label, average days, leads that left it): from entering a stage (the lead's
    creation for "novo") to the stage change that left it."""
    entered: dict[int, tuple[str, object]] = {}
    spans: dict[str, list[float]] = defaultdict(list)
    for lead_id, created in leads.order_by().values_list("pk", "created_at").iterator():
        entered[lead_id] = (LeadStatus.NOVO, created)
    events = (
        LeadEvent.objects.filter(lead__in=leads.order_by().values("pk"), kind=LeadEventKind.ETAPA)
        .order_by("lead_id", "at", "id")
        .values_list("lead_id", "from_status", "to_status", "at")
    )
    for lead_id, from_status, to_status, at in events.iterator():
        stage, since = entered.get(lead_id, (from_status, at))
        if stage == from_status:
            spans[stage].append((at - since).total_seconds() / 86400)
        entered[lead_id] = (to_status, at)
    return [
        (
            value,
            label,
            round(sum(spans[value]) / len(spans[value]), 1) if spans[value] else 0.0,
            len(spans[value]),
        )
        for value, label in LeadStatus.choices
        if value not in (WON, LOST)
    ]


def reservation_outcomes(actor: Actor) -> list[tuple[str, int]]:
    """Reservations of the Unimed: won (the lead was won), lost (the lead was lost),
    expired, released, still active."""
    qs = MarketReservation.objects.order_by()
    if not actor.sees_all_unimeds:
        qs = qs.filter(unimed_id=actor.unimed_id)
    counts = qs.aggregate(
        won=Count("id", filter=Q(lead__status=WON)),
        lost=Count("id", filter=Q(lead__status=LOST)),
        expired=Count("id", filter=Q(status=ReservationStatus.EXPIRED)),
        released=Count("id", filter=Q(status=ReservationStatus.RELEASED)),
        active=Count("id", filter=Q(status=ReservationStatus.ACTIVE)),
    )
    return [
        ("Ganhas (lead ganho)", counts["won"]),
        ("Perdidas (lead perdido)", counts["lost"]),
        ("Expiradas", counts["expired"]),
        ("Liberadas", counts["released"]),
        ("Ativas", counts["active"]),
    ]


def sales_dashboard(*, actor: Actor, today: date | None = None) -> dict:
    today = today or timezone.localdate()
    leads = leads_visible(actor=actor)
    by_status = dict(leads.order_by().values_list("status").annotate(n=Count("id")))
    first_month = _month_start(today, MONTHS - 1)
    monthly = {row[0]: row for row in conversion_by_month(leads, first_month)}
    return {
        "funnel": [(value, label, by_status.get(value, 0)) for value, label in LeadStatus.choices],
        "monthly": [
            monthly.get(month, (month, 0, 0, 0, 0))
            for month in (_month_start(today, back) for back in range(MONTHS - 1, -1, -1))
        ],
        "sellers": conversion_by_seller(leads),
        "stages": days_in_stage(leads),
        "reservations": reservation_outcomes(actor),
    }
