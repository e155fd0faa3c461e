"""The inbox's working aids that only a browser exercises (issue #18, items 2 and 7): a bulk
action over "all matching the filter" after the filter changed by htmx, the keyboard
shortcuts, and new arrivals appearing without a reload."""

import re

import pytest
from playwright.sync_api import expect

from protocols.models import ProtocolEvent
from protocols.services import protocol_open
from tests.factories import PASSWORD
from tests.protocols.conftest import beneficiary_data, network  # noqa: F401 — fixture
from unimeds.actors import portal_actor

pytestmark = pytest.mark.django_db(transaction=True)


def _open(name: str):
    requester = {**beneficiary_data()["requester"], "name": name}
    return protocol_open(actor=portal_actor(), **beneficiary_data(requester=requester))


def test_bulk_note_on_all_matching_the_filter(
    live_server,
    page,
    sign_in,
    network,  # noqa: F811
    make_staff,
):
    make_staff(network["0137"], "atendente", username="ana")
    matching = [_open("Clara Filtrada") for _ in range(4)]
    others = [_open("Outro Nome") for _ in range(2)]
    sign_in(page, "ana", PASSWORD)
    page.goto(f"{live_server.url}/painel/protocolos/")
    expect(page.locator("#tabela tbody tr")).to_have_count(6)
    # Pasted, not typed (no key event): the search still runs, htmx swaps the table and,
    # with it, the filter the bulk form sends.
    page.get_by_label("Buscar").fill("Clara Filtrada")
    expect(page.locator("#tabela tbody tr")).to_have_count(4)
    page.get_by_label("todos os do filtro atual").check()
    page.get_by_label("Ação em lote").select_option(label="Nota interna")
    page.get_by_label("Texto (nota, resposta ou motivo)").fill("Ligar de volta na segunda.")
    page.get_by_role("button", name="Continuar").click()
    expect(page.locator("#quantidade")).to_have_text("4")
    expect(page.locator("#confirmacao")).to_contain_text("todos os do filtro")
    page.locator("#confirmar-lote").click()
    page.wait_for_url(re.compile(r".*/painel/protocolos/lote/\d+/$"))
    expect(page.locator("#lote-resumo")).to_contain_text("todos sem erro")
    expect(page.locator("#lote-linhas tbody tr")).to_have_count(4)
    noted = set(
        ProtocolEvent.objects.filter(message="Ligar de volta na segunda.").values_list(
            "protocol_id", flat=True
        )
    )
    assert noted == {p.pk for p in matching}
    assert not noted & {p.pk for p in others}


def test_keyboard_shortcuts(
    live_server,
    page,
    sign_in,
    network,  # noqa: F811
    make_staff,
):
    make_staff(network["0137"], "atendente", username="ana")
    for name in ("Primeira Pessoa", "Segunda Pessoa", "Terceira Pessoa"):
        _open(name)
    sign_in(page, "ana", PASSWORD)
    page.goto(f"{live_server.url}/painel/protocolos/")
    rows = page.locator("#tabela tbody tr")
    expect(rows).to_have_count(3)

    page.keyboard.press("j")
    expect(rows.nth(0)).to_have_attribute("aria-current", "true")
    page.keyboard.press("j")
    page.keyboard.press("j")
    page.keyboard.press("j")  # stops at the last row
    expect(rows.nth(2)).to_have_attribute("aria-current", "true")
    page.keyboard.press("k")
    expect(rows.nth(1)).to_have_attribute("aria-current", "true")
    expect(page.locator("#tabela tbody tr[aria-current]")).to_have_count(1)

    page.keyboard.press("?")
    expect(page.locator("#atalhos")).to_be_visible()
    expect(page.locator("#atalhos")).to_be_focused()  # Bootstrap focuses it once shown
    page.keyboard.press("Escape")
    expect(page.locator("#atalhos")).to_be_hidden()

    page.keyboard.press("/")
    expect(page.locator("#id_q")).to_be_focused()
    page.keyboard.type("jk")  # typing in a field is text, not a shortcut
    expect(page.locator("#id_q")).to_have_value("jk")
    expect(rows.nth(1)).to_have_attribute("aria-current", "true")
    page.locator("#id_q").fill("")
    expect(rows).to_have_count(3)

    page.locator("h1").first.click()  # leave the search box
    page.keyboard.press("k")
    marked = page.locator("#tabela tbody tr[aria-current]")
    expect(marked).to_have_count(1)
    href = marked.locator("a.protocol-link").get_attribute("href")
    page.keyboard.press("o")
    expect(page).to_have_url(re.compile(rf".*{re.escape(href)}$"))
    page.wait_for_load_state("load")  # the shortcuts' script is ready
    page.keyboard.press("r")
    expect(page.locator("#acao-answer")).to_be_visible()
    expect(page.locator("#id_answer-message")).to_be_focused()


def test_new_arrivals_appear_without_a_reload(
    live_server,
    page,
    sign_in,
    settings,
    network,  # noqa: F811
    make_staff,
):
    settings.GPU_INBOX_POLL_SECONDS = 1
    make_staff(network["0137"], "atendente", username="ana")
    _open("Quem Já Estava")
    sign_in(page, "ana", PASSWORD)
    page.goto(f"{live_server.url}/painel/protocolos/")
    expect(page.locator("#tabela tbody tr")).to_have_count(1)
    page.wait_for_timeout(1500)  # a poll with nothing new draws no badge
    expect(page.locator("#novos-badge")).to_have_count(0)

    arrived = _open("Quem Chegou Agora")
    badge = page.locator("#novos-badge")
    expect(badge).to_have_text("1 novo — atualizar")
    badge.click()
    expect(page.locator("#tabela tbody tr")).to_have_count(2)
    expect(page.locator("#tabela")).to_contain_text(arrived.number)
