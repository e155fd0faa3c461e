"""Fale com a Unimed: both paths, the confirmation, the e-mail, bad input and escaping."""

import re

import pytest
from django.core import mail
from django.test import Client

from protocols.models import Channel, Kind, Protocol
from tests.portal.conftest import MANAUS, SAO_PAULO, beneficiary_post, non_client_post

NON_CLIENT = "/portal/fale-conosco/nao-cliente/"
BENEFICIARY = "/portal/fale-conosco/beneficiario/"
pytestmark = pytest.mark.django_db


def _follow(client, response):
    assert response.status_code == 302, response.content.decode()[:3000]
    return client.get(response.headers["Location"])


def test_landing_pages_link_the_four_services_without_the_staff_navbar(client):
    page = client.get("/portal/").content.decode()
    for href in (
        "/portal/fale-conosco/",
        "/portal/guia-medico/reportar-erro/",
        "/portal/quero-um-plano/",
        "/portal/protocolo/",
    ):
        assert f'href="{href}"' in page
    assert "/painel/" not in page and "navbar-gpu" not in page
    choose = client.get("/portal/fale-conosco/").content.decode()
    assert NON_CLIENT in choose and BENEFICIARY in choose


def test_non_client_gets_a_protocol_of_the_municipality_unimed(client, network):
    response = client.post(NON_CLIENT, non_client_post())
    assert re.fullmatch(r"/portal/confirmacao/[^/]+/", response.headers["Location"])
    page = _follow(client, response).content.decode()
    protocol = Protocol.objects.get()
    assert protocol.kind == Kind.NAO_CLIENTE and protocol.channel == Channel.PORTAL
    assert protocol.responsible_unimed == network["0137"] and protocol.city_code == SAO_PAULO
    assert re.fullmatch(r"322831\d{14}", protocol.number)
    assert protocol.number in page
    assert protocol.due_date.strftime("%d/%m/%Y") in page
    assert "O que acontece agora" in page
    assert protocol.phone_ddd == "11" and protocol.phone == "987654321"


def test_confirmation_is_e_mailed_after_commit(client, network, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        client.post(NON_CLIENT, non_client_post())
    protocol = Protocol.objects.get()
    assert len(mail.outbox) == 1
    sent = mail.outbox[0]
    assert sent.to == ["joana@example.com.br"] and protocol.number in sent.subject
    assert protocol.number in sent.body and protocol.due_date.strftime("%d/%m/%Y") in sent.body
    assert "/portal/protocolo/" in sent.body


def test_no_e_mail_when_only_a_phone_was_given(client, network, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        _follow(client, client.post(NON_CLIENT, non_client_post(email="", answer_preference="2")))
    assert Protocol.objects.get().email == ""
    assert mail.outbox == []


def test_beneficiary_is_routed_by_the_card(client, network):
    page = _follow(client, client.post(BENEFICIARY, beneficiary_post())).content.decode()
    protocol = Protocol.objects.get()
    assert protocol.kind == Kind.BENEFICIARIO and protocol.card == "01370000000000006"
    assert (
        protocol.requester_cpf == "52998224725" and protocol.responsible_unimed == network["0137"]
    )
    assert protocol.number in page


def _assert_kept(page: str, **typed):
    for value in typed.values():
        assert value in page, value


@pytest.mark.parametrize(
    ("url", "payload", "field", "message"),
    [
        (NON_CLIENT, non_client_post(cpf="123.456.789-10"), "cpf", "CPF inválido"),
        (BENEFICIARY, beneficiary_post(cpf="111.111.111-11"), "cpf", "CPF inválido"),
        (BENEFICIARY, beneficiary_post(card="0137 123"), "card", "Carteirinha deve ter 17 dígitos"),
        (
            BENEFICIARY,
            beneficiary_post(card="9999 0000000000006"),
            "card",
            "Unimed 9999 não encontrada",
        ),
        (
            NON_CLIENT,
            non_client_post(municipality="9999999"),
            "municipality",
            "Município não encontrado",
        ),
        (
            NON_CLIENT,
            non_client_post(uf="AM", municipality=MANAUS),
            "municipality",
            "Nenhuma Unimed ativa atende",
        ),
        (NON_CLIENT, non_client_post(message="x" * 4001), "message", "no máximo 4000"),
        (
            NON_CLIENT,
            non_client_post(email="", phone=""),
            "email",
            "Informe um e-mail ou um telefone",
        ),
        (
            NON_CLIENT,
            non_client_post(email="", answer_preference="1"),
            "email",
            "receber a resposta por e-mail",
        ),
        (NON_CLIENT, non_client_post(subject="P:8"), "subject", "Assunto inexistente"),
    ],
)
def test_bad_input_shows_the_message_beside_the_field_and_keeps_the_rest(
    client, network, url, payload, field, message
):
    response = client.post(url, payload)
    assert response.status_code == 400
    form = response.context["form"]
    assert any(message in e for e in form.errors[field]), form.errors
    assert Protocol.objects.count() == 0
    page = response.content.decode()
    assert 'role="alert">' in page and message.split(":")[0] in page
    _assert_kept(page, name=payload["name"])
    if field != "message":
        assert payload["message"] in page


def test_a_valid_municipality_is_kept_selected_after_another_error(client, network):
    page = client.post(NON_CLIENT, non_client_post(cpf="123.456.789-10")).content.decode()
    assert f'<option value="{SAO_PAULO}" selected>São Paulo</option>' in page


def test_crlf_line_breaks_count_once(client, network):
    text = ("a" * 99 + "\r\n") * 40  # 4000 characters typed, 4040 sent
    _follow(client, client.post(NON_CLIENT, non_client_post(message=text)))
    assert len(Protocol.objects.get().message) == 3999  # 4000 minus the trailing newline stripped


def test_script_message_is_shown_as_text(client, network):
    script = "<script>alert('x')</script> & <b>negrito</b>"
    page = _follow(
        client, client.post(NON_CLIENT, non_client_post(message=script))
    ).content.decode()
    assert "<script>alert" not in page and "<b>negrito" not in page
    assert (
        "&lt;script&gt;alert(&#x27;x&#x27;)&lt;/script&gt; &amp; &lt;b&gt;negrito&lt;/b&gt;" in page
    )
    assert Protocol.objects.get().message == script


def test_honeypot_is_dropped_silently(client, network):
    response = client.post(NON_CLIENT, non_client_post(site="http://spam.example"))
    assert response.status_code == 302 and response.headers["Location"] == "/portal/enviado/"
    assert Protocol.objects.count() == 0
    assert "Mensagem recebida" in client.get("/portal/enviado/").content.decode()


def test_csrf_is_enforced(network):
    client = Client(enforce_csrf_checks=True)
    assert client.post(NON_CLIENT, non_client_post()).status_code == 403
    assert Protocol.objects.count() == 0
    form_page = client.get(NON_CLIENT)
    token = re.search(
        r'name="csrfmiddlewaretoken" value="([^"]+)"', form_page.content.decode()
    ).group(1)
    assert client.post(NON_CLIENT, non_client_post(csrfmiddlewaretoken=token)).status_code == 302


def test_a_forged_or_tampered_confirmation_link_reveals_nothing(client, network):
    location = client.post(NON_CLIENT, non_client_post()).headers["Location"]
    token = location.rstrip("/").rsplit("/", 1)[-1]
    for bad in (token[:-2] + "xx", "MQ", "2"):
        response = client.get(f"/portal/confirmacao/{bad}/")
        assert response.status_code == 404
        assert Protocol.objects.get().number not in response.content.decode()


def test_confirmation_link_expires(client, network, settings):
    location = client.post(NON_CLIENT, non_client_post()).headers["Location"]
    settings.GPU_PORTAL_CONFIRMATION_TTL_SECONDS = -1
    assert client.get(location).status_code == 404


def test_municipalities_for_a_uf_load_without_and_with_javascript(client, network):
    options = client.get("/portal/municipios/", {"uf": "sp"}).content.decode()
    assert f'<option value="{SAO_PAULO}">São Paulo</option>' in options
    assert "Florianópolis" not in options
    assert (
        "Selecione o estado primeiro"
        in client.get("/portal/municipios/", {"uf": "<x>"}).content.decode()
    )
    # No JavaScript: the "Carregar municípios" button posts the form back, fills the list,
    # keeps what was typed, shows no errors and creates nothing.
    response = client.post(
        NON_CLIENT, {"_acao": "municipios", "uf": "SC", "name": "Joana", "message": "Oi"}
    )
    page = response.content.decode()
    assert response.status_code == 200 and "Florianópolis" in page and 'value="Joana"' in page
    assert 'role="alert"' not in page and Protocol.objects.count() == 0
