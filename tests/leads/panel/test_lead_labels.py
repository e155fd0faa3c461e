"""The lead page names who acted (core.labels): the portal, a scheduled job, a person —
never the stored codes ("portal", "tarefa:reservas_expirar", "system")."""

import re
from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
import time_machine

from leads.services import lead_intake, reservation_reserve
from leads.tasks import reservations_expire
from tests.leads.conftest import CNPJ_ALNUM
from unimeds.actors import actor_for_user

SP_TZ = ZoneInfo("America/Sao_Paulo")


def visible_text(html: str) -> str:
    html = re.sub(r"<(script|style)\b.*?</\1>", " ", html, flags=re.S)
    return re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", html))


@pytest.mark.django_db
def test_lead_timeline_names_the_portal_and_the_scheduled_job(
    client, sellers, intake_kwargs, settings
):
    settings.GPU_MARKET_RESERVATION_DAYS = 30
    start = datetime(2026, 8, 3, 9, 0, tzinfo=SP_TZ)
    with time_machine.travel(start, tick=False) as clock:
        lead, _ = lead_intake(**intake_kwargs(document=CNPJ_ALNUM, plan_type="adesao"))
        reservation_reserve(actor=actor_for_user(lead.owner), document=CNPJ_ALNUM)
        clock.shift(timedelta(days=31))
        assert reservations_expire() == 1  # what the beat runs, in this process
        client.force_login(lead.owner)
        page = client.get(f"/painel/leads/{lead.pk}/")
    assert page.status_code == 200
    text = visible_text(page.content.decode())
    assert "· Portal" in text
    assert "· Tarefa agendada (expiração das reservas de mercado)" in text
    assert "Coletivo por adesão" in text
    for raw in ("tarefa:", "reservas_expirar", "· portal", "system", "adesao"):
        assert raw not in text, raw
