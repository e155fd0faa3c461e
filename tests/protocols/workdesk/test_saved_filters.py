"""Saved inbox filters: personal ones for their owner, shared ones for the whole Unimed and
managed by supervisors only; another Unimed sees none."""

import pytest
from django.urls import reverse

from core.errors import Forbidden, NotFound
from protocols.models import SavedFilter
from protocols.workdesk.selectors import saved_filters_for
from protocols.workdesk.services import saved_filter_delete, saved_filter_save
from unimeds.actors import actor_for_user

pytestmark = pytest.mark.django_db


def test_sharing_needs_a_supervisor_and_each_sees_their_own(staff_actor):
    ana, bia = staff_actor("0137", "atendente"), staff_actor("0137", "atendente")
    supervisor = staff_actor("0137", "supervisor")
    mine = saved_filter_save(actor=ana, name="Meus abertos", query="situacao=aberto")
    with pytest.raises(Forbidden):
        saved_filter_save(actor=ana, name="Da equipe", query="aba=vencidos", shared=True)
    shared = saved_filter_save(actor=supervisor, name="Vencidos", query="aba=vencidos", shared=True)
    assert list(saved_filters_for(actor=ana)) == [shared, mine]
    assert list(saved_filters_for(actor=bia)) == [shared]
    assert list(saved_filters_for(actor=staff_actor("0025", "supervisor"))) == []
    with pytest.raises(Forbidden):
        saved_filter_delete(actor=ana, filter_id=shared.pk)
    with pytest.raises(NotFound):
        saved_filter_delete(actor=bia, filter_id=mine.pk)
    saved_filter_delete(actor=ana, filter_id=mine.pk)
    saved_filter_delete(actor=supervisor, filter_id=shared.pk)
    assert not SavedFilter.objects.exists()


def test_panel_saves_the_current_view_without_the_page(client_for):
    client, user = client_for("0137", "atendente")
    response = client.post(
        reverse("protocols:saved_filter_save"),
        {"nome": "Sem resposta", "consulta": "aba=vencidos&situacao=aberto&pagina=3&x=1"},
    )
    assert response.status_code == 302
    assert response["Location"] == "/painel/protocolos/?aba=vencidos&situacao=aberto"
    saved = SavedFilter.objects.get()
    assert saved.owner == user and saved.query == "aba=vencidos&situacao=aberto"
    page = client.get(reverse("protocols:inbox")).content.decode()
    assert 'href="?aba=vencidos&amp;situacao=aberto"' in page
    refused = client.post(
        reverse("protocols:saved_filter_save"),
        {"nome": "Equipe", "consulta": "situacao=aberto", "compartilhar": "1"},
        follow=True,
    )
    assert "Somente supervisores gerenciam os filtros compartilhados" in refused.content.decode()
    other, _user = client_for("0137", "atendente")
    deleted = other.post(reverse("protocols:saved_filter_delete", args=[saved.pk]))
    assert deleted.status_code == 404
    assert saved_filters_for(actor=actor_for_user(user)).count() == 1


def test_every_change_to_the_saved_filters_shows_on_the_next_page(client_for, staff_actor):
    client, user = client_for("0137", "atendente")
    ana, supervisor = actor_for_user(user), staff_actor("0137", "supervisor")
    inbox = reverse("protocols:inbox")
    assert "Filtros salvos" not in client.get(inbox).content.decode()
    saved_filter_save(actor=ana, name="Meus abertos", query="situacao=aberto")
    assert "Meus abertos" in client.get(inbox).content.decode()
    saved_filter_save(
        actor=supervisor, name="Vencidos da equipe", query="aba=vencidos", shared=True
    )
    assert "Vencidos da equipe" in client.get(inbox).content.decode()
    SavedFilter.objects.filter(owner__isnull=True).delete()  # as the admin or a cascade would
    page = client.get(inbox).content.decode()
    assert "Vencidos da equipe" not in page and "Meus abertos" in page
    other_unimed, _user = client_for("0025", "atendente")
    assert "Meus abertos" not in other_unimed.get(inbox).content.decode()
