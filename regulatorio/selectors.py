"""Every read of regulator demands, scoped to the actor's Unimed (another Unimed's demand
is NotFound, never Forbidden). Reading requires the Regulatório module (consultar)."""

from dataclasses import dataclass
from datetime import date, datetime
from decimal import Decimal

from django.db.models import Count, Q, QuerySet, Sum
from django.db.models.functions import TruncMonth
from django.utils import timezone
from django.utils.translation import gettext as _

from core.business_days import ANS_CALENDAR, add_business_days
from core.errors import InvalidInput, NotFound
from protocols.models import EventKind, ProtocolEvent
from protocols.routing import resolve_responsible
from regulatorio.models import (
    CLOCK_STATUSES,
    NIP_KINDS,
    Demand,
    DemandAttachment,
    DemandEvent,
    DemandKind,
    DemandStatus,
    Outcome,
    PersusItem,
    Subsidy,
)
from unimeds.actors import Actor
from unimeds.models import Level, Module

# Protocol events of a subsídio request that belong in the demand's timeline.
SUBSIDY_EVENT_KINDS = (
    EventKind.RESPOSTA,
    EventKind.RESPOSTA_PARCIAL,
    EventKind.ENCAMINHADO,
    EventKind.CANCELADO,
    EventKind.COMPLEMENTO,
)


def demands_visible(*, actor: Actor) -> QuerySet[Demand]:
    actor.require(Module.REGULATORIO, Level.CONSULTAR)
    queryset = Demand.objects.select_related("responsible_unimed", "received_by", "owner")
    if actor.sees_all_unimeds:
        return queryset
    if actor.unimed is None:
        return queryset.none()
    return queryset.filter(Q(received_by=actor.unimed) | Q(responsible_unimed=actor.unimed))


def demand_get(*, actor: Actor, demand_id) -> Demand:
    try:
        return demands_visible(actor=actor).get(pk=int(demand_id))
    except (Demand.DoesNotExist, TypeError, ValueError):
        raise NotFound(_("Demanda não encontrada.")) from None


@dataclass(frozen=True)
class DemandFilters:
    kind: str = ""
    status: str = ""
    ans_number: str = ""
    due: str = ""  # hoje | dois_dias | vencidas | abertas
    notified_from: date | None = None
    notified_to: date | None = None


def demand_list(*, actor: Actor, filters: DemandFilters | None = None) -> QuerySet[Demand]:
    filters = filters or DemandFilters()
    queryset = demands_visible(actor=actor)
    if filters.kind:
        queryset = queryset.filter(kind=filters.kind)
    if filters.status:
        queryset = queryset.filter(status=filters.status)
    if filters.ans_number:
        queryset = queryset.filter(ans_number=filters.ans_number.strip())
    if filters.notified_from:
        queryset = queryset.filter(notified_on__gte=filters.notified_from)
    if filters.notified_to:
        queryset = queryset.filter(notified_on__lte=filters.notified_to)
    if filters.due:
        queryset = queryset.filter(due_window_q(filters.due))
    return queryset.order_by("due_date", "id")


def _clock_q() -> Q:
    return Q(status__in=list(CLOCK_STATUSES)) | Q(
        status=DemandStatus.DECIDIDA, deadline_rule="persus_recurso"
    )


def due_window_q(window: str, *, today: date | None = None) -> Q:
    """Demands whose legal clock runs and that fall due today, within two business days,
    or are past due ("abertas": every running clock)."""
    today = today or timezone.localdate()
    clock = _clock_q()
    if window == "hoje":
        return clock & Q(due_date=today)
    if window == "dois_dias":
        return clock & Q(
            due_date__gt=today, due_date__lte=add_business_days(today, 2, **ANS_CALENDAR)
        )
    if window == "vencidas":
        return clock & Q(due_date__lt=today)
    return clock


def inbox_counts(*, actor: Actor) -> dict[str, int]:
    visible = demands_visible(actor=actor)
    return {
        window: visible.filter(due_window_q(window)).count()
        for window in ("hoje", "dois_dias", "vencidas", "abertas")
    }


@dataclass(frozen=True)
class TimelineEntry:
    at: datetime
    title: str
    message: str
    who: str
    source: str  # "" for the demand itself, else "Subsídio 0025 · <protocol number>"
    attachments: tuple = ()
    payload: dict | None = None


def demand_timeline(*, actor: Actor, demand: Demand) -> list[TimelineEntry]:
    """The demand's own events and, merged by time, what happened on its subsídio
    protocols (answers, forwards, cancellations): the protocols app knows nothing of
    demands; this read joins the two."""
    demand_get(actor=actor, demand_id=demand.pk)  # scope check
    entries = [
        TimelineEntry(
            at=e.at,
            title=e.get_kind_display()
            if e.kind != "situacao"
            else f"{DemandStatus(e.from_status).label} → {DemandStatus(e.to_status).label}",
            message=e.message,
            who=e.actor_label,
            source="",
            attachments=tuple(e.attachments.all()),
            payload=e.payload,
        )
        for e in DemandEvent.objects.filter(demand=demand)
        .prefetch_related("attachments")
        .order_by("seq")
    ]
    protocol_events = (
        ProtocolEvent.objects.filter(
            protocol__regulatory_subsidy__demand=demand, kind__in=SUBSIDY_EVENT_KINDS, public=True
        )
        .select_related("protocol", "actor_unimed")
        .order_by("at", "id")
    )
    for e in protocol_events:
        who = f"Unimed {e.actor_unimed.code}" if e.actor_unimed else e.actor_label
        entries.append(
            TimelineEntry(
                at=e.at,
                title=f"Subsídio: {e.get_kind_display().lower()}",
                message=e.message,
                who=who,
                source=f"Protocolo {e.protocol.number}",
            )
        )
    entries.sort(key=lambda entry: entry.at)
    return entries


def demand_subsidies(*, actor: Actor, demand: Demand) -> list[Subsidy]:
    demand_get(actor=actor, demand_id=demand.pk)
    return list(
        Subsidy.objects.filter(demand=demand)
        .select_related("unimed", "protocol")
        .order_by("created_at", "id")
    )


def item_holder(card: str):
    """The Unimed that holds the beneficiary of an AIH/APAC (protocols' routing by card:
    risk sharing, then the card's prefix); None when no Unimed of the network holds it."""
    try:
        return resolve_responsible(card=card)[0]
    except InvalidInput:
        return None


def demand_items(*, actor: Actor, demand: Demand) -> list[PersusItem]:
    """The demand's items, each with `holder`: an ABI may list beneficiaries of several
    Unimeds (the demand's responsible one comes from its first line); subsídios go to
    each item's own Unimed."""
    demand_get(actor=actor, demand_id=demand.pk)
    items = list(PersusItem.objects.filter(demand=demand).order_by("competence", "number"))
    holders = {card: item_holder(card) for card in {item.card for item in items}}
    for item in items:
        item.holder = holders[item.card]
    return items


def attachment_get(*, actor: Actor, attachment_id) -> DemandAttachment:
    try:
        attachment = DemandAttachment.objects.select_related("event").get(pk=int(attachment_id))
    except (DemandAttachment.DoesNotExist, TypeError, ValueError):
        raise NotFound(_("Anexo não encontrado.")) from None
    demand_get(actor=actor, demand_id=attachment.event.demand_id)
    return attachment


# --- Dashboard -------------------------------------------------------------------
def dashboard(*, actor: Actor) -> dict:
    """Open demands by kind and deadline window, NIP RVE rate by month of decision, and
    PERSUS amounts by competence."""
    visible = demands_visible(actor=actor)
    today = timezone.localdate()
    open_by_kind = []
    for kind, label in DemandKind.choices:
        of_kind = visible.filter(kind=kind)
        open_by_kind.append(
            {
                "kind": label,
                "abertas": of_kind.filter(_clock_q()).count(),
                "vencidas": of_kind.filter(due_window_q("vencidas", today=today)).count(),
                "hoje": of_kind.filter(due_window_q("hoje", today=today)).count(),
                "dois_dias": of_kind.filter(due_window_q("dois_dias", today=today)).count(),
            }
        )
    rve = (
        visible.filter(kind__in=list(NIP_KINDS), decided_on__isnull=False)
        .annotate(month=TruncMonth("decided_on"))
        .values("month")
        .annotate(decided=Count("id"), rve=Count("id", filter=Q(outcome=Outcome.RVE)))
        .order_by("month")
    )
    rve_rows = [
        {
            "month": row["month"],
            "decided": row["decided"],
            "rve": row["rve"],
            "rate": round(100 * row["rve"] / row["decided"], 1) if row["decided"] else 0,
        }
        for row in rve
    ]
    return {
        "open_by_kind": open_by_kind,
        "rve_by_month": rve_rows,
        "persus_by_competence": persus_amounts(actor=actor),
    }


def persus_amounts(*, actor: Actor) -> list[dict]:
    """Per competence: charged, contested and reimbursed (the amount owed after decision;
    an undecided item owes nothing yet)."""
    visible = demands_visible(actor=actor)
    rows = (
        PersusItem.objects.filter(demand__in=visible)
        .values("competence")
        .annotate(
            charged=Sum("amount_charged"),
            contested=Sum("amount_contested"),
            reimbursed=Sum("amount_decided"),
        )
        .order_by("competence")
    )
    return [
        {
            "competence": row["competence"],
            "charged": row["charged"] or Decimal("0"),
            "contested": row["contested"] or Decimal("0"),
            "reimbursed": row["reimbursed"] or Decimal("0"),
        }
        for row in rows
    ]
