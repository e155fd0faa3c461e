"""The e-mail outbox: a row in the caller's transaction, claimed once, retried with a
capped delay, dead after the last attempt, sent rows purged after the retention."""

from datetime import timedelta

import pytest
from django.core import mail
from django.core.mail import send_mail
from django.db import transaction
from django.utils import timezone

from core.mail import email_send, emails_sweep, retry_delay
from core.models import EmailStatus, OutboundEmail

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture
def outbox(settings):
    settings.EMAIL_BACKEND = "core.mail.OutboxBackend"
    settings.GPU_EMAIL_TRANSPORT = "django.core.mail.backends.locmem.EmailBackend"


def test_a_rolled_back_transaction_sends_nothing_and_a_committed_one_sends_once(outbox):
    with pytest.raises(RuntimeError), transaction.atomic():
        send_mail("Nada", "corpo", None, ["a@example.com"])
        raise RuntimeError
    assert not OutboundEmail.objects.exists()
    with transaction.atomic():
        send_mail("Assunto", "corpo", None, ["a@example.com"])
        assert mail.outbox == []  # nothing leaves before the commit
    row = OutboundEmail.objects.get()
    assert row.status == EmailStatus.SENT and row.attempts == 1
    assert [m.subject for m in mail.outbox] == ["Assunto"]
    assert email_send(email_id=row.pk) is False  # a repeated task sends nothing
    assert emails_sweep() == 0 and len(mail.outbox) == 1


def test_failures_back_off_capped_then_dead(outbox, settings):
    settings.GPU_EMAIL_TRANSPORT = "tests.core.test_email_outbox.BrokenBackend"
    settings.GPU_EMAIL_RETRY_BASE_SECONDS, settings.GPU_EMAIL_RETRY_MAX_SECONDS = 30, 300
    settings.GPU_EMAIL_MAX_ATTEMPTS = 3
    send_mail("Assunto", "corpo", None, ["a@example.com"])
    row = OutboundEmail.objects.get()
    assert (row.status, row.attempts) == (EmailStatus.PENDING, 1) and "SMTP fora" in row.last_error
    assert row.next_attempt_at > timezone.now() + timedelta(seconds=25)
    assert emails_sweep() == 0  # not due yet
    for _ in range(2):
        OutboundEmail.objects.update(next_attempt_at=timezone.now())
        emails_sweep()
    row.refresh_from_db()
    assert (row.status, row.attempts) == (EmailStatus.DEAD, 3)
    assert [retry_delay(n) for n in (1, 2, 3, 5, 10)] == [30, 60, 120, 300, 300]


def test_sent_emails_are_purged_after_the_retention(outbox, settings):
    send_mail("Assunto", "corpo", None, ["a@example.com"])
    OutboundEmail.objects.update(
        sent_at=timezone.now() - timedelta(days=settings.GPU_EMAIL_RETENTION_DAYS + 1)
    )
    emails_sweep()
    assert not OutboundEmail.objects.exists()


class BrokenBackend:
    def __init__(self, *args, **kwargs):
        pass

    def send_messages(self, messages):
        raise ConnectionRefusedError("SMTP fora")


def test_a_hub_admin_resends_a_dead_email_from_the_admin(outbox, client, settings):
    from core.models import AuditEvent
    from tests.factories import UserFactory

    settings.GPU_EMAIL_TRANSPORT = "tests.core.test_email_outbox.BrokenBackend"
    settings.GPU_EMAIL_MAX_ATTEMPTS = 1
    send_mail("Assunto", "corpo", None, ["a@example.com"])
    row = OutboundEmail.objects.get()
    assert row.status == EmailStatus.DEAD
    settings.GPU_EMAIL_TRANSPORT = "django.core.mail.backends.locmem.EmailBackend"
    client.force_login(UserFactory(is_superuser=True, is_staff=True))
    assert client.get("/admin/core/outboundemail/").status_code == 200
    response = client.post(
        "/admin/core/outboundemail/", {"action": "resend", "_selected_action": [row.pk]}
    )
    assert response.status_code == 302
    row.refresh_from_db()
    assert row.status == EmailStatus.SENT and [m.subject for m in mail.outbox] == ["Assunto"]
    assert AuditEvent.objects.filter(action="email.reenviado").count() == 1
