from io import StringIO

import pytest

from leads import demo as leads_demo
from leads.models import ActiveContract, Lead, MarketReservation
from unimeds import demo as unimeds_demo


@pytest.mark.django_db
def test_demo_seed_is_idempotent(settings):
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]  # speed only
    out = StringIO()
    unimeds_demo.seed(out)
    for _ in range(2):
        leads_demo.seed(out)
        assert Lead.objects.count() == 3
        assert ActiveContract.objects.count() == 1
        assert MarketReservation.objects.filter(status="ativa").count() == 1
    client_lead = Lead.objects.get(document="11222333000181")
    assert client_lead.is_existing_client and client_lead.owner is None
    assert Lead.objects.get(document="12ABC34501DE35").status == "em_contato"
