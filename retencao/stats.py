"""Retention dashboard figures of the acting Unimed: one aggregate query each."""

from datetime import date
from decimal import Decimal

from django.db.models import Count, Q, Sum
from django.db.models.functions import TruncMonth
from django.utils import timezone

from protocols.panel.stats import _as_date, _month_start
from retencao.models import CLOSED_STATUSES, CaseOrigin, CaseStatus
from retencao.selectors import cases_visible
from unimeds.actors import Actor

MONTHS = 6


def retention_dashboard(*, actor: Actor, today: date | None = None) -> dict:
    """{"by_origin": [(origin, label, open, total)], "by_outcome": [(status, label, n)],
    "monthly": [(month, retained, closed, rate %)], "at_risk", "retained_value",
    "open", "overdue"} over the cases the actor sees."""
    today = today or timezone.localdate()
    base = cases_visible(actor=actor).order_by()
    open_q = ~Q(status__in=CLOSED_STATUSES)
    origins = {
        row["origin"]: row
        for row in base.values("origin").annotate(
            total=Count("id"), open=Count("id", filter=open_q)
        )
    }
    outcomes = dict(
        base.filter(status__in=CLOSED_STATUSES).values_list("status").annotate(n=Count("id"))
    )
    first_month = _month_start(today, MONTHS - 1)
    monthly_rows = (
        base.filter(closed_at__isnull=False, closed_at__date__gte=first_month)
        .annotate(month=TruncMonth("closed_at"))
        .values("month")
        .annotate(closed=Count("id"), retained=Count("id", filter=Q(status=CaseStatus.RETIDO)))
    )
    by_month = {_as_date(r["month"]): (r["retained"], r["closed"]) for r in monthly_rows}
    monthly = []
    for back in range(MONTHS - 1, -1, -1):
        month = _month_start(today, back)
        retained, closed = by_month.get(month, (0, 0))
        monthly.append((month, retained, closed, round(100 * retained / closed) if closed else 0))
    money = base.aggregate(
        at_risk=Sum("monthly_value", filter=open_q),
        retained=Sum("monthly_value", filter=Q(status=CaseStatus.RETIDO)),
        lost=Sum("monthly_value", filter=Q(status=CaseStatus.CANCELADO)),
    )
    return {
        "by_origin": [
            (
                value,
                label,
                origins.get(value, {}).get("open", 0),
                origins.get(value, {}).get("total", 0),
            )
            for value, label in CaseOrigin.choices
        ],
        "by_outcome": [
            (value, CaseStatus(value).label, outcomes.get(value, 0))
            for value in (CaseStatus.RETIDO, CaseStatus.CANCELADO, CaseStatus.SEM_CONTATO)
        ],
        "monthly": monthly,
        "at_risk": money["at_risk"] or Decimal("0"),
        "retained_value": money["retained"] or Decimal("0"),
        "lost_value": money["lost"] or Decimal("0"),
        "open": base.filter(open_q).count(),
        "overdue": base.filter(
            open_q, first_contact_at__isnull=True, first_contact_due__lt=today
        ).count(),
    }


def monthly_outcomes(cases, begin, finish):
    """(month, closed, retained, cancelled, no contact, rate %, value retained, value lost)
    per month of closing in [begin, finish)."""
    rows = (
        cases.order_by()
        .filter(closed_at__gte=begin, closed_at__lt=finish)
        .annotate(month=TruncMonth("closed_at"))
        .values("month")
        .annotate(
            closed=Count("id"),
            retained=Count("id", filter=Q(status=CaseStatus.RETIDO)),
            cancelled=Count("id", filter=Q(status=CaseStatus.CANCELADO)),
            no_contact=Count("id", filter=Q(status=CaseStatus.SEM_CONTATO)),
            value_retained=Sum("monthly_value", filter=Q(status=CaseStatus.RETIDO)),
            value_lost=Sum("monthly_value", filter=Q(status=CaseStatus.CANCELADO)),
        )
        .order_by("month")
    )
    for r in rows:
        closed = r["closed"]
        yield (
            _as_date(r["month"]),
            closed,
            r["retained"],
            r["cancelled"],
            r["no_contact"],
            round(100 * r["retained"] / closed) if closed else 0,
            r["value_retained"] or Decimal("0"),
            r["value_lost"] or Decimal("0"),
        )
