"""SMTP down: a staff invite, a portal confirmation, an arrival notice and an answer
e-mail are all accepted (no 500) and wait in the outbox; retries go on for as long
as the outage lasts (here: five sweeps, the scaled-down "20 minutes"); once SMTP is
back every e-mail leaves exactly once."""

import pytest

from core.mail import emails_sweep
from core.models import EmailStatus, OutboundEmail
from protocols.models import Protocol
from tests.factories import PASSWORD, staff_user
from tests.faults.smtp import SmtpServer
from tests.portal.conftest import network, non_client_post  # noqa: F401

pytestmark = [pytest.mark.faults, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def smtp(settings):
    server = SmtpServer()  # not started: SMTP is down
    settings.EMAIL_BACKEND = "core.mail.OutboxBackend"
    settings.GPU_EMAIL_TRANSPORT = "django.core.mail.backends.smtp.EmailBackend"
    settings.EMAIL_HOST, settings.EMAIL_PORT = "127.0.0.1", server.port
    settings.EMAIL_HOST_USER = settings.EMAIL_HOST_PASSWORD = ""
    settings.EMAIL_USE_TLS = settings.EMAIL_USE_SSL = False
    settings.GPU_EMAIL_TIMEOUT_SECONDS = 2
    # Retry at once: the test plays the sweeps itself instead of waiting minutes.
    settings.GPU_EMAIL_RETRY_BASE_SECONDS = settings.GPU_EMAIL_RETRY_MAX_SECONDS = 0
    yield server
    server.stop()


def test_smtp_down_every_email_leaves_once_when_it_is_back(client, network, smtp):  # noqa: F811
    network["0137"].contingency_email = "contingencia@unimed0137.example"
    network["0137"].save()
    staff_user(network["0137"], "gestor", "atendente", username="gestor.0137")
    assert (
        client.post("/entrar/", {"username": "gestor.0137", "password": PASSWORD}).status_code
        == 302
    )

    invite = client.post(
        "/painel/equipe/novo/",
        {
            "full_name": "Ana Lima",
            "username": "ana.lima",
            "cpf": "529.982.247-25",
            "email": "ana@example.com.br",
            "roles": ["atendente"],
        },
    )
    assert invite.status_code == 302
    portal = client.__class__().post("/portal/fale-conosco/nao-cliente/", non_client_post())
    assert portal.status_code == 302
    protocol = Protocol.objects.get()
    answer = client.post(
        f"/painel/protocolos/{protocol.number}/acao/answer/",
        {"answer-conclusive": "1", "answer-message": "Os hospitais da rede estão no site."},
    )
    assert answer.status_code == 302

    # invite, portal confirmation, arrival notice to 0137, answer to the requester
    assert OutboundEmail.objects.filter(status=EmailStatus.PENDING).count() == 4
    for _ in range(5):  # the outage goes on: every sweep tries and fails again
        emails_sweep()
    assert OutboundEmail.objects.filter(status=EmailStatus.PENDING).count() == 4
    assert set(OutboundEmail.objects.values_list("attempts", flat=True)) == {6}
    assert smtp.sink.messages == []

    smtp.start()
    assert emails_sweep() == 4
    assert emails_sweep() == 0
    assert OutboundEmail.objects.filter(status=EmailStatus.SENT).count() == 4
    recipients = sorted(to[0] for to, _subject in smtp.sink.messages)
    assert recipients == [
        "ana@example.com.br",
        "contingencia@unimed0137.example",
        "joana@example.com.br",
        "joana@example.com.br",
    ]
