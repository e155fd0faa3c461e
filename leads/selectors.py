"""Reads of the leads app, always scoped by the acting Actor's Unimed."""

from datetime import timedelta

from django.contrib.auth import get_user_model
from django.db.models import Count, Exists, OuterRef, Q, QuerySet
from django.db.models.functions import TruncMonth
from django.utils import timezone
from django.utils.translation import gettext as _

from core.errors import NotFound
from leads.models import (
    CLOSED_STATUSES,
    RESERVATION_GUARDED_STATUSES,
    AssignmentRule,
    Lead,
    LeadSettings,
    LeadStatus,
    LeadTeam,
    MarketReservation,
    ReservationStatus,
)
from unimeds.actors import Actor, ActorKind
from unimeds.models import Level, Module, Role
from unimeds.selectors import sellers_of

User = get_user_model()

DEADLINE_FILTERS = {
    "vencido": "Vencido",
    "hoje": "Vence hoje",
    "no_prazo": "No prazo",
    "cumprido": "Primeiro contato feito",
}


def _active_reservation_here():
    return MarketReservation.objects.filter(
        document=OuterRef("document"),
        unimed=OuterRef("unimed"),
        status=ReservationStatus.ACTIVE,
        expires_at__gt=timezone.now(),
    )


def leads_of_unimed(*, actor: Actor) -> QuerySet[Lead]:
    """Every lead of the actor's Unimed (of all, for whoever sees every Unimed): the rows
    a change may reach; who may change one is lead_may_work's rule."""
    if actor.sees_all_unimeds:
        return Lead.objects.all()
    if actor.unimed_id is None:
        return Lead.objects.none()
    return Lead.objects.filter(unimed_id=actor.unimed_id)


def leads_visible(*, actor: Actor) -> QuerySet[Lead]:
    """Supervisors, gestores and the Unimed's system see all its leads; anyone else
    (a seller, a relationship attendant) only the leads they own."""
    qs = Lead.objects.select_related("unimed", "owner", "municipality").annotate(
        reserved=Exists(_active_reservation_here())
    )
    if actor.sees_all_unimeds:
        return qs
    if actor.unimed is None:
        return qs.none()
    qs = qs.filter(unimed_id=actor.unimed_id)
    if actor.kind == ActorKind.SERVICE or actor.may(Module.LEADS, Level.ADMINISTRAR):
        return qs
    if actor.user is not None:
        return qs.filter(owner_id=actor.user.pk)
    return qs.none()


def lead_list(*, actor: Actor, filters: dict | None = None) -> QuerySet[Lead]:
    """Panel/API/export list. Filters: status, owner (id or "nenhum"), source, team,
    deadline (DEADLINE_FILTERS), reserved ("sim"/"nao"), q (document, name, company)."""
    f = {k: v for k, v in (filters or {}).items() if v not in (None, "")}
    qs = leads_visible(actor=actor)
    if "status" in f:
        qs = qs.filter(status=f["status"])
    if f.get("owner") == "nenhum":
        qs = qs.filter(owner__isnull=True)
    elif "owner" in f:
        qs = qs.filter(owner_id=f["owner"])
    if "source" in f:
        qs = qs.filter(source=f["source"])
    if "team" in f:
        qs = qs.filter(team=f["team"])
    if "deadline" in f:
        today = timezone.localdate()
        pending = Q(first_contact_at__isnull=True) & ~Q(status__in=CLOSED_STATUSES)
        qs = {
            "vencido": qs.filter(pending, first_contact_due__lt=today),
            "hoje": qs.filter(pending, first_contact_due=today),
            "no_prazo": qs.filter(pending, first_contact_due__gt=today),
            "cumprido": qs.filter(first_contact_at__isnull=False),
        }.get(f["deadline"], qs)
    if f.get("reserved") in ("sim", "nao"):
        qs = qs.filter(reserved=f["reserved"] == "sim")
    if "q" in f:
        term = str(f["q"]).strip()
        compact = "".join(ch for ch in term.upper() if ch.isalnum())
        cond = Q(name__icontains=term) | Q(company_name__icontains=term)
        if len(compact) >= 4:
            cond |= Q(document__startswith=compact)
        qs = qs.filter(cond)
    return qs.order_by("-created_at", "-id")


def lead_get(*, actor: Actor, lead_id: int) -> Lead:
    try:
        return leads_visible(actor=actor).get(pk=lead_id)
    except (Lead.DoesNotExist, ValueError, TypeError):
        raise NotFound(_("Lead não encontrado.")) from None


def lead_events(*, lead: Lead):
    return lead.events.select_related("user").order_by("at", "id")


def reservation_active_for(*, document: str) -> MarketReservation | None:
    return (
        MarketReservation.objects.select_related("unimed", "seller")
        .filter(document=document, status=ReservationStatus.ACTIVE, expires_at__gt=timezone.now())
        .first()
    )


def reservations_for_lead(*, actor: Actor, lead: Lead) -> QuerySet[MarketReservation]:
    """This Unimed's reservations for the lead's document (history included)."""
    return (
        MarketReservation.objects.select_related("seller", "unimed")
        .filter(document=lead.document, unimed_id=lead.unimed_id)
        .order_by("-starts_at")
    )


def reservation_list(*, actor: Actor, active_only: bool = True) -> QuerySet[MarketReservation]:
    qs = MarketReservation.objects.select_related("seller", "unimed", "lead").filter(
        unimed_id=actor.unimed_id
    )
    if (
        actor.kind != ActorKind.SERVICE
        and not actor.may(Module.LEADS, Level.ADMINISTRAR)
        and actor.user is not None
    ):
        qs = qs.filter(seller_id=actor.user.pk)
    if active_only:
        qs = qs.filter(status=ReservationStatus.ACTIVE, expires_at__gt=timezone.now())
    return qs.order_by("expires_at", "id")


def reservation_get(*, actor: Actor, reservation_id: int) -> MarketReservation:
    try:
        return reservation_list(actor=actor, active_only=False).get(pk=reservation_id)
    except (MarketReservation.DoesNotExist, ValueError, TypeError):
        raise NotFound(_("Reserva não encontrada nesta Unimed.")) from None


def lead_settings_get(*, actor: Actor) -> LeadSettings:
    """The Unimed's settings (defaults when the gestor never changed them; not saved)."""
    return LeadSettings.objects.filter(unimed_id=actor.unimed_id).first() or LeadSettings(
        unimed=actor.unimed, assignment_rule=AssignmentRule.ROUND_ROBIN
    )


def owner_choices(*, actor: Actor, lead: Lead | None = None) -> QuerySet:
    """Who a supervisor may give a lead to: sellers; for clients, anyone of the team."""
    if actor.unimed is None:
        return User.objects.none()
    if lead is not None and lead.team == LeadTeam.RELACIONAMENTO:
        return (
            User.objects.filter(is_active=True, membership__unimed=actor.unimed)
            .distinct()
            .order_by("first_name", "username")
        )
    return sellers_of(actor.unimed).order_by("first_name", "username")


def open_lead_counts(*, actor: Actor) -> dict[int, int]:
    """Open leads per seller of the Unimed (for the gestor's distribution page)."""
    rows = (
        Lead.objects.filter(
            unimed_id=actor.unimed_id, owner__membership__grants__role=Role.VENDEDOR
        )
        .exclude(status__in=CLOSED_STATUSES)
        .values_list("owner_id", flat=True)
    )
    counts: dict[int, int] = {}
    for owner_id in rows:
        counts[owner_id] = counts.get(owner_id, 0) + 1
    return counts


def lead_of_protocol(*, protocol) -> Lead | None:
    """The lead a non-client protocol registered (the caller has already read the
    protocol through protocols' scoped selectors)."""
    return Lead.objects.filter(protocol=protocol).order_by("created_at").first()


# The rules the leads services check, read here too so the panel offers exactly what
# the services accept (tests/leads/test_actions_match_services.py).
def is_supervisor_of(actor: Actor, unimed_id: int) -> bool:
    if actor.sees_all_unimeds:
        return True
    return actor.unimed_id == unimed_id and (
        actor.kind == ActorKind.SERVICE or actor.may(Module.LEADS, Level.ADMINISTRAR)
    )


def lead_may_work(actor: Actor, lead: Lead) -> bool:
    """The owner (a seller or attendant) works the lead; supervisors, gestores and the
    Unimed's system may too."""
    if is_supervisor_of(actor, lead.unimed_id):
        return True
    return bool(
        actor.user is not None
        and lead.owner_id == actor.user.pk
        and actor.may(Module.LEADS, Level.OPERAR)
    )


def reservation_held_elsewhere(*, lead: Lead) -> MarketReservation | None:
    """Another Unimed's active market reservation of this client, if any."""
    return (
        MarketReservation.objects.select_related("unimed")
        .filter(
            document=lead.document, status=ReservationStatus.ACTIVE, expires_at__gt=timezone.now()
        )
        .exclude(unimed_id=lead.unimed_id)
        .first()
    )


def lead_stage_choices(*, actor: Actor, lead: Lead) -> list[str]:
    """The pipeline steps this actor may move the lead to now: LEAD_TRANSITIONS, less
    the negotiation steps while another Unimed holds the client's reservation."""
    if not lead_may_work(actor, lead):
        return []
    held = reservation_held_elsewhere(lead=lead) is not None
    return [s for s in lead.next_statuses if not (held and s in RESERVATION_GUARDED_STATUSES)]


def lead_actions(*, actor: Actor, lead: Lead) -> frozenset[str]:
    """The forms the lead page offers — "contato", "etapa", "reatribuir", "reservar" —
    read from the rules the services check (tests/leads/test_actions_match_services.py)."""
    if not actor.sees_all_unimeds and actor.unimed_id != lead.unimed_id:
        return frozenset()
    actions = set()
    if lead.is_open and lead_may_work(actor, lead):
        actions.add("contato")
    if lead_stage_choices(actor=actor, lead=lead):
        actions.add("etapa")
    if lead.is_open and is_supervisor_of(actor, lead.unimed_id) and actor.kind != ActorKind.SERVICE:
        actions.add("reatribuir")
    if (
        lead.is_open
        and not lead.is_existing_client
        and actor.unimed_id == lead.unimed_id
        and actor.may(Module.LEADS, Level.OPERAR)
        and reservation_active_for(document=lead.document) is None
    ):
        actions.add("reservar")
    return frozenset(actions)


HOME_EXPIRING_DAYS = 3
HOME_MONTHS = 6


def _month_start(day, back: int):
    year, month = day.year, day.month - back
    while month < 1:
        month += 12
        year -= 1
    return day.replace(year=year, month=month, day=1)


def lead_home(*, actor: Actor, today=None) -> dict:
    """The seller's home figures over the leads the actor sees (a seller: their own; a
    supervisor: the Unimed's): leads waiting for a first contact (the ten due first, and
    how many are overdue or due today), reservations expiring within HOME_EXPIRING_DAYS, the funnel by stage and
    the leads won per month (HOME_MONTHS, by closing date)."""
    today = today or timezone.localdate()
    now = timezone.now()
    visible = leads_visible(actor=actor)
    base = visible.order_by()
    pending = base.filter(first_contact_at__isnull=True).exclude(status__in=CLOSED_STATUSES)
    counts = dict(base.values_list("status").annotate(n=Count("id")).values_list("status", "n"))
    first_month = _month_start(today, HOME_MONTHS - 1)
    won = (
        base.filter(status=LeadStatus.GANHO, closed_at__date__gte=first_month)
        .annotate(month=TruncMonth("closed_at"))
        .values("month")
        .annotate(n=Count("id"))
    )
    by_month = {
        (row["month"].date() if hasattr(row["month"], "date") else row["month"]): row["n"]
        for row in won
    }
    return {
        "first_contact": list(
            visible.filter(pk__in=pending).order_by("first_contact_due", "id")[:10]
        ),
        "first_contact_overdue": pending.filter(first_contact_due__lt=today).count(),
        "first_contact_today": pending.filter(first_contact_due=today).count(),
        "reservations_expiring": list(
            reservation_list(actor=actor).filter(
                expires_at__lte=now + timedelta(days=HOME_EXPIRING_DAYS)
            )[:10]
        ),
        "funnel": [(value, label, counts.get(value, 0)) for value, label in LeadStatus.choices],
        "won_by_month": [
            (month, by_month.get(month, 0))
            for month in (_month_start(today, back) for back in range(HOME_MONTHS - 1, -1, -1))
        ],
        "today": today,
    }


def team_load(*, actor: Actor) -> list[dict]:
    """Per member of the actor's Unimed: open leads and first contacts overdue (the
    gestor's team load). Needs Leads at administrar (it shows everyone's work)."""
    actor.require(Module.LEADS, Level.ADMINISTRAR)
    if actor.unimed is None:
        return []
    today = timezone.localdate()
    members = (
        User.objects.filter(is_active=True, membership__unimed_id=actor.unimed_id)
        .annotate(
            open_leads=Count(
                "leads_owned",
                filter=Q(leads_owned__unimed_id=actor.unimed_id)
                & ~Q(leads_owned__status__in=CLOSED_STATUSES),
                distinct=True,
            ),
            overdue_leads=Count(
                "leads_owned",
                filter=Q(
                    leads_owned__unimed_id=actor.unimed_id,
                    leads_owned__first_contact_at__isnull=True,
                    leads_owned__first_contact_due__lt=today,
                )
                & ~Q(leads_owned__status__in=CLOSED_STATUSES),
                distinct=True,
            ),
        )
        .order_by("-open_leads", "first_name", "username")
    )
    return [
        {
            "user": member,
            "name": member.get_full_name() or member.get_username(),
            "open_leads": member.open_leads,
            "overdue_leads": member.overdue_leads,
        }
        for member in members
    ]
