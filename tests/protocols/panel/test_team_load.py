"""The gestor's home: the team's protocol load (open, overdue, due today or D-1,
answered in 7 days per person; nobody's) — only the acting Unimed's protocols, and only
for those who administer Protocolos."""

import re
from datetime import timedelta

from protocols.models import Protocol
from protocols.numbering import local_day
from protocols.services import protocol_answer, protocol_assign
from tests.protocols.conftest import non_client_data
from unimeds.actors import actor_for_user


def _row(body: str, username: str) -> dict[str, int]:
    row = body.split(f'data-pessoa="{username}"')[1].split("</tr>")[0]
    return {
        key: int(re.sub(r"<[^>]+>", "", value).strip())
        for key, value in re.findall(r'data-n="(\w+)">(.*?)</td>', row, flags=re.S)
    }


def _due(protocol, day) -> None:
    Protocol.objects.filter(pk=protocol.pk).update(due_date=day)


def test_gestor_sees_each_members_protocols_of_own_unimed_only(
    client_for, open_protocol, make_staff, network, portal
):
    from protocols.services import protocol_open

    client, gestor = client_for("0137", "gestor")
    boss = actor_for_user(gestor)
    ana = make_staff(network["0137"], "atendente", username="ana.0137")
    bruno = make_staff(network["0137"], "atendente", username="bruno.0137")
    today = local_day()

    mine = [open_protocol() for _ in range(3)]
    dues = (today - timedelta(days=1), today, today + timedelta(days=30))
    for protocol, due in zip(mine, dues, strict=True):
        protocol_assign(actor=boss, protocol=protocol, owner_id=ana.pk)
        _due(protocol, due)
    kept, answered = open_protocol(), open_protocol()
    for protocol in (kept, answered):
        protocol_assign(actor=boss, protocol=protocol, owner_id=bruno.pk)
    _due(kept, today + timedelta(days=30))
    protocol_answer(
        actor=actor_for_user(bruno), protocol=answered, message="Autorizado.", conclusive=True
    )
    nobodys = open_protocol()
    _due(nobodys, today - timedelta(days=2))

    # Another Unimed's work, its people and its unowned protocols do not count here.
    carla = make_staff(network["0025"], "atendente", username="carla.0025")
    theirs = protocol_open(actor=portal, **non_client_data())  # Florianópolis → 0025
    assert theirs.responsible_unimed == network["0025"]
    protocol_assign(
        actor=actor_for_user(make_staff(network["0025"], "supervisor")),
        protocol=theirs,
        owner_id=carla.pk,
    )
    protocol_open(actor=portal, **non_client_data())

    body = client.get("/painel/").content.decode()
    assert 'id="carga-protocolos"' in body
    assert _row(body, "ana.0137") == {"aberto": 3, "vencidos": 1, "vencendo": 1, "respondidos": 0}
    assert _row(body, "bruno.0137") == {
        "aberto": 1,
        "vencidos": 0,
        "vencendo": 0,
        "respondidos": 1,
    }
    assert ">1 em aberto</a>, <a" in body and "1 vencido</a>" in body  # sem responsável
    assert 'data-pessoa="carla.0025"' not in body
    # The overdue count opens the overdue tab filtered by that person.
    assert f"aba=vencidos&amp;dono={ana.pk}" in body


def test_members_below_administrar_do_not_see_the_block(client_for, open_protocol):
    open_protocol()
    for role in ("atendente", "vendedor"):
        client, _user = client_for("0137", role)
        body = client.get("/painel/").content.decode()
        assert 'id="carga-protocolos"' not in body and "Carga da equipe em protocolos" not in body
