"""The buttons the panel offers (protocols.panel.selectors.protocol_actions) are exactly what the
services accept, for every party and status: the services decide, the panel must not drift."""

import pytest
from django.contrib.auth import get_user_model
from django.db import transaction

from core.errors import DomainError
from protocols.models import Protocol, Status
from protocols.panel.selectors import protocol_actions
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
from tests.factories import staff_user
from unimeds.actors import actor_for_user

pytestmark = pytest.mark.django_db
User = get_user_model()

CALLS = {
    "answer": lambda a, p: protocol_answer(actor=a, protocol=p, message="Resposta."),
    "answer_partial": lambda a, p: protocol_answer(
        actor=a, protocol=p, message="Parcial.", conclusive=False
    ),
    "note": lambda a, p: protocol_note(actor=a, protocol=p, message="Nota."),
    "forward": lambda a, p: protocol_forward(
        actor=a, protocol=p, to_unimed_code="0667", reason="Outra Unimed."
    ),
    "cancel": lambda a, p: protocol_cancel(actor=a, protocol=p, reason="Desistência."),
    "close": lambda a, p: protocol_close(actor=a, protocol=p),
    "reopen": lambda a, p: protocol_reopen(actor=a, protocol=p, reason="Reanálise pedida."),
    "complement": lambda a, p: protocol_complement(actor=a, protocol=p, message="Mais dados."),
    "reclassify": lambda a, p: protocol_reclassify(
        actor=a, protocol=p, manifestation_type="R", category=2, reason="Categoria corrigida."
    ),
    "recompute_deadline": lambda a, p: protocol_recompute_deadline(
        actor=a, protocol=p, reason="Feriado novo."
    ),
    "assume": lambda a, p: protocol_assume(actor=a, protocol=p),
    # To a colleague of the responsible Unimed other than its current owner.
    "assign": lambda a, p: protocol_assign(
        actor=a,
        protocol=p,
        owner_id=User.objects.filter(username__startswith="colega").exclude(pk=p.owner_id)[0].pk,
    ),
}


class Rollback(Exception):
    pass


def accepted(actor, protocol) -> set[str]:
    ok = set()
    for name, call in CALLS.items():
        try:
            with transaction.atomic():
                call(actor, Protocol.objects.get(pk=protocol.pk))
                raise Rollback
        except Rollback:
            ok.add(name)
        except DomainError:
            pass
    return ok


@pytest.mark.parametrize(
    "status",
    [Status.ABERTO, Status.EM_ANALISE, Status.RESPONDIDO, Status.ENCERRADO, Status.CANCELADO],
)
def test_offered_equals_accepted(network, stranger_unimed, contingency_protocol, status):
    protocol = contingency_protocol()
    responsible = actor_for_user(staff_user(network["0137"]))
    if status == Status.EM_ANALISE:
        protocol_answer(actor=responsible, protocol=protocol, message="Parcial.", conclusive=False)
    elif status in (Status.RESPONDIDO, Status.ENCERRADO):
        protocol_answer(actor=responsible, protocol=protocol, message="Feito.")
        if status == Status.ENCERRADO:
            protocol_close(actor=responsible, protocol=protocol)
    elif status == Status.CANCELADO:
        protocol_cancel(actor=responsible, protocol=protocol, reason="Duplicado.")
    protocol.refresh_from_db()
    assert protocol.status == status
    staff_user(network["0137"], username="colega.a")
    staff_user(network["0137"], username="colega.b")
    people = [(code, ("atendente",)) for code in ("0137", "0666", "0025", "0667")]
    people += [("0137", ("supervisor",)), ("0025", ("supervisor",)), ("0137", ("vendedor",))]
    for code, roles in people:
        actor = actor_for_user(staff_user(network[code], *roles))
        fresh = Protocol.objects.get(pk=protocol.pk)
        assert set(protocol_actions(actor=actor, protocol=fresh)) == accepted(actor, fresh), (
            code,
            roles,
            status,
        )


def test_assume_is_not_offered_to_the_owner(network, contingency_protocol):
    protocol = contingency_protocol()
    staff_user(network["0137"], username="colega.a")
    actor = actor_for_user(staff_user(network["0137"]))
    assert "assume" in protocol_actions(actor=actor, protocol=protocol)
    protocol_assume(actor=actor, protocol=protocol)
    fresh = Protocol.objects.get(pk=protocol.pk)
    assert "assume" not in protocol_actions(actor=actor, protocol=fresh)
    assert "assume" not in accepted(actor, fresh)
