"""Who works a protocol: assume, assign within the responsible Unimed only, automatic
distribution by the Unimed's rule, a forward clears the owner; each change is an internal
timeline event, audited, and the new owner is e-mailed."""

import pytest
from django.core import mail

from core.errors import Forbidden, InvalidInput, InvalidTransition, NotFound
from core.models import AuditEvent
from protocols.models import EventKind, Protocol
from protocols.selectors import protocol_timeline
from protocols.services import (
    protocol_answer,
    protocol_assign,
    protocol_assume,
    protocol_forward,
    protocol_settings_update,
)
from tests.factories import staff_user
from unimeds.actors import actor_for_user

pytestmark = pytest.mark.django_db


def _actor(unimed, *roles, **kwargs):
    return actor_for_user(staff_user(unimed, *roles, **kwargs))


def test_assume_sets_the_owner_with_an_internal_event_and_audit(network, open_protocol):
    protocol = open_protocol(serving_unimed_code="0025")
    ana = _actor(network["0137"], "atendente", username="ana")
    event = protocol_assume(actor=ana, protocol=protocol)
    protocol.refresh_from_db()
    assert protocol.owner == ana.user
    assert event.kind == EventKind.ATRIBUIDO and not event.public
    assert event.payload == {"de": "", "para": "ana", "como": "assumiu"}
    assert AuditEvent.objects.filter(action="protocolo.atribuido", target_id=protocol.pk).exists()
    assert mail.outbox == []  # nobody to tell: she took it herself
    with pytest.raises(InvalidInput):
        protocol_assume(actor=ana, protocol=protocol)
    # Another Unimed of the case sees the protocol, not who works it inside 0137.
    serving = _actor(network["0025"], "atendente")
    kinds = [e.kind for e in protocol_timeline(actor=serving, protocol=protocol)]
    assert EventKind.ATRIBUIDO not in kinds


def test_assign_to_a_colleague_emails_them_and_needs_administrar(network, open_protocol):
    protocol = open_protocol()
    unimed = network["0137"]
    bia = staff_user(unimed, "atendente", username="bia", email="bia@example.com.br")
    attendant = _actor(unimed, "atendente")
    with pytest.raises(Forbidden):
        protocol_assign(actor=attendant, protocol=protocol, owner_id=bia.pk)
    supervisor = _actor(unimed, "supervisor", username="sup")
    protocol_assign(actor=supervisor, protocol=protocol, owner_id=bia.pk)
    protocol.refresh_from_db()
    assert protocol.owner == bia
    assert [m.to for m in mail.outbox] == [["bia@example.com.br"]]
    assert protocol.number in mail.outbox[0].subject
    # Reassignment: one more event, "de" → "para".
    protocol_assign(actor=supervisor, protocol=protocol, owner_id=attendant.user.pk)
    events = protocol.events.filter(kind=EventKind.ATRIBUIDO).order_by("seq")
    assert [e.payload["para"] for e in events] == ["bia", attendant.user.username]
    assert events.last().payload["de"] == "bia"


def test_assignment_stays_within_the_responsible_unimed(network, open_protocol):
    protocol = open_protocol()
    supervisor = _actor(network["0137"], "supervisor")
    stranger = staff_user(network["0025"], "atendente")
    with pytest.raises(NotFound):
        protocol_assign(actor=supervisor, protocol=protocol, owner_id=stranger.pk)
    seller = staff_user(network["0137"], "vendedor")  # no Protocolos module
    with pytest.raises(InvalidInput) as refused:
        protocol_assign(actor=supervisor, protocol=protocol, owner_id=seller.pk)
    assert "não tem acesso" in refused.value.message
    # A supervisor of another Unimed cannot reach the protocol at all.
    with pytest.raises(NotFound):
        protocol_assign(
            actor=_actor(network["0666"], "supervisor"),
            protocol=protocol,
            owner_id=supervisor.user.pk,
        )
    assert Protocol.objects.get(pk=protocol.pk).owner is None


def test_only_open_protocols_are_assumed(network, open_protocol):
    protocol = open_protocol()
    ana = _actor(network["0137"], "atendente")
    protocol_answer(actor=ana, protocol=protocol, message="Resolvido.")
    with pytest.raises(InvalidTransition):
        protocol_assume(actor=ana, protocol=protocol)


def test_round_robin_and_fewest_open_distribute_arrivals(network, open_protocol):
    unimed = network["0137"]
    supervisor = _actor(unimed, "supervisor", username="sup")
    ana = staff_user(unimed, "atendente", username="ana")
    staff_user(network["0025"], "atendente")  # never a candidate
    protocol_settings_update(actor=supervisor, assignment_rule="round_robin")
    arrived = [open_protocol() for _ in range(4)]
    assert [p.owner.username for p in arrived] == ["sup", "ana", "sup", "ana"]  # by user id
    event = Protocol.objects.get(pk=open_protocol().pk).events.get(kind=EventKind.ATRIBUIDO)
    assert event.payload["como"] == "distribuicao"
    protocol_settings_update(actor=supervisor, assignment_rule="fewest_open")
    protocol_answer(actor=supervisor, protocol=arrived[0], message="Feito.")
    protocol_answer(actor=supervisor, protocol=arrived[2], message="Feito.")
    # sup has 1 open (the 5th went to him), ana 2: sup is next.
    assert open_protocol().owner == supervisor.user
    protocol_settings_update(actor=supervisor, assignment_rule="")
    assert open_protocol().owner is None
    with pytest.raises(InvalidInput):
        protocol_settings_update(actor=supervisor, assignment_rule="sorteio")
    with pytest.raises(Forbidden):
        protocol_settings_update(actor=actor_for_user(ana), assignment_rule="round_robin")


def test_forward_clears_the_owner_and_the_new_unimed_rule_applies(network, open_protocol):
    protocol = open_protocol()
    ana = _actor(network["0137"], "atendente")
    protocol_assume(actor=ana, protocol=protocol)
    other_supervisor = _actor(network["0025"], "supervisor", username="sup25")
    protocol_settings_update(actor=other_supervisor, assignment_rule="round_robin")
    protocol_forward(actor=ana, protocol=protocol, to_unimed_code="0025", reason="Área da 0025.")
    protocol.refresh_from_db()
    assert protocol.owner == other_supervisor.user
