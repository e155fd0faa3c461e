"""Redis stopped: people keep working — a signed-in supervisor browses the inbox,
answers and opens a protocol by hand, a new person signs in, the portal confirms a
protocol once — and only the background work waits: once Redis is back, the worker
sends the confirmation and the answer e-mail, exactly once each."""

import time

import pytest
from django.test import Client

from core.models import EmailStatus, OutboundEmail
from protocols.models import Protocol
from tests.factories import PASSWORD, staff_user
from tests.faults.conftest import wait_for_worker
from tests.faults.services import wait_until
from tests.faults.smtp import SmtpServer
from tests.portal.conftest import SAO_PAULO, network, non_client_post  # noqa: F401

pytestmark = [pytest.mark.faults, pytest.mark.postgres]


@pytest.fixture
def smtp():
    server = SmtpServer().start()
    yield server
    server.stop()


def _signed_in(username: str) -> Client:
    client = Client()
    assert client.post("/entrar/", {"username": username, "password": PASSWORD}).status_code == 302
    return client


def test_redis_down_people_keep_working_and_emails_leave_once_after(
    network,  # noqa: F811
    processes,
    on_private_redis,  # noqa: F811
    smtp,
    settings,
):
    settings.EMAIL_BACKEND = "core.mail.OutboxBackend"
    processes.extra_env["EMAIL_URL"] = smtp.url  # the worker's real transport
    staff_user(network["0137"], "supervisor", "atendente", username="supervisor.0137")
    staff_user(network["0137"], "atendente", username="atendente.0137")
    supervisor = _signed_in("supervisor.0137")

    on_private_redis.stop()
    assert supervisor.get("/painel/protocolos/").status_code == 200
    newcomer = _signed_in("atendente.0137")
    assert newcomer.get("/painel/protocolos/").status_code == 200

    portal = Client()
    sent = portal.post("/portal/fale-conosco/nao-cliente/", non_client_post())
    assert sent.status_code == 302
    assert portal.get(sent["Location"]).status_code == 200
    protocol = Protocol.objects.get()
    answer = supervisor.post(
        f"/painel/protocolos/{protocol.number}/acao/answer/",
        {"answer-conclusive": "1", "answer-message": "A rede credenciada está no site."},
    )
    assert answer.status_code == 302
    opened = supervisor.post(
        "/painel/protocolos/novo/",
        {
            "kind": "nao_cliente",
            "name": "João Souza",
            "email": "joao@example.com.br",
            "uf": "SP",
            "municipality_code": SAO_PAULO,
            "manifestation_type": "I",
            "category": "1",
            "answer_preference": "2",
            "phone_ddd": "11",
            "phone": "98765-4321",
            "message": "Quais hospitais atendem?",
        },
    )
    assert opened.status_code == 302
    assert Protocol.objects.count() == 2  # one per submission: no retry doubled anything
    assert OutboundEmail.objects.filter(status=EmailStatus.PENDING).count() == 1  # the confirmation
    assert smtp.sink.messages == []

    on_private_redis.start()
    processes.worker()
    processes.beat()
    wait_for_worker()
    wait_until(
        lambda: len(smtp.sink.messages) >= 2,
        timeout=60,
        what="a confirmação e a resposta por e-mail",
    )
    time.sleep(3)  # several more sweeps run (every 1–2 s): none may send anything again
    subjects = sorted(subject for _to, subject in smtp.sink.messages)
    assert [to for to, _ in smtp.sink.messages] == [["joana@example.com.br"]] * 2
    assert (
        len(subjects) == 2
        and subjects[0].startswith("Protocolo")
        and subjects[1].startswith("Resposta")
    )
    assert OutboundEmail.objects.filter(status=EmailStatus.SENT).count() == 2
