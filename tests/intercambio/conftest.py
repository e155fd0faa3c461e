import copy
import json
from datetime import timedelta
from pathlib import Path

import pytest
from django.utils import timezone
from oauth2_provider.models import AccessToken
from rest_framework.test import APIClient

from tests.factories import UnimedFactory, _password_hash
from unimeds.services import service_account_create

EXAMPLES = Path(__file__).resolve().parents[2] / "intercambio" / "examples"
URL = "/api/v1/ptu/compartilhamento-risco"
HABITUALITY_URL = "/api/v1/ptu/compartilhamento-risco/habitualidade"


def load(name: str) -> dict:
    return json.loads((EXAMPLES / name).read_text())


@pytest.fixture
def repasse():
    """Seed 003's pre-payment (P) message, exactly as published."""
    return copy.deepcopy(load("ptu_risk_sharing_repasse_P.json"))


@pytest.fixture
def custo():
    """Seed 003's post-payment (C) message: no codigoUnimedOrigem."""
    return copy.deepcopy(load("ptu_risk_sharing_custo_operacional_C.json"))


@pytest.fixture
def network(db):
    """The Unimeds the fixtures name: origin 0999, destination 0001, card prefix 0055.

    The published fixtures come from 0999 about a card of 0055: the registry here says
    0999 acts for 0055 (a federation), so they change routing. tests/intercambio/
    test_pending.py removes that relation to see them stored as pending."""
    from intercambio.models import ActsFor

    units = {
        "origin": UnimedFactory(code="0999", ans_registry="399901", name="Unimed Remetente 0999"),
        "destination": UnimedFactory(
            code="0001", ans_registry="300101", name="Unimed Destino 0001"
        ),
        "holder": UnimedFactory(code="0055", ans_registry="305501", name="Unimed Carteirinha 0055"),
        "outsider": UnimedFactory(code="0137", ans_registry="322831", name="Unimed Alheia 0137"),
    }
    ActsFor.objects.create(
        agent=units["origin"], principal=units["holder"], note="Federação (teste)"
    )
    return units


@pytest.fixture
def api_for(db):
    """Like the global api_for, without hashing a fresh client secret for every
    account (the already-hashed test password is stored as is): these tests make many."""

    def build(unimed):
        account, _ = service_account_create(
            unimed=unimed, name=f"teste {unimed.code}", client_secret=_password_hash()
        )
        token = AccessToken.objects.create(
            application=account.application,
            token=f"tok-ptu-{unimed.code}-{account.pk}",
            expires=timezone.now() + timedelta(hours=1),
            scope="gpu",
        )
        client = APIClient()
        client.credentials(HTTP_AUTHORIZATION=f"Bearer {token.token}")
        return client

    return build


@pytest.fixture
def origin_api(network, api_for):
    return api_for(network["origin"])


def post(client, body, **extra):
    return client.post(URL, body, format="json", **extra)
