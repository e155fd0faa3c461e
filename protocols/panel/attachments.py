"""Attachment download for the Unimeds on the protocol (panel). The API reuses
attachment_response with its own authentication."""

from django.http import FileResponse
from django.utils.translation import gettext as _

from core.errors import NotFound
from core.services import audit_record
from protocols.models import Attachment
from protocols.selectors import attachment_get
from unimeds.access import staff_required
from unimeds.actors import Actor
from unimeds.models import Module


def attachment_response(*, actor: Actor, attachment: Attachment) -> FileResponse:
    """Stream the file as a download and record who fetched it (LGPD: health data)."""
    try:
        handle = attachment.file.open("rb")
    except (FileNotFoundError, OSError):
        raise NotFound(_("O arquivo deste anexo não está disponível.")) from None
    audit_record(
        actor=actor,
        action="protocolo.anexo_baixado",
        target_type="Protocol",
        target_id=attachment.event.protocol_id,
        data={"anexo": attachment.pk, "numero": attachment.event.protocol.number},
    )
    response = FileResponse(
        handle,
        as_attachment=True,
        filename=attachment.original_name,
        content_type=attachment.content_type,
    )
    response["Cache-Control"] = "private, no-store"
    return response


# The same roles as the protocol page: an attachment is part of the protocol (health data).
@staff_required(Module.PROTOCOLOS)
def attachment_download(request, pk: int):
    return attachment_response(
        actor=request.actor, attachment=attachment_get(actor=request.actor, attachment_id=pk)
    )
