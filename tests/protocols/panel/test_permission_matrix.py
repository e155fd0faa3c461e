"""The per-module permission matrix (#17 item 6) as a gestor sets it and as every
channel then reads it: the team page, the services, the protocol panel."""

import pytest

from core.errors import DomainError, Forbidden, NotFound
from core.models import AuditEvent
from protocols.services import protocol_answer
from tests.factories import staff_user
from unimeds.actors import actor_for_user
from unimeds.models import Level, Module, ModuleGrant
from unimeds.services import staff_set_levels, staff_set_roles

pytestmark = pytest.mark.django_db


def _levels(**chosen):
    return {module: chosen.get(module, Level.NENHUM) for module in Module.values}


def test_a_role_is_a_preset_and_the_gestor_adjusts_one_module(network):
    gestor = staff_user(network["0137"], "gestor")
    member = staff_user(network["0137"], "atendente")
    preset = actor_for_user(member)
    assert preset.may(Module.PROTOCOLOS, Level.OPERAR) and not preset.may(Module.LEADS)

    staff_set_levels(
        actor=actor_for_user(gestor),
        user_id=member.pk,
        levels=_levels(protocolos=Level.CONSULTAR, leads=Level.OPERAR, relatorios=Level.CONSULTAR),
    )
    adjusted = actor_for_user(member)
    assert adjusted.level(Module.PROTOCOLOS) == Level.CONSULTAR
    assert adjusted.may(Module.LEADS, Level.OPERAR)
    assert not adjusted.may(Module.REGULATORIO)  # the preset's operar, taken away
    audit = AuditEvent.objects.get(action="equipe.permissoes", target_id=str(member.pk))
    assert audit.data["alteracoes"]["protocolos"] == ["operar", "consultar"]
    assert audit.data["alteracoes"]["leads"] == ["sem acesso", "operar"]

    # Choosing roles again applies the preset again.
    staff_set_roles(actor=actor_for_user(gestor), user_id=member.pk, roles=["atendente"])
    assert not ModuleGrant.objects.filter(membership__user=member).exists()
    assert actor_for_user(member).may(Module.PROTOCOLOS, Level.OPERAR)


def test_only_who_administers_the_team_sets_levels_and_never_across_unimeds(network):
    gestor = staff_user(network["0137"], "gestor")
    supervisor = staff_user(network["0137"], "supervisor")
    stranger = staff_user(network["0666"], "atendente")
    with pytest.raises(Forbidden):
        staff_set_levels(actor=actor_for_user(supervisor), user_id=gestor.pk, levels=_levels())
    with pytest.raises(NotFound):
        staff_set_levels(actor=actor_for_user(gestor), user_id=stranger.pk, levels=_levels())
    with pytest.raises(DomainError) as refused:
        staff_set_levels(
            actor=actor_for_user(gestor), user_id=gestor.pk, levels=_levels(equipe=Level.OPERAR)
        )
    assert refused.value.code == "auto_rebaixamento"
    with pytest.raises(DomainError) as bad:
        staff_set_levels(
            actor=actor_for_user(gestor), user_id=supervisor.pk, levels={"protocolos": "9"}
        )
    assert "Nível inválido" in bad.value.message


def test_consultar_sees_protocols_but_cannot_act(network, client_for, contingency_protocol):
    protocol = contingency_protocol()
    client, member = client_for("0137", "atendente")
    gestor = staff_user(network["0137"], "gestor")
    staff_set_levels(
        actor=actor_for_user(gestor), user_id=member.pk, levels=_levels(protocolos=Level.CONSULTAR)
    )
    inbox = client.get("/painel/protocolos/")
    assert inbox.status_code == 200
    page = client.get(f"/painel/protocolos/{protocol.number}/")
    assert page.status_code == 200 and "Responder" not in page.content.decode()
    answer = client.post(
        f"/painel/protocolos/{protocol.number}/acao/answer/", {"message": "Resposta."}
    )
    assert answer.status_code == 403
    with pytest.raises(Forbidden):
        protocol_answer(actor=actor_for_user(member), protocol=protocol, message="Resposta.")


def test_the_team_page_saves_the_matrix(network, client_for):
    client, gestor = client_for("0137", "gestor")
    member = staff_user(network["0137"], "vendedor")
    url = f"/painel/equipe/{member.pk}/"
    page = client.get(url).content.decode()
    assert "Permissões por módulo" in page and 'id="id_nivel_regulatorio"' in page
    response = client.post(
        url, {**_levels(leads=Level.ADMINISTRAR, retencao=Level.OPERAR), "salvar_permissoes": "1"}
    )
    assert response.status_code == 302
    assert actor_for_user(member).may(Module.LEADS, Level.ADMINISTRAR)
    bad = client.post(url, {"leads": "7", "salvar_permissoes": "1"})
    assert bad.status_code == 200 and "Faça uma escolha válida" in bad.content.decode()
