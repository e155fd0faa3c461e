"""Idempotency under real concurrency on PostgreSQL: each thread has its own connection."""

import json
import threading

import pytest
from django.db import connection

from intercambio.models import InboundMessage, RiskSharing, RiskSharingHistory
from tests.intercambio.conftest import post

pytestmark = [pytest.mark.postgres, pytest.mark.django_db(transaction=True, serialized_rollback=True)]


def _in_threads(count: int, work) -> tuple[list, list]:
    barrier = threading.Barrier(count)
    results, errors, lock = [], [], threading.Lock()

    def run(i: int) -> None:
        try:
            barrier.wait(timeout=30)
            outcome = work(i)
            with lock:
                results.append(outcome)
        except Exception as exc:  # noqa: BLE001 - collected and asserted by the test
            with lock:
                errors.append(exc)
        finally:
            connection.close()

    threads = [threading.Thread(target=run, args=(i,)) for i in range(count)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=120)
    return results, errors


def test_simultaneous_copies_of_one_message_store_it_once(origin_api, repasse):
    def work(i):
        response = post(origin_api, repasse)
        return response.status_code, response.json()

    results, errors = _in_threads(8, work)

    assert errors == []
    assert {status for status, _ in results} == {201}
    # Everyone got the first answer (jsonb may reorder keys: compare content).
    assert len({json.dumps(body, sort_keys=True) for _, body in results}) == 1
    assert InboundMessage.objects.count() == 1
    assert RiskSharing.objects.count() == RiskSharingHistory.objects.count() == 1


def test_simultaneous_messages_creating_one_card_make_one_sharing(origin_api, custo):
    def work(i):
        body = {**custo, "cabecalho": {**custo["cabecalho"], "codigoControleTransacao": 5000 + i}}
        response = post(origin_api, body)
        return response.status_code, response.json()["situacao"]

    results, errors = _in_threads(8, work)

    assert errors == []
    assert sorted(results) == [(201, "inclusao")] + [(201, "sem_alteracao")] * 7
    assert InboundMessage.objects.count() == 8
    assert RiskSharing.objects.count() == RiskSharingHistory.objects.count() == 1
