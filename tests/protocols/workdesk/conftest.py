import pytest

from tests.protocols.panel.conftest import (  # noqa: F401
    client_for,
    contingency_protocol,
    stranger_unimed,
)


@pytest.fixture
def elsewhere_protocol(network, portal):
    """Maria da Silva's CPF again, as a non-client in 0025's area: 0137 is no party to it."""
    from protocols.services import protocol_open
    from tests.protocols.conftest import non_client_data as data

    requester = {
        "name": "Maria da Silva",
        "cpf": "52998224725",
        "email": "maria@example.com.br",
        "city_code": "4205407",
    }
    return protocol_open(actor=portal, **data(requester=requester))
