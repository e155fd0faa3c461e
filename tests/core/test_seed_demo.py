"""`seed_demo` makes a demo that looks like a working Unimed (#18 item 10): 90 days of
protocols in every status, leads in every stage, blocked cooperados — and every chart
of the home pages has data on the first `make run`."""

from datetime import timedelta
from io import StringIO

import pytest
from django.contrib.auth import get_user_model
from django.core.management import call_command
from django.db.models import Max, Min

from leads.models import Lead, LeadStatus
from leads.selectors import lead_home, team_load
from protocols.models import Protocol, ProtocolEvent, Status
from protocols.panel.stats import dashboard_stats
from unimeds.actors import actor_for_user

pytestmark = pytest.mark.django_db


def _actor(username: str):
    return actor_for_user(get_user_model().objects.get(username=username))


def test_seed_demo_fills_every_chart_once(settings):
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]  # speed only
    call_command("seed_demo", stdout=StringIO())
    protocols, events, leads = (
        Protocol.objects.count(),
        ProtocolEvent.objects.count(),
        Lead.objects.count(),
    )
    call_command("seed_demo", stdout=StringIO())
    assert (Protocol.objects.count(), ProtocolEvent.objects.count(), Lead.objects.count()) == (
        protocols,
        events,
        leads,
    )

    assert protocols >= 2000
    span = Protocol.objects.aggregate(first=Min("opened_on"), last=Max("opened_on"))
    assert span["last"] - span["first"] >= timedelta(days=60)
    assert set(Protocol.objects.values_list("status", flat=True)) == set(Status.values)
    for code in ("0025", "0137", "0666", "0667"):
        assert Protocol.objects.filter(responsible_unimed__code=code).count() >= 300
    # Every protocol's timeline is complete (event_count = its events).
    assert ProtocolEvent.objects.count() == sum(
        Protocol.objects.values_list("event_count", flat=True)
    )

    stats = dashboard_stats(actor=_actor("atendente.0137"))
    assert sum(n for _, _, n in stats["by_status"]) > 0
    assert stats["due_today"] + stats["overdue"] > 0 and stats["overdue"] > 0
    assert sum(n for _, n in stats["per_day"]) > 0
    assert sum(total for _, _, total in stats["on_time"]) > 0
    on_time = sum(ok for _, ok, _ in stats["on_time"])
    assert 0 < on_time < sum(total for _, _, total in stats["on_time"])  # late ones too

    home = lead_home(actor=_actor("vendedor.0137"))
    assert all(n > 0 for _, _, n in home["funnel"])
    assert sum(n for _, n in home["won_by_month"]) > 0
    assert home["reservations_expiring"]
    assert home["first_contact"]
    assert set(Lead.objects.values_list("status", flat=True)) == set(LeadStatus.values)

    gestor = _actor("gestor.0137")
    assert any(member["open_leads"] for member in team_load(actor=gestor))

    client_body = _home_body("gestor.0137")
    assert 'id="cooperados-bloqueados-semana">0<' not in client_body
    assert 'id="carga-equipe"' in client_body


def _home_body(username: str) -> str:
    from django.test import Client

    client = Client()
    client.force_login(get_user_model().objects.get(username=username))
    response = client.get("/painel/")
    assert response.status_code == 200
    return response.content.decode()
