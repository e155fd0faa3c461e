"""Portal forms in a real browser: Guia Médico report, plan request for a company with
an alphanumeric CNPJ, and keyboard use (order, no trap, the honeypot never focused)."""

import re
from importlib import import_module

import pytest
from django.apps import apps as django_apps

from leads.models import Lead
from protocols.models import Channel, Protocol
from tests.factories import UnimedFactory
from tests.portal.conftest import CURITIBA, SAO_PAULO
from unimeds.models import Municipality
from unimeds.services import unimed_set_area


@pytest.fixture
def network(unimed):
    # The live server's transactional database is flushed between tests, which also
    # empties what data migrations wrote: put back the little these tests need.
    Municipality.objects.get_or_create(code=SAO_PAULO, defaults={"name": "São Paulo", "uf": "SP"})
    Municipality.objects.get_or_create(code=CURITIBA, defaults={"name": "Curitiba", "uf": "PR"})
    import_module("protocols.migrations.0002_seed_catalog").seed(django_apps, None)
    curitiba = UnimedFactory(code="0666", ans_registry="366601", name="Unimed Teste 0666", uf="PR")
    unimed_set_area(unimed=unimed, municipality_codes=[SAO_PAULO])
    unimed_set_area(unimed=curitiba, municipality_codes=[CURITIBA])
    return {"0137": unimed, "0666": curitiba}


def _place(page, uf, code):
    page.locator("#id_uf").select_option(uf)
    page.wait_for_selector(f'#id_municipality option[value="{code}"]', state="attached")
    page.locator("#id_municipality").select_option(code)


def test_guia_medico_report(live_server, page, network, screenshot):
    page.goto(f"{live_server.url}/portal/")
    page.get_by_role("link", name="Reportar erro no Guia Médico").click()
    page.get_by_label("Nome do médico, clínica ou hospital").fill("Clínica Boa Saúde")
    page.get_by_label("Código no Guia ou CRM (se souber)").fill("CRM 123456/PR")
    _place(page, "PR", CURITIBA)
    page.get_by_label("Telefone", exact=True).first.check()
    page.get_by_label("Como está no Guia Médico").fill("(41) 3333-0000")
    page.get_by_label("Qual é a informação correta").fill("(41) 3333-1111")
    page.get_by_label("Seu nome").fill("Pedro Lima")
    page.locator("#id_email").fill("pedro@example.com.br")
    screenshot(page, "portal-guia-medico-form")
    page.get_by_role("button", name="Enviar e receber o protocolo").click()
    page.wait_for_url(re.compile(r".*/portal/confirmacao/.+/$"))
    number = page.get_by_test_id("protocolo").inner_text().strip()
    protocol = Protocol.objects.get(number=number)
    assert number.startswith("366601") and protocol.channel == Channel.GUIA_MEDICO
    assert "Clínica Boa Saúde" in page.get_by_test_id("mensagem").inner_text()


def test_company_plan_request_with_alphanumeric_cnpj(live_server, page, network, screenshot):
    page.goto(f"{live_server.url}/portal/quero-um-plano/")
    page.get_by_label("Minha empresa (CNPJ)").check()
    page.get_by_label("CPF ou CNPJ").fill("12.ABC.345/01DE-34")  # wrong check digit first
    page.get_by_label("Razão social (empresa)").fill("ACME Ltda")
    page.get_by_label("Seu nome (contato)").fill("Carlos Nunes")
    page.locator("#id_email").fill("carlos@example.com.br")
    _place(page, "SP", SAO_PAULO)
    page.get_by_label("Quantas pessoas (vidas)?").fill("40")
    page.get_by_role("button", name="Pedir contato e receber o protocolo").click()
    assert "CNPJ inválido" in page.locator("#id_document ~ .invalid-feedback").inner_text()
    assert page.evaluate("document.activeElement.id") == "erros"
    assert page.get_by_label("Razão social (empresa)").input_value() == "ACME Ltda"
    assert page.locator("#id_municipality").input_value() == SAO_PAULO
    screenshot(page, "portal-plano-erro")
    page.get_by_label("CPF ou CNPJ").fill("12.ABC.345/01DE-35")
    page.get_by_role("button", name="Pedir contato e receber o protocolo").click()
    page.wait_for_url(re.compile(r".*/portal/confirmacao/.+/$"))
    lead = Lead.objects.get()
    assert (
        lead.document == "12ABC34501DE35"
        and lead.protocol.number == page.get_by_test_id("protocolo").inner_text()
    )


def test_keyboard_reaches_every_field_in_order_and_never_the_honeypot(live_server, page, network):
    page.goto(f"{live_server.url}/portal/fale-conosco/nao-cliente/")
    page.keyboard.press("Tab")
    assert page.evaluate("document.activeElement.className") == "skip-link"
    page.keyboard.press("Enter")  # skip the header links
    focused = []
    for _ in range(20):
        page.keyboard.press("Tab")
        focused.append(
            page.evaluate("document.activeElement.id || document.activeElement.textContent.trim()")
        )
    fields = [f for f in focused if f.startswith("id_")]
    assert fields[:8] == [
        "id_name",
        "id_cpf",
        "id_email",
        "id_phone",
        "id_uf",
        "id_municipality",
        "id_subject",
        "id_message",
    ]
    assert "id_site" not in focused
    assert "Enviar e receber o protocolo" in focused
