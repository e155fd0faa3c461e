"""Panel page /painel/integracoes/: supervisors of the Unimed, own rows only, masked."""

import pytest
from django.test import Client

from core.integration_log import log_call
from tests.factories import staff_user

URL = "/painel/integracoes/"


@pytest.fixture
def rows(network):
    log_call(
        direction="entrada",
        operation="solicitarProtocolo",
        unimed=network["0025"],
        http_status=201,
        request_id="0000000042",
        request_body={
            "solicitar_protocolo": {"cd_cpf": "52998224725", "email": "maria@example.com"}
        },
    )
    log_call(
        direction="saida",
        operation="responderAtendimento",
        unimed=network["0025"],
        http_status=None,
        request_id="d-1",
        error="ConnectionError",
    )
    log_call(
        direction="entrada",
        operation="consultaStatusProtocolo",
        unimed=network["0137"],
        http_status=200,
        request_id="OUTRA00001",
    )


def login(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


def test_supervisor_sees_own_unimed_rows_masked_and_filters(network, rows):
    client = login(staff_user(network["0025"], "supervisor"))
    page = client.get(URL)
    assert page.status_code == 200
    html = page.content.decode()
    assert "solicitarProtocolo" in html and "responderAtendimento" in html
    assert "OUTRA00001" not in html  # another Unimed's call
    assert "52998224725" not in html and "***.982.247-**" in html
    assert "maria@example.com" not in html
    errors = client.get(URL, {"resultado": "erro"}).content.decode()
    assert "responderAtendimento" in errors and "0000000042" not in errors
    inbound = client.get(URL, {"direcao": "entrada"}).content.decode()
    assert "0000000042" in inbound and "d-1" not in inbound
    bad = client.get(URL, {"de": "31/12/2026", "ate": "01/01/2026"})
    assert bad.status_code == 200 and "data final" in bad.content.decode()


def test_attendant_and_anonymous_are_refused(network, rows):
    assert login(staff_user(network["0025"], "atendente")).get(URL).status_code == 403
    assert Client().get(URL).status_code == 302


def test_nav_link_for_supervisor(network):
    html = login(staff_user(network["0025"], "gestor")).get(URL).content.decode()
    assert 'href="/painel/integracoes/"' in html


def test_hub_admin_redelivers_from_the_django_admin(network, receivers):
    from django.contrib.auth import get_user_model

    from protocols.models import Delivery, DeliveryStatus
    from protocols.outbox.services import delivery_attempt
    from protocols.services import protocol_open
    from unimeds.actors import portal_actor

    receiver = receivers(network["0137"], statuses=[500])
    protocol_open(
        actor=portal_actor(),
        channel="PORTAL",
        kind="beneficiario",
        requester={"name": "Maria", "email": "maria@example.com.br"},
        card="01370004812345670",
        manifestation_type="S",
        category=2,
        answer_preference=1,
        message="Exame.",
    )
    delivery = Delivery.objects.get()
    Delivery.objects.filter(pk=delivery.pk).update(status=DeliveryStatus.DEAD, attempts=10)
    admin_user = get_user_model().objects.create_superuser("hub", "hub@example.com", "x")
    client = Client()
    client.force_login(admin_user)
    assert client.get("/admin/protocols/delivery/").status_code == 200
    response = client.post(
        "/admin/protocols/delivery/", {"action": "redeliver", "_selected_action": [delivery.pk]}
    )
    assert response.status_code == 302
    delivery.refresh_from_db()
    assert delivery.status == DeliveryStatus.PENDING and delivery.attempts == 0
    delivery_attempt(delivery_id=delivery.pk)  # the receiver now answers 500 once…
    delivery.refresh_from_db()
    assert delivery.status == DeliveryStatus.PENDING and receiver.attempts == [str(delivery.uuid)]


def test_period_filters_are_date_pickers_like_the_other_pages(network, rows):
    """#18: Integrações used text date fields where the other pages use pickers."""
    client = login(staff_user(network["0025"], "supervisor"))
    body = client.get(URL, {"de": "2026-01-01"}).content.decode()
    assert 'type="date" name="de" value="2026-01-01"' in body
    assert 'type="date" name="ate"' in body
    assert client.get(URL, {"de": "01/01/2026"}).status_code == 200  # typed dates still read
