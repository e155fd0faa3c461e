"""Portal submissions. Each one is a protocol opened through protocols.services
(which validates, routes, numbers and sets the deadline); the plan request also
registers a lead through leads.services. The confirmation e-mail leaves after commit."""

from django.core.exceptions import ValidationError
from django.db import transaction

from core.errors import InvalidInput
from core.identifiers import normalize_document
from core.services import audit_record
from leads.models import Lead, LeadSource, PlanType
from leads.services import nonclient_request_open
from protocols.models import Channel, Kind, Protocol
from protocols.selectors import protocol_public_lookup
from protocols.services import protocol_open
from unimeds.actors import Actor
from unimeds.selectors import municipality_get

GUIA_MEDICO_TYPE, GUIA_MEDICO_CATEGORY = "M", 7
PLAN_TYPE, PLAN_CATEGORY = "P", 8
WRONG_LABELS = {
    "endereco": "endereço",
    "telefone": "telefone",
    "especialidade": "especialidade",
    "outro": "outra informação",
}


def _send_confirmation_on_commit(protocol: Protocol) -> None:
    """Queue the confirmation in the protocol's transaction: the outbox row (core.mail)
    commits with the protocol and leaves once, whatever the broker or SMTP do."""
    if protocol.email:
        from portal.notifications import confirmation_email_send

        confirmation_email_send(protocol_id=protocol.pk)


def _requester(
    *, name: str, cpf: str = "", email: str = "", phone: str = "", city_code: str = ""
) -> dict:
    # One phone field on the portal: the requester normaliser splits DDD and number.
    return {"name": name, "cpf": cpf, "email": email, "phone": phone, "city_code": city_code}


@transaction.atomic
def portal_contact_open(
    *,
    actor: Actor,
    kind: str,
    name: str,
    email: str,
    phone: str,
    manifestation_type: str,
    category: int,
    answer_preference: int,
    message: str,
    cpf: str = "",
    card: str = "",
    municipality_code: str = "",
) -> Protocol:
    """ "Fale com a Unimed": a beneficiary (card + CPF) or a non-client (municipality).
    Raises InvalidInput from protocol_open; e-mails the confirmation after commit."""
    protocol = protocol_open(
        actor=actor,
        channel=Channel.PORTAL,
        kind=kind,
        requester=_requester(
            name=name,
            cpf=cpf,
            email=email,
            phone=phone,
            city_code=municipality_code if kind == Kind.NAO_CLIENTE else "",
        ),
        card=card if kind == Kind.BENEFICIARIO else None,
        municipality_code=municipality_code if kind == Kind.NAO_CLIENTE else None,
        manifestation_type=manifestation_type,
        category=category,
        answer_preference=answer_preference,
        message=message,
    )
    _send_confirmation_on_commit(protocol)
    return protocol


def guia_medico_message(
    *,
    provider_name: str,
    provider_code: str,
    wrong_items: list[str],
    wrong_info: str,
    right_info: str,
    municipality_code: str,
) -> str:
    city = municipality_get(municipality_code)
    place = f"{city.name}/{city.uf}" if city else municipality_code
    lines = [
        "Erro no Guia Médico",
        f"Prestador: {provider_name.strip()}",
        f"Código ou CRM: {provider_code.strip() or 'não informado'}",
        f"Município do prestador: {place}",
        f"O que está errado: {', '.join(WRONG_LABELS.get(i, i) for i in wrong_items)}",
        f"Como está no Guia: {wrong_info.strip()}",
        f"Informação correta: {right_info.strip()}",
    ]
    return "\n".join(lines)


@transaction.atomic
def portal_guia_medico_report(
    *,
    actor: Actor,
    provider_name: str,
    provider_code: str,
    wrong_items: list[str],
    wrong_info: str,
    right_info: str,
    municipality_code: str,
    name: str,
    email: str,
    phone: str,
    answer_preference: int,
) -> Protocol:
    """A wrong entry in the provider directory: a GUIA_MEDICO protocol routed to the
    Unimed whose area holds the provider's municipality (not the reporter's)."""
    message = guia_medico_message(
        provider_name=provider_name,
        provider_code=provider_code,
        wrong_items=wrong_items,
        wrong_info=wrong_info,
        right_info=right_info,
        municipality_code=municipality_code,
    )
    protocol = protocol_open(
        actor=actor,
        channel=Channel.GUIA_MEDICO,
        kind=Kind.NAO_CLIENTE,
        requester=_requester(name=name, email=email, phone=phone),
        municipality_code=municipality_code,
        manifestation_type=GUIA_MEDICO_TYPE,
        category=GUIA_MEDICO_CATEGORY,
        answer_preference=answer_preference,
        message=message,
    )
    _send_confirmation_on_commit(protocol)
    return protocol


def plan_message(
    *,
    document_kind: str,
    company_name: str,
    lives: int,
    current_plan: str,
    plan_type: str,
    message: str,
) -> str:
    lines = [
        "Quero um plano",
        f"Para: {'empresa ' + company_name if document_kind == 'cnpj' else 'pessoa física'}",
        f"Vidas: {lives}",
        f"Plano atual: {current_plan or 'nenhum informado'}",
    ]
    if plan_type:
        # The label, not the stored code ("individual" reads "Individual/familiar").
        label = PlanType(plan_type).label if plan_type in PlanType.values else plan_type
        lines.append(f"Tipo de plano desejado: {label}")
    if message.strip():
        lines.append(f"Observações: {message.strip()}")
    return "\n".join(lines)


@transaction.atomic
def portal_plan_request(
    *,
    actor: Actor,
    document: str,
    name: str,
    email: str,
    phone: str,
    municipality_code: str,
    lives: int,
    company_name: str = "",
    current_plan: str = "",
    plan_type: str = "",
    message: str = "",
) -> tuple[Protocol, Lead]:
    """ "Quero um plano": a protocol (type P) for the municipality's Unimed and a lead
    for the same Unimed linked to it, in one transaction (either both or neither)."""
    try:
        document_kind, digits = normalize_document(document)
    except ValidationError as exc:
        raise InvalidInput(exc.messages[0], fields={"document": exc.messages}) from None
    protocol, lead = nonclient_request_open(
        actor=actor,
        source=LeadSource.PORTAL,
        channel=Channel.PORTAL,
        requester=_requester(
            name=name,
            cpf=digits if document_kind == "cpf" else "",
            email=email,
            phone=phone,
            city_code=municipality_code,
        ),
        municipality_code=municipality_code,
        manifestation_type=PLAN_TYPE,
        category=PLAN_CATEGORY,
        answer_preference=1 if email else 2,
        message=plan_message(
            document_kind=document_kind,
            company_name=company_name,
            lives=lives,
            current_plan=current_plan,
            plan_type=plan_type,
            message=message,
        ),
        demand={
            "document": digits,
            "name": name,
            "email": email,
            "phone": phone,
            "lives": lives,
            "plan_type": plan_type,
            "current_plan": current_plan,
            "company_name": company_name,
            "message": message,
        },
    )
    _send_confirmation_on_commit(protocol)
    return protocol, lead


@transaction.atomic
def portal_protocol_lookup(*, actor: Actor, number: str, secret: str) -> Protocol:
    """The requester's status query (number + CPF, card or e-mail given at opening).
    A successful one is audited with the address (LGPD: who saw the data, when); a
    failed one raises the same NotFound whatever did not match."""
    protocol = protocol_public_lookup(number=number, document=secret)
    audit_record(
        actor=actor,
        action="portal.protocolo_consultado",
        target_type="Protocol",
        target_id=protocol.pk,
        data={"numero": protocol.number, "por": "email" if "@" in secret else "documento"},
    )
    return protocol
