"""The contingency panel in a real browser: open a protocol by hand, find it in the
inbox, answer it conclusively; another Unimed's user cannot open it. Screenshots of
the inbox and the protocol page at 1366×768 and on a phone (390×844)."""

import re

from playwright.sync_api import expect

from tests.factories import PASSWORD
from tests.protocols.conftest import network  # noqa: F401 — the network fixture (areas)

PHONE = {"width": 390, "height": 844}


def test_open_find_answer_and_isolation(
    live_server,
    page,
    browser_context,
    sign_in,
    screenshot,
    network,
    make_staff,  # noqa: F811
):
    make_staff(network["0137"], "atendente", username="atendente.0137")
    make_staff(network["0025"], "atendente", "supervisor", username="atendente.0025")
    sign_in(page, "atendente.0137", PASSWORD)

    page.get_by_role("link", name="Protocolos", exact=True).click()
    page.get_by_role("link", name="Abrir protocolo").click()
    page.get_by_label("Carteirinha").fill("0137 0000000000006")
    page.get_by_label("CPF").fill("529.982.247-25")
    page.get_by_label("Nome do solicitante").fill("Maria da Silva")
    page.get_by_label("DDD").fill("11")
    page.get_by_label("Telefone").fill("98765-4321")
    page.get_by_label("E-mail").fill("maria@example.com.br")
    page.get_by_label("Tipo de manifestação").select_option("S")
    page.get_by_label("Categoria").select_option("2")
    page.get_by_label("Mensagem").fill("Preciso da autorização da ressonância magnética.")
    screenshot(page, "painel-protocolo-novo")
    page.get_by_role("button", name="Abrir protocolo").click()

    page.wait_for_url(re.compile(r".*/painel/protocolos/\d{20}/aberto/$"))
    number = page.locator("#numero").inner_text().strip()
    assert re.fullmatch(r"322831\d{14}", number)
    assert "Prazo de resposta" in page.content()
    screenshot(page, "painel-protocolo-aberto")

    page.goto(f"{live_server.url}/painel/protocolos/")
    page.locator("#id_q").fill(number)
    page.locator("#id_q").press("Enter")
    row_link = page.locator("#tabela").get_by_role("link", name=number)
    row_link.wait_for()
    assert page.locator("#tabela tbody tr").count() == 1
    screenshot(page, "painel-protocolos")
    page.set_viewport_size(PHONE)
    screenshot(page, "painel-protocolos-celular")
    page.set_viewport_size({"width": 1366, "height": 768})

    row_link.click()
    page.wait_for_url(f"{live_server.url}/painel/protocolos/{number}/")
    assert "Aberto" in page.locator("#situacao").inner_text()
    page.get_by_role("button", name="Responder").first.click()
    expect(page.locator("#acao-answer")).to_have_class(
        re.compile(r"\bshow\b")
    )  # opened, not mid-animation
    page.get_by_label("Resposta ao solicitante").fill(
        "Exame autorizado; a guia foi enviada por e-mail."
    )
    screenshot(page, "painel-protocolo-responder")
    page.locator("#acao-answer button[type=submit]").click()  # posts and comes back to the same URL
    expect(page.get_by_text("Resposta registrada.")).to_be_visible()
    assert "Respondido" in page.locator("#situacao").inner_text()
    timeline = page.locator("#historico").inner_text()
    assert "Resposta conclusiva" in timeline and "Exame autorizado" in timeline
    screenshot(page, "painel-protocolo")
    page.set_viewport_size(PHONE)
    screenshot(page, "painel-protocolo-celular")
    page.set_viewport_size({"width": 1366, "height": 768})
    page.goto(f"{live_server.url}/painel/")
    assert "Respondido <strong>1</strong>" in page.content()
    screenshot(page, "painel-dashboard")

    other = browser_context.browser.new_context(
        viewport={"width": 1366, "height": 768}, locale="pt-BR"
    )
    try:
        stranger = other.new_page()
        sign_in(stranger, "atendente.0025", PASSWORD)
        response = stranger.goto(f"{live_server.url}/painel/protocolos/{number}/")
        assert response.status == 404
        assert "Maria da Silva" not in stranger.content()
    finally:
        other.close()
