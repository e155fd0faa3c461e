"""Pages the user guide (docs/guia/) shows that no other browser test walks: the home page
of a vendedor and of a gestor, a lead worked by its seller, the gestor adjusting one
member's permission matrix on the team page, and an A400 import with its report."""

import re

from playwright.sync_api import expect

from leads.models import Lead
from leads.services import lead_intake
from tests.factories import PASSWORD
from tests.leads.conftest import SAO_PAULO
from tests.protocols.conftest import network  # noqa: F401 — the network fixture (areas)
from unimeds.actors import actor_for_user, portal_actor
from unimeds.models import Level, Module

A400_FILE = """401;0137;20260115;1.0
402;I;100;Ana Souza;12345SC;12345;SC;529.982.247-25;PRESTADOR;ana@unimed.example.com.br
402;I;101;Bruno Lima;22222SP;22222;SP;;PRESTADOR;
402;I;102;Linha Ruim;x;;;;PRESTADOR;
409;3
"""


def _lead(name: str, document: str) -> Lead:
    lead, _ = lead_intake(
        actor=portal_actor(),
        source="portal",
        document=document,
        name=name,
        email="contato@example.com.br",
        phone="(11) 98888-7777",
        municipality_code=SAO_PAULO,
        lives=3,
        plan_type="individual",
        message="Quero uma cotação para a família.",
    )
    return lead


def test_a_seller_sees_their_leads_at_home_and_logs_a_contact(
    live_server,
    page,
    sign_in,
    screenshot,
    network,  # noqa: F811
    make_staff,
):
    make_staff(network["0137"], "vendedor", username="vend.0137", first_name="Vera")
    lead = _lead("Carla Compradora", "529.982.247-25")
    _lead("Davi Comprador", "390.533.447-05")
    assert lead.owner.username == "vend.0137"
    sign_in(page, "vend.0137", PASSWORD)

    home = page.locator("section[aria-labelledby=t-leads]")
    expect(page.locator("#t-leads")).to_have_text("Meus leads")
    expect(home).to_contain_text("Aguardando o primeiro contato")
    expect(home).to_contain_text("Funil por etapa")
    assert page.locator("#t-equipe-carga").count() == 0  # the team load is the managers'
    screenshot(page, "painel-inicio-vendedor")

    page.get_by_role("link", name="Leads", exact=True).click()
    page.get_by_role("link", name=re.compile("Carla Compradora")).first.click()
    page.wait_for_url(re.compile(rf".*/painel/leads/{lead.pk}/$"))
    page.get_by_label("Canal").select_option(index=1)
    page.get_by_label("O que foi conversado").fill("Liguei; enviarei a cotação amanhã.")
    page.get_by_role("button", name="Registrar").click()
    expect(page.get_by_text("Liguei; enviarei a cotação amanhã.")).to_be_visible()
    screenshot(page, "painel-lead")
    lead.refresh_from_db()
    assert lead.status == "em_contato"


def test_a_gestor_sees_the_team_and_adjusts_a_members_permissions(
    live_server,
    page,
    sign_in,
    screenshot,
    network,  # noqa: F811
    make_staff,
):
    make_staff(network["0137"], "gestor", username="gestor.0137", first_name="Gil")
    make_staff(network["0137"], "vendedor", username="vend.0137", first_name="Vera")
    ana = make_staff(
        network["0137"], "atendente", username="ana.0137", first_name="Ana", last_name="Lima"
    )
    _lead("Carla Compradora", "529.982.247-25")
    sign_in(page, "gestor.0137", PASSWORD)

    expect(page.locator("#t-equipe-carga")).to_have_text("Carga da equipe")
    expect(page.locator("#t-leads")).to_have_text("Leads da Unimed")
    screenshot(page, "painel-inicio-gestor")

    page.get_by_role("link", name="Equipe", exact=True).click()
    expect(page.get_by_role("link", name=re.compile("ana.0137|Ana Lima")).first).to_be_visible()
    screenshot(page, "painel-equipe")
    page.get_by_role("link", name=re.compile("ana.0137|Ana Lima")).first.click()
    page.wait_for_url(re.compile(rf".*/painel/equipe/{ana.pk}/$"))
    page.get_by_label("Leads").select_option(label="consultar")
    page.get_by_label("Relatórios").select_option(label="operar")
    page.get_by_role("button", name="Salvar permissões").click()
    expect(page.get_by_text("Permissões por módulo atualizadas.")).to_be_visible()
    expect(page.get_by_label("Leads")).to_have_value(str(Level.CONSULTAR))
    screenshot(page, "painel-equipe-permissoes")
    member = actor_for_user(ana)
    assert member.may(Module.LEADS, Level.CONSULTAR)
    assert not member.may(Module.LEADS, Level.OPERAR)
    assert member.may(Module.RELATORIOS, Level.OPERAR)
    assert member.may(Module.PROTOCOLOS, Level.OPERAR)  # the rest of the matrix is kept


def test_a_gestor_imports_an_a400_file(
    live_server,
    page,
    sign_in,
    screenshot,
    network,  # noqa: F811
    make_staff,
):
    make_staff(network["0137"], "gestor", username="gestor.0137")
    sign_in(page, "gestor.0137", PASSWORD)
    page.get_by_role("link", name="Cooperados", exact=True).click()
    page.get_by_role("link", name="Importar A400").click()
    page.get_by_label("Arquivo A400").set_input_files(
        files=[{"name": "a400.txt", "mimeType": "text/plain", "buffer": A400_FILE.encode()}]
    )
    screenshot(page, "painel-a400")
    page.get_by_role("button", name="Importar").click()
    page.wait_for_url(re.compile(r".*/painel/cooperados/a400/.+"))
    expect(page.locator("#progresso")).to_contain_text("2 criados")
    expect(page.locator("#progresso")).to_contain_text("1 rejeitados")
    screenshot(page, "painel-a400-resultado")
