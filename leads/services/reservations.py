"""Market reservations (reserva de mercado): reserve, renew, release, expire.

At most one active reservation per document in the whole network. The database
enforces it (partial unique index), so simultaneous attempts cannot both win: the
losers get a Conflict naming the holding Unimed and the expiry date — never the
holder seller's personal data.
"""

from datetime import datetime, timedelta

from django.conf import settings
from django.contrib.auth import get_user_model
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from core.errors import Conflict, Forbidden, InvalidInput, InvalidTransition, NotFound
from core.services import audit_record
from leads.models import (
    CLOSED_STATUSES,
    RESERVATION_TRANSITIONS,
    ActiveContract,
    DocumentKind,
    Lead,
    LeadEventKind,
    MarketReservation,
    ReservationStatus,
)
from leads.services.common import clean_document, local_date, record_event
from unimeds.actors import Actor, ActorKind, scheduled_actor
from unimeds.models import Level, Module, Role

User = get_user_model()


# LGPD: for a person (CPF) the refusal says neither who holds the reservation or contract
# nor which of the two it is — either would tell a stranger that this person has (or is
# being sold) a health plan at a given Unimed. Companies (CNPJ) are public: named.
CPF_UNAVAILABLE = "Este CPF está indisponível para reserva."
CPF_UNAVAILABLE_CODE = "indisponivel_para_reserva"


def cpf_unavailable() -> Conflict:
    return Conflict(CPF_UNAVAILABLE, code=CPF_UNAVAILABLE_CODE)


class ReservationConflict(Conflict):
    code = "reserva_existente"

    def __init__(self, reservation: MarketReservation):
        self.unimed_code = reservation.unimed.code
        self.expires_at = reservation.expires_at
        if reservation.document_kind == DocumentKind.CPF:
            super().__init__(CPF_UNAVAILABLE, code=CPF_UNAVAILABLE_CODE)
            return
        super().__init__(
            f"Este cliente já tem reserva de mercado ativa da Unimed {self.unimed_code} "
            f"até {local_date(self.expires_at)}."
        )


def _period() -> timedelta:
    return timedelta(days=settings.GPU_MARKET_RESERVATION_DAYS)


def _seller_for(actor: Actor, seller: str | None):
    """The seller who will hold the reservation: a seller of the actor's Unimed."""
    if actor.unimed is None:
        raise Forbidden(_("Reservas de mercado são feitas por uma Unimed."))
    username = (seller or "").strip()
    if not username:
        if actor.user is not None and actor.may(Module.LEADS, Level.OPERAR):
            return actor.user
        raise InvalidInput(
            _("Informe o vendedor da reserva."),
            fields={"vendedor": ["Informe o vendedor da reserva."]},
        )
    if (
        actor.user is not None
        and not actor.may(Module.LEADS, Level.ADMINISTRAR)
        and actor.user.get_username() != username
    ):
        raise Forbidden(_("Um vendedor só reserva clientes para si mesmo."))
    user = User.objects.filter(
        username=username,
        is_active=True,
        membership__unimed=actor.unimed,
        membership__grants__role=Role.VENDEDOR,
    ).first()
    if user is None:
        msg = f"“{username}” não é um vendedor ativo da Unimed {actor.unimed.code}."
        raise InvalidInput(msg, fields={"vendedor": [msg]})
    return user


def _expire_stale(document: str, now: datetime) -> None:
    for reservation in MarketReservation.objects.filter(
        document=document, status=ReservationStatus.ACTIVE, expires_at__lte=now
    ).select_related("unimed", "lead"):
        _expire_one(reservation, now)


def reservation_transition(
    reservation: MarketReservation, to_status: str, *, now: datetime, only_if_expired: bool = False
) -> bool:
    """The only change of a reservation's status: checked against RESERVATION_TRANSITIONS
    and written as a compare-and-set on the status it had (the beat task and a reserve()
    call may expire the same row; only one of them does). True when this call changed it."""
    if to_status not in RESERVATION_TRANSITIONS[reservation.status]:
        raise InvalidTransition(
            _("A reserva está %(situacao)s: não pode passar a %(destino)s.")
            % {
                "situacao": ReservationStatus(reservation.status).label.lower(),
                "destino": ReservationStatus(to_status).label.lower(),
            }
        )
    rows = MarketReservation.objects.filter(pk=reservation.pk, status=reservation.status)
    if only_if_expired:
        rows = rows.filter(expires_at__lte=now)
    done = rows.update(status=to_status, ended_at=now) == 1
    if done:
        reservation.status, reservation.ended_at = to_status, now
    return done


def _expire_one(reservation: MarketReservation, now: datetime) -> bool:
    if reservation.status != ReservationStatus.ACTIVE:
        return False
    done = reservation_transition(
        reservation, ReservationStatus.EXPIRED, now=now, only_if_expired=True
    )
    if done:
        actor = scheduled_actor("reservas_expirar")
        audit_record(
            actor=actor,
            action="reserva.expirada",
            target_type="MarketReservation",
            target_id=reservation.pk,
            data={"cd_unimed": reservation.unimed.code},
        )
        if reservation.lead is not None:
            record_event(
                reservation.lead,
                actor,
                LeadEventKind.RESERVA,
                note=f"Reserva de mercado expirou em {local_date(reservation.expires_at)}.",
                data={"reserva": reservation.pk, "acao": "expirada"},
            )
    return bool(done)


def _lead_to_link(actor: Actor, document: str, lead_id: int | None) -> Lead | None:
    qs = Lead.objects.filter(unimed_id=actor.unimed_id, document=document).exclude(
        status__in=CLOSED_STATUSES
    )
    if lead_id is None:
        return qs.first()
    lead = qs.filter(pk=lead_id).first()
    if lead is None:
        raise NotFound(_("Lead aberto não encontrado para este documento nesta Unimed."))
    return lead


@transaction.atomic
def reservation_reserve(
    *, actor: Actor, document: str, seller: str | None = None, lead_id: int | None = None
) -> MarketReservation:
    """Reserve a client (CPF/CNPJ) for a seller of the actor's Unimed for
    GPU_MARKET_RESERVATION_DAYS. Raises ReservationConflict (409, "reserva_existente")
    when anyone in the network holds it, Conflict "cliente_ativo" when it already has
    an active contract."""
    kind, doc = clean_document(document, field="documento")
    holder = _seller_for(actor, seller)
    contract = (
        ActiveContract.objects.select_related("unimed").filter(document=doc, active=True).first()
    )
    if contract is not None:
        if kind == DocumentKind.CPF:
            raise cpf_unavailable()
        raise Conflict(
            _(
                "Este cliente já tem contrato ativo com a Unimed %(code)s: não pode ser reservado para venda."
            )
            % {"code": contract.unimed.code},
            code="cliente_ativo",
        )
    lead = _lead_to_link(actor, doc, lead_id)
    now = timezone.now()
    _expire_stale(doc, now)
    try:
        with transaction.atomic():
            reservation = MarketReservation.objects.create(
                document_kind=kind,
                document=doc,
                unimed=actor.unimed,
                seller=holder,
                lead=lead,
                starts_at=now,
                expires_at=now + _period(),
            )
    except IntegrityError:
        current = (
            MarketReservation.objects.select_related("unimed")
            .filter(document=doc, status=ReservationStatus.ACTIVE)
            .first()
        )
        if current is None:  # released between our insert and this read: a clear retry message
            raise Conflict(
                _("A reserva deste cliente acabou de mudar; tente novamente."),
                code="reserva_concorrente",
            ) from None
        raise ReservationConflict(current) from None
    data = {
        "documento_tipo": kind,
        "vendedor": holder.get_username(),
        "expira_em": reservation.expires_at.isoformat(),
    }
    audit_record(
        actor=actor,
        action="reserva.criada",
        target_type="MarketReservation",
        target_id=reservation.pk,
        data=data,
    )
    if lead is not None:
        record_event(
            lead,
            actor,
            LeadEventKind.RESERVA,
            note=f"Reserva de mercado para {holder.get_username()} até {local_date(reservation.expires_at)}.",
            data={"reserva": reservation.pk, "acao": "criada"},
        )
    return reservation


def _reservation_for_update(actor: Actor, reservation_id: int) -> MarketReservation:
    qs = MarketReservation.objects.select_for_update(of=("self",)).select_related(
        "unimed", "seller", "lead"
    )
    try:
        reservation = qs.get(pk=reservation_id, unimed_id=actor.unimed_id)
    except (MarketReservation.DoesNotExist, ValueError, TypeError):
        raise NotFound(_("Reserva não encontrada nesta Unimed.")) from None
    mine = actor.user is not None and reservation.seller_id == actor.user.pk
    if not (mine or actor.kind == ActorKind.SERVICE or actor.may(Module.LEADS, Level.ADMINISTRAR)):
        raise Forbidden(_("Somente o vendedor da reserva ou um supervisor pode alterá-la."))
    if reservation.status != ReservationStatus.ACTIVE or reservation.expires_at <= timezone.now():
        raise Conflict(_("Esta reserva não está mais ativa."), code="reserva_inativa")
    return reservation


@transaction.atomic
def reservation_renew(*, actor: Actor, reservation_id: int) -> MarketReservation:
    """Extend an active reservation by another period from now, at most
    GPU_MARKET_RESERVATION_MAX_RENEWALS times, and only in its last
    GPU_MARKET_RESERVATION_RENEW_WINDOW_DAYS (Conflict "renovacao_antecipada" before)."""
    reservation = _reservation_for_update(actor, reservation_id)
    limit = settings.GPU_MARKET_RESERVATION_MAX_RENEWALS
    if reservation.renewals >= limit:
        raise Conflict(
            _("Limite de %(limit)s renovação(ões) atingido para esta reserva.") % {"limit": limit},
            code="limite_renovacoes",
        )
    if timezone.now() < reservation.renewable_from:
        raise Conflict(
            _(
                "A reserva vale até %(expira)s; a renovação fica disponível nos últimos %(dias)s dias, a partir de %(renovavel_desde)s (renovar antes não a prolongaria e gastaria uma renovação)."
            )
            % {
                "expira": local_date(reservation.expires_at),
                "dias": settings.GPU_MARKET_RESERVATION_RENEW_WINDOW_DAYS,
                "renovavel_desde": local_date(reservation.renewable_from),
            },
            code="renovacao_antecipada",
        )
    before = reservation.expires_at
    reservation.expires_at = timezone.now() + _period()
    reservation.renewals += 1
    reservation.save(update_fields=["expires_at", "renewals"])
    audit_record(
        actor=actor,
        action="reserva.renovada",
        target_type="MarketReservation",
        target_id=reservation.pk,
        data={
            "de": before.isoformat(),
            "para": reservation.expires_at.isoformat(),
            "renovacoes": reservation.renewals,
        },
    )
    if reservation.lead is not None:
        record_event(
            reservation.lead,
            actor,
            LeadEventKind.RESERVA,
            note=f"Reserva renovada até {local_date(reservation.expires_at)} "
            f"({reservation.renewals}/{limit}).",
            data={"reserva": reservation.pk, "acao": "renovada"},
        )
    return reservation


@transaction.atomic
def reservation_release(
    *, actor: Actor, reservation_id: int, reason: str = ""
) -> MarketReservation:
    """Give the client back to the market before the reservation expires."""
    reservation = _reservation_for_update(actor, reservation_id)
    reservation_transition(reservation, ReservationStatus.RELEASED, now=timezone.now())
    reason = (reason or "").strip()[:300]
    audit_record(
        actor=actor,
        action="reserva.liberada",
        target_type="MarketReservation",
        target_id=reservation.pk,
        data={"motivo": reason},
    )
    if reservation.lead is not None:
        record_event(
            reservation.lead,
            actor,
            LeadEventKind.RESERVA,
            note="Reserva de mercado liberada." + (f" Motivo: {reason}" if reason else ""),
            data={"reserva": reservation.pk, "acao": "liberada"},
        )
    return reservation


def reservations_expire(*, now: datetime | None = None) -> int:
    """Expire every active reservation past its date (the periodic task). Returns how many."""
    now = now or timezone.now()
    count = 0
    due = MarketReservation.objects.filter(status=ReservationStatus.ACTIVE, expires_at__lte=now)
    for reservation in due.select_related("unimed", "lead").iterator(chunk_size=500):
        with transaction.atomic():
            count += _expire_one(reservation, now)
    return count
