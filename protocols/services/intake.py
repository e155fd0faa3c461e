"""Opening a protocol: the single entry point for every channel."""

import re
from collections.abc import Iterable
from datetime import date

from django.core.files.uploadedfile import UploadedFile
from django.db import transaction
from django.utils import timezone

from core.db import insert_new
from core.errors import Conflict, InvalidInput
from core.identifiers import normalize_card, normalize_ibge, normalize_unimed_code
from protocols.deadlines import due_date_for
from protocols.models import (
    AnswerPreference,
    Category,
    Channel,
    EventKind,
    Kind,
    ManifestationType,
    Protocol,
    ProtocolParty,
)
from protocols.numbering import (
    NUMBER_RE,
    allocate_number,
    local_day,
    non_client_prefix,
    validate_external_number,
)
from protocols.requester import Requester, normalize_requester, optional_field
from protocols.routing import resolve_responsible
from protocols.selectors import (
    catalog_allowed_categories,
    catalog_category,
    catalog_fallback_category,
    catalog_fallback_type,
    catalog_type,
)
from protocols.timeline import check_attachments, message_text, record_event
from unimeds.actors import Actor, ActorKind
from unimeds.models import Level, Module, Unimed
from unimeds.selectors import unimed_by_code

_TRANSACTION_ID = re.compile(r"^[0-9A-Za-z]{1,10}$")
# Which actor may claim which channel: a portal visitor cannot pose as a Unimed's system.
_CHANNELS_BY_ACTOR = {
    "portal": {Channel.PORTAL, Channel.GUIA_MEDICO, Channel.WHATSAPP},
    # A Unimed's system relays whatever channel the contact came in by (TOTVS sends any).
    "service": set(Channel.values),
    "user": {Channel.CONTINGENCIA},
    "system": set(Channel.values),
    "scheduled": set(),
}


_TYPE_CODE = re.compile(r"^[A-Z0-9]$")


def _catalog(
    manifestation_type, category, errors: dict, *, lenient: bool
) -> tuple[ManifestationType | None, Category | None, bool]:
    """(type, category, unmapped). With `lenient` (a Unimed's system), a well-formed code
    outside the catalog, or a category the type does not list, opens the protocol under
    the fallback rows (their deadline is the default rule) and flags it for the
    supervisor instead of refusing the message."""
    unmapped = False
    if isinstance(manifestation_type, ManifestationType):
        mtype = manifestation_type if manifestation_type.is_active else None
        allowed = None if mtype is None else catalog_allowed_categories(mtype)
    else:
        wanted = str(manifestation_type or "").strip().upper()
        mtype, allowed = catalog_type(wanted) or (None, None)
        if mtype is None and lenient and _TYPE_CODE.match(wanted):
            mtype, unmapped = catalog_fallback_type(), True
    if mtype is None:
        errors["manifestation_type"] = ["Tipo de manifestação inexistente ou inativo."]
    if isinstance(category, Category):
        cat = category if category.is_active else None
    else:
        try:
            code = int(str(category).strip())
        except (TypeError, ValueError):
            code = None
        cat = catalog_category(code) if code is not None and code >= 1 else None
        if cat is None and lenient and code is not None and code >= 1:
            cat, unmapped = catalog_fallback_category(), True
    if cat is None:
        errors["category"] = ["Categoria de manifestação inexistente ou inativa."]
    elif mtype is not None and not unmapped and cat.pk not in allowed:
        if lenient:
            unmapped = True
        else:
            errors["category"] = [
                f"A categoria {cat.code} ({cat.name}) não se aplica a {mtype.name}."
            ]
    return mtype, cat, unmapped


def _received_codes(manifestation_type, category) -> tuple[str, int | None]:
    """The codes as the sender wrote them (kept on the protocol, delivered back as sent)."""
    raw_type = (
        ""
        if isinstance(manifestation_type, ManifestationType)
        else str(manifestation_type or "").strip()
    )
    if isinstance(category, Category):
        return raw_type[:1], category.code
    try:
        return raw_type[:1], int(str(category).strip())
    except (TypeError, ValueError):
        return raw_type[:1], None


def _answer_preference(value, requester: dict, errors: dict) -> int | None:
    try:
        pref = AnswerPreference(int(value))
    except (TypeError, ValueError):
        errors["answer_preference"] = [
            "Forma de resposta inválida: 1 (e-mail), 2 (telefone) ou 3 (WhatsApp/SMS)."
        ]
        return None
    if pref == AnswerPreference.EMAIL and not requester.get("email"):
        errors.setdefault(
            "requester.email", ["Informe o e-mail para receber a resposta por e-mail."]
        )
    if pref != AnswerPreference.EMAIL and not requester.get("phone"):
        errors.setdefault(
            "requester.phone", ["Informe o telefone com DDD para receber a resposta por telefone."]
        )
    return int(pref)


def _transaction_id(value, field: str, errors: dict) -> str:
    text = str(value or "").strip()
    if text and not _TRANSACTION_ID.match(text):
        errors[field] = ["Identificador de transação: até 10 letras ou dígitos."]
    return text


def _previous_number(value, errors: dict) -> str:
    text = str(value or "").strip()
    if text and not NUMBER_RE.match(text):
        errors["previous_number"] = ["Protocolo anterior deve ter 20 dígitos."]
    return text


@transaction.atomic
def protocol_open(
    *,
    actor: Actor,
    channel: str,
    kind: str,
    requester: Requester | dict,
    manifestation_type: str | ManifestationType,
    category: int | str | Category,
    answer_preference: int,
    message: str,
    card: str | None = None,
    municipality_code: str | None = None,
    serving_unimed_code: str | None = None,
    previous_number: str | None = None,
    external_number: str | None = None,
    sender_transaction_id: str | None = None,
    intercambio_transaction_id: str | None = None,
    subcategory: int | None = None,
    attachments: Iterable[UploadedFile] = (),
    destination: Unimed | None = None,
    regulatory_due: date | None = None,
) -> Protocol:
    """Validate, resolve the responsible Unimed, number, set the deadline and write the
    protocol with its first event, all in one transaction.

    Every problem is reported at once in InvalidInput.fields (keys are these
    parameter names, "requester.<field>" for the requester). Raises Conflict for an
    already registered external number or a repeated sender transaction id.

    `destination` + `regulatory_due`: a Unimed's own request for information to another
    Unimed about a regulator's demand (subsídios): the chosen Unimed answers instead of
    the routed one, by the internal deadline given, and the protocol is flagged
    regulatory (shown first in its inbox).
    """
    # A subsídio request (regulatory_due) is an act of the Regulatório module: whoever
    # works the demand asks, even without the Protocolos module.
    actor.require(
        Module.REGULATORIO if regulatory_due is not None else Module.PROTOCOLOS, Level.OPERAR
    )
    errors: dict[str, list[str]] = {}
    if channel not in Channel.values:
        errors["channel"] = [f"Canal inválido: use {', '.join(Channel.values)}."]
    elif channel not in _CHANNELS_BY_ACTOR.get(actor.kind, set()):
        errors["channel"] = [
            f"O canal {channel} não pode ser usado por quem está abrindo este protocolo."
        ]
    if kind not in Kind.values:
        errors["kind"] = ["Tipo de solicitante inválido: beneficiario ou nao_cliente."]
    person, person_errors = normalize_requester(requester)
    errors.update(person_errors)

    card = optional_field(card, normalize_card, "card", errors)
    municipality_code = optional_field(
        municipality_code or person.get("city_code"), normalize_ibge, "municipality_code", errors
    )
    if kind == Kind.BENEFICIARIO and not card and "card" not in errors:
        errors["card"] = ["Informe a carteirinha do beneficiário (17 dígitos)."]
    if kind == Kind.NAO_CLIENTE:
        if card:
            errors["card"] = [
                "Não cliente não tem carteirinha: escolha 'beneficiário' ou deixe em branco."
            ]
        if not municipality_code and "municipality_code" not in errors:
            errors["municipality_code"] = [
                "Informe o município (IBGE) para encaminhar à Unimed da região."
            ]

    lenient = actor.kind in (ActorKind.SERVICE, ActorKind.SYSTEM)
    mtype, cat, unmapped = _catalog(manifestation_type, category, errors, lenient=lenient)
    type_received, category_received = _received_codes(manifestation_type, category)
    preference = _answer_preference(answer_preference, person, errors)
    text, problem = message_text(message, required="Escreva a mensagem.")
    if problem:
        errors["message"] = [problem]

    serving = None
    serving_code = optional_field(
        serving_unimed_code, normalize_unimed_code, "serving_unimed_code", errors
    )
    if serving_code:
        serving = unimed_by_code(serving_code)
        if serving is None:
            errors["serving_unimed_code"] = [f"Unimed {serving_code} não encontrada na rede."]
    previous = _previous_number(previous_number, errors)
    sender_tx = _transaction_id(sender_transaction_id, "sender_transaction_id", errors)
    intercambio_tx = _transaction_id(
        intercambio_transaction_id, "intercambio_transaction_id", errors
    )
    if external_number and (actor.kind != ActorKind.SERVICE or actor.unimed is None):
        errors["external_number"] = [
            "Só o sistema integrado de uma Unimed registra protocolos com número próprio."
        ]
    try:
        files = check_attachments(attachments)
    except InvalidInput as exc:
        errors.update(exc.fields)
    if destination is not None and (actor.unimed is None or regulatory_due is None):
        errors["destination"] = [
            "Só uma Unimed escolhe a destinatária, num pedido de subsídios regulatórios com prazo."
        ]
    if errors:
        first = next(iter(errors.values()))[0]
        raise InvalidInput(first, fields=errors)

    if destination is not None:
        responsible = destination
        reason = f"Pedido de subsídios regulatórios da Unimed {actor.unimed.code}."
    else:
        responsible, reason = resolve_responsible(
            card=card or None, municipality_code=None if card else municipality_code
        )
    now = timezone.now()
    if external_number:
        number, opened_on = validate_external_number(external_number, sender=actor.unimed)
    else:
        opened_on = local_day(now)
        if kind == Kind.NAO_CLIENTE:
            prefix, start = non_client_prefix(responsible)
        else:
            prefix, start = responsible.ans_registry, responsible.hub_sequence_start
        number = allocate_number(prefix=prefix, day=opened_on, start=start)

    protocol = Protocol(
        number=number,
        externally_numbered=bool(external_number),
        kind=kind,
        channel=channel,
        origin_unimed=actor.unimed,
        responsible_unimed=responsible,
        responsible_reason=reason[:200],
        serving_unimed=serving,
        requester_name=person["name"],
        requester_cpf=person["cpf"],
        card=card,
        phone_ddd=person["phone_ddd"],
        phone=person["phone"],
        email=person["email"],
        uf=person["uf"],
        city_code=person["city_code"],
        manifestation_type=mtype,
        category=cat,
        answer_preference=preference,
        message=text,
        manifestation_code_received=type_received,
        category_code_received=category_received,
        subcategory_code=subcategory if isinstance(subcategory, int) and subcategory >= 0 else None,
        catalog_unmapped=unmapped,
        previous_number=previous,
        previous=Protocol.objects.filter(number=previous).first() if previous else None,
        sender_transaction_id=sender_tx,
        intercambio_transaction_id=intercambio_tx,
        opened_at=now,
        opened_on=opened_on,
        deadline_rule=cat.deadline_rule,
        deadline_days=cat.business_days,
        deadline_start=opened_on,
        due_date=regulatory_due or due_date_for(category=cat, start=opened_on, unimed=responsible),
        is_regulatory=regulatory_due is not None,
    )
    protocol.event_count = 1  # the opening event below (record_event counts from here)
    # ON CONFLICT DO NOTHING: a taken number or a repeated sender transaction writes
    # nothing, with no error to undo (so no savepoint); which one it was is looked up.
    while not insert_new(protocol, skip_conflicts=True):
        if (
            sender_tx
            and Protocol.objects.filter(
                origin_unimed=actor.unimed, sender_transaction_id=sender_tx
            ).exists()
        ):
            msg = f"A transação {sender_tx} da Unimed {actor.unimed.code} já abriu um protocolo."
            raise Conflict(msg, code="transacao_repetida", fields={"sender_transaction_id": [msg]})
        if external_number:
            msg = f"O protocolo {number} já está registrado no hub."
            raise Conflict(msg, code="protocolo_duplicado", fields={"external_number": [msg]})
        # An external number registered inside the hub's range (its start was lowered
        # later) holds this number: take the next one of the day.
        protocol.number = allocate_number(prefix=prefix, day=opened_on, start=start)

    parties = {responsible.pk: ProtocolParty.Role.RESPONSIBLE}
    if serving is not None:
        parties.setdefault(serving.pk, ProtocolParty.Role.SERVING)
    if actor.unimed is not None:
        parties.setdefault(actor.unimed.pk, ProtocolParty.Role.ORIGIN)
    insert_new(
        *[ProtocolParty(protocol=protocol, unimed_id=pk, role=role) for pk, role in parties.items()]
    )
    record_event(
        protocol,
        kind=EventKind.ABERTO,
        counted=True,
        actor=actor,
        from_status="",
        public=True,
        message=text,
        channel=channel,
        attachments=files,
        payload={
            "responsible_unimed": responsible.code,
            "responsible_reason": reason,
            "numbered_by": "unimed" if external_number else "hub",
            "category": cat.code,
            "category_received": category_received,
            "type_received": type_received,
            "catalog_unmapped": unmapped,
            "deadline_rule": cat.deadline_rule,
            "deadline_days": cat.business_days,
            "due_date": protocol.due_date.isoformat(),
        },
    )
    return protocol
