"""The one writer of protocol events, and attachment checks.

Every event of every protocol goes through `record_event`, inside the caller's
transaction and with the protocol row locked by it. Other apps react to events by
registering a hook with `on_event` (e.g. the integration outbox creates a delivery
row for the destination): hooks run in the same transaction, so an event and its
delivery commit or roll back together.
"""

import hashlib
from collections.abc import Callable, Iterable

from django.conf import settings
from django.core.files.uploadedfile import UploadedFile
from django.db import transaction
from django.utils import timezone

from core.db import insert_new
from core.errors import InvalidInput
from protocols.models import Attachment, Channel, Protocol, ProtocolEvent
from unimeds.actors import Actor, ActorKind

EventHook = Callable[[ProtocolEvent], None]
_HOOKS: list[EventHook] = []

# File signatures: the extension alone is what the user chose, the bytes are what it is.
_MAGIC = {
    "pdf": (b"%PDF-",),
    "png": (b"\x89PNG\r\n\x1a\n",),
    "jpg": (b"\xff\xd8\xff",),
    "jpeg": (b"\xff\xd8\xff",),
}
_CONTENT_TYPES = {
    "pdf": "application/pdf",
    "png": "image/png",
    "jpg": "image/jpeg",
    "jpeg": "image/jpeg",
}


def on_event(hook: EventHook) -> EventHook:
    """Register `hook(event)` to run for every new event (usable as a decorator)."""
    if hook not in _HOOKS:
        _HOOKS.append(hook)
    return hook


def remove_event_hook(hook: EventHook) -> None:
    if hook in _HOOKS:
        _HOOKS.remove(hook)


def channel_of(actor: Actor) -> str:
    if actor.kind == ActorKind.SERVICE:
        return Channel.UNIMED
    if actor.kind == ActorKind.PORTAL:
        return Channel.PORTAL
    if actor.kind == ActorKind.USER:
        return Channel.CONTINGENCIA
    return ""


def check_attachments(
    files: Iterable[UploadedFile] | None, *, field: str = "attachments"
) -> list[UploadedFile]:
    """Size, count and type limits (settings GPU_ATTACHMENT_*), checked on the bytes."""
    files = [f for f in (files or []) if f is not None]
    allowed = [t.lower() for t in settings.GPU_ATTACHMENT_TYPES]
    limit = settings.GPU_ATTACHMENT_MAX_BYTES
    errors = []
    if len(files) > settings.GPU_ATTACHMENT_MAX_FILES:
        errors.append(f"Envie no máximo {settings.GPU_ATTACHMENT_MAX_FILES} anexos.")
    for upload in files:
        name = upload.name or "arquivo"
        ext = name.rsplit(".", 1)[-1].lower() if "." in name else ""
        if ext not in allowed:
            errors.append(f"{name}: tipo não aceito (aceitos: {', '.join(allowed)}).")
            continue
        if upload.size > limit:
            errors.append(
                f"{name}: maior que o limite de {limit // (1024 * 1024) or limit} "
                f"{'MB' if limit >= 1024 * 1024 else 'bytes'}."
            )
            continue
        if upload.size == 0:
            errors.append(f"{name}: arquivo vazio.")
            continue
        upload.seek(0)
        head = upload.read(16)
        upload.seek(0)
        if ext in _MAGIC and not head.startswith(_MAGIC[ext]):
            errors.append(f"{name}: o conteúdo não é um arquivo {ext.upper()} válido.")
    if errors:
        raise InvalidInput(errors[0], fields={field: errors})
    return files


def attachment_fields(upload: UploadedFile) -> dict:
    """What an attachment row keeps of a checked upload (name, size, digest, type): shared
    by every app that stores files under these rules."""
    digest = hashlib.sha256()
    for chunk in upload.chunks():
        digest.update(chunk)
    upload.seek(0)
    ext = upload.name.rsplit(".", 1)[-1].lower()
    return {
        "original_name": upload.name[-200:],
        "size": upload.size,
        "sha256": digest.hexdigest(),
        "content_type": _CONTENT_TYPES.get(ext, "application/octet-stream"),
    }


def _store_attachment(event: ProtocolEvent, upload: UploadedFile) -> Attachment:
    attachment = Attachment(event=event, **attachment_fields(upload))
    # A later rollback leaves the stored file without a row: unreachable through the
    # app (downloads go through Attachment), so harmless; files are never overwritten.
    attachment.file.save(upload.name, upload, save=False)
    attachment.save()
    return attachment


def record_event(
    protocol: Protocol,
    *,
    kind: str,
    actor: Actor,
    from_status: str,
    public: bool,
    message: str = "",
    payload: dict | None = None,
    channel: str | None = None,
    attachments: Iterable[UploadedFile] = (),
    counted: bool = False,
) -> ProtocolEvent:
    """Append one event to `protocol` (already locked and saved by the caller).

    `to_status` is the protocol's status as saved. Attachments must have passed
    check_attachments. Registered hooks run afterwards, in the same transaction.
    `counted=True`: the caller already saved `protocol.event_count` including this event
    (a new protocol is inserted with 1), so no counter UPDATE is needed.
    """
    if not transaction.get_connection().in_atomic_block:
        raise RuntimeError("record_event must run inside the protocol's transaction")
    if not counted:
        protocol.event_count += 1
        Protocol.objects.filter(pk=protocol.pk).update(event_count=protocol.event_count)
    event = ProtocolEvent(
        protocol=protocol,
        seq=protocol.event_count,
        at=timezone.now(),
        kind=kind,
        from_status=from_status or "",
        to_status=protocol.status,
        public=public,
        message=message or "",
        payload=payload or {},
        channel=channel if channel is not None else channel_of(actor),
        actor_label=actor.label,
        actor_kind=actor.kind,
        actor_user=actor.user,
        actor_service_account=actor.service_account,
        actor_unimed=actor.unimed,
    )
    insert_new(event)
    for upload in attachments or ():
        _store_attachment(event, upload)
    for hook in list(_HOOKS):
        hook(event)
    return event


MESSAGE_MAX = 4000  # a message, answer, reason or note (the GPU wire's mensagem)


def message_text(value, *, required: str | None, min_length: int = 1) -> tuple[str, str | None]:
    """(the text as stored — NUL dropped, trimmed —, what is wrong with it or None).
    `required` is the message for a missing text (None: optional)."""
    text = str(value or "").replace("\x00", "").strip()
    if required and len(text) < min_length:
        return text, required
    if len(text) > MESSAGE_MAX:
        return text, f"Texto com no máximo {MESSAGE_MAX} caracteres (enviados {len(text)})."
    return text, None
