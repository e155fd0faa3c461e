import itertools

import pytest

from cooperados.models import Cooperado, LoginEmail
from tests.factories import PASSWORD, _password_hash, staff_user
from unimeds.models import Role

_seq = itertools.count(1)

VALID_CPFS = ("52998224725", "39053344705", "11144477735", "12345678909")


@pytest.fixture
def make_coop(db):
    """make_coop(unimed, **fields) → a saved Cooperado whose password is tests.factories.PASSWORD."""

    def build(unimed, **fields):
        n = next(_seq)
        values = {
            "provider_code": str(1000 + n),
            "full_name": f"Cooperado Teste {n}",
            "login": f"{5000 + n}SP",
            "crm_number": str(5000 + n),
            "crm_uf": "SP",
            "cpf": "",
            "email_unimed": f"medico{n}@unimed.example.com.br",
            "login_email_source": LoginEmail.UNIMED,
            "password": _password_hash(),
        }
        values.update(fields)
        coop = Cooperado(unimed=unimed, **values)
        coop.sync_derived()
        coop.save()
        return coop

    return build


@pytest.fixture
def gestor(unimed):
    return staff_user(unimed, Role.GESTOR, Role.SUPERVISOR, username="gestor.0137")


@pytest.fixture
def gestor_client(client, gestor):
    client.force_login(gestor)
    return client


@pytest.fixture
def other_gestor_client(client, other_unimed):
    client.force_login(staff_user(other_unimed, Role.GESTOR, username="gestor.0025"))
    return client


@pytest.fixture
def password():
    return PASSWORD


def sign_in(api_client, unimed_code, usuario, senha, ip="10.0.0.1"):
    return api_client.post(
        "/api/v1/cooperados/sessao",
        {"unimed": unimed_code, "usuario": usuario, "senha": senha},
        format="json",
        REMOTE_ADDR=ip,
    )
