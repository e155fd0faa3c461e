import io

import pytest

from protocols import demo as protocols_demo
from protocols.models import Protocol, Status
from unimeds import demo as unimeds_demo

pytestmark = pytest.mark.django_db


def test_demo_seed_is_idempotent_and_covers_the_statuses(settings):
    settings.PASSWORD_HASHERS = [
        "django.contrib.auth.hashers.MD5PasswordHasher"
    ]  # demo users: speed only
    out = io.StringIO()
    unimeds_demo.seed(out)
    protocols_demo.seed(out)
    count = Protocol.objects.count()
    protocols_demo.seed(out)
    assert Protocol.objects.count() == count >= 7  # the hand-made seven plus the history
    statuses = set(Protocol.objects.values_list("status", flat=True))
    assert {
        Status.ABERTO,
        Status.EM_ANALISE,
        Status.RESPONDIDO,
        Status.REABERTO,
        Status.CANCELADO,
    } <= statuses
    external = Protocol.objects.filter(externally_numbered=True)
    assert any(p.is_overdue and p.responsible_unimed.code == "0137" for p in external)
