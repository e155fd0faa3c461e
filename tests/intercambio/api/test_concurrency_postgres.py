"""Idempotency under real concurrency on PostgreSQL: each thread has its own connection."""

import json

import pytest

from intercambio.models import InboundMessage, RiskSharing, RiskSharingHistory
from tests.concurrency import in_threads
from tests.intercambio.conftest import post

pytestmark = [pytest.mark.postgres, pytest.mark.django_db(transaction=True)]


def test_simultaneous_copies_of_one_message_store_it_once(origin_api, repasse):
    def work(i):
        response = post(origin_api, repasse)
        return response.status_code, response.json()

    results, errors = in_threads(8, work)

    assert errors == []
    assert {status for status, _ in results} == {201}, results[0]
    # Everyone got the first answer (jsonb may reorder keys: compare content).
    assert len({json.dumps(body, sort_keys=True) for _, body in results}) == 1
    assert InboundMessage.objects.count() == 1
    assert RiskSharing.objects.count() == RiskSharingHistory.objects.count() == 1


def test_simultaneous_messages_creating_one_card_make_one_sharing(origin_api, custo):
    def work(i):
        body = {**custo, "cabecalho": {**custo["cabecalho"], "codigoControleTransacao": 5000 + i}}
        response = post(origin_api, body)
        return response.status_code, response.json()["situacao"]

    results, errors = in_threads(8, work)

    assert errors == []
    assert sorted(results) == [(201, "inclusao")] + [(201, "sem_alteracao")] * 7
    assert InboundMessage.objects.count() == 8
    assert RiskSharing.objects.count() == RiskSharingHistory.objects.count() == 1
