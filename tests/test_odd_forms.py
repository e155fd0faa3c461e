"""Every form the panel and the portal show, posted back with every field holding an
odd value (NUL, invalid UTF-8, a huge text, SQL, markup): the answer is the form with
its errors, a redirect or a refusal — never a 500. The forms are found by reading the
pages, so a new form is covered without touching this test."""

import re
from urllib.parse import quote

import pytest
from django.test import Client

from tests.factories import staff_user
from tests.protocols.conftest import network  # noqa: F401 — fixtures
from tests.protocols.panel.conftest import client_for, contingency_protocol, stranger_unimed  # noqa: F401 — fixtures

RAW = [
    "%00",
    "%FF%FE",
    quote("9" * 5000),
    quote("' OR 1=1 --"),
    quote("<script>x</script>"),
    quote("-1"),
    quote("2026-02-30"),
    "",
    quote("ção 🙂"),
]
FORM = re.compile(r'<form\b[^>]*\bmethod="post"[^>]*>(.*?)</form>', re.S | re.I)
ACTION = re.compile(r'\baction="([^"]*)"')
NAME = re.compile(r'<(?:input|select|textarea)\b[^>]*\bname="([^"]+)"', re.I)
SKIP = {"csrfmiddlewaretoken"}


def _forms(html: str, page: str) -> list[tuple[str, list[str]]]:
    found = []
    for match in FORM.finditer(html):
        tag = html[match.start() : match.start() + html[match.start() :].index(">")]
        action = ACTION.search(tag)
        names = sorted({n for n in NAME.findall(match.group(1)) if n not in SKIP})
        found.append(
            ((action.group(1) if action and action.group(1) else page).replace("&amp;", "&"), names)
        )
    return found


def _post_all(client: Client, pages: list[str]) -> int:
    posted = 0
    for page in pages:
        response = client.get(page)
        assert response.status_code < 500, page
        if response.status_code != 200 or "text/html" not in response.get("Content-Type", ""):
            continue
        for action, names in _forms(response.content.decode(), page):
            if action.endswith(("/sair/",)):
                continue
            for raw in RAW:
                body = "&".join(f"{quote(name)}={raw}" for name in names)
                answer = client.post(action, body, content_type="application/x-www-form-urlencoded")
                assert answer.status_code < 500, (page, action, raw[:20])
                posted += 1
    return posted


@pytest.mark.django_db(transaction=False)
def test_panel_forms_answer_odd_posts(network, contingency_protocol):  # noqa: F811
    protocol = contingency_protocol()
    user = staff_user(network["0137"], "atendente", "supervisor", "vendedor", "gestor")
    client = Client()
    client.force_login(user)
    pages = [
        "/painel/",
        "/painel/protocolos/",
        "/painel/protocolos/novo/",
        f"/painel/protocolos/{protocol.number}/",
        "/painel/integracoes/",
        "/painel/leads/",
        "/painel/leads/novo/",
        "/painel/leads/distribuicao/",
        "/painel/cooperados/",
        "/painel/cooperados/a400/",
        "/painel/cooperados/troca-forcada/",
        "/painel/equipe/",
        "/painel/equipe/novo/",
        "/painel/relatorios/",
        "/painel/intercambio/",
    ]
    assert _post_all(client, pages) > 50  # the forms were found and posted


def test_portal_forms_answer_odd_posts(network):  # noqa: F811
    pages = [
        "/portal/fale-conosco/nao-cliente/",
        "/portal/fale-conosco/beneficiario/",
        "/portal/guia-medico/reportar-erro/",
        "/portal/quero-um-plano/",
        "/portal/protocolo/",
        "/entrar/",
    ]
    assert _post_all(Client(), pages) > 20


def test_detail_page_forms_answer_odd_posts(network):  # noqa: F811
    from cooperados.models import Cooperado, LoginEmail
    from leads.services import lead_intake
    from unimeds.actors import portal_actor

    unimed = network["0137"]
    lead, _ = lead_intake(
        actor=portal_actor(),
        source="portal",
        document="11.222.333/0001-81",
        name="Maria",
        email="maria@empresa.com.br",
        phone="(11) 98888-7777",
        municipality_code="3550308",
        lives=12,
        plan_type="empresarial",
        company_name="Empresa Ltda",
        message="Cotação.",
    )
    coop = Cooperado(
        unimed=unimed,
        provider_code="1001",
        full_name="Cooperado Teste",
        login="5001SP",
        crm_number="5001",
        crm_uf="SP",
        cpf="",
        email_unimed="medico@unimed.example.com.br",
        login_email_source=LoginEmail.UNIMED,
        password="!",
    )
    coop.sync_derived()
    coop.save()
    member = staff_user(unimed, "atendente")
    user = staff_user(unimed, "atendente", "supervisor", "vendedor", "gestor")
    client = Client()
    client.force_login(user)
    pages = [
        f"/painel/leads/{lead.pk}/",
        f"/painel/cooperados/{coop.pk}/",
        f"/painel/equipe/{member.pk}/",
    ]
    assert _post_all(client, pages) > 20
