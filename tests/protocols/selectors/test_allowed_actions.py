"""protocol_allowed_actions says exactly what the services accept, in every status."""

import pytest
from django.contrib.auth import get_user_model
from django.db import transaction

from core.errors import DomainError
from protocols.models import ACTION_RULES
from protocols.selectors import protocol_allowed_actions
from protocols.services import (
    protocol_answer,
    protocol_assign,
    protocol_assume,
    protocol_cancel,
    protocol_close,
    protocol_complement,
    protocol_forward,
    protocol_note,
    protocol_reclassify,
    protocol_recompute_deadline,
    protocol_reopen,
)
from unimeds.actors import system_actor

pytestmark = pytest.mark.django_db

RUN = {
    "answer_partial": lambda a, p: protocol_answer(
        actor=a, protocol=p, message="Em análise", conclusive=False
    ),
    "answer": lambda a, p: protocol_answer(actor=a, protocol=p, message="Resposta"),
    "note": lambda a, p: protocol_note(actor=a, protocol=p, message="Nota"),
    "forward": lambda a, p: protocol_forward(
        actor=a, protocol=p, to_unimed_code="0025", reason="Outra área"
    ),
    "cancel": lambda a, p: protocol_cancel(actor=a, protocol=p, reason="Duplicado"),
    "close": lambda a, p: protocol_close(actor=a, protocol=p),
    "reopen": lambda a, p: protocol_reopen(actor=a, protocol=p, reason="Reanálise"),
    "complement": lambda a, p: protocol_complement(actor=a, protocol=p, message="Mais dados"),
    "reclassify": lambda a, p: protocol_reclassify(
        actor=a, protocol=p, manifestation_type="S", category=3, reason="É PAC"
    ),
    "recompute_deadline": lambda a, p: protocol_recompute_deadline(
        actor=a, protocol=p, reason="Conferir"
    ),
    "assume": lambda a, p: protocol_assume(actor=a, protocol=p),
    "assign": lambda a, p: protocol_assign(
        actor=a,
        protocol=p,
        owner_id=get_user_model()
        .objects.filter(membership__unimed__code="0137")
        .exclude(pk=p.owner_id)
        .first()
        .pk,
    ),
}


class Rollback(Exception):
    pass


def _accepted(run, actor, protocol) -> bool:
    try:
        with transaction.atomic():
            run(actor, protocol)
            raise Rollback
    except Rollback:
        return True
    except DomainError:
        return False


@pytest.mark.parametrize(
    "setup", ["aberto", "em_analise", "respondido", "encerrado", "cancelado", "reaberto"]
)
def test_allowed_actions_match_the_services(open_protocol, staff_actor, portal, setup):
    origin, responsible = staff_actor("0666"), staff_actor("0137")
    protocol = open_protocol(actor=origin, channel="CONTINGENCIA", serving_unimed_code="0025")
    path = {
        "em_analise": ["answer_partial"],
        "respondido": ["answer"],
        "encerrado": ["answer", "close"],
        "cancelado": ["cancel"],
        "reaberto": ["answer", "reopen"],
    }.get(setup, [])
    for step in path:
        RUN[step](responsible, protocol)
    protocol.refresh_from_db()
    assert protocol.status == setup
    actors = {
        "responsible": responsible,
        "origin": origin,
        "serving": staff_actor("0025"),
        "portal": portal,
        "system": system_actor(),
    }
    assert set(RUN) == set(ACTION_RULES)
    for name, actor in actors.items():
        offered = protocol_allowed_actions(actor=actor, protocol=protocol)
        for action, run in RUN.items():
            assert (action in offered) == _accepted(run, actor, protocol), (setup, name, action)
