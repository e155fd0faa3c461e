"""Lead intake: one entry point for the portal, sellers' prospecting and integrated Unimeds."""

from datetime import datetime
from typing import TYPE_CHECKING

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.db import IntegrityError, transaction
from django.utils import timezone

from core.business_days import add_business_days
from core.errors import InvalidInput
from core.identifiers import normalize_ibge, only_digits
from core.services import audit_record
from leads.models import (
    AGE_BANDS,
    CLOSED_STATUSES,
    ActiveContract,
    Lead,
    LeadEventKind,
    LeadSource,
    LeadTeam,
    MarketReservation,
    PlanType,
    ReservationStatus,
)
from leads.services.assignment import assign_new_lead, notify_owner_on_commit
from leads.services.common import clean_document, local_date, record_event
from unimeds.actors import Actor, ActorKind
from unimeds.models import Level, Module, Municipality, Unimed
from unimeds.selectors import unimed_for_municipality

if TYPE_CHECKING:
    from protocols.models import Protocol

MAX_LIVES = 100_000


def first_contact_due(unimed: Unimed, when: datetime):
    return add_business_days(
        timezone.localtime(when).date(),
        settings.GPU_LEAD_FIRST_CONTACT_DAYS,
        uf=unimed.uf,
        optional_off=unimed.optional_off,
    )


def _clean_age_bands(value, errors: dict) -> list[dict]:
    """Accepts ["0-18", …] or [{"faixa": "0-18", "vidas": 2}, …]; stores the second form."""
    if value in (None, ""):
        return []
    if not isinstance(value, list | tuple):
        errors["age_bands"] = ["Faixas etárias devem ser uma lista."]
        return []
    bands: list[dict] = []
    for item in value:
        band, lives = (
            (item.get("faixa"), item.get("vidas")) if isinstance(item, dict) else (item, None)
        )
        band = str(band or "").strip().replace(" ", "")
        if band not in AGE_BANDS:
            errors["age_bands"] = [
                f"Faixa etária inválida: {band or 'vazia'}. Use {', '.join(AGE_BANDS)}."
            ]
            return []
        if lives is not None and (
            not isinstance(lives, int) or isinstance(lives, bool) or lives < 1
        ):
            errors["age_bands"] = [f"Quantidade de vidas inválida na faixa {band}."]
            return []
        bands.append({"faixa": band, "vidas": lives})
    return bands


def _clean(
    *,
    source,
    document,
    name,
    email,
    phone,
    municipality_code,
    lives,
    age_bands,
    plan_type,
    current_plan,
    company_name,
) -> dict:
    errors: dict[str, list[str]] = {}
    data: dict = {}
    if source not in LeadSource.values:
        errors["source"] = ["Origem do lead desconhecida."]
    try:
        data["document_kind"], data["document"] = clean_document(document)
    except InvalidInput as exc:
        errors.update(exc.fields)
    data["name"] = " ".join(str(name or "").split())[:120]
    if not data["name"]:
        errors["name"] = ["Informe o nome do contato."]
    data["email"] = str(email or "").strip().lower()
    if data["email"]:
        try:
            validate_email(data["email"])
        except ValidationError:
            errors["email"] = ["E-mail inválido."]
    data["phone"] = only_digits(phone)
    if data["phone"] and not 10 <= len(data["phone"]) <= 11:
        errors["phone"] = ["Telefone deve ter DDD + número (10 ou 11 dígitos)."]
    if not data["email"] and not data["phone"] and "email" not in errors and "phone" not in errors:
        errors["email"] = ["Informe um e-mail ou telefone para contato."]
    try:
        code = normalize_ibge(municipality_code)
        data["municipality"] = Municipality.objects.get(code=code)
        data["unimed"] = unimed_for_municipality(code)
        if data["unimed"] is None:
            errors["municipality_code"] = ["Nenhuma Unimed ativa atende este município."]
    except ValidationError as exc:
        errors["municipality_code"] = list(exc.messages)
    except Municipality.DoesNotExist:
        errors["municipality_code"] = ["Município IBGE desconhecido."]
    if lives in ("", None):
        data["lives"] = None
    else:
        try:
            data["lives"] = int(lives)
        except (TypeError, ValueError):
            data["lives"] = -1
        if not 1 <= data["lives"] <= MAX_LIVES:
            errors["lives"] = [f"Número de vidas deve ser de 1 a {MAX_LIVES}."]
    data["age_bands"] = _clean_age_bands(age_bands, errors)
    counted = [b["vidas"] for b in data["age_bands"]]
    if data.get("lives") and counted and None not in counted and sum(counted) != data["lives"]:
        errors["age_bands"] = [
            f"A soma das vidas nas faixas ({sum(counted)}) difere do total ({data['lives']})."
        ]
    data["plan_type"] = str(plan_type or "").strip().lower()
    if data["plan_type"] and data["plan_type"] not in PlanType.values:
        errors["plan_type"] = ["Tipo de plano inválido: use individual, empresarial ou adesao."]
    data["current_plan"] = str(current_plan or "").strip()[:120]
    data["company_name"] = " ".join(str(company_name or "").split())[:150]
    if data.get("document_kind") == "cnpj" and not data["company_name"]:
        errors["company_name"] = ["Informe a razão social da empresa."]
    if errors:
        raise InvalidInput(next(iter(errors.values()))[0], fields=errors)
    return data


def _demand_snapshot(data: dict, source: str, message: str, protocol) -> dict:
    snap = {
        "origem": source,
        "vidas": data["lives"],
        "faixas": data["age_bands"],
        "tipo_plano": data["plan_type"],
        "plano_atual": data["current_plan"],
        "mensagem": message[:4000],
    }
    if protocol is not None:
        snap["protocolo"] = protocol.number
    return snap


def _add_demand(lead: Lead, actor: Actor, data: dict, source: str, message: str, protocol) -> Lead:
    """A repeated demand enriches the open lead (fills what it lacked) and joins its timeline."""
    filled = []
    for field in (
        "email",
        "phone",
        "lives",
        "age_bands",
        "plan_type",
        "current_plan",
        "company_name",
    ):
        if data[field] and not getattr(lead, field):
            setattr(lead, field, data[field])
            filled.append(field)
    if protocol is not None and lead.protocol_id is None:
        lead.protocol = protocol
        filled.append("protocol")
    if filled:
        lead.save(update_fields=[*filled, "updated_at"])
    snap = _demand_snapshot(data, source, message, protocol)
    record_event(
        lead,
        actor,
        LeadEventKind.NOVA_DEMANDA,
        note=f"Nova demanda ({LeadSource(source).label}) para o mesmo documento.",
        data={**snap, "contato": data["name"], "preenchidos": filled},
    )
    audit_record(
        actor=actor,
        action="lead.nova_demanda",
        target_type="Lead",
        target_id=lead.pk,
        data={"origem": source, "preenchidos": filled},
    )
    return lead


def _open_lead(unimed: Unimed, document: str) -> Lead | None:
    return (
        Lead.objects.select_for_update()
        .filter(unimed=unimed, document=document)
        .exclude(status__in=CLOSED_STATUSES)
        .first()
    )


def _route(lead: Lead, actor: Actor, source: str) -> None:
    """Clients go to the relationship team; prospects to a seller (the prospecting one,
    the reservation holder, or the Unimed's distribution rule)."""
    contract = (
        ActiveContract.objects.select_related("unimed")
        .filter(document=lead.document, active=True)
        .order_by("since", "pk")
        .first()
    )
    if contract is not None:
        lead.is_existing_client, lead.team = True, LeadTeam.RELACIONAMENTO
        lead.save(update_fields=["is_existing_client", "team", "updated_at"])
        same = contract.unimed_id == lead.unimed_id
        record_event(
            lead,
            actor,
            LeadEventKind.JA_E_CLIENTE,
            note=(
                f"Documento com contrato ativo na Unimed {contract.unimed.code}"
                f"{' (contrato ' + contract.contract_number + ')' if same else ''}: "
                "encaminhado ao relacionamento, não à equipe de vendas."
            ),
            data={"cd_unimed_contrato": contract.unimed.code},
        )
        return
    held = (
        MarketReservation.objects.select_related("unimed", "seller")
        .filter(
            document=lead.document, status=ReservationStatus.ACTIVE, expires_at__gt=timezone.now()
        )
        .first()
    )
    if held is not None and held.unimed_id != lead.unimed_id:
        record_event(
            lead,
            actor,
            LeadEventKind.RESERVA,
            note=(
                f"Documento com reserva de mercado da Unimed {held.unimed.code} até "
                f"{local_date(held.expires_at)}: distribuição suspensa até a decisão do supervisor."
            ),
            data={"cd_unimed_reserva": held.unimed.code},
        )
        return
    if held is not None and held.seller.is_active:
        lead.owner = held.seller
        lead.save(update_fields=["owner", "updated_at"])
        held.lead = held.lead or lead
        held.save(update_fields=["lead"])
        record_event(
            lead,
            actor,
            LeadEventKind.ATRIBUIDO,
            note=f"Atribuído a {held.seller.get_username()}, que tem a reserva de mercado.",
            data={"vendedor": held.seller.get_username(), "regra": "reserva"},
        )
        notify_owner_on_commit(lead)
        return
    if (
        source == LeadSource.VENDEDOR
        and actor.user is not None
        and actor.unimed_id == lead.unimed_id
        and actor.may(Module.LEADS, Level.OPERAR)
    ):
        lead.owner = actor.user
        lead.save(update_fields=["owner", "updated_at"])
        record_event(
            lead,
            actor,
            LeadEventKind.ATRIBUIDO,
            note="Lead de prospecção: fica com quem o cadastrou.",
            data={"vendedor": actor.user.get_username(), "regra": "prospeccao"},
        )
        return
    assign_new_lead(lead=lead, actor=actor)


@transaction.atomic
def lead_intake(
    *,
    actor: Actor,
    source: str,
    document: str,
    name: str,
    email: str,
    phone: str,
    municipality_code: str,
    lives: int | None = None,
    age_bands: list | None = None,
    plan_type: str = "",
    current_plan: str = "",
    company_name: str = "",
    protocol: "Protocol | None" = None,
    message: str = "",
) -> tuple[Lead, bool]:
    """Register a plan-purchase demand. Returns (lead, created).

    Validates everything first (InvalidInput with per-field messages). One open lead per
    document per Unimed: a repeat demand adds a 'nova_demanda' event to it (created=False).
    A document with an active contract is flagged "já é cliente" and routed to the
    relationship team without a seller; otherwise a seller is chosen.
    """
    actor.require(Module.LEADS, Level.OPERAR)
    data = _clean(
        source=source,
        document=document,
        name=name,
        email=email,
        phone=phone,
        municipality_code=municipality_code,
        lives=lives,
        age_bands=age_bands,
        plan_type=plan_type,
        current_plan=current_plan,
        company_name=company_name,
    )
    message = str(message or "").strip()
    existing = _open_lead(data["unimed"], data["document"])
    if existing is not None:
        return _add_demand(existing, actor, data, source, message, protocol), False
    now = timezone.now()
    try:
        # A savepoint: if a simultaneous demand opened the lead first, the unique
        # constraint refuses this one and we attach to the winner instead.
        with transaction.atomic():
            lead = Lead.objects.create(
                **data,
                source=source,
                created_at=now,
                first_contact_due=first_contact_due(data["unimed"], now),
                origin_unimed=actor.unimed if actor.kind == ActorKind.SERVICE else None,
                protocol=protocol,
            )
    except IntegrityError:
        existing = _open_lead(data["unimed"], data["document"])
        if existing is None:
            raise
        return _add_demand(existing, actor, data, source, message, protocol), False
    snap = _demand_snapshot(data, source, message, protocol)
    record_event(
        lead,
        actor,
        LeadEventKind.CRIADO,
        note=f"Demanda recebida ({LeadSource(source).label}).",
        data=snap,
    )
    audit_record(
        actor=actor,
        action="lead.criado",
        target_type="Lead",
        target_id=lead.pk,
        data={"origem": source, "unimed": lead.unimed.code, "tipo_documento": lead.document_kind},
    )
    _route(lead, actor, source)
    return lead, True
