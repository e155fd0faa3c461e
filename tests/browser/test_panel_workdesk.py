"""The staff's working aids in a real browser (issue #18, items 4-7): an answer from a
ready-made template, the requester's history and a related protocol, a saved filter, the
"em atendimento" notice across two browsers, and Back keeping the inbox filters in sync
with the URL."""

import re

import pytest
from playwright.sync_api import expect

from protocols.services import protocol_answer, protocol_open
from tests.factories import PASSWORD
from tests.protocols.conftest import beneficiary_data, network  # noqa: F401
from unimeds.actors import actor_for_user, portal_actor

pytestmark = pytest.mark.django_db(transaction=True)


def _open(**overrides):
    return protocol_open(actor=portal_actor(), **beneficiary_data(**overrides))


def _staff(make_staff, unimed, *roles, username, first_name=""):
    user = make_staff(unimed, *roles, username=username)
    if first_name:
        user.first_name, user.last_name = first_name.split()
        user.save()
    return user


def _rita_answered_olga_open(user) -> None:
    """Two protocols of 0137: Rita's answered by `user`, Olga's open."""
    answered = _open(requester={**beneficiary_data()["requester"], "name": "Rita Respondida"})
    protocol_answer(actor=actor_for_user(user), protocol=answered, message="Feito.")
    _open(requester={**beneficiary_data()["requester"], "name": "Olga Aberta"})


def test_answer_with_a_template(live_server, page, sign_in, screenshot, network, make_staff):  # noqa: F811
    _staff(make_staff, network["0137"], "supervisor", username="supervisora.0137")
    protocol = _open()
    sign_in(page, "supervisora.0137", PASSWORD)

    page.goto(f"{live_server.url}/painel/protocolos/")
    page.get_by_role("link", name="Respostas prontas").click()
    page.get_by_label("Título").fill("Exame autorizado")
    page.get_by_label("Texto da resposta").fill("Olá {{cpf}}.")
    page.get_by_role("button", name="Salvar").click()
    expect(page.get_by_text("Variável desconhecida: {{cpf}}")).to_be_visible()
    page.get_by_label("Texto da resposta").fill(
        "Olá, {{primeiro_nome}}. O protocolo {{numero}} foi autorizado; a guia segue por e-mail."
    )
    page.get_by_role("button", name="Salvar").click()
    expect(page.get_by_text("Resposta pronta salva.")).to_be_visible()
    screenshot(page, "painel-respostas-prontas")

    page.goto(f"{live_server.url}/painel/protocolos/{protocol.number}/")
    page.get_by_role("button", name="Responder").first.click()
    expect(page.locator("#acao-answer")).to_have_class(re.compile(r"\bshow\b"))
    page.get_by_label("Resposta pronta").select_option(label="Exame autorizado")
    expected = f"Olá, Maria. O protocolo {protocol.number} foi autorizado; a guia segue por e-mail."
    expect(page.get_by_label("Resposta ao solicitante")).to_have_value(expected)
    screenshot(page, "painel-resposta-pronta")
    page.locator("#acao-answer button[type=submit]").click()
    expect(page.get_by_text("Resposta registrada.")).to_be_visible()
    expect(page.locator("#historico")).to_contain_text(expected)


def test_requester_history_and_a_related_protocol(
    live_server,
    page,
    sign_in,
    screenshot,
    network,  # noqa: F811
    make_staff,
):
    _staff(make_staff, network["0137"], "atendente", username="atendente.0137")
    earlier = _open(message="Pedido de reembolso da consulta.")
    current = _open()
    sign_in(page, "atendente.0137", PASSWORD)
    page.goto(f"{live_server.url}/painel/protocolos/{current.number}/")
    history = page.locator("#outros-protocolos")
    expect(history).to_contain_text(earlier.number)
    expect(history).to_contain_text("Aberto")
    screenshot(page, "painel-historico-solicitante")
    history.get_by_role("link", name=earlier.number).click()
    page.wait_for_url(f"{live_server.url}/painel/protocolos/{earlier.number}/")
    expect(page.locator("#outros-protocolos")).to_contain_text(current.number)

    page.get_by_role("link", name="Abrir protocolo relacionado (reanálise)").click()
    page.wait_for_url(re.compile(r".*/painel/protocolos/novo/\?anterior=\d{20}$"))
    expect(page.get_by_label("Protocolo anterior (reanálise)")).to_have_value(earlier.number)
    expect(page.get_by_label("Nome do solicitante")).to_have_value("Maria da Silva")
    page.get_by_label("Mensagem").fill("O reembolso foi negado; peço reanálise.")
    page.get_by_role("button", name="Abrir protocolo").click()
    page.wait_for_url(re.compile(r".*/painel/protocolos/\d{20}/aberto/$"))
    number = page.locator("#numero").inner_text().strip()
    page.goto(f"{live_server.url}/painel/protocolos/{number}/")
    expect(page.get_by_role("link", name=earlier.number).first).to_be_visible()


def test_saved_filter(live_server, page, sign_in, screenshot, network, make_staff):  # noqa: F811
    _rita_answered_olga_open(
        _staff(make_staff, network["0137"], "atendente", username="atendente.0137")
    )
    sign_in(page, "atendente.0137", PASSWORD)

    page.goto(f"{live_server.url}/painel/protocolos/")
    page.get_by_label("Situação").select_option("respondido")
    page.wait_for_url(re.compile(r".*situacao=respondido"))
    expect(page.locator("#tabela tbody")).not_to_contain_text("Olga Aberta")
    page.get_by_label("Nome do filtro").fill("Já respondidos")
    screenshot(page, "painel-filtro-salvar")
    page.get_by_role("button", name="Salvar filtro").click()
    expect(page.get_by_text("Filtro “Já respondidos” salvo para você.")).to_be_visible()

    page.goto(f"{live_server.url}/painel/protocolos/")
    expect(page.locator("#tabela tbody")).to_contain_text("Olga Aberta")
    page.get_by_role("button", name="Filtros salvos").click()
    expect(page.get_by_role("link", name="Já respondidos")).to_be_visible()
    screenshot(page, "painel-filtros-salvos")
    page.get_by_role("link", name="Já respondidos").click()
    page.wait_for_url(re.compile(r".*situacao=respondido"))
    expect(page.get_by_label("Situação")).to_have_value("respondido")
    expect(page.locator("#tabela tbody")).to_contain_text("Rita Respondida")
    expect(page.locator("#tabela tbody")).not_to_contain_text("Olga Aberta")


def test_collision_notice_across_two_browsers(
    live_server,
    page,
    browser_context,
    sign_in,
    screenshot,
    network,  # noqa: F811
    make_staff,
):
    _staff(make_staff, network["0137"], "atendente", username="ana.0137", first_name="Ana Lima")
    _staff(make_staff, network["0137"], "atendente", username="bia.0137", first_name="Bia Souza")
    protocol = _open()
    url = f"{live_server.url}/painel/protocolos/{protocol.number}/"
    sign_in(page, "ana.0137", PASSWORD)
    page.goto(url)
    with page.expect_response(lambda r: r.url.endswith("/presenca/") and r.ok):
        page.get_by_role("button", name="Responder").first.click()

    other = browser_context.browser.new_context(
        viewport={"width": 1366, "height": 768}, locale="pt-BR"
    )
    try:
        bia = other.new_page()
        sign_in(bia, "bia.0137", PASSWORD)
        bia.goto(url)
        expect(bia.locator("#presenca")).to_contain_text("Em atendimento por Ana Lima")
        screenshot(bia, "painel-em-atendimento")
        expect(page.locator("#presenca")).not_to_contain_text("Em atendimento")
        # Ana closes the form: the next beat of Bia's page no longer shows her.
        with page.expect_response(lambda r: r.url.endswith("/presenca/") and r.ok):
            page.get_by_role("button", name="Responder").first.click()
        with bia.expect_response(lambda r: r.url.endswith("/presenca/") and r.ok):
            bia.evaluate("htmx.trigger('#presenca', 'gpu:presence')")
        expect(bia.locator("#presenca")).not_to_contain_text("Em atendimento")
    finally:
        other.close()


def test_back_keeps_the_inbox_filters_in_sync_with_the_url(
    live_server,
    page,
    sign_in,
    network,  # noqa: F811
    make_staff,
):
    _rita_answered_olga_open(
        _staff(make_staff, network["0137"], "atendente", username="atendente.0137")
    )
    sign_in(page, "atendente.0137", PASSWORD)
    page.goto(f"{live_server.url}/painel/protocolos/")
    status = page.get_by_label("Situação")
    rows = page.locator("#tabela tbody")

    status.select_option("aberto")
    page.wait_for_url(re.compile(r".*situacao=aberto"))
    expect(rows).not_to_contain_text("Rita Respondida")
    status.select_option("respondido")
    page.wait_for_url(re.compile(r".*situacao=respondido"))
    expect(rows).not_to_contain_text("Olga Aberta")
    page.locator("#id_q").press_sequentially("Rita")
    page.wait_for_url(re.compile(r".*q=Rita"))

    page.go_back()
    expect(page).to_have_url(re.compile(r"^(?!.*q=Rita).*situacao=respondido"))
    expect(page.locator("#id_q")).to_have_value("")
    expect(status).to_have_value("respondido")
    page.go_back()
    expect(page).to_have_url(re.compile(r"^(?!.*respondido).*situacao=aberto"))
    expect(status).to_have_value("aberto")
    expect(rows).to_contain_text("Olga Aberta")
    expect(rows).not_to_contain_text("Rita Respondida")
    page.go_back()
    expect(page).to_have_url(f"{live_server.url}/painel/protocolos/")
    expect(status).to_have_value("")
    expect(rows).to_contain_text("Rita Respondida")
    page.go_forward()
    expect(page).to_have_url(re.compile(r"^(?!.*respondido).*situacao=aberto"))
    expect(status).to_have_value("aberto")
    # The form still works after a restore (htmx processed the new content).
    status.select_option("respondido")
    page.wait_for_url(re.compile(r".*situacao=respondido"))
    expect(rows).not_to_contain_text("Olga Aberta")
