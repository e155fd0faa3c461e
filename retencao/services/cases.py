"""Retention cases: opening (by a feed or by hand), the timeline, working the case."""

from decimal import Decimal

from django.db import IntegrityError, transaction
from django.db.models import Count
from django.utils import timezone
from django.utils.translation import gettext as _

from core.business_days import add_business_days
from core.errors import Forbidden, InvalidInput, InvalidTransition, NotFound
from core.services import audit_record
from leads.services.assignment import seller_pick
from retencao.models import (
    CASE_TRANSITIONS,
    CLOSED_STATUSES,
    REASON_REQUIRED,
    CaseEvent,
    CaseEventKind,
    CaseOrigin,
    CaseQueue,
    CaseStatus,
    ClientType,
    OfferType,
    RetentionCase,
    RetentionRule,
)
from retencao.selectors import case_may_work, open_case_for, retention_members, supervises
from retencao.services.rules import Indicators, settings_locked
from unimeds.actors import Actor
from unimeds.models import Level, Module, Unimed


def record_event(
    case: RetentionCase,
    actor: Actor | None,
    kind: str,
    *,
    note: str = "",
    data: dict | None = None,
    from_status: str = "",
    to_status: str = "",
) -> CaseEvent:
    return CaseEvent.objects.create(
        case=case,
        kind=kind,
        note=note,
        data=data or {},
        from_status=from_status,
        to_status=to_status,
        actor=actor.label if actor else "system",
        user=getattr(actor, "user", None),
    )


def open_cases_per_owner(unimed: Unimed, sellers: list) -> dict[int, int]:
    return dict(
        RetentionCase.objects.filter(unimed=unimed, owner__in=sellers)
        .exclude(status__in=CLOSED_STATUSES)
        .values_list("owner")
        .annotate(n=Count("pk"))
        .values_list("owner", "n")
    )


def _assign(case: RetentionCase, actor: Actor) -> None:
    """The Unimed's distribution rule of leads (rodízio or fewest open) picks the seller."""
    seller, rule = seller_pick(unimed=case.unimed, open_work=open_cases_per_owner)
    if seller is None:
        record_event(
            case,
            actor,
            CaseEventKind.SEM_RESPONSAVEL,
            note="Nenhum vendedor ativo: o caso aguarda na fila.",
        )
        return
    case.owner = seller
    case.save(update_fields=["owner", "updated_at"])
    record_event(
        case,
        actor,
        CaseEventKind.ATRIBUIDO,
        note=f"Distribuído para {seller.get_username()}.",
        data={"responsavel": seller.get_username(), "regra": rule},
    )


def case_open(
    *,
    actor: Actor,
    unimed: Unimed,
    document_kind: str,
    document: str,
    name: str,
    origin: str,
    indicators: Indicators,
    rule: RetentionRule | None,
    contract_number: str = "",
    monthly_value: Decimal | None = None,
    protocol=None,
    note: str = "",
) -> RetentionCase:
    """Write a new case with the indicators at opening, its deadline, its first event,
    and give it to a seller. The caller has checked there is no open case for the
    client (the database constraint is the last word)."""
    conf = settings_locked(unimed)
    today = timezone.localdate()
    case = RetentionCase(
        unimed=unimed,
        document_kind=document_kind,
        document=document,
        contract_number=contract_number,
        name=(name or document)[:150],
        client_type=indicators.client_type,
        origin=origin,
        queue=CaseQueue.INADIMPLENTES if indicators.days_late > 0 else CaseQueue.ADIMPLENTES,
        protocol=protocol,
        rule=rule,
        priority=rule.priority if rule else 99,
        lives=indicators.lives,
        age_bands=indicators.age_bands,
        loss_ratio=indicators.loss_ratio,
        days_late=indicators.days_late,
        months_of_contract=indicators.months_of_contract,
        monthly_value=monthly_value or Decimal("0"),
        first_contact_due=add_business_days(
            today, conf.first_contact_days, uf=unimed.uf, optional_off=unimed.optional_off
        ),
    )
    try:
        with transaction.atomic():
            case.save()
    except IntegrityError:
        raise InvalidInput(_("Este cliente já tem um caso de retenção aberto.")) from None
    record_event(
        case,
        actor,
        CaseEventKind.ABERTO,
        note=note or CaseOrigin(origin).label,
        data={
            "origem": origin,
            "regra": rule.key if rule else None,
            "versao_regra": rule.version if rule else None,
            "indicadores": indicators.as_data(),
            "protocolo": protocol.number if protocol else "",
        },
    )
    _assign(case, actor)
    return case


@transaction.atomic
def case_create(
    *,
    actor: Actor,
    document: str,
    name: str,
    contract_number: str = "",
    note: str = "",
) -> RetentionCase:
    """A seller opens a case by hand: indicators from the contract's last load, the
    rule they meet (if any) sets the priority; a client outside every rule still gets
    the case, with the lowest priority."""
    from retencao.services.feeds import clean_document, client_indicators

    actor.require(Module.RETENCAO, Level.OPERAR)
    if actor.unimed is None:
        raise InvalidInput(_("Casos de retenção são de uma Unimed."))
    kind, doc = clean_document(document, field="document")
    existing = open_case_for(unimed=actor.unimed, document=doc)
    if existing is not None:
        msg = f"Este cliente já tem o caso #{existing.pk} aberto."
        raise InvalidInput(msg, fields={"document": [msg]})
    ind, contract, monthly, known_name = client_indicators(
        unimed=actor.unimed, kind=kind, document=doc, contract_number=contract_number
    )
    from retencao.services.rules import rule_for

    rule, _reason = rule_for(actor.unimed, ind)
    return case_open(
        actor=actor,
        unimed=actor.unimed,
        document_kind=kind,
        document=doc,
        name=name.strip() or known_name,
        origin=CaseOrigin.MANUAL,
        indicators=ind,
        rule=rule,
        contract_number=contract_number.strip() or contract,
        monthly_value=monthly,
        note=note.strip(),
    )


def case_for_update(*, actor: Actor, case_id: int) -> RetentionCase:
    """Lock the case row: every change to a case is serialised on it."""
    qs = RetentionCase.objects.select_for_update(of=("self",)).select_related("unimed", "owner")
    if not actor.sees_all_unimeds:
        qs = qs.filter(unimed_id=actor.unimed_id)
    try:
        return qs.get(pk=case_id)
    except (RetentionCase.DoesNotExist, ValueError, TypeError, OverflowError):
        raise NotFound(_("Caso de retenção não encontrado.")) from None


def _require_may_work(actor: Actor, case: RetentionCase) -> None:
    actor.require(Module.RETENCAO, Level.OPERAR)
    if not case_may_work(actor, case):
        raise Forbidden(_("Somente o responsável pelo caso ou um supervisor pode alterá-lo."))


def _take_if_unowned(case: RetentionCase, actor: Actor) -> None:
    """Working a case nobody owns makes it yours."""
    if case.owner_id is None and actor.user is not None:
        case.owner = actor.user
        case.save(update_fields=["owner", "updated_at"])
        record_event(
            case, actor, CaseEventKind.ATRIBUIDO, note=f"Assumido por {actor.label}.", data={}
        )


def _first_contact(case: RetentionCase, fields: list[str]) -> None:
    if case.first_contact_at is None:
        case.first_contact_at = timezone.now()
        fields.append("first_contact_at")


def _transition(case: RetentionCase, to_status: str) -> str:
    """The one place that changes a case's status; checks the table."""
    if to_status not in CASE_TRANSITIONS.get(case.status, frozenset()):
        raise InvalidTransition(
            _("Não é possível passar de %(label)s para %(destino)s.")
            % {
                "label": CaseStatus(case.status).label,
                "destino": CaseStatus(to_status).label
                if to_status in CaseStatus.values
                else to_status,
            }
        )
    before = case.status
    case.status = to_status
    return before


@transaction.atomic
def case_transition(
    *,
    actor: Actor,
    case_id: int,
    to_status: str,
    reason: str = "",
    offer_type: str = "",
    offer_text: str = "",
    note: str = "",
) -> RetentionCase:
    """Move the case along its table. A proposal needs the offer (type and text);
    cancelado and sem contato need the outcome reason."""
    case = case_for_update(actor=actor, case_id=case_id)
    _require_may_work(actor, case)
    if to_status not in CaseStatus.values:
        raise InvalidInput(
            _("Situação desconhecida."), fields={"to_status": ["Situação desconhecida."]}
        )
    reason, offer_text = reason.strip(), offer_text.strip()
    errors: dict[str, list[str]] = {}
    if to_status in REASON_REQUIRED and not reason:
        errors["reason"] = ["Informe o motivo do desfecho."]
    if to_status == CaseStatus.PROPOSTA:
        if offer_type not in OfferType.values:
            errors["offer_type"] = ["Escolha o tipo de oferta."]
        if not offer_text:
            errors["offer_text"] = ["Descreva a oferta feita ao cliente."]
    if len(reason) > 300:
        errors["reason"] = ["Motivo: até 300 caracteres."]
    if len(offer_text) > 500:
        errors["offer_text"] = ["Oferta: até 500 caracteres."]
    before = _transition(case, to_status)
    if errors:
        raise InvalidInput(next(iter(errors.values()))[0], fields=errors)
    _take_if_unowned(case, actor)
    fields = ["status", "updated_at"]
    if to_status == CaseStatus.PROPOSTA:
        case.offer_type, case.offer_text = offer_type, offer_text
        fields += ["offer_type", "offer_text"]
    if to_status == CaseStatus.EM_CONTATO:
        _first_contact(case, fields)
    if not case.is_open:
        case.closed_at = timezone.now()
        case.outcome_reason = reason
        fields += ["closed_at", "outcome_reason"]
    case.save(update_fields=fields)
    data = {"motivo": reason} if reason else {}
    if to_status == CaseStatus.PROPOSTA:
        data = {"oferta": offer_type, "texto": offer_text}
    record_event(
        case,
        actor,
        CaseEventKind.ETAPA,
        note=note.strip() or reason or offer_text,
        data=data,
        from_status=before,
        to_status=to_status,
    )
    return case


@transaction.atomic
def case_log_contact(*, actor: Actor, case_id: int, note: str, channel: str = "") -> RetentionCase:
    """Record a contact attempt or conversation (the first one meets the deadline)."""
    case = case_for_update(actor=actor, case_id=case_id)
    _require_may_work(actor, case)
    note = note.strip()
    if not note:
        raise InvalidInput(_("Descreva o contato."), fields={"note": ["Descreva o contato."]})
    if not case.is_open:
        raise InvalidInput(_("Caso encerrado: não recebe contatos."))
    _take_if_unowned(case, actor)
    fields = ["updated_at"]
    _first_contact(case, fields)
    case.save(update_fields=fields)
    record_event(case, actor, CaseEventKind.CONTATO, note=note[:2000], data={"canal": channel[:20]})
    return case


def _eligible_owner(case: RetentionCase, owner_id):
    chosen = next(
        (u for u in retention_members(case.unimed_id) if str(u.pk) == str(owner_id)), None
    )
    if chosen is None:
        msg = "Escolha um membro ativo desta Unimed com acesso à retenção."
        raise InvalidInput(msg, fields={"owner": [msg]})
    return chosen


@transaction.atomic
def case_reassign(*, actor: Actor, case_id: int, owner_id: int, note: str = "") -> RetentionCase:
    """A supervisor hands the case to someone else of the team."""
    case = case_for_update(actor=actor, case_id=case_id)
    if actor.unimed_id != case.unimed_id or not supervises(actor):
        raise Forbidden(_("Somente um supervisor ou gestor da Unimed reatribui casos."))
    if not case.is_open:
        raise InvalidInput(_("Caso encerrado não pode ser reatribuído."))
    new_owner = _eligible_owner(case, owner_id)
    if case.owner_id == new_owner.pk:
        msg = "O caso já está com este responsável."
        raise InvalidInput(msg, fields={"owner": [msg]})
    previous = case.owner.get_username() if case.owner else ""
    case.owner = new_owner
    case.save(update_fields=["owner", "updated_at"])
    data = {"de": previous, "para": new_owner.get_username()}
    record_event(
        case,
        actor,
        CaseEventKind.REATRIBUIDO,
        note=note.strip() or f"Reatribuído para {new_owner.get_username()}.",
        data=data,
    )
    audit_record(
        actor=actor,
        action="retencao.caso_reatribuido",
        target_type="RetentionCase",
        target_id=case.pk,
        data=data,
    )
    return case


def client_type_of(kind: str) -> str:
    return ClientType.PJ if kind == "cnpj" else ClientType.PF
