"""What every regulatorio service shares: locking, the one event writer, text checks."""

from collections.abc import Iterable

from django.core.files.uploadedfile import UploadedFile
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from core.errors import InvalidInput, NotFound
from protocols.timeline import attachment_fields, message_text
from regulatorio.models import Demand, DemandAttachment, DemandEvent
from regulatorio.selectors import demands_visible
from unimeds.actors import Actor


def lock_demand(actor: Actor, demand_id) -> Demand:
    """The demand row locked until the transaction ends (two people, or a person and an
    integrated system, may act at once); NotFound outside the actor's Unimed."""
    try:
        return demands_visible(actor=actor).select_for_update(of=("self",)).get(pk=int(demand_id))
    except (Demand.DoesNotExist, TypeError, ValueError):
        raise NotFound(_("Demanda não encontrada.")) from None


def text(value, *, field: str, required: str | None, min_length: int = 1) -> str:
    cleaned, problem = message_text(value, required=required, min_length=min_length)
    if problem:
        raise InvalidInput(problem, fields={field: [problem]})
    return cleaned


def record(
    demand: Demand,
    *,
    kind: str,
    actor: Actor,
    from_status: str = "",
    message: str = "",
    payload: dict | None = None,
    attachments: Iterable[UploadedFile] = (),
) -> DemandEvent:
    """Append one immutable event (the demand already locked and saved by the caller)."""
    if not transaction.get_connection().in_atomic_block:
        raise RuntimeError("record must run inside the demand's transaction")
    demand.event_count += 1
    Demand.objects.filter(pk=demand.pk).update(event_count=demand.event_count)
    event = DemandEvent.objects.create(
        demand=demand,
        seq=demand.event_count,
        at=timezone.now(),
        kind=kind,
        from_status=from_status or "",
        to_status=demand.status,
        message=message or "",
        payload=payload or {},
        actor_label=actor.label,
        actor_unimed=actor.unimed,
    )
    for upload in attachments or ():
        attachment = DemandAttachment(event=event, **attachment_fields(upload))
        attachment.file.save(upload.name, upload, save=False)
        attachment.save()
    return event
