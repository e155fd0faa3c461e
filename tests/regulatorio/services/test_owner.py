"""The internal owner of a demand: "Assumir" (Regulatório operar) and "Atribuir" to a
colleague (administrar), only inside the Unimed ANS notified; audited, in the timeline,
the new owner e-mailed; the page offers exactly what the service accepts."""

import pytest
from django.core import mail

from core.errors import Forbidden, InvalidInput, NotFound
from regulatorio.models import DemandEventKind
from regulatorio.services import demand_set_owner
from tests.regulatorio.conftest import member
from unimeds.actors import actor_for_user
from unimeds.models import Level

pytestmark = pytest.mark.django_db


@pytest.fixture
def team(network):
    unimed = network["0137"]
    return {
        "chefe": member(
            unimed,
            "supervisor",
            regulatorio=Level.ADMINISTRAR,
            username="chefe.reg",
            email="chefe@u0137.example.com.br",
        ),
        "ana": member(
            unimed,
            "atendente",
            regulatorio=Level.OPERAR,
            username="ana.reg",
            email="ana@u0137.example.com.br",
        ),
        "leitor": member(unimed, "atendente", regulatorio=Level.CONSULTAR, username="leitor.reg"),
        "de_fora": member(
            network["0025"], "supervisor", regulatorio=Level.ADMINISTRAR, username="fora"
        ),
    }


def test_assume_and_assign(network, nip, team):
    demand = nip()
    ana = actor_for_user(team["ana"])
    event = demand_set_owner(actor=ana, demand_id=demand.pk, owner_id=team["ana"].pk)
    demand.refresh_from_db()
    assert demand.owner == team["ana"]
    assert event.kind == DemandEventKind.RESPONSAVEL and "assumiu" in event.message
    assert not mail.outbox  # taking it oneself e-mails nobody

    chefe = actor_for_user(team["chefe"])
    event = demand_set_owner(actor=chefe, demand_id=demand.pk, owner_id=team["chefe"].pk)
    event = demand_set_owner(actor=chefe, demand_id=demand.pk, owner_id=team["ana"].pk)
    demand.refresh_from_db()
    assert demand.owner == team["ana"] and "Antes:" in event.message
    assert [m.to for m in mail.outbox] == [["ana@u0137.example.com.br"]]
    assert demand.ans_number in mail.outbox[0].subject
    assert f"/painel/regulatorio/{demand.pk}/" in mail.outbox[0].body

    from core.models import AuditEvent

    assert (
        AuditEvent.objects.filter(
            action="regulatorio.responsavel", target_id=str(demand.pk)
        ).count()
        == 3
    )


def test_refusals(network, nip, team):
    demand = nip()
    ana = actor_for_user(team["ana"])
    with pytest.raises(Forbidden):  # operar takes, does not give
        demand_set_owner(actor=ana, demand_id=demand.pk, owner_id=team["chefe"].pk)
    with pytest.raises(Forbidden):
        demand_set_owner(
            actor=actor_for_user(team["leitor"]), demand_id=demand.pk, owner_id=team["leitor"].pk
        )
    chefe = actor_for_user(team["chefe"])
    with pytest.raises(InvalidInput) as no_module:  # a colleague who may only read
        demand_set_owner(actor=chefe, demand_id=demand.pk, owner_id=team["leitor"].pk)
    assert "owner" in no_module.value.fields
    with pytest.raises(NotFound):  # someone of another Unimed is not found
        demand_set_owner(actor=chefe, demand_id=demand.pk, owner_id=team["de_fora"].pk)
    with pytest.raises(InvalidInput):
        demand_set_owner(actor=chefe, demand_id=demand.pk, owner_id="x")
    with pytest.raises(NotFound):  # 0025's supervisor does not see 0137's demand
        demand_set_owner(
            actor=actor_for_user(team["de_fora"]), demand_id=demand.pk, owner_id=team["de_fora"].pk
        )
    demand.refresh_from_db()
    assert demand.owner.username == "reg.0137"  # who registered it, unchanged


def test_page_offers_what_the_service_accepts(network, nip, team, client):
    demand = nip()
    url = f"/painel/regulatorio/{demand.pk}/"

    client.force_login(team["leitor"])
    page = client.get(url).content.decode()
    assert "Assumir" not in page and "Atribuir" not in page
    assert client.post(url + "responsavel/", {"owner": team["leitor"].pk}).status_code == 403

    client.force_login(team["ana"])
    page = client.get(url).content.decode()
    assert "Assumir" in page and "Atribuir" not in page
    assert client.post(url + "responsavel/", {"owner": team["chefe"].pk}).status_code == 403
    response = client.post(url + "responsavel/", {"owner": team["ana"].pk})
    assert response.status_code == 302
    page = client.get(url).content.decode()
    assert "Assumir" not in page  # already hers
    assert "assumiu a demanda" in page

    client.force_login(team["chefe"])
    page = client.get(url).content.decode()
    assert "Assumir" in page and "Atribuir" in page and 'id="id_responsavel_owner"' in page
    bad = client.post(url + "responsavel/", {"owner": team["leitor"].pk})
    assert bad.status_code == 400
    assert "não tem acesso para operar o Regulatório" in bad.content.decode()
    assert client.post(url + "responsavel/", {"owner": ""}).status_code == 400
    assert client.post(url + "responsavel/", {"owner": team["chefe"].pk}).status_code == 302
