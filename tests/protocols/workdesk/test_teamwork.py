"""Working together: presence on the answer form, the inbox's "N novos" poll, and Back
asking the server for the whole inbox."""

from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from protocols.workdesk.selectors import protocol_presence_others
from protocols.workdesk.services import protocol_presence_touch

pytestmark = pytest.mark.django_db


def test_presence_is_shown_to_colleagues_only_while_the_form_is_open(
    client_for, contingency_protocol
):
    protocol = contingency_protocol()
    ana_client, ana = client_for("0137", "atendente")
    ana.first_name, ana.last_name = "Ana", "Lima"
    ana.save()
    bia_client, _bia = client_for("0137", "atendente")
    url = reverse("protocols:presence", args=[protocol.number])
    assert ana_client.post(url, {"respondendo": "1"}).status_code == 200
    notice = bia_client.post(url, {"respondendo": "0"}).content.decode()
    assert "Em atendimento por Ana Lima" in notice
    page = bia_client.get(reverse("protocols:detail", args=[protocol.number])).content.decode()
    assert "Em atendimento por Ana Lima" in page
    # Not to herself, not to another Unimed that is party to the protocol.
    assert "Em atendimento" not in ana_client.post(url, {"respondendo": "1"}).content.decode()
    origin_client, _user = client_for("0666", "atendente")
    assert "Em atendimento" not in origin_client.post(url).content.decode()
    ana_client.post(url, {"respondendo": "0"})
    assert "Em atendimento" not in bia_client.post(url).content.decode()


def test_presence_expires(staff_actor, contingency_protocol):
    protocol = contingency_protocol()
    ana, bia = staff_actor("0137", "atendente"), staff_actor("0137", "atendente")
    protocol_presence_touch(actor=ana, protocol=protocol, answering=True)
    assert protocol_presence_others(actor=bia, protocol=protocol) == [ana.user.get_full_name()]
    protocol.presences.update(expires_at=timezone.now() - timedelta(seconds=1))
    assert protocol_presence_others(actor=bia, protocol=protocol) == []


def test_news_counts_arrivals_of_the_current_view_since_the_page(client_for, contingency_protocol):
    client, _user = client_for("0137", "atendente")
    since = timezone.now() - timedelta(seconds=1)
    contingency_protocol()
    url = reverse("protocols:inbox_news")
    html = client.get(url, {"aba": "recebidos", "desde": since.isoformat()}).content.decode()
    assert "1 novo " in html
    filtered = client.get(
        url, {"aba": "recebidos", "situacao": "respondido", "desde": since.isoformat()}
    )
    assert "novo" not in filtered.content.decode()
    assert client.get(url, {"desde": "ontem"}).status_code == 200
    stranger, _user = client_for("0025", "atendente")
    assert "novo" not in stranger.get(url, {"desde": since.isoformat()}).content.decode()


def test_news_keeps_the_filters_of_a_view_by_colleague(client_for, contingency_protocol):
    """The poll reads the view's filters with the same owner choices as the inbox: a
    colleague's id is a valid "atribuído a", not an error that dropped every filter."""
    client, _user = client_for("0137", "atendente")
    _colleague_client, colleague = client_for("0137", "atendente")
    since = timezone.now() - timedelta(seconds=1)
    theirs, _other = contingency_protocol(), contingency_protocol(message="Sem dono.")
    type(theirs).objects.filter(pk=theirs.pk).update(owner=colleague)
    url = reverse("protocols:inbox_news")
    by_colleague = {"aba": "recebidos", "dono": str(colleague.pk), "desde": since.isoformat()}
    assert "1 novo " in client.get(url, by_colleague).content.decode()
    by_colleague["situacao"] = "respondido"
    assert "novo" not in client.get(url, by_colleague).content.decode()


def test_back_gets_the_whole_inbox_drawn_from_the_url(client_for, contingency_protocol):
    contingency_protocol()
    client, _user = client_for("0137", "atendente")
    url = reverse("protocols:inbox") + "?aba=recebidos&situacao=respondido"
    partial = client.get(url, HTTP_HX_REQUEST="true").content.decode()
    assert 'id="filtros"' not in partial
    restored = client.get(
        url, HTTP_HX_REQUEST="true", HTTP_HX_HISTORY_RESTORE_REQUEST="true"
    ).content.decode()
    assert 'id="filtros"' in restored and "hx-history-elt" in restored
    assert '<option value="respondido" selected>' in restored
