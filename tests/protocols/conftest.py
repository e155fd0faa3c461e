"""Fixtures for protocol tests: a small network with areas, and a protocol builder."""

import pytest

from protocols.services import protocol_open
from tests.factories import UnimedFactory, staff_user
from unimeds.actors import actor_for_service_account, actor_for_user, portal_actor
from unimeds.services import service_account_create, unimed_set_area

VALID_CPF = "52998224725"


@pytest.fixture
def network(unimed, other_unimed):
    """0137 (SP, São Paulo/Guarulhos), 0025 (SC, Florianópolis) and 0666 (PR, Curitiba)."""
    third = UnimedFactory(code="0666", ans_registry="366601", name="Unimed Teste 0666", uf="PR")
    unimed_set_area(unimed=unimed, municipality_codes=["3550308", "3518800"])
    unimed_set_area(unimed=other_unimed, municipality_codes=["4205407"])
    unimed_set_area(unimed=third, municipality_codes=["4106902"])
    return {"0137": unimed, "0025": other_unimed, "0666": third}


@pytest.fixture
def staff_actor(network):
    """actor_for(code, *roles) → the Actor of a staff user of that Unimed."""

    def build(code: str, *roles: str):
        user = staff_user(network[code], *roles)
        return actor_for_user(user)

    return build


@pytest.fixture
def service_actor(network):
    def build(code: str):
        account, _ = service_account_create(unimed=network[code], name=f"sistema {code}")
        return actor_for_service_account(account)

    return build


@pytest.fixture
def portal():
    return portal_actor()


def beneficiary_data(**overrides) -> dict:
    data = {
        "channel": "PORTAL",
        "kind": "beneficiario",
        "requester": {
            "name": "Maria da Silva",
            "cpf": "529.982.247-25",
            "phone_ddd": "11",
            "phone": "98765-4321",
            "email": "maria@example.com.br",
        },
        "card": "0137 0000000000006",
        "manifestation_type": "S",
        "category": 2,
        "answer_preference": 1,
        "message": "Preciso da autorização do exame de ressonância.",
    }
    data.update(overrides)
    return data


def non_client_data(**overrides) -> dict:
    data = {
        "channel": "PORTAL",
        "kind": "nao_cliente",
        "requester": {"name": "João Souza", "email": "joao@example.com.br", "city_code": "4205407"},
        "manifestation_type": "P",
        "category": 8,
        "answer_preference": 1,
        "message": "Quero um plano para minha família.",
    }
    data.update(overrides)
    return data


@pytest.fixture
def open_protocol(network, portal):
    """open_protocol(actor=None, **overrides) → a beneficiary protocol (card of 0137)."""

    def build(actor=None, **overrides):
        return protocol_open(actor=actor or portal, **beneficiary_data(**overrides))

    return build
