"""The tenant rule is written once, on Actor: "sees every Unimed" means acting for no
particular Unimed as the system, a scheduled job or a hub admin. Anything else reads
actor.sees_all_unimeds / actor.may(module, level), never is_hub_admin itself."""

from pathlib import Path

import pytest

from unimeds.actors import Actor, ActorKind, portal_actor, scheduled_actor, system_actor
from unimeds.models import Level, Module, Role, preset_levels

ROOT = Path(__file__).resolve().parents[2]
ALLOWED = {"unimeds/actors.py", "unimeds/access.py"}


def test_is_hub_admin_is_read_only_inside_actor_and_the_access_layer():
    offenders = []
    for path in ROOT.rglob("*.py"):
        relative = path.relative_to(ROOT).as_posix()
        if relative.startswith((".venv/", "tests/", "bench/")) or "/migrations/" in relative:
            continue
        if relative not in ALLOWED and "is_hub_admin" in path.read_text(encoding="utf-8"):
            offenders.append(relative)
    assert offenders == []


@pytest.mark.django_db
def test_who_sees_every_unimed(unimed):
    assert system_actor().sees_all_unimeds and scheduled_actor("varredura").sees_all_unimeds
    assert Actor(unimed=None, is_hub_admin=True).sees_all_unimeds
    # With a Unimed, everyone is scoped to it: a hub admin with a membership, a job built for one Unimed.
    assert not Actor(unimed=unimed, is_hub_admin=True).sees_all_unimeds
    assert not Actor(unimed=unimed, kind=ActorKind.SCHEDULED).sees_all_unimeds
    assert not portal_actor().sees_all_unimeds
    assert not Actor(unimed=unimed, roles=frozenset({Role.GESTOR})).sees_all_unimeds
    gestor = Actor(unimed=unimed, levels=tuple(preset_levels([Role.GESTOR]).items()))
    atendente = Actor(unimed=unimed, levels=tuple(preset_levels([Role.ATENDENTE]).items()))
    assert gestor.may(Module.EQUIPE, Level.ADMINISTRAR)
    assert not atendente.may(Module.EQUIPE)
    assert Actor(unimed=None, is_hub_admin=True).may(Module.EQUIPE, Level.ADMINISTRAR)
    assert scheduled_actor("varredura").label == "tarefa:varredura"
