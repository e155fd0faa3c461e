"""Inbox: tabs, search, filters, sort, pages, htmx partial, audit and a constant query count."""

from datetime import timedelta

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from core.models import AuditEvent
from protocols.models import Protocol
from protocols.numbering import local_day
from protocols.services import protocol_answer
from unimeds.actors import actor_for_user

pytestmark = pytest.mark.django_db
INBOX = "/painel/protocolos/"


def numbers(response) -> list[str]:
    return [p.number for p in response.context["page"].rows]


def test_received_and_sent_tabs(client_for, contingency_protocol):
    protocol = contingency_protocol()
    client_0137, _ = client_for("0137")
    client_0666, _ = client_for("0666")
    assert numbers(client_0137.get(INBOX)) == [protocol.number]
    assert numbers(client_0137.get(INBOX, {"aba": "enviados"})) == []
    assert numbers(client_0666.get(INBOX)) == []
    response = client_0666.get(INBOX, {"aba": "enviados"})
    assert numbers(response) == [protocol.number]
    assert "529.982.247-25" in response.content.decode()  # atendente may see the CPF


def test_due_soon_and_overdue_tabs(client_for, contingency_protocol):
    soon = contingency_protocol()
    late = contingency_protocol(message="Outro pedido, já vencido.")
    Protocol.objects.filter(pk=soon.pk).update(due_date=local_day())
    Protocol.objects.filter(pk=late.pk).update(due_date=local_day() - timedelta(days=3))
    client, _ = client_for("0137")
    assert numbers(client.get(INBOX, {"aba": "vencendo"})) == [soon.number]
    response = client.get(INBOX, {"aba": "vencidos"})
    assert numbers(response) == [late.number]
    assert "vencido" in response.content.decode()
    today = client.get(INBOX, {"prazo": "hoje"})
    assert numbers(today) == [soon.number]
    assert "vence hoje" in today.content.decode()


@pytest.mark.parametrize("term", ["number", "number_prefix", "cpf", "card", "name"])
def test_search_box(client_for, contingency_protocol, term):
    target = contingency_protocol()
    other = contingency_protocol(
        card="01370000000000014",
        requester={"name": "Roberto Nunes", "cpf": "390.533.447-05", "email": "r@example.com.br"},
    )
    value = {
        "number": target.number,
        "number_prefix": target.number[:14],
        "cpf": "529.982.247-25",
        "card": "0137 0000000000006",
        "name": "maria da",
    }[term]
    client, _ = client_for("0137")
    found = numbers(client.get(INBOX, {"q": value}))
    if term == "number_prefix":
        assert target.number in found
    else:
        assert found == [target.number]
    assert numbers(client.get(INBOX, {"q": "Roberto"})) == [other.number]
    assert numbers(client.get(INBOX, {"q": "Ninguém Assim"})) == []


def test_number_prefix_with_a_date_finds_the_numbers_of_that_day(client_for, contingency_protocol):
    """A prefix spelling registry + date also narrows opened_on (the day in the number):
    an integrated Unimed's own number, dated days before it reached the hub, is found by
    its own date, not by the day it arrived; a prefix with an impossible date finds none."""
    today = contingency_protocol()
    earlier = contingency_protocol(message="Número próprio da Unimed, de três dias antes.")
    day = local_day() - timedelta(days=3)
    own_number = f"{earlier.number[:6]}{day:%Y%m%d}000123"
    Protocol.objects.filter(pk=earlier.pk).update(
        number=own_number, externally_numbered=True, opened_on=day
    )
    client, _ = client_for("0137")
    assert numbers(client.get(INBOX, {"q": own_number[:14]})) == [own_number]
    assert numbers(client.get(INBOX, {"q": own_number[:16]})) == [own_number]
    assert numbers(client.get(INBOX, {"q": today.number[:14]})) == [today.number]
    assert set(numbers(client.get(INBOX, {"q": today.number[:6]}))) == {today.number, own_number}
    impossible = client.get(INBOX, {"q": f"{today.number[:6]}20261399"})
    assert impossible.status_code == 200 and numbers(impossible) == []


def test_filters_and_bad_filter_values(client_for, contingency_protocol, network):
    first = contingency_protocol()
    second = contingency_protocol(manifestation_type="I", category=1, message="Dúvida de carência.")
    protocol_answer(
        actor=actor_for_user(client_for("0137")[1]), protocol=second, message="Sem carência."
    )
    client, _ = client_for("0137")
    assert numbers(client.get(INBOX, {"situacao": "respondido"})) == [second.number]
    assert numbers(client.get(INBOX, {"tipo": "S"})) == [first.number]
    assert numbers(client.get(INBOX, {"categoria": "1"})) == [second.number]
    assert numbers(client.get(INBOX, {"canal": "PORTAL"})) == []
    assert set(numbers(client.get(INBOX, {"origem": "0666"}))) == {first.number, second.number}
    assert numbers(client.get(INBOX, {"responsavel": "0025"})) == []
    today = local_day().isoformat()
    assert len(numbers(client.get(INBOX, {"de": today, "ate": today}))) == 2
    tomorrow = (local_day() + timedelta(days=1)).strftime("%d/%m/%Y")
    assert numbers(client.get(INBOX, {"de": tomorrow})) == []
    bad = client.get(INBOX, {"situacao": "inexistente", "de": "31/02/2026"})
    assert bad.status_code == 400
    assert (
        "Informe uma data válida" in bad.content.decode()
        or "Faça uma escolha válida" in bad.content.decode()
    )


def test_sorting_and_pages(client_for, contingency_protocol, settings):
    opened = [contingency_protocol(message=f"Pedido {n}") for n in range(3)]
    client, _ = client_for("0137")
    newest_first = numbers(client.get(INBOX))
    assert newest_first == [p.number for p in reversed(opened)]
    assert numbers(client.get(INBOX, {"ordem": "numero"})) == sorted(p.number for p in opened)
    assert numbers(client.get(INBOX, {"ordem": "-numero"})) == sorted(
        (p.number for p in opened), reverse=True
    )
    assert (
        numbers(client.get(INBOX, {"ordem": "bogus"})) == newest_first
    )  # unknown sort: the default
    from protocols.panel import selectors as panel_selectors

    settings.DEBUG = False
    original = panel_selectors.PAGE_SIZE
    try:
        panel_selectors.inbox_page.__defaults__  # noqa: B018 — page size is a parameter of the selector
        page = panel_selectors.inbox_page(actor=actor_for_user(client_for("0137")[1]), page_size=2)
        assert len(page.rows) == 2 and page.has_next and page.count == 3
        second = panel_selectors.inbox_page(
            actor=actor_for_user(client_for("0137")[1]), page_size=2, page=2
        )
        assert [p.number for p in second.rows] == [opened[0].number] and not second.has_next
    finally:
        panel_selectors.PAGE_SIZE = original
    assert client.get(INBOX, {"pagina": "abc"}).status_code == 200
    assert numbers(client.get(INBOX, {"pagina": "99"})) == []


def test_count_is_capped(client_for, contingency_protocol, monkeypatch):
    from protocols.panel import selectors as panel_selectors

    for n in range(4):
        contingency_protocol(message=f"Pedido {n}")
    monkeypatch.setattr(panel_selectors, "COUNT_CAP", 2)
    page = panel_selectors.inbox_page(actor=actor_for_user(client_for("0137")[1]), page_size=1)
    assert page.capped and page.count == 2 and page.has_next


def test_htmx_request_gets_only_the_table(client_for, contingency_protocol):
    protocol = contingency_protocol()
    client, _ = client_for("0137")
    response = client.get(INBOX, {"q": protocol.number}, HTTP_HX_REQUEST="true")
    body = response.content.decode()
    assert protocol.number in body and "<html" not in body and 'id="filtros"' not in body
    assert "<html" in client.get(INBOX).content.decode()


def test_listing_is_audited(client_for, contingency_protocol):
    protocol = contingency_protocol()
    client, user = client_for("0137")
    client.get(INBOX, {"q": "maria"})
    event = AuditEvent.objects.get(action="protocolos.listados", user=user)
    assert event.data["protocolos"] == [protocol.number] and event.data["busca"] is True


def test_filter_choices_follow_a_new_unimed_at_once(client_for, contingency_protocol):
    """The filters' choices and the code map are memoised per process (core.refcache):
    a Unimed added by the hub shows on the next page, not minutes later."""
    from unimeds.models import Unimed

    contingency_protocol()
    client, _ = client_for("0137")
    assert "9998 — Unimed Nova" not in client.get(INBOX).content.decode()
    Unimed.objects.create(code="9998", ans_registry="999998", name="Unimed Nova", uf="SP")
    assert "9998 — Unimed Nova" in client.get(INBOX).content.decode()
    assert client.get(INBOX, {"origem": "9998"}).status_code == 200


def test_query_count_does_not_grow_with_rows(client_for, contingency_protocol):
    client, _ = client_for("0137")
    contingency_protocol()
    client.get(INBOX)  # warm caches (content types, sessions)

    def count() -> int:
        with CaptureQueriesContext(connection) as ctx:
            assert client.get(INBOX, {"ordem": "prazo"}).status_code == 200
        return len(ctx.captured_queries)

    one = count()
    for n in range(6):
        contingency_protocol(
            message=f"Mais um {n}", serving_unimed_code="0666" if n % 2 else "0025"
        )
    assert count() == one
