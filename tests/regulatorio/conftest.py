"""The network of tests/gpu_api (0137, 0025, 0666 with areas and local receivers) and
staff of the Regulatório module."""

import pytest

from regulatorio.services import demand_register
from tests.factories import staff_user
from tests.gpu_api.conftest import network  # noqa: F401 - fixture (receivers is in tests/conftest.py)
from unimeds.actors import actor_for_user
from unimeds.models import Level, Module, ModuleGrant


def member(unimed, *roles, regulatorio: int | None = None, username=None, **fields):
    """A staff user; `regulatorio` sets their Regulatório level over the roles' presets."""
    user = staff_user(unimed, *roles, username=username, **fields)
    if regulatorio is not None:
        ModuleGrant.objects.update_or_create(
            membership=user.membership, module=Module.REGULATORIO, defaults={"level": regulatorio}
        )
    return user


@pytest.fixture
def holder(network):
    """An atendente of 0137 (Regulatório: operar by the preset)."""
    return actor_for_user(member(network["0137"], "atendente", username="reg.0137"))


@pytest.fixture
def nip(holder):
    def make(**overrides):
        data = {
            "kind": "nip_assistencial",
            "ans_number": "NIP-2027-0001",
            "notified_on": __import__("django.utils.timezone").utils.timezone.localdate(),
            "card": "01370004812345670",
            "beneficiary_name": "Maria da Silva",
            "description": "Negativa de ressonância magnética em Florianópolis.",
        }
        data.update(overrides)
        return demand_register(actor=holder, **data)[0]

    return make


LEVELS = Level
