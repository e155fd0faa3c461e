"""The deadline clock's alarms: D-1 escalation to the responsible Unimed's supervisors
(the row is marked) and the overdue notice, each e-mailed once per protocol and deadline —
also when the sweep runs twice, or two sweeps race (PostgreSQL)."""

from datetime import timedelta

import pytest
from django.core import mail

from core.business_days import add_business_days
from protocols.escalation import deadline_alerts_sweep
from protocols.models import NotificationKind, Protocol, ProtocolNotification
from protocols.numbering import local_day
from protocols.services import protocol_assume, protocol_reopen
from tests.factories import staff_user
from unimeds.actors import actor_for_user

pytestmark = pytest.mark.django_db


@pytest.fixture
def team(network):
    unimed = network["0137"]
    return {
        "sup": staff_user(unimed, "supervisor", username="sup", email="sup@example.com.br"),
        "gestora": staff_user(unimed, "gestor", username="gestora", email="g@example.com.br"),
        "ana": staff_user(unimed, "atendente", username="ana", email="ana@example.com.br"),
        "other": staff_user(network["0025"], "supervisor", email="sup25@example.com.br"),
    }


def _due(protocol, due):
    Protocol.objects.filter(pk=protocol.pk).update(due_date=due)


def test_d_minus_one_escalates_once_to_the_supervisors_and_marks_the_row(team, open_protocol):
    protocol = open_protocol()
    today = local_day()
    _due(protocol, add_business_days(today, 1))
    far = open_protocol()
    _due(far, add_business_days(today, 5))
    assert deadline_alerts_sweep(today=today) == {"escalado": 1, "vencido": 0}
    assert len(mail.outbox) == 1
    assert sorted(mail.outbox[0].to) == ["g@example.com.br", "sup@example.com.br"]
    assert protocol.number in mail.outbox[0].subject
    assert Protocol.objects.get(pk=protocol.pk).is_escalated
    assert not Protocol.objects.get(pk=far.pk).is_escalated
    assert deadline_alerts_sweep(today=today) == {"escalado": 0, "vencido": 0}
    assert len(mail.outbox) == 1
    # A reopen gives a new deadline, and so a new escalation when that one comes.
    actor = actor_for_user(team["ana"])
    from protocols.services import protocol_answer

    protocol_answer(actor=actor, protocol=protocol, message="Resposta.")
    protocol_reopen(actor=actor, protocol=protocol, reason="Pediu reanálise.")
    fresh = Protocol.objects.get(pk=protocol.pk)
    assert not fresh.is_escalated
    _due(fresh, today)
    assert deadline_alerts_sweep(today=today)["escalado"] == 1


def test_overdue_is_mailed_once_to_supervisors_and_owner(team, open_protocol):
    protocol = open_protocol()
    protocol_assume(actor=actor_for_user(team["ana"]), protocol=protocol)
    today = local_day()
    _due(protocol, today - timedelta(days=2))
    ancient = open_protocol()
    _due(ancient, today - timedelta(days=60))  # before the alarm existed: left alone
    mail.outbox.clear()
    assert deadline_alerts_sweep(today=today) == {"escalado": 0, "vencido": 1}
    assert sorted(mail.outbox[0].to) == [
        "ana@example.com.br",
        "g@example.com.br",
        "sup@example.com.br",
    ]
    assert "vencido" in mail.outbox[0].subject
    assert deadline_alerts_sweep(today=today) == {"escalado": 0, "vencido": 0}
    assert len(mail.outbox) == 1
    assert ProtocolNotification.objects.filter(kind=NotificationKind.OVERDUE).count() == 1
