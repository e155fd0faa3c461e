"""E-mail notices: arrival and due tomorrow to the contingency address, answers to the
requester who chose e-mail; each sent once, whatever runs twice."""

from datetime import timedelta

import pytest
from django.core import mail

from protocols.models import NotificationKind, Protocol, ProtocolNotification
from protocols.notifications import notifications_sweep, notify_arrival
from protocols.numbering import local_day
from protocols.services import protocol_answer, protocol_forward
from tests.factories import staff_user
from unimeds.actors import actor_for_user

pytestmark = pytest.mark.django_db


@pytest.fixture
def contingency_emails(network):
    for code in ("0137", "0025"):
        network[code].__class__.objects.filter(pk=network[code].pk).update(
            contingency_email=f"contingencia{code}@example.com.br"
        )


def test_arrival_is_mailed_once_after_commit(
    contingency_emails, contingency_protocol, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        protocol = contingency_protocol()
    assert [m.to for m in mail.outbox] == [["contingencia0137@example.com.br"]]
    message = mail.outbox[0]
    assert (
        protocol.number in message.subject
        and protocol.due_date.strftime("%d/%m/%Y") in message.subject
    )
    assert f"/painel/protocolos/{protocol.number}/" in message.body
    assert (
        "52998224725" not in message.body and "529.982.247-25" not in message.body
    )  # no CPF by e-mail
    assert notify_arrival(protocol_id=protocol.pk) is False  # never twice
    assert notifications_sweep()["chegada"] == 0
    assert len(mail.outbox) == 1


def test_forward_mails_the_new_responsible(
    contingency_emails, network, contingency_protocol, django_capture_on_commit_callbacks
):
    protocol = contingency_protocol()
    with django_capture_on_commit_callbacks(execute=True):
        protocol_forward(
            actor=actor_for_user(staff_user(network["0137"])),
            protocol=protocol,
            to_unimed_code="0025",
            reason="Execução na Unimed de atendimento.",
        )
    assert ["contingencia0025@example.com.br"] in [m.to for m in mail.outbox]


def test_sweep_catches_up_lost_arrivals_and_due_tomorrow(contingency_emails, contingency_protocol):
    protocol = contingency_protocol()  # on_commit never ran: as if the queue had lost it
    assert notifications_sweep() == {"chegada": 1, "vence_amanha": 0, "resposta": 0}
    Protocol.objects.filter(pk=protocol.pk).update(due_date=local_day() + timedelta(days=1))
    assert notifications_sweep()["vence_amanha"] == 1
    assert notifications_sweep() == {"chegada": 0, "vence_amanha": 0, "resposta": 0}
    assert len(mail.outbox) == 2 and "vence em" in mail.outbox[1].subject
    kinds = set(ProtocolNotification.objects.values_list("kind", flat=True))
    assert kinds == {NotificationKind.ARRIVAL, NotificationKind.DUE_TOMORROW}


def test_integrated_or_addressless_unimeds_get_no_mail(network, contingency_protocol):
    contingency_protocol()
    assert notifications_sweep()["chegada"] == 0 and mail.outbox == []


def test_answer_is_mailed_to_the_requester_who_chose_email(
    network, contingency_protocol, django_capture_on_commit_callbacks
):
    protocol = contingency_protocol()  # answer_preference 1 = e-mail
    by_phone = contingency_protocol(answer_preference=2, message="Prefere telefone.")
    actor = actor_for_user(staff_user(network["0137"]))
    with django_capture_on_commit_callbacks(execute=True):
        protocol_answer(
            actor=actor, protocol=protocol, message="Em auditoria médica.", conclusive=False
        )
        protocol_answer(actor=actor, protocol=protocol, message="Exame autorizado.")
        protocol_answer(actor=actor, protocol=by_phone, message="Liguei para o senhor.")
    assert [m.to for m in mail.outbox] == [["maria@example.com.br"], ["maria@example.com.br"]]
    assert "em análise" in mail.outbox[0].subject and "Em auditoria médica." in mail.outbox[0].body
    assert (
        mail.outbox[1].subject.startswith("Resposta ao seu protocolo")
        and "Exame autorizado." in mail.outbox[1].body
    )
    assert notifications_sweep()["resposta"] == 0
    assert len(mail.outbox) == 2


def test_a_failed_send_is_retried_by_the_sweep(network, contingency_protocol, settings):
    protocol = contingency_protocol()
    settings.EMAIL_BACKEND = "tests.protocols.panel.failing_backend.FailingBackend"
    actor = actor_for_user(staff_user(network["0137"]))
    protocol_answer(actor=actor, protocol=protocol, message="Exame autorizado.")
    with pytest.raises(ConnectionRefusedError):
        notifications_sweep()
    assert not ProtocolNotification.objects.exists()  # nothing recorded: it will be tried again
    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    assert notifications_sweep()["resposta"] == 1
