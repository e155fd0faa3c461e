"""The gestor's view of who holds which protocols (the panel home's team load).

Only the acting Unimed's protocols (those it must answer) and its own people: the
tenant rule is in the queries, not left to the caller.
"""

from dataclasses import dataclass
from datetime import date, timedelta

from django.contrib.auth import get_user_model
from django.db.models import Count, Q
from django.utils import timezone

from core.business_days import add_business_days
from protocols.models import OPEN_STATUSES, EventKind, Protocol, ProtocolEvent
from protocols.numbering import local_day
from unimeds.actors import Actor
from unimeds.models import Level, Module
from unimeds.selectors import members_at_level

ANSWERED_WINDOW = timedelta(days=7)


@dataclass
class MemberLoad:
    user: object
    name: str
    open: int = 0  # open protocols they own
    overdue: int = 0  # of those, past the due date
    due_soon: int = 0  # of those, due today or on the next business day (D-1)
    answered: int = 0  # protocols they answered conclusively in the last 7 days


@dataclass
class TeamLoad:
    members: list[MemberLoad]
    unowned: int  # open protocols nobody owns
    unowned_overdue: int


def protocol_team_load(*, actor: Actor, today: date | None = None) -> TeamLoad:
    """Per person of the actor's Unimed who works protocols (or still owns some): open
    protocols owned, overdue, due today or D-1, answered in the last 7 days; plus the open
    protocols without an owner. Needs Protocolos at administrar (it shows everyone's work)."""
    actor.require(Module.PROTOCOLOS, Level.ADMINISTRAR)
    unimed = actor.unimed
    if unimed is None:
        return TeamLoad(members=[], unowned=0, unowned_overdue=0)
    today = today or local_day()
    soon = add_business_days(today, 1, uf=unimed.uf, optional_off=unimed.optional_off)
    # protocol_owner_open_idx: the Unimed's open protocols, grouped by owner.
    rows = (
        Protocol.objects.filter(responsible_unimed=unimed, status__in=list(OPEN_STATUSES))
        .values("owner_id")
        .annotate(
            n=Count("id"),
            overdue=Count("id", filter=Q(due_date__lt=today)),
            due_soon=Count("id", filter=Q(due_date__gte=today, due_date__lte=soon)),
        )
        .order_by()
    )
    by_owner = {row["owner_id"]: row for row in rows}
    # protocol_event_unimed_idx: conclusive answers written for this Unimed this week.
    answered = dict(
        ProtocolEvent.objects.filter(
            actor_unimed=unimed,
            kind=EventKind.RESPOSTA,
            at__gte=timezone.now() - ANSWERED_WINDOW,
            actor_user__isnull=False,
        )
        .values("actor_user_id")
        .annotate(n=Count("protocol_id", distinct=True))
        .values_list("actor_user_id", "n")
        .order_by()
    )
    people = {u.pk: u for u in members_at_level(unimed, Module.PROTOCOLOS, Level.OPERAR)}
    # Someone who lost the level (or left) may still hold protocols: they show too.
    holders = (set(by_owner) | set(answered)) - set(people) - {None}
    people.update(
        {
            u.pk: u
            for u in get_user_model().objects.filter(pk__in=holders, membership__unimed=unimed)
        }
    )
    members = []
    for pk, user in people.items():
        row = by_owner.get(pk, {})
        members.append(
            MemberLoad(
                user=user,
                name=user.get_full_name() or user.get_username(),
                open=row.get("n", 0),
                overdue=row.get("overdue", 0),
                due_soon=row.get("due_soon", 0),
                answered=answered.get(pk, 0),
            )
        )
    members.sort(key=lambda m: (-m.overdue, -m.open, m.name.lower()))
    nobody = by_owner.get(None, {})
    return TeamLoad(
        members=members, unowned=nobody.get("n", 0), unowned_overdue=nobody.get("overdue", 0)
    )
