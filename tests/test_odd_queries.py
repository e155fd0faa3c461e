"""Query strings typed, pasted or forged: every listing page of the panel and the read
API answers them (a filter error, a default, an empty list) — never a 500. On
PostgreSQL a NUL or a lone surrogate reaching a query would fail in the driver."""

from urllib.parse import quote

import pytest
from django.test import Client

from tests.factories import staff_user
from tests.protocols.conftest import network  # noqa: F401 — the network fixture (areas)

# As they arrive on the wire (percent-encoded): NUL, half a surrogate pair in UTF-8
# (invalid bytes), and values typed or pasted by hand.
RAW = [
    "%00",
    "%ED%A0%80",
    "%FF",
    *(
        quote(v)
        for v in [
            "9" * 400,
            "-1",
            "1e309",
            "2026-02-30",
            "0",
            "' OR 1=1 --",
            "<b>x</b>",
            " ",
            "ção",
            "%",
        ]
    ),
]
PARAMS = [
    "q",
    "aba",
    "ordem",
    "pagina",
    "situacao",
    "tipo",
    "categoria",
    "canal",
    "de",
    "ate",
    "origem",
    "responsavel",
    "prazo",
    "unimed",
    "escopo",
    "acao",
    "ids",
    "uf",
    "operacao",
    "direcao",
    "status",
    "etapa",
    "vendedor",
    "busca",
    "cursor",
    "page",
]
PAGES = [
    "/painel/",
    "/painel/protocolos/",
    "/painel/protocolos/novo/",
    "/painel/protocolos/municipios/",
    "/painel/integracoes/",
    "/painel/leads/",
    "/painel/cooperados/",
    "/painel/cooperados/auditoria/",
    "/painel/equipe/",
    "/painel/relatorios/",
    "/painel/intercambio/",
]
API_PARAMS = [
    "status",
    "direcao",
    "aberto_de",
    "aberto_ate",
    "tp_manifestacao",
    "tp_categoria_manifestacao",
    "tp_cliente",
    "atrasado",
    "cd_uni_responsavel",
    "cursor",
    "page_size",
    "ordering",
]


def _query(names, raw: str) -> str:
    return "?" + "&".join(f"{name}={raw}" for name in names)


@pytest.mark.parametrize("raw", RAW, ids=[v[:12] for v in RAW])
def test_panel_pages_answer_odd_queries(network, raw):  # noqa: F811
    user = staff_user(network["0137"], "atendente", "supervisor", "vendedor", "gestor")
    client = Client()
    client.force_login(user)
    for page in PAGES:
        response = client.get(page + _query(PARAMS, raw))
        assert response.status_code < 500, (page, raw)


@pytest.mark.parametrize("raw", RAW, ids=[v[:12] for v in RAW])
def test_read_api_answers_odd_queries(network, api_for, raw):  # noqa: F811
    client = api_for(network["0137"])
    for query in (_query(API_PARAMS, raw), *(_query([name], raw) for name in API_PARAMS)):
        response = client.get("/api/v1/protocolos/" + query)
        assert response.status_code in (200, 400), (query, response.content[:300])
        assert response["Content-Type"].startswith("application/json")
        if response.status_code == 400:
            assert response.json()["mensagem"], query
    for path in (
        f"/api/v1/protocolos/{raw}/",
        f"/painel/protocolos/{raw}/",
        f"/api/v1/leads/{raw}/",
    ):
        response = client.get(path)
        assert response.status_code in (400, 401, 403, 404), (path, response.content[:300])


def test_a_nul_in_the_address_is_a_400(network, api_for, client):  # noqa: F811
    api = api_for(network["0137"]).get("/api/v1/protocolos/?status=%00")
    assert api.status_code == 400 and api.json()["codigo"] == "requisicao_invalida"
    page = client.get("/portal/protocolo/?numero=%00")
    assert page.status_code == 400 and "caractere inválido" in page.content.decode()


def test_a_cursor_not_from_a_link_is_a_400_that_says_so(network, api_for):  # noqa: F811
    response = api_for(network["0137"]).get("/api/v1/protocolos/?cursor=abc")
    assert response.status_code == 400
    assert response.json()["codigo"] == "cursor_invalido" and "next" in response.json()["mensagem"]
