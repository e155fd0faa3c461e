"""Panel pages: staff see only the sharings their Unimed takes part in; supervisors end one."""

import pytest

from core.models import AuditEvent
from intercambio.models import RiskSharing
from tests.factories import staff_user
from tests.intercambio.conftest import post
from unimeds.models import Role

CARD = "00552024111173021"


@pytest.fixture
def shared(origin_api, repasse):
    assert post(origin_api, repasse).status_code == 201


def _login(client, unimed, *roles):
    client.force_login(staff_user(unimed, *roles))
    return client


def test_attending_unimed_staff_lists_and_opens_the_sharing(shared, network, client):
    _login(client, network["destination"], Role.ATENDENTE)
    page = client.get("/painel/intercambio/").content.decode()
    assert CARD in page and "Intercâmbio" in page
    detail = client.get(f"/painel/intercambio/{CARD}/")
    html = detail.content.decode()
    assert detail.status_code == 200
    assert "313.167.090-86" in html  # an atendente works the case: may see the CPF
    assert "compartilhamento de risco P (repasse)" in html
    assert "Encerrar" not in html  # only supervisors/gestores end a sharing
    assert AuditEvent.objects.filter(
        action="compartilhamento_risco.consultado", data__canal="painel"
    ).exists()


def test_other_unimeds_staff_see_nothing(shared, network, client):
    _login(client, network["outsider"], Role.SUPERVISOR)
    assert CARD not in client.get("/painel/intercambio/").content.decode()
    assert client.get(f"/painel/intercambio/{CARD}/").status_code == 404


def test_filters_are_validated_and_applied(shared, network, client):
    _login(client, network["holder"], Role.ATENDENTE)
    assert (
        CARD
        in client.get("/painel/intercambio/", {"tipo": "P", "carteirinha": "0055"}).content.decode()
    )
    assert CARD not in client.get("/painel/intercambio/", {"tipo": "C"}).content.decode()
    bad = client.get("/painel/intercambio/", {"carteirinha": "abc"}).content.decode()
    assert "Use só dígitos" in bad


def test_supervisor_ends_the_sharing_with_errors_beside_the_fields(shared, network, client):
    _login(client, network["holder"], Role.SUPERVISOR)
    url = f"/painel/intercambio/{CARD}/encerrar/"
    early = client.post(url, {"ends_on": "01/01/2020", "reason": "Teste"})
    assert early.status_code == 400 and "Deve ser a partir de 12/11/2024" in early.content.decode()
    bad = client.post(url, {"ends_on": "2025-01-31", "reason": ""})
    assert bad.status_code == 400 and "DD/MM/AAAA" in bad.content.decode()
    done = client.post(
        url, {"ends_on": "31/01/2025", "reason": "Beneficiário voltou para a origem."}
    )
    assert done.status_code == 302
    assert str(RiskSharing.objects.get().ends_on) == "2025-01-31"


def test_atendente_cannot_end(shared, network, client):
    _login(client, network["holder"], Role.ATENDENTE)
    response = client.post(
        f"/painel/intercambio/{CARD}/encerrar/", {"ends_on": "31/01/2025", "reason": "x"}
    )
    assert response.status_code == 403
    assert RiskSharing.objects.get().ends_on is None
