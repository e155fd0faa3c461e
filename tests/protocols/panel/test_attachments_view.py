"""Attachment download in the panel: only the Unimeds on the protocol, audited."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from core.models import AuditEvent
from protocols.services import protocol_answer
from tests.factories import staff_user

pytestmark = pytest.mark.django_db

PDF = b"%PDF-1.4\n%laudo\n"


@pytest.fixture
def attachment(open_protocol, staff_actor):
    protocol = open_protocol()
    event = protocol_answer(
        actor=staff_actor("0137"),
        protocol=protocol,
        message="Laudo em anexo.",
        attachments=[SimpleUploadedFile("laudo médico.pdf", PDF)],
    )
    return event.attachments.get()


def _client_for(client, unimed):
    user = staff_user(unimed)
    client.force_login(user)
    return client


def test_responsible_downloads_and_it_is_audited(client, network, attachment):
    response = _client_for(client, network["0137"]).get(
        reverse("protocols:attachment_download", args=[attachment.pk])
    )
    assert response.status_code == 200
    assert b"".join(response.streaming_content) == PDF
    assert response["Content-Type"] == "application/pdf"
    assert "attachment" in response["Content-Disposition"]
    assert AuditEvent.objects.filter(action="protocolo.anexo_baixado").count() == 1


def test_other_unimed_gets_404_and_anonymous_goes_to_sign_in(client, network, attachment):
    url = reverse("protocols:attachment_download", args=[attachment.pk])
    assert client.get(url).status_code == 302
    response = _client_for(client, network["0025"]).get(url)
    assert response.status_code == 404
    assert not AuditEvent.objects.filter(action="protocolo.anexo_baixado").exists()


def test_hub_admin_pages_render(client, attachment):
    from tests.factories import UserFactory

    admin = UserFactory(username="hubadmin", is_staff=True, is_superuser=True)
    client.force_login(admin)
    protocol = attachment.event.protocol
    for url in (
        "/admin/protocols/protocol/",
        f"/admin/protocols/protocol/{protocol.pk}/change/",
        "/admin/protocols/category/",
        "/admin/protocols/manifestationtype/1/change/",
        "/admin/protocols/protocolsequence/",
        "/admin/protocols/attachment/",
    ):
        assert client.get(url).status_code == 200, url
