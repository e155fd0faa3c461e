"""The sales panel: funnel by stage, conversion by month and by seller, time per stage,
reservations; and its Excel report."""

import pytest
from django.test import Client
from django.utils import timezone

from leads.services import lead_intake, lead_transition
from reports import get_definition
from unimeds.actors import actor_for_user

pytestmark = pytest.mark.django_db


def test_funnel_conversion_and_stages(sellers, supervisor, intake_kwargs):
    boss = actor_for_user(supervisor)
    won = lead_intake(**intake_kwargs())[0]
    lost = lead_intake(**intake_kwargs(document="529.982.247-25", company_name=""))[0]
    lead_intake(**intake_kwargs(document="39053344705", company_name=""))
    for step in ("em_contato", "cotacao", "proposta", "ganho"):
        lead_transition(actor=boss, lead_id=won.pk, to_status=step)
    lead_transition(actor=boss, lead_id=lost.pk, to_status="perdido", reason="Preço.")

    client = Client()
    client.force_login(supervisor)
    page = client.get("/painel/leads/painel/")
    html = page.content.decode()
    assert page.status_code == 200
    assert 'data-testid="etapa-ganho">1<' in html and 'data-testid="etapa-novo">1<' in html
    assert "33%" in html  # one won of three this month
    assert "<svg" in html

    today = timezone.localdate()
    rows = list(get_definition("vendas_funil").rows(boss, {"start": today, "end": today}))
    assert rows[0][2:] == (3, 1, 1, 1, 33)
    assert sum(r[2] for r in rows[1:]) == 3  # per seller


def test_a_role_without_leads_gets_403(areas, make_staff, unimed):
    client = Client()
    client.force_login(make_staff(unimed, "atendente"))
    assert client.get("/painel/leads/painel/").status_code == 403
