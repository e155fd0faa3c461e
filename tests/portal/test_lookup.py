"""Consultar protocolo: the right pair shows status, deadline and public answers; any
wrong pair looks exactly like "not found"; attempts are rate limited per address."""

import re
import time

import pytest

from core.models import AuditEvent
from portal.ratelimit import client_ip
from protocols.models import Protocol
from protocols.services import protocol_answer, protocol_note
from tests.factories import staff_user
from tests.portal.conftest import non_client_post
from unimeds.actors import actor_for_user

LOOKUP = "/portal/protocolo/"
NOT_FOUND = "Protocolo não encontrado para os dados informados."
pytestmark = pytest.mark.django_db


@pytest.fixture
def opened(client, network):
    client.post("/portal/fale-conosco/nao-cliente/", non_client_post(cpf="390.533.447-05"))
    return Protocol.objects.get()


def _lookup(client, number, secret, **extra):
    return client.post(LOOKUP, {"number": number, "secret": secret, "site": ""}, **extra)


@pytest.mark.parametrize(
    "secret", ["joana@example.com.br", "JOANA@EXAMPLE.COM.BR", "390.533.447-05", "39053344705"]
)
def test_right_pair_shows_status_deadline_and_the_opening(client, opened, secret):
    response = _lookup(client, opened.number, secret)
    page = response.content.decode()
    assert response.status_code == 200
    assert 'data-testid="situacao"' in page and "Aberto" in page
    assert opened.due_date.strftime("%d/%m/%Y") in page
    assert "Quais hospitais atendem?" in page
    audit = AuditEvent.objects.get(action="portal.protocolo_consultado")
    assert (audit.target_id, audit.actor, audit.ip) == (str(opened.pk), "portal", "127.0.0.1")


def test_public_answers_are_shown_internal_notes_are_not(client, opened, network):
    actor = actor_for_user(staff_user(network["0137"], "atendente"))
    protocol_note(actor=actor, protocol=opened, message="NOTA-INTERNA confidencial")
    protocol_answer(actor=actor, protocol=opened, message="Resposta: <b>três</b> hospitais.")
    page = _lookup(
        client, f"{opened.number[:6]} {opened.number[6:]}", "joana@example.com.br"
    ).content.decode()
    assert "Respondido" in page and "Resposta conclusiva" in page
    assert "Resposta: &lt;b&gt;três&lt;/b&gt; hospitais." in page
    assert "NOTA-INTERNA" not in page


def test_wrong_pair_and_unknown_number_look_the_same(client, opened):
    other = opened.number[:-1] + ("1" if opened.number[-1] != "1" else "2")
    pages = [
        _lookup(client, opened.number, "outra@example.com.br"),
        _lookup(client, opened.number, "529.982.247-25"),
        _lookup(client, other, "joana@example.com.br"),
    ]
    for response in pages:
        page = response.content.decode()
        assert response.status_code == 400
        assert NOT_FOUND in page
        assert 'data-testid="resultado"' not in page and "Quais hospitais" not in page
    assert not AuditEvent.objects.filter(action="portal.protocolo_consultado").exists()
    # Apart from what the visitor typed and the CSRF token, the pages are identical.
    bodies = [
        re.sub(r'value="[^"]*"|"X-CSRFToken": "[^"]+"', "", r.content.decode()) for r in pages
    ]
    assert bodies[0] == bodies[1] == bodies[2]


def test_a_malformed_number_is_told_beside_the_field(client, opened):
    response = _lookup(client, "123", "joana@example.com.br")
    assert response.context["form"].errors["number"] == ["O número do protocolo tem 20 dígitos."]


def test_the_n_plus_first_lookup_in_a_window_is_refused(client, opened, settings):
    settings.GPU_PORTAL_RATE_LIMIT_LOOKUP = 3
    for _ in range(3):
        assert _lookup(client, opened.number, "errado@example.com.br").status_code == 400
    refused = _lookup(client, opened.number, "joana@example.com.br")
    assert refused.status_code == 429 and int(refused.headers["Retry-After"]) >= 1
    page = refused.content.decode()
    assert "Muitas tentativas" in page and "Aguarde" in page
    assert 'data-testid="resultado"' not in page
    # Another address is counted apart; viewing the empty form is never limited.
    assert (
        _lookup(client, opened.number, "joana@example.com.br", REMOTE_ADDR="10.0.0.9").status_code
        == 200
    )
    assert client.get(LOOKUP).status_code == 200


def test_each_form_has_its_own_limit(client, network, settings):
    settings.GPU_PORTAL_RATE_LIMIT_FORMS = 2
    for _ in range(2):
        assert (
            client.post("/portal/fale-conosco/nao-cliente/", non_client_post()).status_code == 302
        )
    assert client.post("/portal/fale-conosco/nao-cliente/", non_client_post()).status_code == 429
    assert (
        client.post("/portal/fale-conosco/beneficiario/", {}).status_code == 429
    )  # same "contact" scope
    assert client.post("/portal/quero-um-plano/", {}).status_code == 400
    assert client.post("/portal/guia-medico/reportar-erro/", {}).status_code == 400
    assert Protocol.objects.count() == 2


def test_the_window_resets(client, opened, settings):
    settings.GPU_PORTAL_RATE_LIMIT_LOOKUP = 1
    settings.GPU_PORTAL_RATE_LIMIT_WINDOW_SECONDS = 1
    _lookup(client, opened.number, "x@example.com")
    time.sleep(1.05)
    assert _lookup(client, opened.number, "joana@example.com.br").status_code == 200


def test_rate_limit_can_be_switched_off(client, opened, settings):
    settings.GPU_PORTAL_RATE_LIMIT_ENABLED = False
    settings.GPU_PORTAL_RATE_LIMIT_LOOKUP = 1
    assert all(_lookup(client, opened.number, "x@example.com").status_code == 400 for _ in range(3))


def test_client_address_behind_a_proxy(rf, settings):
    request = rf.get("/", REMOTE_ADDR="10.0.0.1", HTTP_X_FORWARDED_FOR="1.1.1.1, 203.0.113.7")
    assert client_ip(request) == "10.0.0.1"  # the header is ignored unless configured
    settings.GPU_TRUSTED_PROXIES = 1
    assert client_ip(request) == "203.0.113.7"  # the hop our proxy saw, not what the client claimed
