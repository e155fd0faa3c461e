from io import StringIO

import pytest

from leads import demo as leads_demo
from leads.models import ActiveContract, Lead, LeadStatus, MarketReservation
from unimeds import demo as unimeds_demo


@pytest.mark.django_db
def test_demo_seed_is_idempotent(settings):
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]  # speed only
    out = StringIO()
    unimeds_demo.seed(out)
    counts = []
    for _ in range(2):
        leads_demo.seed(out)
        counts.append((Lead.objects.count(), MarketReservation.objects.count()))
        assert ActiveContract.objects.count() == 1
        assert Lead.objects.filter(email__endswith="@padaria-alfa.example").count() == 1
    assert counts[0] == counts[1]  # the second run adds nothing
    # The history: every stage of the pipeline has leads.
    assert set(Lead.objects.values_list("status", flat=True)) == set(LeadStatus.values)
    client_lead = Lead.objects.get(document="11222333000181")
    assert client_lead.is_existing_client and client_lead.owner is None
    assert Lead.objects.get(document="12ABC34501DE35").status == "em_contato"
