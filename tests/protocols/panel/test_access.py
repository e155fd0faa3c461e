"""Every panel URL: another Unimed's staff get 404 for the protocol, anonymous users
go to sign-in, roles without protocol work get 403, and forms need the CSRF token."""

import pytest
from django.test import Client

from protocols.models import Delivery, DeliveryStatus, Protocol, Status

pytestmark = pytest.mark.django_db
ACTIONS = ["answer", "note", "complement", "forward", "cancel", "close", "reopen"]
POSTS = {
    "answer": {"answer-conclusive": "1", "answer-message": "Invasão."},
    "note": {"note-message": "Invasão."},
    "complement": {"complement-message": "Invasão."},
    "forward": {"forward-to_unimed_code": "0667", "forward-reason": "Tentativa de invasão."},
    "cancel": {"cancel-reason": "Tentativa de invasão."},
    "close": {"close-message": ""},
    "reopen": {"reopen-reason": "Tentativa de invasão."},
}


def protocol_urls(number: str) -> list[str]:
    return [f"/painel/protocolos/{number}/", f"/painel/protocolos/{number}/aberto/"]


def test_another_unimed_gets_404_on_every_protocol_url(client_for, contingency_protocol):
    protocol = contingency_protocol()
    stranger, _ = client_for("0667", "supervisor", "gestor")
    for url in protocol_urls(protocol.number):
        assert stranger.get(url).status_code == 404, url
    for action in ACTIONS:
        response = stranger.post(
            f"/painel/protocolos/{protocol.number}/acao/{action}/", POSTS[action]
        )
        assert response.status_code == 404, action
    protocol.refresh_from_db()
    assert protocol.status == Status.ABERTO and protocol.event_count == 1
    # Nor does it show up in any list or search of the stranger.
    for params in (
        {},
        {"aba": "enviados"},
        {"aba": "vencendo"},
        {"aba": "vencidos"},
        {"q": protocol.number},
        {"q": "52998224725"},
        {"q": "Maria"},
    ):
        assert stranger.get("/painel/protocolos/", params).context["page"].rows == []


def test_unknown_number_is_404(client_for):
    client, _ = client_for("0137")
    assert client.get("/painel/protocolos/99999999999999999999/").status_code == 404


def test_anonymous_is_sent_to_sign_in(contingency_protocol):
    protocol = contingency_protocol()
    anonymous = Client()
    urls = [
        "/painel/protocolos/",
        "/painel/protocolos/novo/",
        "/painel/protocolos/municipios/?uf=SP",
        *protocol_urls(protocol.number),
    ]
    for url in urls:
        response = anonymous.get(url)
        assert response.status_code == 302 and response["Location"].startswith("/entrar/"), url
    response = anonymous.post(f"/painel/protocolos/{protocol.number}/acao/cancel/", POSTS["cancel"])
    assert (
        response.status_code == 302 and Protocol.objects.get(pk=protocol.pk).status == Status.ABERTO
    )


def test_a_seller_has_no_protocol_panel(client_for, contingency_protocol):
    protocol = contingency_protocol()
    seller, _ = client_for("0137", "vendedor")
    for url in ["/painel/protocolos/", "/painel/protocolos/novo/", *protocol_urls(protocol.number)]:
        assert seller.get(url).status_code == 403, url
    assert (
        seller.post(
            f"/painel/protocolos/{protocol.number}/acao/answer/", POSTS["answer"]
        ).status_code
        == 403
    )


def test_forms_need_the_csrf_token(client_for, contingency_protocol):
    protocol = contingency_protocol()
    client, _ = client_for("0137", enforce_csrf=True)
    for action in ACTIONS:
        assert (
            client.post(
                f"/painel/protocolos/{protocol.number}/acao/{action}/", POSTS[action]
            ).status_code
            == 403
        )
    assert client.post("/painel/protocolos/novo/", {"kind": "beneficiario"}).status_code == 403
    assert client.post("/painel/protocolos/entregas/1/reenviar/", {}).status_code == 403
    assert Protocol.objects.get(pk=protocol.pk).status == Status.ABERTO
    page = client.get(f"/painel/protocolos/{protocol.number}/").content.decode()
    assert page.count('name="csrfmiddlewaretoken"') >= 4  # every action form carries it


@pytest.fixture
def dead_delivery(network, contingency_protocol):
    """0137 answers a protocol opened by an integrated 0666; the delivery to 0666 died."""
    network["0666"].__class__.objects.filter(pk=network["0666"].pk).update(
        is_integrated=True, endpoint_url="http://127.0.0.1:9/gpu", signing_secret="s" * 40
    )
    protocol = contingency_protocol()
    from protocols.services import protocol_answer
    from tests.factories import staff_user
    from unimeds.actors import actor_for_user

    protocol_answer(
        actor=actor_for_user(staff_user(network["0137"])), protocol=protocol, message="Respondido."
    )
    delivery = Delivery.objects.get(protocol=protocol, unimed=network["0666"])
    Delivery.objects.filter(pk=delivery.pk).update(
        status=DeliveryStatus.DEAD, attempts=10, last_error="HTTP 500"
    )
    return delivery


def test_dead_deliveries_tab_and_redeliver(client_for, dead_delivery):
    supervisor, _ = client_for("0137", "supervisor")
    response = supervisor.get("/painel/protocolos/", {"aba": "entregas"})
    assert (
        response.status_code == 200 and dead_delivery.protocol.number in response.content.decode()
    )
    attendant, _ = client_for("0137")
    assert attendant.get("/painel/protocolos/", {"aba": "entregas"}).status_code == 403
    assert (
        attendant.post(f"/painel/protocolos/entregas/{dead_delivery.pk}/reenviar/").status_code
        == 403
    )
    stranger, _ = client_for("0667", "supervisor")
    assert (
        dead_delivery.protocol.number
        not in stranger.get("/painel/protocolos/", {"aba": "entregas"}).content.decode()
    )
    assert (
        stranger.post(f"/painel/protocolos/entregas/{dead_delivery.pk}/reenviar/").status_code
        == 404
    )
    response = supervisor.post(
        f"/painel/protocolos/entregas/{dead_delivery.pk}/reenviar/",
        {"next": "https://evil.example/"},
    )
    assert (
        response.status_code == 302 and response["Location"] == "/painel/protocolos/?aba=entregas"
    )
    dead_delivery.refresh_from_db()
    assert dead_delivery.status == DeliveryStatus.PENDING and dead_delivery.redeliveries == 1
