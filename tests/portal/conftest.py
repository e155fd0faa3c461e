"""Portal fixtures: a network with areas (0137 São Paulo, 0025 Florianópolis, 0666
Curitiba; Manaus left without a Unimed) and valid form payloads."""

import pytest

from tests.factories import UnimedFactory
from unimeds.services import unimed_set_area

SAO_PAULO, GUARULHOS, FLORIANOPOLIS, CURITIBA, MANAUS = (
    "3550308",
    "3518800",
    "4205407",
    "4106902",
    "1302603",
)
VALID_CPF = "529.982.247-25"
CARD_0137 = "0137 0000000000006"


@pytest.fixture
def network(unimed, other_unimed):
    third = UnimedFactory(code="0666", ans_registry="366601", name="Unimed Teste 0666", uf="PR")
    unimed_set_area(unimed=unimed, municipality_codes=[SAO_PAULO, GUARULHOS])
    unimed_set_area(unimed=other_unimed, municipality_codes=[FLORIANOPOLIS])
    unimed_set_area(unimed=third, municipality_codes=[CURITIBA])
    return {"0137": unimed, "0025": other_unimed, "0666": third}


def non_client_post(**overrides) -> dict:
    data = {
        "name": "Joana Prado",
        "cpf": "",
        "email": "joana@example.com.br",
        "phone": "(11) 98765-4321",
        "uf": "SP",
        "municipality": SAO_PAULO,
        "subject": "I:1",
        "message": "Quais hospitais atendem?",
        "answer_preference": "1",
        "site": "",
    }
    data.update(overrides)
    return data


def beneficiary_post(**overrides) -> dict:
    data = {
        "name": "Maria da Silva",
        "card": CARD_0137,
        "cpf": VALID_CPF,
        "email": "maria@example.com.br",
        "phone": "",
        "subject": "S:2",
        "message": "Preciso da autorização do exame.",
        "answer_preference": "1",
        "site": "",
    }
    data.update(overrides)
    return data


def guia_post(**overrides) -> dict:
    data = {
        "provider_name": "Clínica Boa Saúde",
        "provider_code": "CRM 123456/PR",
        "uf": "PR",
        "municipality": CURITIBA,
        "wrong_items": ["telefone", "endereco"],
        "wrong_info": "Rua A, 10 — (41) 3333-0000",
        "right_info": "Rua B, 20 — (41) 3333-1111",
        "name": "Pedro Lima",
        "email": "pedro@example.com.br",
        "phone": "",
        "answer_preference": "1",
        "site": "",
    }
    data.update(overrides)
    return data


def plan_post(**overrides) -> dict:
    data = {
        "person_kind": "pf",
        "document": VALID_CPF,
        "company_name": "",
        "name": "Carlos Nunes",
        "email": "carlos@example.com.br",
        "phone": "11987654321",
        "uf": "SP",
        "municipality": SAO_PAULO,
        "lives": "3",
        "plan_type": "individual",
        "current_plan": "Nenhum",
        "message": "",
        "site": "",
    }
    data.update(overrides)
    return data
