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
def test_twenty_concurrent_reservations_one_winner():
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
            response = client.post("/api/v1/reservas-mercado/",
                                   {"documento": "12.ABC.345/01DE-35", "vendedor": username}, format="json")
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
        assert status == 409 and body["id_erro"] == "reserva_existente" and body["campos"] == {}
        assert f"Unimed {winner_code} até " in body["mensagem"]
        assert "vend." not in body["mensagem"]
    assert MarketReservation.objects.filter(status="active").count() == 1
