"""Panel fixtures: the protocol test network, signed-in clients per Unimed and role."""

import pytest
from django.test import Client

from tests.factories import UnimedFactory, staff_user
from tests.protocols.conftest import beneficiary_data, network  # noqa: F401 — shared fixtures


@pytest.fixture
def stranger_unimed(network):  # noqa: F811
    unimed = UnimedFactory(code="0667", ans_registry="366701", name="Unimed Teste 0667", uf="RS")
    network["0667"] = unimed
    return unimed


@pytest.fixture
def client_for(network, stranger_unimed):  # noqa: F811
    """client_for(code, *roles) → (Client signed in as a new staff user of that Unimed, user)."""

    def build(code: str, *roles: str, enforce_csrf: bool = False):
        user = staff_user(network[code], *(roles or ("atendente",)))
        client = Client(enforce_csrf_checks=enforce_csrf)
        client.force_login(user)
        return client, user

    return build


@pytest.fixture
def contingency_protocol(network, client_for):  # noqa: F811
    """A protocol opened by 0666 staff in the panel; 0137 (card) is responsible, 0025 serves."""
    from protocols.services import protocol_open
    from unimeds.actors import actor_for_user

    def build(**overrides):
        _client, user = client_for("0666")
        data = beneficiary_data(channel="CONTINGENCIA", serving_unimed_code="0025")
        data.update(overrides)
        return protocol_open(actor=actor_for_user(user), **data)

    return build
