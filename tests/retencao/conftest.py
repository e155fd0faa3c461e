"""Retention fixtures: the network, a régua for 0137, contract indicators, sellers."""

from decimal import Decimal

import pytest

from retencao.services import rule_create
from retencao.services.feeds import indicators_load
from tests.factories import UnimedFactory, staff_user
from unimeds.actors import actor_for_user, system_actor
from unimeds.services import unimed_set_area

CPF_IN = "52998224725"  # meets the 0137 rule (high loss ratio is not a bar, few lives)
CPF_OUT = "11144477735"  # a company-sized PF: outside every rule


@pytest.fixture
def network(unimed, other_unimed):
    third = UnimedFactory(code="0666", ans_registry="366601", name="Unimed Teste 0666", uf="PR")
    unimed_set_area(unimed=unimed, municipality_codes=["3550308"])
    unimed_set_area(unimed=other_unimed, municipality_codes=["4205407"])
    unimed_set_area(unimed=third, municipality_codes=["4106902"])
    return {"0137": unimed, "0025": other_unimed, "0666": third}


@pytest.fixture
def gestor(network):
    return staff_user(network["0137"], "gestor", username="gestor.0137")


@pytest.fixture
def seller(network):
    return staff_user(network["0137"], "vendedor", username="vend.0137")


@pytest.fixture
def regua(network, gestor, seller):
    """0137's rules: PF with up to 10 lives and loss ratio up to 80% (priority 1); anyone
    90+ days late (priority 2). Indicators for CPF_IN (2 lives, 35%) and CPF_OUT (40 lives)."""
    boss = actor_for_user(gestor)
    small = rule_create(
        actor=boss,
        name="PF pequeno",
        priority=1,
        client_type="pf",
        lives_max=10,
        loss_ratio_max=Decimal("80"),
    )
    late = rule_create(actor=boss, name="Atraso grave", priority=2, days_late_min=90)
    for doc, contract, lives, ratio in ((CPF_IN, "PF-1", 2, "35"), (CPF_OUT, "PF-2", 40, "20")):
        indicators_load(
            actor=system_actor(),
            unimed=network["0137"],
            row={
                "documento": doc,
                "nr_contrato": contract,
                "nome": "Cliente " + contract,
                "vidas": lives,
                "faixas_etarias": "29-33:1|0-18:1",
                "sinistralidade": ratio,
                "meses_contrato": 30,
                "mensalidade": "450,00",
            },
        )
    return {"small": small, "late": late}
