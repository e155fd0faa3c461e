"""Inbox name search (start of the name or text in the surnames, case and accents
aside), the sort by name, the search's count cap and the period filter's bound."""

from datetime import timedelta

import pytest
from django.db import connection

from protocols.models import Protocol
from protocols.models.search import name_key, surnames_key
from protocols.numbering import local_day
from unimeds.actors import actor_for_user

pytestmark = pytest.mark.django_db
INBOX = "/painel/protocolos/"
NAMES = [
    "José da Conceição Ávila",
    "MARIA DAS GRAÇAS SOUZA LIMA",
    "Joao Souza",
    "Zé Bruno",
    "Ana Lima Souza",
]


def numbers(response) -> list[str]:
    return [p.number for p in response.context["page"].rows]


@pytest.fixture
def named(contingency_protocol):
    """{name: protocol number}, one protocol for each of NAMES (0137 responsible)."""
    requester = {"cpf": "529.982.247-25", "email": "solicitante@example.com.br"}
    return {
        name: contingency_protocol(requester={**requester, "name": name}).number for name in NAMES
    }


@pytest.mark.parametrize(
    ("term", "expected"),
    [
        ("José da Conceição Ávila", ["José da Conceição Ávila"]),  # the full name
        ("JOSE DA CONCEICAO AVILA", ["José da Conceição Ávila"]),  # case and accents aside
        ("jose da conc", ["José da Conceição Ávila"]),  # the start of the name
        ("  Maria   das  graças ", ["MARIA DAS GRAÇAS SOUZA LIMA"]),  # spaces as typed
        ("Conceicao", ["José da Conceição Ávila"]),  # a surname
        ("ávila", ["José da Conceição Ávila"]),
        ("souza lima", ["MARIA DAS GRAÇAS SOUZA LIMA"]),  # two surnames, in that order
        ("lima", ["MARIA DAS GRAÇAS SOUZA LIMA", "Ana Lima Souza"]),
        (
            "souz",
            ["MARIA DAS GRAÇAS SOUZA LIMA", "Joao Souza", "Ana Lima Souza"],
        ),  # part of a surname
        ("joão", ["Joao Souza"]),  # an accent typed that the stored name lacks
        ("lima souza lima", []),
        ("Bruno Zé", []),  # words out of order
    ],
)
def test_name_search(client_for, named, term, expected):
    client, _ = client_for("0137")
    assert sorted(numbers(client.get(INBOX, {"q": term}))) == sorted(
        named[name] for name in expected
    )


def test_name_key_column_folds_like_python(named):
    """The database computes the stored key (a generated column); the typed term is
    folded in Python: both must agree, on SQLite and on PostgreSQL."""
    stored = dict(Protocol.objects.values_list("requester_name", "requester_name_key"))
    assert stored == {name: name_key(name) for name in NAMES}
    assert stored["MARIA DAS GRAÇAS SOUZA LIMA"] == "maria das gracas souza lima"


def test_sort_by_name_ignores_case_and_accents(client_for, named):
    client, _ = client_for("0137")
    assert numbers(client.get(INBOX, {"ordem": "nome"})) == [
        named[name]
        for name in [
            "Ana Lima Souza",
            "Joao Souza",
            "José da Conceição Ávila",
            "MARIA DAS GRAÇAS SOUZA LIMA",
            "Zé Bruno",
        ]
    ]
    assert numbers(client.get(INBOX, {"ordem": "-nome"}))[0] == named["Zé Bruno"]


def test_search_count_has_its_own_cap(client_for, named, monkeypatch):
    from protocols.panel import selectors as panel_selectors

    monkeypatch.setattr(panel_selectors, "SEARCH_COUNT_CAP", 2)
    actor = actor_for_user(client_for("0137")[1])
    found = panel_selectors.inbox_page(actor=actor, filters=panel_selectors.InboxFilters(q="souza"))
    assert found.capped and found.count == 2 and len(found.rows) == 3
    everything = panel_selectors.inbox_page(actor=actor)
    assert not everything.capped and everything.count == len(NAMES)
    client, _ = client_for("0137")
    assert "Mais de 2 protocolos" in client.get(INBOX, {"q": "souza"}).content.decode()


def test_period_filter_keeps_protocols_numbered_the_day_before(client_for, contingency_protocol):
    """An integrated Unimed's own number may carry an earlier day than the arrival
    (opened_on < local day of opened_at): the period filter goes by opened_on."""
    protocol = contingency_protocol()
    yesterday = local_day() - timedelta(days=1)
    Protocol.objects.filter(pk=protocol.pk).update(opened_on=yesterday)
    client, _ = client_for("0137")
    assert numbers(
        client.get(INBOX, {"de": yesterday.isoformat(), "ate": yesterday.isoformat()})
    ) == [protocol.number]
    assert numbers(client.get(INBOX, {"de": local_day().isoformat()})) == []


@pytest.mark.postgres
def test_surnames_trigram_index_is_on_the_search_expression():
    """protocol_surnames_trgm_idx (migration 0008) is written in SQL; the search filters
    on surnames_key(). PostgreSQL uses the index only if both are the same expression:
    compare them as PostgreSQL itself prints them."""
    sql, params = (
        Protocol.objects.annotate(surnames=surnames_key())
        .values("surnames")
        .query.sql_with_params()
    )
    with connection.cursor() as cursor:
        cursor.execute(
            f"CREATE TEMPORARY VIEW surnames_probe AS {connection.ops.compose_sql(sql, params)}"
        )
        cursor.execute("SELECT pg_get_viewdef('surnames_probe'::regclass)")
        view = cursor.fetchone()[0]
        cursor.execute("SELECT pg_get_indexdef('protocol_surnames_trgm_idx'::regclass)")
        index = cursor.fetchone()[0]
    expression = (
        view.split("SELECT", 1)[1]
        .rsplit(" AS surnames", 1)[0]
        .strip()
        .replace("protocols_protocol.", "")
    )
    assert f"({expression} gin_trgm_ops)" in index, (expression, index)


def test_the_documented_example(client_for, contingency_protocol):
    """docs/panel.md: what finds "José da Silva Santos Lima da Conceicao", and what not."""
    number = contingency_protocol(
        requester={
            "name": "José da Silva Santos Lima da Conceicao",
            "cpf": "529.982.247-25",
            "email": "jose@example.com.br",
        }
    ).number
    client, _ = client_for("0137")
    for term in ("jose da s", "silva", "SANTOS LIMA", "conceição"):
        assert numbers(client.get(INBOX, {"q": term})) == [number], term
    assert numbers(client.get(INBOX, {"q": "ose"})) == []  # the middle of the first name
