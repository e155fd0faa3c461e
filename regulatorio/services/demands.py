"""Registering a regulator demand and working it through its status machine."""

import hashlib
import json
from collections.abc import Iterable
from datetime import date
from decimal import Decimal, InvalidOperation

from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import UploadedFile
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from core.errors import Conflict, Forbidden, InvalidInput, InvalidTransition
from core.identifiers import normalize_card
from core.services import audit_record
from protocols.routing import resolve_responsible
from protocols.timeline import check_attachments, message_text
from regulatorio.deadlines import due_date_for, rule_for
from regulatorio.models import (
    NIP_KINDS,
    NIP_OUTCOMES,
    PERSUS_OUTCOMES,
    PERSUS_RECURSO,
    TRANSITIONS,
    Demand,
    DemandEvent,
    DemandEventKind,
    DemandKind,
    DemandStatus,
    Outcome,
    PersusItem,
)
from regulatorio.services._common import lock_demand, record, text
from unimeds.actors import Actor
from unimeds.models import Level, Module

ANS_NUMBER_MAX = 40


def fingerprint(**fields) -> str:
    canonical = json.dumps(fields, sort_keys=True, ensure_ascii=False, default=str)
    return hashlib.sha256(canonical.encode("utf-8")).hexdigest()


def _clean_intake(
    *, kind, ans_number, notified_on, card, beneficiary_name, description
) -> tuple[dict, dict]:
    errors: dict[str, list[str]] = {}
    if kind not in DemandKind.values:
        errors["kind"] = [f"Tipo inválido: use {', '.join(DemandKind.values)}."]
    number = str(ans_number or "").replace("\x00", "").strip()
    if not number:
        errors["ans_number"] = ["Informe o número da demanda ou do processo na ANS."]
    elif len(number) > ANS_NUMBER_MAX or not all(c.isalnum() or c in "./-" for c in number):
        errors["ans_number"] = [
            f"Número ANS: até {ANS_NUMBER_MAX} letras, dígitos, pontos, barras ou hífens."
        ]
    if not isinstance(notified_on, date):
        errors["notified_on"] = ["Informe a data da notificação (AAAA-MM-DD)."]
    elif notified_on > timezone.localdate():
        errors["notified_on"] = ["A data da notificação não pode estar no futuro."]
    try:
        card = normalize_card(card)
    except ValidationError as exc:
        errors["card"] = list(exc.messages)
    name = str(beneficiary_name or "").replace("\x00", "").strip()
    if not name:
        errors["beneficiary_name"] = ["Informe o nome do beneficiário."]
    elif len(name) > 70:
        errors["beneficiary_name"] = ["Nome com no máximo 70 caracteres."]
    description, problem = _optional_text(description)
    if problem:
        errors["description"] = [problem]
    cleaned = {
        "kind": kind,
        "ans_number": number,
        "notified_on": notified_on,
        "card": card,
        "beneficiary_name": name,
        "description": description,
    }
    return cleaned, errors


def _optional_text(value) -> tuple[str, str | None]:
    return message_text(value, required=None)


def demand_register(
    *,
    actor: Actor,
    kind: str,
    ans_number: str,
    notified_on: date,
    card: str,
    beneficiary_name: str,
    description: str = "",
    attachments: Iterable[UploadedFile] = (),
) -> tuple[Demand, bool]:
    """Register a demand ANS notified to the actor's Unimed: the responsible Unimed by the
    card (protocols' routing), the legal due date by the kind's rule. Idempotent on the ANS
    number per notified Unimed: the same data again → (the demand, False); other data under
    that number → Conflict."""
    actor.require(Module.REGULATORIO, Level.OPERAR)
    if actor.unimed is None:
        raise Forbidden(_("Somente uma Unimed registra demandas do regulador."))
    cleaned, errors = _clean_intake(
        kind=kind,
        ans_number=ans_number,
        notified_on=notified_on,
        card=card,
        beneficiary_name=beneficiary_name,
        description=description,
    )
    try:
        files = check_attachments(attachments)
    except InvalidInput as exc:
        errors.update(exc.fields)
    if errors:
        raise InvalidInput(next(iter(errors.values()))[0], fields=errors)
    digest = fingerprint(**cleaned)
    existing = _existing(actor, cleaned["ans_number"], digest)
    if existing is not None:
        return existing, False
    try:
        with transaction.atomic():
            return demand_insert(actor, cleaned, digest, files), True
    except IntegrityError:
        # A copy arrived at the same moment and committed first.
        existing = _existing(actor, cleaned["ans_number"], digest)
        if existing is None:
            raise
        return existing, False


def _existing(actor: Actor, number: str, digest: str) -> Demand | None:
    found = Demand.objects.filter(received_by=actor.unimed, ans_number=number).first()
    if found is None:
        return None
    if found.fingerprint != digest:
        message = (
            f"A demanda ANS {number} já foi registrada pela Unimed {actor.unimed.code} com outros "
            "dados. Corrija a demanda existente no painel."
        )
        raise Conflict(message, code="demanda_repetida", fields={"ans_number": [message]})
    return found


def demand_insert(actor: Actor, cleaned: dict, digest: str, files) -> Demand:
    responsible, reason = resolve_responsible(card=cleaned["card"])
    rule = rule_for(cleaned["kind"])
    demand = Demand.objects.create(
        **cleaned,
        received_by=actor.unimed,
        responsible_unimed=responsible,
        responsible_reason=reason[:200],
        deadline_rule=rule.key,
        due_date=due_date_for(rule=rule, start=cleaned["notified_on"]),
        owner=actor.user,
        fingerprint=digest,
    )
    record(
        demand,
        kind=DemandEventKind.RECEBIDA,
        actor=actor,
        message=cleaned["description"],
        attachments=files,
        payload={
            "responsible_unimed": responsible.code,
            "responsible_reason": reason,
            "deadline_rule": rule.key,
            "deadline_source": rule.source,
            "due_date": demand.due_date.isoformat(),
        },
    )
    audit_record(
        actor=actor,
        action="regulatorio.demanda_registrada",
        target_type="Demand",
        target_id=demand.pk,
        data={"tipo": demand.kind, "ans": demand.ans_number},
    )
    return demand


# action → (status it leads to, level needed, kinds it applies to (None: all))
ACTIONS: dict[str, tuple[str, int, frozenset[str] | None]] = {
    "analisar": (DemandStatus.EM_ANALISE, Level.OPERAR, None),
    "responder": (DemandStatus.RESPONDIDA, Level.OPERAR, NIP_KINDS),
    "impugnar": (DemandStatus.IMPUGNADA, Level.OPERAR, frozenset({DemandKind.PERSUS_ABI})),
    "decidir": (DemandStatus.DECIDIDA, Level.OPERAR, None),
    "recorrer": (DemandStatus.RECURSO, Level.OPERAR, None),
    "encerrar": (DemandStatus.ENCERRADA, Level.OPERAR, None),
}


def allowed_actions(*, actor: Actor, demand: Demand) -> list[str]:
    """The actions the panel offers: the same table the service checks."""
    return [
        action
        for action, (to_status, level, kinds) in ACTIONS.items()
        if actor.may(Module.REGULATORIO, level)
        and (kinds is None or demand.kind in kinds)
        and to_status in TRANSITIONS[demand.status]
    ]


def _amounts(values: dict | None, items: dict[int, PersusItem], field: str) -> dict:
    """{item id: Decimal} from what the form or API sent; every bad amount reported."""
    parsed, errors = {}, []
    for key, raw in (values or {}).items():
        if raw in (None, ""):
            continue
        try:
            item_id = int(key)
            amount = Decimal(str(raw).replace(",", "."))
        except (TypeError, ValueError, InvalidOperation):
            errors.append(f"Valor inválido: {raw!s:.20}.")
            continue
        item = items.get(item_id)
        if item is None:
            errors.append(f"Item {key} não pertence a esta demanda.")
        elif not amount.is_finite() or amount < 0 or amount > item.amount_charged:
            errors.append(
                f"{item.item_kind} {item.number}: valor entre 0 e {item.amount_charged:.2f}."
            )
        else:
            parsed[item_id] = amount.quantize(Decimal("0.01"))
    if errors:
        raise InvalidInput(errors[0], fields={field: errors})
    return parsed


@transaction.atomic
def demand_act(
    *,
    actor: Actor,
    demand_id,
    action: str,
    message: str = "",
    outcome: str = "",
    decided_on: date | None = None,
    amounts: dict | None = None,
    attachments: Iterable[UploadedFile] = (),
) -> DemandEvent:
    """One step of the status machine (TRANSITIONS): analyse, answer (NIP) or contest
    (PERSUS, with the contested amounts), record ANS's decision and outcome (PERSUS: the
    decided amounts; the appeal term starts), appeal, close."""
    if action not in ACTIONS:
        raise InvalidInput(_("Ação desconhecida."), fields={"action": [action]})
    to_status, level, kinds = ACTIONS[action]
    actor.require(Module.REGULATORIO, level)
    files = check_attachments(attachments)
    demand = lock_demand(actor, demand_id)
    if kinds is not None and demand.kind not in kinds:
        raise InvalidInput(
            _("A ação '%(action)s' não se aplica a %(tipo)s.")
            % {"action": action, "tipo": demand.get_kind_display()},
            fields={"action": [action]},
        )
    if to_status not in TRANSITIONS[demand.status]:
        raise InvalidTransition(
            _("A demanda está %(situacao)s: não é possível %(action)s.")
            % {"situacao": DemandStatus(demand.status).label.lower(), "action": action},
            fields={"status": [DemandStatus(demand.status).label]},
        )
    needs_text = action in ("responder", "impugnar", "recorrer")
    body = text(
        message,
        field="message",
        required="Escreva o texto enviado à ANS." if needs_text and not files else None,
    )
    payload: dict = {"action": action}
    items = {item.pk: item for item in demand.items.all()}
    if action in ("responder", "impugnar"):
        demand.answer_text = body
        demand.answered_at = timezone.now()
        payload["on_time"] = timezone.localdate() <= demand.due_date
    if action == "impugnar":
        contested = _amounts(amounts, items, "amounts")
        for item_id, amount in contested.items():
            PersusItem.objects.filter(pk=item_id).update(amount_contested=amount)
        payload["contested"] = {str(k): str(v) for k, v in contested.items()}
    if action == "decidir":
        _decide(demand, outcome=outcome, decided_on=decided_on, amounts=amounts, items=items)
        payload.update(outcome=demand.outcome, decided_on=demand.decided_on.isoformat())
        payload["due_date"] = demand.due_date.isoformat()
    from_status = demand.status
    demand.status = to_status
    demand.save()
    return record(
        demand,
        kind=DemandEventKind.SITUACAO,
        actor=actor,
        from_status=from_status,
        message=body,
        payload=payload,
        attachments=files,
    )


def _decide(demand: Demand, *, outcome, decided_on, amounts, items) -> None:
    allowed = NIP_OUTCOMES if demand.kind in NIP_KINDS else PERSUS_OUTCOMES
    if outcome not in allowed:
        labels = ", ".join(Outcome(o).label for o in sorted(allowed))
        raise InvalidInput(
            _("Informe o resultado: %(labels)s.") % {"labels": labels}, fields={"outcome": [labels]}
        )
    decided_on = decided_on or timezone.localdate()
    if decided_on < demand.notified_on or decided_on > timezone.localdate():
        raise InvalidInput(
            _("Data da decisão entre a notificação e hoje."),
            fields={"decided_on": ["Fora do período."]},
        )
    demand.outcome = outcome
    demand.decided_on = decided_on
    if demand.kind not in NIP_KINDS:
        decided = _amounts(amounts, items, "amounts")
        for item_id, amount in decided.items():
            PersusItem.objects.filter(pk=item_id).update(amount_decided=amount)
        # The appeal term runs from the decision: it becomes the demand's legal clock.
        rule = rule_for(PERSUS_RECURSO)
        demand.deadline_rule = rule.key
        demand.due_date = due_date_for(rule=rule, start=decided_on)


@transaction.atomic
def demand_attach(
    *, actor: Actor, demand_id, files: Iterable[UploadedFile], message: str = ""
) -> DemandEvent:
    """Petition or evidence files (protocols' attachment rules), status unchanged."""
    actor.require(Module.REGULATORIO, Level.OPERAR)
    checked = check_attachments(files)
    if not checked:
        raise InvalidInput(
            _("Escolha ao menos um arquivo."), fields={"attachments": ["Obrigatório."]}
        )
    body = text(message, field="message", required=None)
    demand = lock_demand(actor, demand_id)
    return record(
        demand,
        kind=DemandEventKind.ANEXO,
        actor=actor,
        from_status=demand.status,
        message=body,
        attachments=checked,
    )
