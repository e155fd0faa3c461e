"""The home page (/painel/) shows each person's work by what their permissions reach
(#18 item 8): a seller's leads and reservations, the gestor's team load; scoped to the
actor's Unimed."""

import pytest

from leads.services import lead_intake, reservation_reserve
from tests.leads.conftest import FLORIANOPOLIS, make_cnpj
from unimeds.actors import actor_for_user
from unimeds.models import Role

pytestmark = pytest.mark.django_db


def _home(client, user) -> str:
    client.force_login(user)
    response = client.get("/painel/")
    assert response.status_code == 200
    return response.content.decode()


def test_seller_home_shows_own_leads_reservations_and_charts(client, sellers, intake_kwargs):
    leads = [
        lead_intake(**intake_kwargs(document=make_cnpj(n), company_name=f"Empresa {n}"))[0]
        for n in range(1, 4)
    ]
    seller = leads[0].owner
    reservation_reserve(
        actor=actor_for_user(seller), document=leads[0].document, lead_id=leads[0].pk
    )
    body = _home(client, seller)
    assert "Meus leads" in body and "Empresa 1" in body
    assert "Empresa 2" not in body  # another seller's lead
    assert body.count("<svg") == 2  # funnel and conversions; no protocols dashboard
    assert "Leads por etapa" in body and "Leads ganhos por mês" in body
    assert 'id="carga-equipe"' not in body  # not a supervisor of leads
    assert "Protocolos recebidos" not in body


def test_reservation_expiring_soon_is_listed(client, sellers, intake_kwargs):
    from datetime import timedelta

    from django.utils import timezone

    from leads.models import MarketReservation

    lead = lead_intake(**intake_kwargs(document=make_cnpj(7), company_name="Expira Logo"))[0]
    reservation = reservation_reserve(
        actor=actor_for_user(lead.owner), document=lead.document, lead_id=lead.pk
    )
    MarketReservation.objects.filter(pk=reservation.pk).update(
        expires_at=timezone.now() + timedelta(days=1)
    )
    body = _home(client, lead.owner)
    assert 'id="reservas-expirando"' in body and "Expira Logo" in body


def test_gestor_home_shows_team_load_of_own_unimed_only(
    client, sellers, gestor, intake_kwargs, make_staff, other_unimed
):
    lead_intake(**intake_kwargs(document=make_cnpj(1)))
    stranger = make_staff(other_unimed, Role.VENDEDOR, username="vend.0025")
    lead_intake(**intake_kwargs(document=make_cnpj(2), municipality_code=FLORIANOPOLIS))
    body = _home(client, gestor)
    team = body.split('id="carga-equipe"')[1].split("</table>")[0]
    assert sellers[0].username in team or sellers[0].get_full_name() in team
    assert stranger.username not in team
    assert "Cooperados bloqueados nesta semana" in body


def test_attendant_home_has_the_protocol_queue_and_no_leads(client, make_staff, unimed):
    body = _home(client, make_staff(unimed, Role.ATENDENTE))
    assert 'id="vencem-hoje"' in body and 'id="vencidos"' in body
    assert "Meus leads" not in body and 'id="carga-equipe"' not in body
