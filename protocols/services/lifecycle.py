"""Working a protocol: answer, forward, cancel, close, reopen, complement, notes,
reclassification and deadline recomputation.

Each use case locks the protocol row (two staff members or a staff member and an
integrated system may act at once), checks who may act and whether the status
allows it (TRANSITIONS), saves, and writes exactly one timeline event.
"""

from collections.abc import Iterable

from django.core.files.uploadedfile import UploadedFile
from django.db import transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext as _

from core.errors import Forbidden, InvalidInput, InvalidTransition, NotFound
from core.identifiers import normalize_unimed_code
from protocols.deadlines import due_date_for
from protocols.models import (
    ACTION_RULES,
    FINAL_STATUSES,
    OPEN_STATUSES,
    SYSTEM,
    TRANSITIONS,
    Category,
    EventKind,
    ManifestationType,
    Protocol,
    ProtocolEvent,
    ProtocolParty,
    Status,
)
from protocols.numbering import local_day
from protocols.selectors import actor_parties
from protocols.timeline import check_attachments, message_text, record_event
from unimeds.actors import Actor, ActorKind
from unimeds.models import Level, Module
from unimeds.selectors import unimed_by_code

ProtocolRef = Protocol | int | str


def _lock(protocol: ProtocolRef) -> Protocol:
    """The protocol row, locked until the transaction ends. Accepts the instance, its
    primary key or its 20-digit number."""
    queryset = Protocol.objects.select_for_update().select_related("responsible_unimed", "category")
    if isinstance(protocol, Protocol):
        lookup = {"pk": protocol.pk}
    elif isinstance(protocol, str) and len(protocol.strip()) == 20:
        lookup = {"number": protocol.strip()}
    else:
        try:
            lookup = {"pk": int(protocol)}
        except (TypeError, ValueError):
            raise NotFound(_("Protocolo não encontrado.")) from None
    try:
        return queryset.get(**lookup)
    except Protocol.DoesNotExist:
        raise NotFound(_("Protocolo não encontrado.")) from None


def _require(protocol: Protocol, actor: Actor, allowed: frozenset[str], refusal: str) -> set[str]:
    roles = actor_parties(protocol, actor)
    if not roles:
        # A Unimed outside the protocol must not learn that it exists.
        raise NotFound(_("Protocolo não encontrado."))
    if SYSTEM in roles:
        return roles
    if not roles & allowed:
        raise Forbidden(refusal)
    actor.require(Module.PROTOCOLOS, Level.OPERAR)
    return roles


def _text(value: str | None, *, field: str, required: str | None, min_length: int = 1) -> str:
    text, problem = message_text(value, required=required, min_length=min_length)
    if problem:
        raise InvalidInput(problem, fields={field: [problem]})
    return text


def _check_transition(protocol: Protocol, to_status: str, action: str) -> None:
    if to_status not in TRANSITIONS[protocol.status]:
        raise InvalidTransition(
            _("O protocolo %(number)s está %(situacao)s: não é possível %(action)s.")
            % {
                "number": protocol.number,
                "situacao": Status(protocol.status).label.lower(),
                "action": action,
            },
            fields={"status": [Status(protocol.status).label]},
        )


def _transition(
    protocol: Protocol,
    *,
    to_status: str,
    action: str,
    actor: Actor,
    kind: str,
    public: bool,
    message: str = "",
    payload: dict | None = None,
    channel: str | None = None,
    attachments: Iterable[UploadedFile] = (),
    **changes,
) -> ProtocolEvent:
    """The only place that assigns Protocol.status after opening."""
    _check_transition(protocol, to_status, action)
    from_status = protocol.status
    for name, value in changes.items():
        setattr(protocol, name, value)
    protocol.status = to_status
    protocol.save()
    return record_event(
        protocol,
        kind=kind,
        actor=actor,
        from_status=from_status,
        public=public,
        message=message,
        payload=payload,
        channel=channel,
        attachments=attachments,
    )


def _system_id(actor: Actor) -> int:
    """id_sistema on the wire: 1 the Unimed's own system, 2 the hub (panel/portal)."""
    return 1 if actor.kind == ActorKind.SERVICE else 2


@transaction.atomic
def protocol_answer(
    *,
    actor: Actor,
    protocol: ProtocolRef,
    message: str,
    conclusive: bool = True,
    attachments: Iterable[UploadedFile] = (),
    channel: str | None = None,
) -> ProtocolEvent:
    """The responsible Unimed answers the requester (public). A conclusive answer stops
    the deadline clock (answered_at); a partial one ("em análise") never does."""
    files = check_attachments(attachments)
    text = _text(message, field="message", required="Escreva a resposta.")
    locked = _lock(protocol)
    _require(
        locked,
        actor,
        ACTION_RULES["answer"][0],
        "Somente a Unimed responsável responde este protocolo.",
    )
    now = timezone.now()
    if not conclusive:
        return _transition(
            locked,
            to_status=Status.EM_ANALISE,
            action="registrar resposta parcial",
            actor=actor,
            kind=EventKind.RESPOSTA_PARCIAL,
            public=True,
            message=text,
            channel=channel,
            attachments=files,
            payload={"id_sistema": _system_id(actor), "conclusive": False},
        )
    on_time = timezone.localdate(now) <= locked.due_date
    return _transition(
        locked,
        to_status=Status.RESPONDIDO,
        action="responder",
        actor=actor,
        kind=EventKind.RESPOSTA,
        public=True,
        message=text,
        channel=channel,
        attachments=files,
        payload={
            "id_sistema": _system_id(actor),
            "conclusive": True,
            "on_time": on_time,
            "due_date": locked.due_date.isoformat(),
        },
        answered_at=now,
    )


@transaction.atomic
def protocol_note(
    *, actor: Actor, protocol: ProtocolRef, message: str, attachments: Iterable[UploadedFile] = ()
) -> ProtocolEvent:
    """An internal note: seen only by the Unimed that wrote it; status unchanged."""
    files = check_attachments(attachments)
    text = _text(message, field="message", required="Escreva a nota.")
    locked = _lock(protocol)
    _require(locked, actor, ACTION_RULES["note"][0], "Somente Unimeds envolvidas registram notas.")
    if actor.unimed is None and not actor.sees_all_unimeds:
        raise Forbidden(_("Notas internas são registradas por uma Unimed."))
    return record_event(
        locked,
        kind=EventKind.NOTA_INTERNA,
        actor=actor,
        from_status=locked.status,
        public=False,
        message=text,
        attachments=files,
    )


@transaction.atomic
def protocol_forward(
    *,
    actor: Actor,
    protocol: ProtocolRef,
    to_unimed_code: str,
    reason: str,
    channel: str | None = None,
) -> ProtocolEvent:
    """Hand the protocol to another Unimed, which becomes responsible. The former
    responsible keeps read access; the requester's deadline does not restart."""
    text = _text(
        reason, field="reason", required="Informe o motivo do encaminhamento.", min_length=5
    )
    try:
        code = normalize_unimed_code(to_unimed_code)
    except Exception as exc:  # noqa: BLE001 - ValidationError carries the pt-BR message
        message = getattr(exc, "messages", [str(exc)])[0]
        raise InvalidInput(message, fields={"to_unimed_code": [message]}) from None
    target = unimed_by_code(code)
    if target is None:
        raise InvalidInput(
            _("Unimed %(code)s não encontrada na rede.") % {"code": code},
            fields={"to_unimed_code": ["Unimed não encontrada."]},
        )
    locked = _lock(protocol)
    _require(
        locked,
        actor,
        ACTION_RULES["forward"][0],
        "Somente a Unimed responsável encaminha este protocolo.",
    )
    previous = locked.responsible_unimed
    if target.pk == previous.pk:
        raise InvalidInput(
            _("O protocolo já está com esta Unimed."),
            fields={"to_unimed_code": ["Escolha outra Unimed."]},
        )
    _check_transition(locked, Status.ENCAMINHADO, "encaminhar")
    ProtocolParty.objects.get_or_create(
        protocol=locked, unimed=target, defaults={"role": ProtocolParty.Role.RESPONSIBLE}
    )
    ProtocolParty.objects.filter(protocol=locked, unimed=previous).update(
        role=ProtocolParty.Role.FORWARDED_FROM
    )
    return _transition(
        locked,
        to_status=Status.ENCAMINHADO,
        action="encaminhar",
        actor=actor,
        kind=EventKind.ENCAMINHADO,
        public=True,
        message=text,
        channel=channel,
        payload={
            "from_unimed": previous.code,
            "to_unimed": target.code,
            "due_date": locked.due_date.isoformat(),
        },
        responsible_unimed=target,
        owner=None,  # the new Unimed's people take it (or its distribution rule)
        responsible_reason=f"Encaminhado pela Unimed {previous.code}: {text}"[:200],
    )


@transaction.atomic
def protocol_cancel(
    *, actor: Actor, protocol: ProtocolRef, reason: str, channel: str | None = None
) -> ProtocolEvent:
    """Cancel with a stated reason (a refusal must say why). Final."""
    text = _text(reason, field="reason", required="Informe o motivo do cancelamento.", min_length=5)
    locked = _lock(protocol)
    _require(
        locked,
        actor,
        ACTION_RULES["cancel"][0],
        "Somente a Unimed de origem ou a responsável cancela.",
    )
    return _transition(
        locked,
        to_status=Status.CANCELADO,
        action="cancelar",
        actor=actor,
        kind=EventKind.CANCELADO,
        public=True,
        message=text,
        channel=channel,
        payload={"reason": text},
        cancelled_at=timezone.now(),
        cancel_reason=text,
    )


@transaction.atomic
def protocol_close(
    *, actor: Actor, protocol: ProtocolRef, message: str = "", channel: str | None = None
) -> ProtocolEvent:
    """Close an answered protocol (the requester or a Unimed involved is satisfied)."""
    text = _text(message, field="message", required=None)
    locked = _lock(protocol)
    _require(
        locked,
        actor,
        ACTION_RULES["close"][0],
        "Somente a Unimed de origem ou a responsável encerra.",
    )
    return _transition(
        locked,
        to_status=Status.ENCERRADO,
        action="encerrar",
        actor=actor,
        kind=EventKind.ENCERRADO,
        public=True,
        message=text,
        channel=channel,
        closed_at=timezone.now(),
    )


@transaction.atomic
def protocol_reopen(
    *, actor: Actor, protocol: ProtocolRef, reason: str, channel: str | None = None
) -> ProtocolEvent:
    """Reanalysis: same number, the conclusive answer no longer counts and a new
    deadline runs from today under the category's rule (recorded in the event)."""
    text = _text(reason, field="reason", required="Informe o motivo da reanálise.", min_length=5)
    locked = _lock(protocol)
    _require(
        locked,
        actor,
        ACTION_RULES["reopen"][0],
        "Somente a Unimed de origem ou a responsável reabre.",
    )
    _check_transition(locked, Status.REABERTO, "reabrir")
    today = local_day()
    due = due_date_for(category=locked.category, start=today, unimed=locked.responsible_unimed)
    payload = {
        "previous_due_date": locked.due_date.isoformat(),
        "due_date": due.isoformat(),
        "previous_answered_at": locked.answered_at.isoformat() if locked.answered_at else None,
        "reopen_count": locked.reopen_count + 1,
    }
    return _transition(
        locked,
        to_status=Status.REABERTO,
        action="reabrir",
        actor=actor,
        kind=EventKind.REABERTO,
        public=True,
        message=text,
        channel=channel,
        payload=payload,
        answered_at=None,
        closed_at=None,
        reopen_count=locked.reopen_count + 1,
        deadline_start=today,
        due_date=due,
        deadline_rule=locked.category.deadline_rule,
        deadline_days=locked.category.business_days,
    )


@transaction.atomic
def protocol_complement(
    *,
    actor: Actor,
    protocol: ProtocolRef,
    message: str,
    attachments: Iterable[UploadedFile] = (),
    channel: str | None = None,
) -> ProtocolEvent:
    """More information from the requester's side (origin, serving Unimed or portal)."""
    files = check_attachments(attachments)
    text = _text(message, field="message", required="Escreva o complemento.")
    locked = _lock(protocol)
    _require(
        locked,
        actor,
        ACTION_RULES["complement"][0],
        "Somente a origem ou a Unimed de atendimento complementa.",
    )
    if locked.status in FINAL_STATUSES or locked.status == Status.RESPONDIDO:
        raise InvalidTransition(
            _(
                "O protocolo %(number)s está %(situacao)s: para acrescentar informações, peça a reanálise (reabrir)."
            )
            % {"number": locked.number, "situacao": Status(locked.status).label.lower()},
            fields={"status": [Status(locked.status).label]},
        )
    return record_event(
        locked,
        kind=EventKind.COMPLEMENTO,
        actor=actor,
        from_status=locked.status,
        public=True,
        message=text,
        channel=channel,
        attachments=files,
    )


def _redo_deadline(locked: Protocol, category: Category) -> dict:
    due = due_date_for(
        category=category, start=locked.deadline_start, unimed=locked.responsible_unimed
    )
    return {
        "deadline_rule": category.deadline_rule,
        "deadline_days": category.business_days,
        "due_date": due,
    }


@transaction.atomic
def protocol_recompute_deadline(
    *, actor: Actor, protocol: ProtocolRef, reason: str
) -> ProtocolEvent | None:
    """Apply the current category rule and calendar to an open protocol. Returns the
    event, or None when the due date would not change (nothing is written)."""
    text = _text(reason, field="reason", required="Informe o motivo do recálculo.", min_length=5)
    locked = _lock(protocol)
    _require(
        locked,
        actor,
        ACTION_RULES["recompute_deadline"][0],
        "Somente a Unimed responsável recalcula o prazo.",
    )
    if locked.status not in OPEN_STATUSES:
        raise InvalidTransition(_("Só protocolos em aberto têm o prazo recalculado."))
    changes = _redo_deadline(locked, locked.category)
    if changes["due_date"] == locked.due_date and changes["deadline_days"] == locked.deadline_days:
        return None
    payload = {
        "previous_due_date": locked.due_date.isoformat(),
        "due_date": changes["due_date"].isoformat(),
        "previous_deadline_days": locked.deadline_days,
        "deadline_days": changes["deadline_days"],
    }
    for name, value in changes.items():
        setattr(locked, name, value)
    locked.save()
    return record_event(
        locked,
        kind=EventKind.PRAZO_RECALCULADO,
        actor=actor,
        from_status=locked.status,
        public=False,
        message=text,
        payload=payload,
    )


@transaction.atomic
def protocol_reclassify(
    *, actor: Actor, protocol: ProtocolRef, manifestation_type: str, category: int, reason: str
) -> ProtocolEvent:
    """Correct the type/category; the due date follows the new rule (from the same start)."""
    text = _text(
        reason, field="reason", required="Informe o motivo da reclassificação.", min_length=5
    )
    # The same codes intake accepts: the hub's letter or the GPU wire digit.
    wanted = str(manifestation_type or "").strip().upper()
    mtype = (
        ManifestationType.objects.filter(
            Q(code=wanted) | Q(wire_code=wanted), is_active=True, is_fallback=False
        ).first()
        if wanted
        else None
    )
    cat = (
        Category.objects.filter(
            code=int(str(category).strip()), is_active=True, is_fallback=False
        ).first()
        if str(category).strip().isdigit()
        else None
    )
    if mtype is None or cat is None or not mtype.categories.filter(pk=cat.pk).exists():
        message = "Tipo e categoria inexistentes, inativos ou incompatíveis."
        raise InvalidInput(message, fields={"category": [message]})
    locked = _lock(protocol)
    _require(
        locked, actor, ACTION_RULES["reclassify"][0], "Somente a Unimed responsável reclassifica."
    )
    if locked.status not in OPEN_STATUSES:
        raise InvalidTransition(_("Só protocolos em aberto podem ser reclassificados."))
    changes = _redo_deadline(locked, cat)
    payload = {
        "previous": {
            "manifestation_type": locked.manifestation_type.code,
            "category": locked.category.code,
            "due_date": locked.due_date.isoformat(),
        },
        "manifestation_type": mtype.code,
        "category": cat.code,
        "due_date": changes["due_date"].isoformat(),
    }
    locked.manifestation_type, locked.category = mtype, cat
    payload["previous"]["catalog_unmapped"] = locked.catalog_unmapped
    locked.catalog_unmapped = False  # a person chose catalog codes: the flag is resolved
    for name, value in changes.items():
        setattr(locked, name, value)
    locked.save()
    return record_event(
        locked,
        kind=EventKind.RECLASSIFICADO,
        actor=actor,
        from_status=locked.status,
        public=False,
        message=text,
        payload=payload,
    )
