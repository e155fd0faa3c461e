"""Two deadline sweeps at the same time (PostgreSQL, a connection per thread): the
compare-and-set claim lets one of them escalate a protocol, and one e-mail goes out."""

import pytest
from django.core import mail

from protocols.escalation import deadline_alerts_sweep
from protocols.models import NotificationKind, Protocol, ProtocolNotification
from protocols.numbering import local_day
from tests.concurrency import in_threads
from tests.factories import staff_user

pytestmark = [pytest.mark.postgres, pytest.mark.django_db(transaction=True)]


def test_two_concurrent_sweeps_send_one_escalation(network, open_protocol):
    staff_user(network["0137"], "supervisor", email="sup@example.com.br")
    today = local_day()
    due_today = open_protocol()
    Protocol.objects.filter(pk=due_today.pk).update(due_date=today)
    results, errors = in_threads(2, lambda i: deadline_alerts_sweep(today=today))
    assert errors == []
    assert sorted(r["escalado"] for r in results) == [0, 1]
    assert ProtocolNotification.objects.filter(kind=NotificationKind.ESCALATION).count() == 1
    assert len([m for m in mail.outbox if "vence em" in m.subject]) == 1
