"""Portal in a real browser: a non-client in São Paulo gets a protocol, looks it up,
a wrong e-mail reveals nothing, bad input is told beside the field, a script typed
by the visitor stays text (portal and panel), the lookup is rate limited."""

import re
from importlib import import_module

import pytest
from django.apps import apps as django_apps
from playwright.sync_api import expect

from protocols.models import Protocol
from tests.factories import PASSWORD
from tests.portal.conftest import SAO_PAULO
from unimeds.models import Municipality
from unimeds.services import unimed_set_area

SCRIPT = "<script>window.__xss = 1; alert('xss')</script> Olá <b>mundo</b>"


@pytest.fixture
def sao_paulo(unimed):
    # The live server's transactional database is flushed between tests, which also
    # empties what data migrations wrote: put back the little these tests need.
    Municipality.objects.get_or_create(code=SAO_PAULO, defaults={"name": "São Paulo", "uf": "SP"})
    import_module("protocols.migrations.0002_seed_catalog").seed(django_apps, None)
    unimed_set_area(unimed=unimed, municipality_codes=[SAO_PAULO])
    return unimed


@pytest.fixture
def dialogs(page):
    seen = []
    page.on("dialog", lambda d: (seen.append(d.message), d.dismiss()))
    return seen


def _fill_non_client(page, base, *, message="Quais hospitais atendem em São Paulo?", cpf=""):
    page.goto(f"{base}/portal/")
    page.get_by_role("link", name="Fale com a Unimed").first.click()
    page.get_by_role("link", name="Não sou cliente").click()
    page.locator("#id_name").fill("Joana Prado")
    if cpf:
        page.locator("#id_cpf").fill(cpf)
    page.locator("#id_email").fill("joana@example.com.br")
    page.locator("#id_uf").select_option("SP")  # htmx loads the municipalities
    page.wait_for_selector(f'#id_municipality option[value="{SAO_PAULO}"]', state="attached")
    page.locator("#id_municipality").select_option(SAO_PAULO)
    page.locator("#id_subject").select_option("I:1")
    page.locator("#id_message").fill(message)


def _lookup(page, base, number, secret):
    page.goto(f"{base}/portal/protocolo/")
    page.get_by_label("Número do protocolo").fill(number)
    page.get_by_label("CPF ou e-mail informado na abertura").fill(secret)
    page.get_by_role("button", name="Consultar").click()


def test_non_client_in_sao_paulo_gets_a_protocol_and_looks_it_up(
    live_server, page, sao_paulo, screenshot, dialogs
):
    base = live_server.url
    _fill_non_client(page, base)
    assert page.locator("nav.navbar-gpu").count() == 0  # no staff navbar on the portal
    screenshot(page, "portal-fale-conosco-form")
    page.get_by_role("button", name="Enviar e receber o protocolo").click()
    page.wait_for_url(re.compile(r".*/portal/confirmacao/.+/$"))
    number = page.get_by_test_id("protocolo").inner_text().strip()
    assert re.fullmatch(r"\d{20}", number) and number.startswith(sao_paulo.ans_registry)
    protocol = Protocol.objects.get(number=number)
    assert (
        page.get_by_test_id("prazo").inner_text().startswith(protocol.due_date.strftime("%d/%m/%Y"))
    )
    expect(page.get_by_text("O que acontece agora")).to_be_visible()
    screenshot(page, "portal-fale-conosco-confirmacao")

    _lookup(page, base, number, "joana@example.com.br")
    assert page.get_by_test_id("situacao").inner_text().strip() == "Aberto"
    expect(page.get_by_text("Quais hospitais atendem em São Paulo?")).to_be_visible()
    screenshot(page, "portal-consulta")

    _lookup(page, base, number, "outra.pessoa@example.com.br")
    expect(page.get_by_text("Protocolo não encontrado para os dados informados.")).to_be_visible()
    assert page.get_by_test_id("situacao").count() == 0
    assert "Quais hospitais" not in page.content()
    assert dialogs == []


def test_phone_viewport(live_server, page, sao_paulo, screenshot):
    page.set_viewport_size({"width": 390, "height": 844})
    _fill_non_client(page, live_server.url)
    width = page.evaluate("document.documentElement.scrollWidth")
    assert width <= 390  # nothing forces sideways scrolling on a phone
    screenshot(page, "portal-fale-conosco-form-celular")
    page.get_by_role("button", name="Enviar e receber o protocolo").click()
    page.wait_for_url(re.compile(r".*/portal/confirmacao/.+/$"))
    assert page.evaluate("document.documentElement.scrollWidth") <= 390
    screenshot(page, "portal-fale-conosco-confirmacao-celular")


def test_invalid_cpf_is_told_beside_the_field_and_the_rest_is_kept(live_server, page, sao_paulo):
    _fill_non_client(page, live_server.url, cpf="123.456.789-10")
    page.get_by_role("button", name="Enviar e receber o protocolo").click()
    error = page.locator("#id_cpf ~ .invalid-feedback")
    assert "CPF inválido" in error.inner_text()
    assert page.locator("#id_name").input_value() == "Joana Prado"
    assert page.locator("#id_email").input_value() == "joana@example.com.br"
    assert page.locator("#id_municipality").input_value() == SAO_PAULO
    assert page.locator("#id_subject").input_value() == "I:1"
    assert page.locator("#id_message").input_value() == "Quais hospitais atendem em São Paulo?"
    assert Protocol.objects.count() == 0


def test_script_message_stays_text_in_portal_and_panel(
    live_server, page, sao_paulo, make_staff, sign_in, dialogs
):
    _fill_non_client(page, live_server.url, message=SCRIPT)
    page.get_by_role("button", name="Enviar e receber o protocolo").click()
    page.wait_for_url(re.compile(r".*/portal/confirmacao/.+/$"))
    assert page.get_by_test_id("mensagem").inner_text().strip() == SCRIPT
    assert page.evaluate("window.__xss") is None
    number = page.get_by_test_id("protocolo").inner_text().strip()

    make_staff(sao_paulo, "atendente", username="atendente.0137")
    sign_in(page, "atendente.0137", PASSWORD)
    response = page.goto(f"{live_server.url}/painel/protocolos/{number}/")
    assert response.status == 200
    assert page.get_by_text(SCRIPT).count() >= 1
    assert page.evaluate("window.__xss") is None
    assert dialogs == []


def test_the_lookup_past_the_limit_shows_the_friendly_page(
    live_server, page, sao_paulo, settings, screenshot
):
    settings.GPU_PORTAL_RATE_LIMIT_LOOKUP = 2
    for _ in range(2):
        _lookup(page, live_server.url, "3" * 20, "alguem@example.com.br")
        expect(
            page.get_by_text("Protocolo não encontrado para os dados informados.")
        ).to_be_visible()
    _lookup(page, live_server.url, "3" * 20, "alguem@example.com.br")
    expect(page.get_by_role("heading", name="Muitas tentativas seguidas")).to_be_visible()
    expect(page.get_by_text(re.compile(r"Aguarde \d+ segundos? e tente de novo"))).to_be_visible()
    screenshot(page, "portal-limite")
