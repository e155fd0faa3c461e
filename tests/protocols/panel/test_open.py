"""Opening a protocol by hand: beneficiary or non-client, number shown at once, errors keep input."""

import pytest

from core.models import AuditEvent  # noqa: F401 — the protocol page audits; opening does not show old data
from protocols.models import Channel, Protocol

pytestmark = pytest.mark.django_db
NEW = "/painel/protocolos/novo/"

BENEFICIARY = {
    "kind": "beneficiario",
    "card": "0137 0000000000006",
    "cpf": "529.982.247-25",
    "name": "Maria da Silva",
    "phone_ddd": "11",
    "phone": "98765-4321",
    "email": "maria@example.com.br",
    "serving_unimed_code": "0666",
    "manifestation_type": "S",
    "category": "2",
    "answer_preference": "1",
    "message": "Autorização de ressonância magnética.",
}


def test_open_for_a_beneficiary_shows_the_number_and_deadline(client_for):
    client, _ = client_for("0666")
    assert client.get(NEW).status_code == 200
    response = client.post(NEW, BENEFICIARY)
    assert response.status_code == 302
    protocol = Protocol.objects.get()
    assert response["Location"] == f"/painel/protocolos/{protocol.number}/aberto/"
    assert protocol.channel == Channel.CONTINGENCIA and protocol.responsible_unimed.code == "0137"
    assert protocol.origin_unimed.code == "0666" and protocol.serving_unimed.code == "0666"
    body = client.get(response["Location"]).content.decode()
    assert (
        protocol.number in body
        and protocol.due_date.strftime("%d/%m/%Y") in body
        and "Copiar número" in body
    )


def test_open_for_a_non_client_by_municipality(client_for):
    client, _ = client_for("0137")
    options = client.get("/painel/protocolos/municipios/", {"uf": "SC"}).content.decode()
    assert '<option value="4205407">Florianópolis</option>' in options
    assert (
        "Escolha a UF"
        in client.get("/painel/protocolos/municipios/", {"uf": "XX"}).content.decode()
    )
    response = client.post(
        NEW,
        {
            "kind": "nao_cliente",
            "name": "João Souza",
            "email": "joao@example.com.br",
            "uf": "SC",
            "municipality_code": "4205407",
            "manifestation_type": "P",
            "category": "8",
            "answer_preference": "1",
            "message": "Quero um plano para a família.",
        },
    )
    assert response.status_code == 302
    protocol = Protocol.objects.get()
    assert protocol.kind == "nao_cliente" and protocol.responsible_unimed.code == "0025"
    assert protocol.city_code == "4205407"


def test_errors_come_back_beside_the_fields_with_everything_typed(client_for):
    client, _ = client_for("0666")
    data = dict(
        BENEFICIARY,
        cpf="123.456.789-10",
        card="9999 0000000000006",
        message="Texto que não pode sumir.",
    )
    response = client.post(NEW, data)
    assert response.status_code == 400
    body = response.content.decode()
    assert "Texto que não pode sumir." in body and 'value="Maria da Silva"' in body
    assert "CPF" in body and "123.456.789-10" in body
    assert not Protocol.objects.exists()
    # Form-level: a beneficiary needs card and CPF; a non-client needs the municipality.
    response = client.post(NEW, dict(BENEFICIARY, card="", cpf=""))
    assert "Informe a carteirinha do beneficiário" in response.content.decode()
    assert "Informe o CPF do beneficiário." in response.content.decode()
    response = client.post(
        NEW, dict(BENEFICIARY, kind="nao_cliente", uf="SC", municipality_code="")
    )
    assert response.status_code == 400 and "Escolha a UF e o município" in response.content.decode()
    # The municipality list of the chosen UF is rebuilt on the error page.
    response = client.post(
        NEW,
        dict(
            BENEFICIARY,
            kind="nao_cliente",
            uf="SC",
            municipality_code="4205407",
            category="2",
            manifestation_type="P",
        ),
    )
    assert response.status_code == 400 and 'value="4205407" selected' in response.content.decode()


def test_hub_admin_cannot_open_by_hand(db, network):
    from django.test import Client

    from tests.factories import UserFactory

    admin = UserFactory(username="admin.hub", is_superuser=True, is_staff=True)
    client = Client()
    client.force_login(admin)
    assert client.get(NEW).status_code == 403
    assert client.get("/painel/protocolos/").status_code == 200


def test_a_nul_in_a_posted_field_is_dropped_and_the_rest_kept(client_for):
    """NUL (no database text holds it) is taken out of posted values before the form
    sees them: the protocol opens with what was typed around it."""
    client, _ = client_for("0666")
    response = client.post(
        NEW,
        dict(BENEFICIARY, name="Maria\x00 da Silva", message="Preciso\x00 de ajuda.", uf="\x00"),
    )
    assert response.status_code == 302
    protocol = Protocol.objects.get()
    assert protocol.requester_name == "Maria da Silva" and protocol.message == "Preciso de ajuda."
