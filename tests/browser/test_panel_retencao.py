"""Retention in a real browser: a vendedor takes a late payer's case from the
Inadimplentes queue to "retido", and the dashboard counts it."""

import re

from playwright.sync_api import expect

from retencao.services.feeds import bill_load
from tests.factories import PASSWORD
from tests.retencao.conftest import gestor, network, regua, seller  # noqa: F401 — fixtures
from unimeds.actors import system_actor


def test_a_seller_works_a_case_from_the_queue_to_retained(
    live_server,
    page,
    sign_in,
    screenshot,
    network,  # noqa: F811
    regua,  # noqa: F811
    seller,  # noqa: F811
):
    result = bill_load(
        actor=system_actor(),
        unimed=network["0137"],
        row={
            "documento": "529.982.247-25",
            "nr_contrato": "PF-1",
            "fatura": "F-100",
            "vencimento": "01/11/2026",
            "valor": "450,00",
            "dias_atraso": 20,
            "nome": "Cliente Um",
        },
    )
    assert result.status == "caso_aberto"
    sign_in(page, "vend.0137", PASSWORD)

    page.get_by_role("link", name="Retenção", exact=True).click()
    expect(page.get_by_role("link", name=re.compile("Inadimplentes"))).to_have_attribute(
        "aria-current", "page"
    )
    screenshot(page, "painel-retencao-fila")
    page.get_by_role("link", name="Cliente Um").click()
    page.wait_for_url(re.compile(r".*/painel/retencao/casos/\d+/$"))
    status = page.get_by_test_id("situacao")
    expect(status).to_have_text("Aberto")

    page.get_by_label("Nova situação").select_option("em_contato")
    page.get_by_role("button", name="Salvar situação").click()
    expect(status).to_have_text("Em contato")

    page.get_by_label("Nova situação").select_option("proposta")
    page.get_by_label("Tipo de oferta").select_option("desconto")
    page.get_by_label("Oferta feita").fill("10% de desconto por 6 meses.")
    page.get_by_role("button", name="Salvar situação").click()
    expect(status).to_have_text("Proposta de retenção")

    page.get_by_label("Nova situação").select_option("retido")
    page.get_by_role("button", name="Salvar situação").click()
    expect(status).to_have_text("Retido")
    screenshot(page, "painel-retencao-caso")

    page.get_by_role("link", name="← Inadimplentes").click()
    page.get_by_role("link", name="Painel", exact=True).click()
    expect(page.get_by_test_id("desfecho-retido")).to_have_text("1")
    expect(page.get_by_test_id("retida")).to_have_text("R$ 450,00")
