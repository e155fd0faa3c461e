"""Must show (#17): the demand page in a real browser shows the clock, the subsídios per
Unimed and the outcome; the member answers and records the decision through the page."""

from playwright.sync_api import expect

from regulatorio.services import demand_register, subsidy_request
from tests.factories import PASSWORD
from tests.gpu_api.conftest import network  # noqa: F401 — the network fixture (areas)
from unimeds.actors import actor_for_user


def test_demand_page_clock_subsidies_outcome(
    live_server,
    page,
    sign_in,
    screenshot,
    network,
    make_staff,  # noqa: F811
):
    from django.utils import timezone

    user = make_staff(network["0137"], "atendente", username="regulatorio.0137")
    actor = actor_for_user(user)
    demand, _ = demand_register(
        actor=actor,
        kind="nip_assistencial",
        ans_number="NIP-BROWSER-1",
        notified_on=timezone.localdate(),
        card="01370004812345670",
        beneficiary_name="Maria da Silva",
        description="Negativa de ressonância.",
    )
    subsidy_request(actor=actor, demand_id=demand.pk, unimed_code="0025", question="Enviem a guia.")
    sign_in(page, "regulatorio.0137", PASSWORD)
    page.get_by_role("link", name="Regulatório", exact=True).click()
    screenshot(page, "regulatorio-caixa")
    page.get_by_role("link", name="NIP-BROWSER-1").click()

    clock = page.locator("#relogio")
    expect(clock).to_contain_text(demand.due_date.strftime("%d/%m/%Y"))
    expect(clock.locator("[data-relogio]")).to_be_visible()
    subsidies = page.locator("#subsidios")
    expect(subsidies).to_contain_text("Unimed 0025")
    expect(subsidies).to_contain_text("Aberto")
    expect(page.locator("#resultado")).to_contain_text("Sem decisão")
    screenshot(page, "regulatorio_demanda")

    page.get_by_label("Unimed (código)").fill("0666")
    page.get_by_label("O que a Unimed deve informar").fill("Enviem o laudo do exame.")
    screenshot(page, "regulatorio-pedir-subsidios")
    page.get_by_role("button", name="Pedir subsídios").click()
    expect(subsidies).to_contain_text("Unimed 0666")

    page.locator("#id_acao_action").select_option("responder")
    page.locator("#id_acao_message").fill("Autorização concedida ao beneficiário em 24 horas.")
    page.get_by_role("button", name="Registrar", exact=True).click()
    expect(page.locator("#relogio [data-relogio]")).to_have_attribute("data-relogio", "parado")

    page.locator("#id_acao_action").select_option("decidir")
    page.locator("#id_acao_outcome").select_option("rve")
    page.get_by_role("button", name="Registrar", exact=True).click()
    expect(page.locator("#resultado")).to_contain_text("RVE")
