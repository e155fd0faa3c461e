"""Dashboard on /painel/: counts, due today, overdue and SVG charts linking to the inbox."""

from datetime import timedelta

import pytest

from protocols.models import Protocol
from protocols.numbering import local_day
from protocols.services import protocol_answer
from unimeds.actors import actor_for_user

pytestmark = pytest.mark.django_db


def test_dashboard_counts_and_links(client_for, contingency_protocol):
    due_today = contingency_protocol()
    overdue = contingency_protocol(message="Atrasado.")
    answered = contingency_protocol(message="Respondido.")
    Protocol.objects.filter(pk__in=[due_today.pk, answered.pk]).update(due_date=local_day())
    Protocol.objects.filter(pk=overdue.pk).update(due_date=local_day() - timedelta(days=2))
    client, user = client_for("0137")
    protocol_answer(actor=actor_for_user(user), protocol=answered, message="Feito.")
    response = client.get("/painel/")
    body = response.content.decode()
    assert response.status_code == 200
    assert 'id="vencem-hoje">1<' in body and 'id="vencidos">1<' in body
    assert "Aberto <strong>2</strong>" in body and "Respondido <strong>1</strong>" in body
    assert "/painel/protocolos/?aba=recebidos&amp;situacao=respondido" in body
    assert "/painel/protocolos/?aba=recebidos&amp;prazo=hoje" in body
    assert body.count("<svg") == 2
    today = local_day()
    assert (
        f"/painel/protocolos/?aba=recebidos&amp;de={today.isoformat()}&amp;ate={today.isoformat()}"
        in body
    )
    assert f"{today:%d/%m/%Y}: 3 recebidos" in body
    # Due this month: the answered one (on time) and the overdue open one (late); the one
    # due today is not late yet.
    same_month = (today - timedelta(days=2)).month == today.month
    assert ("1 de 2 no prazo (50%)" if same_month else "1 de 1 no prazo (100%)") in body


def test_dashboard_is_only_for_protocol_roles(client_for):
    seller, _ = client_for("0137", "vendedor")
    assert "Protocolos recebidos" not in seller.get("/painel/").content.decode()


def test_dashboard_counts_only_the_own_unimed(client_for, contingency_protocol):
    contingency_protocol()
    stranger, _ = client_for("0667")
    assert "Aberto <strong>0</strong>" in stranger.get("/painel/").content.decode()


def test_an_event_refreshes_the_cached_figures(
    client_for, contingency_protocol, django_capture_on_commit_callbacks
):
    protocol = contingency_protocol()
    client, user = client_for("0137")
    assert "Respondido <strong>0</strong>" in client.get("/painel/").content.decode()
    with django_capture_on_commit_callbacks(execute=True):
        protocol_answer(actor=actor_for_user(user), protocol=protocol, message="Feito.")
    assert "Respondido <strong>1</strong>" in client.get("/painel/").content.decode()


def test_the_on_time_bar_lists_the_protocols_due_in_its_month(client_for, contingency_protocol):
    """The bar counts by due month: its link must filter by due month, not opening date."""
    today = local_day()
    month_start = today.replace(day=1)
    opened_before = contingency_protocol(message="Aberto no mês anterior, vence neste.")
    due_later = contingency_protocol(message="Aberto neste mês, vence no próximo.")
    Protocol.objects.filter(pk=opened_before.pk).update(
        opened_on=month_start - timedelta(days=5), due_date=today
    )
    Protocol.objects.filter(pk=due_later.pk).update(
        opened_on=today, due_date=(month_start + timedelta(days=40)).replace(day=1)
    )
    client, user = client_for("0137")
    protocol_answer(actor=actor_for_user(user), protocol=opened_before, message="Feito.")
    body = client.get("/painel/").content.decode()
    end = (month_start + timedelta(days=32)).replace(day=1) - timedelta(days=1)
    link = f"/painel/protocolos/?aba=recebidos&venc_de={month_start}&venc_ate={end}"
    assert link.replace("&", "&amp;") in body
    listed = client.get(link).content.decode()
    assert opened_before.number in listed
    assert due_later.number not in listed
