"""Lead fixtures: two Unimeds with areas (São Paulo → 0137, Florianópolis → 0025)."""

import pytest
from stdnum.br import cnpj as stdnum_cnpj

from unimeds.actors import actor_for_user, portal_actor
from unimeds.models import Role
from unimeds.services import unimed_set_area

SAO_PAULO = "3550308"
GUARULHOS = "3518800"
FLORIANOPOLIS = "4205407"
CNPJ_NUMERIC = "11222333000181"
CNPJ_ALNUM = "12ABC34501DE35"
CPF = "52998224725"


def make_cnpj(n: int) -> str:
    """A valid numeric CNPJ per n (check digits computed, not hard-coded)."""
    base = f"{n:08d}0001"
    return base + stdnum_cnpj.calc_check_digits(base)


@pytest.fixture
def areas(unimed, other_unimed):
    unimed_set_area(unimed=unimed, municipality_codes=[SAO_PAULO, GUARULHOS])
    unimed_set_area(unimed=other_unimed, municipality_codes=[FLORIANOPOLIS])
    return unimed, other_unimed


@pytest.fixture
def actor_of():
    return lambda user: actor_for_user(user)


@pytest.fixture
def sellers(areas, make_staff, unimed):
    return [make_staff(unimed, Role.VENDEDOR, username=f"vend{i}.0137") for i in range(3)]


@pytest.fixture
def supervisor(areas, make_staff, unimed):
    return make_staff(unimed, Role.SUPERVISOR, username="sup.0137")


@pytest.fixture
def gestor(areas, make_staff, unimed):
    return make_staff(unimed, Role.GESTOR, Role.SUPERVISOR, username="gestor.0137")


@pytest.fixture
def intake_kwargs():
    def build(**overrides):
        data = {
            "actor": portal_actor(),
            "source": "portal",
            "document": "11.222.333/0001-81",
            "name": "Maria Compradora",
            "email": "maria@empresa.com.br",
            "phone": "(11) 98888-7777",
            "municipality_code": SAO_PAULO,
            "lives": 12,
            "plan_type": "empresarial",
            "company_name": "Empresa Exemplo Ltda",
            "message": "Quero cotação para 12 vidas.",
        }
        data.update(overrides)
        return data

    return build


@pytest.fixture(autouse=True)
def _fast_secret_hashing(settings):
    """Service-account secrets are hashed on creation; Argon2 costs ~1 s each (speed only)."""
    settings.PASSWORD_HASHERS = [
        "django.contrib.auth.hashers.MD5PasswordHasher",
        "django.contrib.auth.hashers.Argon2PasswordHasher",
    ]
