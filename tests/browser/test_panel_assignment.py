"""Working a team's queue in a real browser: assume and assign a protocol, the "Meus" tab,
the deadline clock beside the due date, and a bulk forward of 3 protocols with its
per-protocol report."""

import re

from playwright.sync_api import expect

from core.business_days import add_business_days
from protocols.models import Protocol
from protocols.numbering import local_day
from protocols.services import protocol_open
from tests.factories import PASSWORD
from tests.protocols.conftest import beneficiary_data, network  # noqa: F401 — fixture
from unimeds.actors import portal_actor


def _open(**overrides):
    return protocol_open(actor=portal_actor(), **beneficiary_data(**overrides))


def test_assume_assign_meus_and_the_clock(
    live_server,
    page,
    sign_in,
    screenshot,
    network,  # noqa: F811
    make_staff,
):
    unimed = network["0137"]
    make_staff(unimed, "atendente", username="ana", first_name="Ana", last_name="Lima")
    make_staff(unimed, "supervisor", username="sup", first_name="Sara", last_name="Souza")
    protocol = _open()
    other = _open(
        requester={"name": "Pedro Alves", "cpf": "390.533.447-05", "email": "pedro@example.com.br"}
    )
    today = local_day()
    Protocol.objects.filter(pk=protocol.pk).update(
        due_date=add_business_days(today, 2, uf=unimed.uf, optional_off=unimed.optional_off)
    )
    Protocol.objects.filter(pk=other.pk).update(
        due_date=today.replace(day=1) if today.day > 4 else today
    )

    sign_in(page, "ana", PASSWORD)
    page.goto(f"{live_server.url}/painel/protocolos/{protocol.number}/")
    expect(page.locator("#relogio")).to_have_text("vence em 2 dias úteis")
    page.locator("#assumir").click()
    expect(page.get_by_text("Protocolo assumido")).to_be_visible()
    expect(page.locator("#dono")).to_have_text("Ana Lima")
    assert page.locator("#assumir").count() == 0
    assert "Ana Lima assumiu o protocolo." in page.locator("#historico").inner_text()
    screenshot(page, "painel-protocolo-assumido")

    page.goto(f"{live_server.url}/painel/protocolos/")
    page.get_by_role("link", name="Meus", exact=True).click()
    page.wait_for_url(re.compile(r".*aba=meus"))
    rows = page.locator("#tabela tbody tr")
    expect(rows).to_have_count(1)
    expect(rows.first).to_contain_text(protocol.number)
    expect(rows.first).to_contain_text("vence em 2 dias úteis")
    expect(rows.first.locator(".owner-cell")).to_have_text("Ana Lima")
    screenshot(page, "painel-protocolos-meus")

    page.goto(f"{live_server.url}/painel/protocolos/?aba=recebidos&ordem=prazo")
    first = page.locator("#tabela tbody tr").first
    expect(first).to_contain_text(other.number)  # least time left first
    expect(first).to_contain_text(re.compile(r"vencido há \d+ dias?|vence hoje"))

    # The supervisor gives the second protocol to Ana: it shows in her "Meus".
    page.context.clear_cookies()
    sign_in(page, "sup", PASSWORD)
    page.goto(f"{live_server.url}/painel/protocolos/{other.number}/")
    page.get_by_role("button", name="Atribuir a um colega").click()
    page.get_by_label("Atribuir a").select_option(label="Ana Lima")
    screenshot(page, "painel-protocolo-atribuir")
    page.locator("#acao-assign button[type=submit]").click()
    expect(page.get_by_text("Protocolo atribuído.")).to_be_visible()
    expect(page.locator("#dono")).to_have_text("Ana Lima")
    assert "Atribuído a Ana Lima." in page.locator("#historico").inner_text()
    page.goto(f"{live_server.url}/painel/protocolos/?dono=eu")
    expect(page.locator("#tabela tbody tr")).to_have_count(1)  # nothing is the supervisor's
    assert Protocol.objects.filter(owner__username="ana").count() == 2


def test_bulk_forward_of_three_protocols(
    live_server,
    page,
    sign_in,
    screenshot,
    network,  # noqa: F811
    make_staff,
):
    make_staff(network["0137"], "atendente", username="ana")
    chosen = [_open() for _ in range(3)]
    kept = _open()
    sign_in(page, "ana", PASSWORD)
    page.goto(f"{live_server.url}/painel/protocolos/")
    for protocol in chosen:
        page.get_by_label(f"Selecionar {protocol.number}").check()
    expect(page.locator("#contagem-selecionados")).to_have_text("3")
    page.get_by_label("Ação em lote").select_option(label="Encaminhar")
    page.get_by_label("Encaminhar para").select_option("0025")
    page.get_by_label("Texto (nota, resposta ou motivo)").fill("Beneficiários atendidos pela 0025.")
    screenshot(page, "painel-lote-selecao")
    page.get_by_role("button", name="Continuar").click()
    expect(page.locator("#quantidade")).to_have_text("3")
    screenshot(page, "painel-lote-confirmacao")
    page.locator("#confirmar-lote").click()
    page.wait_for_url(re.compile(r".*/painel/protocolos/lote/\d+/$"))
    expect(page.locator("#lote-resumo")).to_contain_text("todos sem erro")
    expect(page.locator("#lote-linhas tbody tr")).to_have_count(3)
    screenshot(page, "painel-lote-resultado")
    codes = {
        p.responsible_unimed.code for p in Protocol.objects.filter(pk__in=[c.pk for c in chosen])
    }
    assert codes == {"0025"}
    assert Protocol.objects.get(pk=kept.pk).responsible_unimed.code == "0137"
