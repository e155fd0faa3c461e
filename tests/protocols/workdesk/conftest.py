from tests.protocols.conftest import beneficiary_data, network, non_client_data  # noqa: F401
from tests.protocols.panel.conftest import (  # noqa: F401
    client_for,
    contingency_protocol,
    stranger_unimed,
)
