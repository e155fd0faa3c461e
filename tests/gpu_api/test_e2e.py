"""End to end on PostgreSQL + Redis + a real Celery worker, with local receivers
playing the integrated Unimeds."""

import copy
import threading
import time

import pytest
from django.db import connection

from gpu_api.examples import REQUESTS
from protocols.models import Delivery, DeliveryStatus, Protocol
from protocols.outbox.services import deliveries_sweep, delivery_redeliver
from tests.factories import staff_user
from tests.gpu_api.conftest import SECRET, SECRET_ORIGIN, solicitar_message
from unimeds.actors import actor_for_user

# Transactional (the worker and the threads see committed rows); reference_data puts back
# what the data migrations load, which the flush between transactional tests drops.
pytestmark = [
    pytest.mark.postgres,
    pytest.mark.django_db(transaction=True),
    pytest.mark.usefixtures("reference_data"),
]
URL = "/api/v1/gpu/"


def wait_for(condition, timeout=20.0, what="condição"):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if condition():
            return
        time.sleep(0.05)
    pytest.fail(f"tempo esgotado esperando {what}")


@pytest.fixture
def fast_retries(monkeypatch):
    # Read by the worker process at start-up (celery_worker copies os.environ).
    monkeypatch.setenv("GPU_DELIVERY_RETRY_BASE_SECONDS", "0.2")
    monkeypatch.setenv("GPU_DELIVERY_MAX_ATTEMPTS", "4")


@pytest.fixture
def worker(fast_retries, celery_worker):
    return celery_worker


def solicitar(client, tx="0000000042"):
    return client.post(
        URL + "solicitarProtocolo", solicitar_message(tx, tp_manifestacao="S"), format="json"
    )


@pytest.mark.redis
@pytest.mark.celery_worker
def test_request_delivered_signed_and_answer_delivered_back(network, api_for, receivers, worker):
    to_responsible = receivers(network["0137"], SECRET)
    to_origin = receivers(network["0025"], SECRET_ORIGIN)
    response = solicitar(api_for(network["0025"]))
    assert response.status_code == 201
    number = response.json()["resposta_solicitar_protocolo"]["nr_protocolo"]

    wait_for(lambda: len(to_responsible.received) == 1, what="a entrega à 0137")
    [got] = to_responsible.received
    assert got["operation"] == "solicitarProtocolo" and to_responsible.rejected == []
    assert got["message"]["cabecalho_transacao"]["cd_transacao"] == "001"
    assert got["message"]["solicitar_protocolo"]["nr_protocolo"] == number
    assert got["message"]["cabecalho_transacao"]["cd_uni_origem"] == "0025"

    # 0137 answers as TOTVS does (005 resposta_atendimento), and 0025 receives the 005.
    message = copy.deepcopy(REQUESTS["responderAtendimento"])
    message["resposta_atendimento"].update(
        {"nr_protocolo": number, "mensagem": "Ressonância autorizada."}
    )
    answer = api_for(network["0137"]).post(URL + "responderAtendimento", message, format="json")
    assert answer.status_code == 200, answer.json()
    assert answer.json()["cabecalho_transacao"]["cd_transacao"] == "006"
    assert answer.json()["resposta_atendimento"]["id_origem_resposta"] == 1
    wait_for(lambda: len(to_origin.received) == 1, what="a resposta à 0025")
    [back] = to_origin.received
    assert back["operation"] == "responderAtendimento" and to_origin.rejected == []
    assert back["message"]["cabecalho_transacao"]["cd_transacao"] == "005"
    assert back["message"]["resposta_atendimento"]["mensagem"] == "Ressonância autorizada."
    assert back["message"]["resposta_atendimento"]["nr_protocolo"] == number
    assert back["message"]["resposta_atendimento"]["status"] == "respondido"
    wait_for(
        lambda: Delivery.objects.filter(status=DeliveryStatus.DELIVERED).count() == 2,
        what="entregues",
    )
    assert len(to_responsible.attempts) == 1 and len(to_origin.attempts) == 1


@pytest.mark.redis
@pytest.mark.celery_worker
def test_receiver_failing_three_times_then_delivered_with_same_id(
    network, api_for, receivers, worker
):
    receiver = receivers(network["0137"], statuses=[500, 500, 500])
    assert solicitar(api_for(network["0025"])).status_code == 201
    delivery = Delivery.objects.get()
    wait_for(
        lambda: Delivery.objects.filter(pk=delivery.pk, status=DeliveryStatus.DELIVERED).exists(),
        what="entrega após falhas",
    )
    delivery.refresh_from_db()
    assert delivery.attempts == 4
    assert receiver.attempts == [str(delivery.uuid)] * 4
    assert len(receiver.received) == 1


@pytest.mark.redis
@pytest.mark.celery_worker
def test_receiver_down_goes_dead_and_redeliver_works(
    network, api_for, receivers, worker, free_port
):
    receiver = receivers(network["0137"])
    network["0137"].endpoint_url = f"http://127.0.0.1:{free_port}/gpu"  # nobody listens there
    network["0137"].save()
    assert solicitar(api_for(network["0025"])).status_code == 201
    delivery = Delivery.objects.get()
    wait_for(
        lambda: Delivery.objects.filter(pk=delivery.pk, status=DeliveryStatus.DEAD).exists(),
        what="entrega morta",
    )
    delivery.refresh_from_db()
    assert delivery.attempts == 4 and "ConnectionRefusedError" in delivery.last_error
    # The receiver is back.
    network["0137"].endpoint_url = receiver.url
    network["0137"].save()
    supervisor = actor_for_user(staff_user(network["0025"], "supervisor"))
    delivery_redeliver(actor=supervisor, delivery_id=delivery.pk)
    wait_for(lambda: len(receiver.received) == 1, what="o reenvio")
    assert receiver.received[0]["delivery"] == str(delivery.uuid)
    wait_for(
        lambda: Delivery.objects.filter(pk=delivery.pk, status=DeliveryStatus.DELIVERED).exists()
    )


@pytest.fixture
def broker_down(free_port):
    """Point this process's Celery publisher and its cache at a closed port, as if Redis
    were stopped (the broker and the cache are the same Redis in production)."""
    from django.test import override_settings

    from gpu_project.celery import app

    dead = f"redis://127.0.0.1:{free_port}/0"
    cache_down = override_settings(
        CACHES={"default": {"BACKEND": "core.cache.FailOpenRedisCache", "LOCATION": dead}}
    )

    def switch(url):
        # kombu keeps one producer pool per broker URL: dropping the app's references
        # makes the next publish pick the pool of `url` (the good one is reused intact).
        app._pool = None
        app.amqp._producer_pool = None
        app.conf.broker_url = url

    def back():
        switch(good)
        if state["cache_down"]:
            cache_down.disable()
            state["cache_down"] = False

    good = app.conf.broker_url
    switch(dead)
    cache_down.enable()
    state = {"cache_down": True}
    yield back
    if app.conf.broker_url != good or state["cache_down"]:
        back()


@pytest.mark.redis
@pytest.mark.celery_worker
def test_broker_down_at_creation_then_sweep_delivers_each_once(
    network, api_for, receivers, worker, broker_down
):
    receiver = receivers(network["0137"])
    client = api_for(network["0025"])
    started = time.monotonic()
    for n in range(5):
        assert solicitar(client, tx=f"BROKER{n:04d}").status_code == 201
    assert time.monotonic() - started < 20  # the web request did not hang on the broker
    assert Delivery.objects.filter(status=DeliveryStatus.PENDING).count() == 5
    time.sleep(0.5)
    assert receiver.attempts == []

    broker_down()  # Redis is back
    assert deliveries_sweep() == 5
    wait_for(
        lambda: Delivery.objects.filter(status=DeliveryStatus.DELIVERED).count() == 5,
        what="5 entregas",
    )
    deliveries_sweep()  # a later sweep finds nothing to send
    time.sleep(0.5)
    assert len(receiver.attempts) == 5 and len(set(receiver.attempts)) == 5
    numbers = {r["message"]["solicitar_protocolo"]["nr_protocolo"] for r in receiver.received}
    assert numbers == set(Protocol.objects.values_list("number", flat=True))


def test_twenty_concurrent_copies_make_one_protocol(network, api_for):
    client_token = api_for(network["0025"])._credentials["HTTP_AUTHORIZATION"]
    barrier = threading.Barrier(20)
    results: list = [None] * 20

    def send(i):
        from rest_framework.test import APIClient

        client = APIClient()
        client.credentials(HTTP_AUTHORIZATION=client_token)
        try:
            barrier.wait()
            response = solicitar(client, tx="CONC000001")
            results[i] = (response.status_code, response.json())
        finally:
            connection.close()

    threads = [threading.Thread(target=send, args=(i,)) for i in range(20)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert Protocol.objects.count() == 1
    assert all(r == results[0] for r in results), results
    assert results[0][0] == 201
    assert (
        results[0][1]["resposta_solicitar_protocolo"]["nr_protocolo"]
        == Protocol.objects.get().number
    )
