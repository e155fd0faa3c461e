"""Must show (#17): Regulatório "consultar" sees demands but cannot answer (403); without
the module, 403 on every regulatory route; the alert e-mails go once."""

from datetime import timedelta

import pytest
from django.core import mail
from django.utils import timezone

from core.errors import Forbidden
from regulatorio.models import Demand
from regulatorio.services import alerts_send, demand_act
from tests.protocols.panel.test_roles_routes import panel_routes
from tests.regulatorio.conftest import member
from unimeds.actors import actor_for_user
from unimeds.models import Level

pytestmark = pytest.mark.django_db


def _regulatory_urls(demand, attachment_id):
    from django.urls import reverse

    urls = []
    for name, pattern in panel_routes():
        if not name.startswith("regulatorio:"):
            continue
        kwargs = {}
        if "demand_id" in pattern.pattern.regex.groupindex:
            kwargs["demand_id"] = demand.pk
        if "attachment_id" in pattern.pattern.regex.groupindex:
            kwargs["attachment_id"] = attachment_id
        urls.append(reverse(name, kwargs=kwargs))
    return urls


def test_consultar_sees_but_cannot_answer(network, nip, client):
    demand = nip()
    reader = member(network["0137"], "atendente", regulatorio=Level.CONSULTAR, username="leitor")
    client.force_login(reader)
    assert client.get("/painel/regulatorio/").status_code == 200
    page = client.get(f"/painel/regulatorio/{demand.pk}/")
    assert page.status_code == 200 and demand.ans_number in page.content.decode()
    assert "Registrar andamento" not in page.content.decode()
    post = client.post(
        f"/painel/regulatorio/{demand.pk}/acao/", {"action": "responder", "message": "Ok."}
    )
    assert post.status_code == 403
    with pytest.raises(Forbidden):
        demand_act(
            actor=actor_for_user(reader), demand_id=demand.pk, action="responder", message="Ok."
        )
    demand.refresh_from_db()
    assert demand.status == "recebida"


def test_without_the_module_403_everywhere(network, nip, client):
    from django.core.files.uploadedfile import SimpleUploadedFile

    from regulatorio.services import demand_attach

    demand = nip()
    holder = actor_for_user(demand.owner)
    event = demand_attach(
        actor=holder,
        demand_id=demand.pk,
        files=[SimpleUploadedFile("peticao.pdf", b"%PDF-1.4\n")],
    )
    urls = _regulatory_urls(demand, event.attachments.get().pk)
    assert len(urls) == 10
    seller = member(network["0137"], "vendedor", username="vendedor.reg")
    blocked = member(network["0137"], "gestor", regulatorio=Level.NENHUM, username="gestor.sem")
    for user in (seller, blocked):
        client.force_login(user)
        for url in urls:
            statuses = {client.get(url).status_code, client.post(url, {}).status_code}
            assert 403 in statuses and statuses <= {403, 405}, (user.username, url, statuses)
        assert "/painel/regulatorio/" not in client.get("/painel/").content.decode()


def test_alerts_at_d2_and_due_day_never_repeated(network, nip):
    today = timezone.localdate()
    network["0137"].contingency_email = "regulatorio@unimed0137.example.com.br"
    network["0137"].save()
    demand = nip()
    Demand.objects.filter(pk=demand.pk).update(due_date=today)
    assert alerts_send(today=today) == 1
    assert alerts_send(today=today) == 0
    assert len(mail.outbox) == 1 and "vence hoje" in mail.outbox[0].subject
    from core.business_days import ANS_CALENDAR, add_business_days

    Demand.objects.filter(pk=demand.pk).update(due_date=add_business_days(today, 2, **ANS_CALENDAR))
    assert alerts_send(today=today) == 1
    assert alerts_send(today=today + timedelta(days=0)) == 0
    assert len(mail.outbox) == 2


def test_regulatorio_alone_asks_for_subsidies(network, nip):
    """A subsídio request is an act of the Regulatório module: a member who works demands
    but has no Protocolos module still asks (the protocol it opens is the hub's seam)."""
    from regulatorio.services import subsidy_request
    from unimeds.models import Membership, Module, ModuleGrant

    demand = nip()
    user = member(network["0137"], "atendente", username="so.regulatorio")
    ModuleGrant.objects.create(
        membership=Membership.objects.get(user=user), module=Module.PROTOCOLOS, level=Level.NENHUM
    )
    actor = actor_for_user(user)
    assert not actor.may(Module.PROTOCOLOS) and actor.may(Module.REGULATORIO, Level.OPERAR)
    subsidy = subsidy_request(
        actor=actor, demand_id=demand.pk, unimed_code="0025", question="Houve atendimento?"
    )
    assert subsidy.protocol.is_regulatory and subsidy.protocol.responsible_unimed.code == "0025"
