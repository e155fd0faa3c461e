"""Reads of the intercâmbio registry.

Consultations are scoped to the Unimeds involved in a sharing (holder, attending,
and every sender in its history); anyone else gets "not found", so the registry
does not even reveal that a card is shared. `responsible_for_card` is the routing
read: it answers for the system, not for an actor, and returns only a Unimed.
"""

from dataclasses import dataclass
from datetime import date, timedelta

from django.db import connection
from django.db.models import Q, QuerySet
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _

from core.errors import NotFound
from intercambio.models import (
    InboundMessage,
    PendingRiskSharing,
    RiskSharing,
    RiskSharingHistory,
    SharingType,
)
from unimeds.actors import Actor
from unimeds.models import Unimed
from unimeds.selectors import unimed_by_id

NOT_FOUND_MESSAGE = "Nenhum compartilhamento de risco desta carteirinha envolve a sua Unimed."


def _br(day: date) -> str:
    return date_format(day, "d/m/Y")


def _sharing_for_routing(card: str) -> RiskSharing | None:
    """The card's sharing, only the routing columns. Every beneficiary protocol asks
    this, so it is one indexed lookup in plain SQL (card is unique): the ORM's query
    building alone would cost several times the round trip."""
    columns = [
        "id",
        "holder_unimed_id",
        "attending_unimed_id",
        "sharing_type",
        "starts_on",
        "ends_on",
    ]
    with connection.cursor() as cursor:
        cursor.execute(
            f"SELECT {', '.join(columns)} FROM {RiskSharing._meta.db_table} WHERE card = %s",  # noqa: S608 - ours
            [card],
        )
        row = cursor.fetchone()
    if row is None:
        return None
    values = dict(zip(columns, row, strict=True))
    for day_field in ("starts_on", "ends_on"):  # SQLite hands dates back as text
        if isinstance(values[day_field], str):
            values[day_field] = date.fromisoformat(values[day_field])
    return RiskSharing(card=card, **values)


def responsible_for_card(card: str, *, on: date | None = None) -> tuple[Unimed, str] | None:
    """Which Unimed answers for this beneficiary on `on` (default: today), and why.

    None when the card has no sharing active that day: the caller falls back to the
    card prefix. P (repasse, pre-payment): the destination took the beneficiary
    into its own plan and is paid in advance for the risk, so it answers. C (custo
    operacional, post-payment): the holder keeps the contract and only reimburses
    the attending Unimed's costs, so the holder still answers (DOMAIN §1).
    """
    day = on or timezone.localdate()
    sharing = _sharing_for_routing(card)
    if sharing is None or not sharing.is_active_on(day):
        return None
    holder, attending = (
        unimed_by_id(sharing.holder_unimed_id),
        unimed_by_id(sharing.attending_unimed_id),
    )
    since = _br(sharing.starts_on)
    if sharing.sharing_type == SharingType.REPASSE:
        if not attending.is_active:
            return None
        return attending, (
            f"Intercâmbio: compartilhamento de risco P (repasse) ativo desde {since}; "
            f"a Unimed {attending.code} assumiu o beneficiário da Unimed {holder.code} e responde por ele."
        )
    if not holder.is_active:
        return None  # the card-prefix step reports the inactive holder
    return holder, (
        f"Intercâmbio: compartilhamento de risco C (custo operacional) ativo desde {since}, "
        f"atendimento na Unimed {attending.code}; a Unimed {holder.code}, detentora do contrato, responde."
    )


def involved_unimed_ids(sharing: RiskSharing) -> set[int]:
    """The parties of the CURRENT record: holder, attending Unimed and last sender. A
    Unimed that took part in an earlier version (or sent it) no longer reads the record
    once the holder changes it (issue #16)."""
    return {sharing.holder_unimed_id, sharing.attending_unimed_id, sharing.sender_unimed_id}


def risk_sharing_get(*, actor: Actor, card: str) -> RiskSharing:
    """The card's sharing, if the actor's Unimed takes part in it (else NotFound)."""
    sharing = (
        RiskSharing.objects.select_related("holder_unimed", "attending_unimed", "sender_unimed")
        .filter(card=card)
        .first()
    )
    if sharing is None or not (
        actor.sees_all_unimeds or actor.unimed_id in involved_unimed_ids(sharing)
    ):
        raise NotFound(NOT_FOUND_MESSAGE)
    return sharing


def risk_sharing_history(*, actor: Actor, card: str) -> list[RiskSharingHistory]:
    sharing = risk_sharing_get(actor=actor, card=card)
    return list(
        sharing.history.select_related(
            "holder_unimed", "attending_unimed", "sender_unimed", "message"
        )
    )


@dataclass(frozen=True)
class HabitualPeriod:
    """A stretch of time in which the card was attended under one sharing."""

    sharing_type: str
    holder_unimed: Unimed
    attending_unimed: Unimed
    starts_on: date
    ends_on: date | None


def _periods(versions: list[RiskSharingHistory]) -> list[HabitualPeriod]:
    """Turn the version history into non-overlapping periods.

    A later version that starts after an earlier one cuts it the day before; one that
    starts on or before it is a correction and replaces it entirely.
    """
    periods: list[HabitualPeriod] = []
    for index, version in enumerate(versions):
        ends_on = version.ends_on
        replaced = False
        for later in versions[index + 1 :]:
            if later.starts_on <= version.starts_on:
                replaced = True
                break
            cut = later.starts_on - timedelta(days=1)
            ends_on = cut if ends_on is None else min(ends_on, cut)
        if not replaced:
            periods.append(
                HabitualPeriod(
                    version.sharing_type,
                    version.holder_unimed,
                    version.attending_unimed,
                    version.starts_on,
                    ends_on,
                )
            )
    return periods


def habitual_periods(*, actor: Actor, card: str, start: date, end: date) -> list[HabitualPeriod]:
    """Periods of sharing of `card` that overlap [start, end], for an involved Unimed."""
    history = risk_sharing_history(actor=actor, card=card)
    return [
        p
        for p in _periods(history)
        if p.starts_on <= end and (p.ends_on is None or p.ends_on >= start)
    ]


def inbound_message_get(*, origin: Unimed, control_code: str) -> InboundMessage | None:
    return InboundMessage.objects.filter(origin_unimed=origin, control_code=control_code).first()


def risk_sharings_for(
    *, actor: Actor, card: str = "", sharing_type: str = "", only_active: bool = False
) -> QuerySet[RiskSharing]:
    """The sharings the actor's Unimed takes part in (all of them for a hub admin)."""
    qs = RiskSharing.objects.select_related("holder_unimed", "attending_unimed", "sender_unimed")
    if not actor.sees_all_unimeds:
        unimed = actor.unimed
        qs = qs.filter(
            Q(holder_unimed=unimed) | Q(attending_unimed=unimed) | Q(sender_unimed=unimed)
        )
    if card:
        qs = qs.filter(card__startswith=card)
    if sharing_type:
        qs = qs.filter(sharing_type=sharing_type)
    if only_active:
        today = timezone.localdate()
        qs = qs.filter(starts_on__lte=today).filter(Q(ends_on__isnull=True) | Q(ends_on__gte=today))
    return qs.order_by("-updated_at", "card")


def pending_for(*, actor: Actor, only_open: bool = True) -> QuerySet[PendingRiskSharing]:
    """Registrations about the actor's Unimed's cards awaiting its confirmation (all
    Unimeds' for a hub operator). The sender does not see them here."""
    qs = PendingRiskSharing.objects.select_related(
        "holder_unimed", "attending_unimed", "sender_unimed"
    )
    if not actor.sees_all_unimeds:
        qs = qs.filter(holder_unimed=actor.unimed) if actor.unimed is not None else qs.none()
    if only_open:
        qs = qs.filter(status=PendingRiskSharing.Status.PENDING)
    return qs.order_by("-created_at", "-id")


def pending_get(*, actor: Actor, pending_id: int) -> PendingRiskSharing:
    try:
        return pending_for(actor=actor, only_open=False).get(pk=pending_id)
    except (PendingRiskSharing.DoesNotExist, ValueError, TypeError):
        raise NotFound(_("Registro pendente não encontrado.")) from None
