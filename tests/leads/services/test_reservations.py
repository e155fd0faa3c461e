from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.utils import timezone

from core.errors import Conflict, Forbidden, InvalidInput, NotFound
from core.models import AuditEvent
from leads.models import ActiveContract, LeadEventKind, MarketReservation, ReservationStatus
from leads.services import (
    ReservationConflict,
    lead_intake,
    reservation_release,
    reservation_renew,
    reservation_reserve,
)
from leads.tasks import reservations_expire
from tests.leads.conftest import CNPJ_ALNUM
from unimeds.actors import actor_for_user
from unimeds.models import Role

SP_TZ = ZoneInfo("America/Sao_Paulo")


@pytest.fixture
def rival(areas, other_unimed, make_staff):
    return make_staff(other_unimed, Role.VENDEDOR, username="rival.0025")


@pytest.mark.django_db
def test_reserve_normalises_document_and_sets_expiry(sellers, settings):
    settings.GPU_MARKET_RESERVATION_DAYS = 90
    with time_machine.travel(datetime(2026, 8, 3, 9, 0, tzinfo=SP_TZ), tick=False):
        r = reservation_reserve(actor=actor_for_user(sellers[0]), document="12.abc.345/01de-35")
    assert r.document == CNPJ_ALNUM and r.status == ReservationStatus.ACTIVE
    assert timezone.localtime(r.expires_at) == datetime(2026, 11, 1, 9, 0, tzinfo=SP_TZ)
    assert AuditEvent.objects.filter(action="reserva.criada", target_id=str(r.pk)).exists()


@pytest.mark.django_db
def test_conflict_names_holding_unimed_and_date_not_seller(sellers, rival):
    with time_machine.travel(datetime(2026, 8, 3, 9, 0, tzinfo=SP_TZ), tick=False):
        reservation_reserve(actor=actor_for_user(sellers[0]), document=CNPJ_ALNUM)
        with pytest.raises(ReservationConflict) as exc:
            reservation_reserve(actor=actor_for_user(rival), document="12.ABC.345/01DE-35")
    assert exc.value.status == 409 and exc.value.code == "reserva_existente"
    assert (
        exc.value.message
        == "Este cliente já tem reserva de mercado ativa da Unimed 0137 até 01/11/2026."
    )
    assert sellers[0].username not in exc.value.message
    assert MarketReservation.objects.filter(status="ativa").count() == 1


@pytest.mark.django_db
def test_invalid_document_and_seller_checks(sellers, supervisor, rival):
    with pytest.raises(InvalidInput) as exc:
        reservation_reserve(actor=actor_for_user(sellers[0]), document="12.ABC.345/01DE-34")
    assert "documento" in exc.value.fields
    with pytest.raises(Forbidden):  # a seller reserves for themselves only
        reservation_reserve(
            actor=actor_for_user(sellers[0]), document=CNPJ_ALNUM, seller=sellers[1].username
        )
    with pytest.raises(
        InvalidInput, match="não é um vendedor ativo"
    ):  # rival is not of this Unimed
        reservation_reserve(
            actor=actor_for_user(supervisor), document=CNPJ_ALNUM, seller=rival.username
        )
    r = reservation_reserve(
        actor=actor_for_user(supervisor), document=CNPJ_ALNUM, seller=sellers[1].username
    )
    assert r.seller == sellers[1]


@pytest.mark.django_db
def test_client_with_active_contract_cannot_be_reserved(sellers, unimed):
    ActiveContract.objects.create(
        unimed=unimed, document_kind="cnpj", document=CNPJ_ALNUM, contract_number="9"
    )
    with pytest.raises(Conflict) as exc:
        reservation_reserve(actor=actor_for_user(sellers[0]), document=CNPJ_ALNUM)
    assert exc.value.code == "cliente_ativo"


@pytest.mark.django_db
def test_renew_limited_times(sellers, settings):
    settings.GPU_MARKET_RESERVATION_MAX_RENEWALS = 2
    actor = actor_for_user(sellers[0])
    start = datetime(2026, 8, 3, 9, 0, tzinfo=SP_TZ)
    with time_machine.travel(start, tick=False) as clock:
        r = reservation_reserve(actor=actor, document=CNPJ_ALNUM)
        for n in (1, 2):
            clock.shift(timedelta(days=80))
            r = reservation_renew(actor=actor, reservation_id=r.pk)
            assert r.renewals == n
            assert r.expires_at == timezone.now() + timedelta(days=90)
        with pytest.raises(Conflict) as exc:
            reservation_renew(actor=actor, reservation_id=r.pk)
    assert exc.value.code == "limite_renovacoes"


@pytest.mark.django_db
def test_renewing_a_fresh_reservation_is_refused_and_not_offered(
    sellers, intake_kwargs, client, settings
):
    """#18: "Renovar" on a fresh reservation spent a renewal and moved nothing."""
    settings.GPU_MARKET_RESERVATION_RENEW_WINDOW_DAYS = 15
    lead, _ = lead_intake(**intake_kwargs(document=CNPJ_ALNUM))
    actor = actor_for_user(lead.owner)
    r = reservation_reserve(actor=actor, document=CNPJ_ALNUM, lead_id=lead.pk)
    with pytest.raises(Conflict) as exc:
        reservation_renew(actor=actor, reservation_id=r.pk)
    assert exc.value.code == "renovacao_antecipada" and "a partir de" in exc.value.message
    r.refresh_from_db()
    assert r.renewals == 0
    client.force_login(lead.owner)
    body = client.get(f"/painel/leads/{lead.pk}/").content.decode()
    assert ">Renovar</button>" not in body and 'id="renovacao-a-partir"' in body
    assert 'data-confirm="Liberar a reserva?' in body


@pytest.mark.django_db
def test_release_frees_the_client_for_others(sellers, rival, intake_kwargs):
    lead, _ = lead_intake(**intake_kwargs(document=CNPJ_ALNUM))
    r = reservation_reserve(actor=actor_for_user(lead.owner), document=CNPJ_ALNUM)
    assert r.lead == lead
    with pytest.raises(NotFound):  # another Unimed cannot even see it
        reservation_release(actor=actor_for_user(rival), reservation_id=r.pk)
    other_seller = next(s for s in sellers if s != lead.owner)
    with pytest.raises(Forbidden):
        reservation_release(actor=actor_for_user(other_seller), reservation_id=r.pk)
    reservation_release(
        actor=actor_for_user(lead.owner), reservation_id=r.pk, reason="Cliente desistiu"
    )
    assert (
        reservation_reserve(actor=actor_for_user(rival), document=CNPJ_ALNUM).unimed.code == "0025"
    )
    assert lead.events.filter(kind=LeadEventKind.RESERVA, data__acao="liberada").exists()
    with pytest.raises(Conflict):
        reservation_renew(actor=actor_for_user(lead.owner), reservation_id=r.pk)


@pytest.mark.django_db
def test_expiry_by_periodic_task_with_frozen_clock(sellers, rival, intake_kwargs, settings):
    settings.GPU_MARKET_RESERVATION_DAYS = 30
    lead, _ = lead_intake(**intake_kwargs(document=CNPJ_ALNUM))
    start = datetime(2026, 8, 3, 9, 0, tzinfo=SP_TZ)
    with time_machine.travel(start, tick=False) as clock:
        r = reservation_reserve(actor=actor_for_user(lead.owner), document=CNPJ_ALNUM)
        clock.shift(timedelta(days=30) - timedelta(seconds=1))
        assert reservations_expire.delay().get() == 0
        clock.shift(timedelta(seconds=1))
        assert reservations_expire.delay().get() == 1
        assert reservations_expire.delay().get() == 0  # idempotent
    r.refresh_from_db()
    assert r.status == ReservationStatus.EXPIRED and r.ended_at == start + timedelta(days=30)
    assert lead.events.filter(kind=LeadEventKind.RESERVA, data__acao="expirada").exists()
    assert AuditEvent.objects.filter(action="reserva.expirada", target_id=str(r.pk)).exists()


@pytest.mark.django_db
def test_reserve_after_expiry_even_before_the_task_runs(sellers, rival, settings):
    settings.GPU_MARKET_RESERVATION_DAYS = 10
    with time_machine.travel(datetime(2026, 8, 3, 9, 0, tzinfo=SP_TZ), tick=False) as clock:
        old = reservation_reserve(actor=actor_for_user(sellers[0]), document=CNPJ_ALNUM)
        clock.shift(timedelta(days=10, minutes=1))
        new = reservation_reserve(actor=actor_for_user(rival), document=CNPJ_ALNUM)
    old.refresh_from_db()
    assert old.status == ReservationStatus.EXPIRED and new.unimed.code == "0025"


@pytest.mark.django_db
def test_a_cpf_conflict_says_only_unavailable(sellers, rival, unimed):
    """Issue #16: the 409 for a CPF named the Unimed holding the reservation or contract,
    telling a stranger that this person has (or is being sold) a plan there."""
    cpf, other_cpf = "529.982.247-25", "39053344705"
    reservation_reserve(actor=actor_for_user(sellers[0]), document=cpf)
    ActiveContract.objects.create(
        unimed=unimed, document_kind="cpf", document=other_cpf, contract_number="9"
    )
    refusals = []
    for document in (cpf, other_cpf):
        with pytest.raises(Conflict) as exc:
            reservation_reserve(actor=actor_for_user(rival), document=document)
        refusals.append((exc.value.status, exc.value.code, exc.value.message))
    assert (
        refusals[0]
        == refusals[1]
        == (409, "indisponivel_para_reserva", "Este CPF está indisponível para reserva.")
    )
