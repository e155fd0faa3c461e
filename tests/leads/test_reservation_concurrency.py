"""20 sellers of 20 different Unimeds reserve the same CNPJ at the same instant, over
the API, each thread on its own database connection: exactly one wins."""

import threading

import pytest
from django.db import connection
from rest_framework.test import APIClient

from leads.models import MarketReservation
from tests.factories import UnimedFactory, service_token, staff_user
from unimeds.models import Role

ATTEMPTS = 20


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_twenty_concurrent_reservations_one_winner(settings):
    settings.PASSWORD_HASHERS = [
        "django.contrib.auth.hashers.MD5PasswordHasher"
    ]  # 20 client secrets: speed only
    contenders = []
    for n in range(ATTEMPTS):
        unimed = UnimedFactory(code=f"{7000 + n:04d}", ans_registry=f"{700000 + n:06d}")
        seller = staff_user(unimed, Role.VENDEDOR, username=f"vend.{unimed.code}")
        contenders.append((unimed.code, service_token(unimed), seller.username))
    barrier = threading.Barrier(ATTEMPTS)
    results: list[tuple[str, int, dict]] = []
    lock = threading.Lock()

    def attempt(code: str, token: str, username: str) -> None:
        client = APIClient()
        client.credentials(HTTP_AUTHORIZATION=f"Bearer {token}")
        try:
            barrier.wait(timeout=30)
            response = client.post(
                "/api/v1/reservas-mercado/",
                {"documento": "12.ABC.345/01DE-35", "vendedor": username},
                format="json",
            )
            with lock:
                results.append((code, response.status_code, response.json()))
        finally:
            connection.close()

    threads = [threading.Thread(target=attempt, args=c) for c in contenders]
    for t in threads:
        t.start()
    for t in threads:
        t.join(timeout=60)
    assert len(results) == ATTEMPTS
    winners = [r for r in results if r[1] == 201]
    losers = [r for r in results if r[1] != 201]
    assert len(winners) == 1
    winner_code = winners[0][0]
    assert winners[0][2]["cd_unimed"] == winner_code
    assert len(losers) == ATTEMPTS - 1
    for _code, status, body in losers:
        assert status == 409 and body["codigo"] == "reserva_existente" and body["campos"] == {}
        assert f"Unimed {winner_code} até " in body["mensagem"]
        assert "vend." not in body["mensagem"]
    assert MarketReservation.objects.filter(status="ativa").count() == 1


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_simultaneous_portal_demands_open_one_lead():
    """Five portal demands for one CNPJ at the same instant: one lead, four events on it."""
    from leads.models import Lead, LeadEventKind
    from leads.services import lead_intake
    from unimeds.actors import portal_actor
    from unimeds.models import Municipality
    from unimeds.services import unimed_set_area

    # A transactional test's flush drops migration data: put back the one city used here
    # (serialized_rollback would cost ~30 s).
    Municipality.objects.get_or_create(code="3550308", defaults={"name": "São Paulo", "uf": "SP"})
    unimed = UnimedFactory(code="0137", ans_registry="322831")
    unimed_set_area(unimed=unimed, municipality_codes=["3550308"])
    staff_user(unimed, Role.VENDEDOR, username="vend.0137")
    barrier = threading.Barrier(5)
    outcomes: list[bool] = []

    def demand(n: int) -> None:
        try:
            barrier.wait(timeout=30)
            _lead, created = lead_intake(
                actor=portal_actor(),
                source="portal",
                document="12.ABC.345/01DE-35",
                name=f"Contato {n}",
                email=f"c{n}@acme.example",
                phone="",
                municipality_code="3550308",
                company_name="ACME",
            )
            outcomes.append(created)
        finally:
            connection.close()

    threads = [threading.Thread(target=demand, args=(n,)) for n in range(5)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(timeout=60)
    assert sorted(outcomes) == [False, False, False, False, True]
    lead = Lead.objects.get()
    assert lead.events.filter(kind=LeadEventKind.NOVA_DEMANDA).count() == 4
