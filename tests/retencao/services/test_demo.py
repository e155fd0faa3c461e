from io import StringIO

import pytest

from retencao import demo as retencao_demo
from retencao.models import CaseStatus, OutOfRule, RetentionCase, RetentionRule
from unimeds import demo as unimeds_demo


@pytest.mark.django_db
def test_demo_seed_is_idempotent(settings):
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]  # speed only
    out = StringIO()
    unimeds_demo.seed(out)
    for _ in range(2):
        retencao_demo.seed(out)
        assert RetentionRule.objects.count() == 3
        assert RetentionCase.objects.count() == 2  # Juliana (PF) and the Metalúrgica (PJ)
        assert OutOfRule.objects.count() == 1  # Roberto: 14 lives, 130%, 8 days late
    assert RetentionCase.objects.get(contract_number="DEMO-PF-0001").status == CaseStatus.RETIDO
