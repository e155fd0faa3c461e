"""What brings clients into retention: cancellation/exclusion protocols, overdue bills
and the contracts' indicators (CSV or API), each line on its own."""

import logging
from collections.abc import Iterable
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation

from django.conf import settings
from django.db import transaction
from django.utils.translation import gettext as _

from core.errors import DomainError, Forbidden, InvalidInput
from core.services import audit_record
from leads.services.common import clean_document
from leads.services.contracts import parse_date
from leads.services.intake import _clean_age_bands
from protocols.models import EventKind, Kind
from retencao.models import (
    CaseEventKind,
    CaseOrigin,
    ContractIndicators,
    OutOfRule,
    OverdueBill,
    RetentionCase,
)
from retencao.selectors import indicators_for, open_case_for
from retencao.services.cases import case_open, client_type_of, record_event
from retencao.services.rules import Indicators, rule_for
from unimeds.actors import Actor, system_actor
from unimeds.models import Level, Module, Unimed
from unimeds.selectors import unimed_by_code

logger = logging.getLogger(__name__)

__all__ = ["clean_document", "client_indicators"]


@dataclass(frozen=True)
class LineResult:
    line: int
    status: str  # caso_aberto | evento | fora_da_regua | sem_alteracao | criado | atualizado | erro
    message: str
    case_id: int | None = None


@dataclass(frozen=True)
class Outcome:
    """What a feed did with one client: a new case, an event on the open one, or a
    "fora da régua" row."""

    case: RetentionCase | None
    created: bool
    out_of_rule: OutOfRule | None = None


def client_indicators(
    *, unimed: Unimed, kind: str, document: str, contract_number: str = "", days_late: int = 0
) -> tuple[Indicators, str, Decimal | None, str]:
    """(indicators, contract number, monthly value, name) from the contract's last load
    and the client's overdue bills."""
    known = indicators_for(unimed=unimed, document=document, contract_number=contract_number)
    late = max(
        [
            days_late,
            *OverdueBill.objects.filter(unimed=unimed, document=document).values_list(
                "days_late", flat=True
            ),
        ]
    )
    ind = Indicators(
        client_type=client_type_of(kind),
        loss_ratio=known.loss_ratio if known else None,
        days_late=late,
        lives=known.lives if known else None,
        age_bands=[b["faixa"] for b in known.age_bands] if known else [],
        months_of_contract=known.months_of_contract if known else None,
    )
    return (
        ind,
        contract_number or (known.contract_number if known else ""),
        known.monthly_value if known else None,
        known.name if known else "",
    )


def client_enter(
    *,
    actor: Actor,
    unimed: Unimed,
    kind: str,
    document: str,
    origin: str,
    name: str = "",
    contract_number: str = "",
    days_late: int = 0,
    monthly_value: Decimal | None = None,
    protocol=None,
    bill: OverdueBill | None = None,
    note: str = "",
) -> Outcome:
    """A feed brings a client: an open case gets a new event; otherwise the rules decide
    between a new case (under the matching rule's current version) and "fora da régua"."""
    existing = open_case_for(unimed=unimed, document=document)
    if existing is not None:
        kind_event = CaseEventKind.NOVO_PEDIDO if protocol else CaseEventKind.NOVA_FATURA
        record_event(
            existing,
            actor,
            kind_event,
            note=note,
            data={
                "protocolo": protocol.number if protocol else "",
                "fatura": bill.bill_number if bill else "",
            },
        )
        if bill is not None:
            bill.case = existing
            bill.save(update_fields=["case"])
        return Outcome(existing, False)
    ind, contract, known_value, known_name = client_indicators(
        unimed=unimed,
        kind=kind,
        document=document,
        contract_number=contract_number,
        days_late=days_late,
    )
    rule, reason = rule_for(unimed, ind)
    if rule is None:
        row = OutOfRule.objects.create(
            unimed=unimed,
            origin=origin,
            document_kind=kind,
            document=document,
            contract_number=contract,
            name=(name or known_name)[:150],
            protocol=protocol,
            bill=bill,
            reason=reason[:500],
            indicators=ind.as_data(),
        )
        return Outcome(None, False, row)
    case = case_open(
        actor=actor,
        unimed=unimed,
        document_kind=kind,
        document=document,
        name=name or known_name,
        origin=origin,
        indicators=ind,
        rule=rule,
        contract_number=contract,
        monthly_value=known_value if known_value is not None else monthly_value,
        protocol=protocol,
        note=note,
    )
    if bill is not None:
        bill.case = case
        bill.save(update_fields=["case"])
    return Outcome(case, True)


def _is_cancellation(protocol) -> bool:
    codes = settings.GPU_RETENCAO_PROTOCOL_TYPES
    return protocol.kind == Kind.BENEFICIARIO and protocol.manifestation_type.code in codes


def case_from_protocol_event(event) -> None:
    """Protocol event hook (same transaction): a new cancellation/exclusion request (or a
    protocol reclassified as one) brings the client into the responsible Unimed's
    retention. It never makes the protocol fail: a problem is logged and skipped."""
    if event.kind not in (EventKind.ABERTO, EventKind.RECLASSIFICADO):
        return
    protocol = event.protocol
    if not _is_cancellation(protocol):
        return
    try:
        with transaction.atomic():  # a savepoint: a failure here leaves the protocol whole
            if (
                RetentionCase.objects.filter(protocol=protocol).exists()
                or OutOfRule.objects.filter(protocol=protocol).exists()
            ):
                return
            case_from_protocol(protocol)
    except Exception:  # noqa: BLE001 — retention must not cost the requester a protocol
        logger.exception("Retenção: protocolo %s não virou caso", protocol.number)


def case_from_protocol(protocol) -> Outcome:
    unimed = protocol.responsible_unimed
    actor = system_actor()
    if not protocol.requester_cpf:
        row = OutOfRule.objects.create(
            unimed=unimed,
            origin=CaseOrigin.PROTOCOLO,
            name=protocol.requester_name[:150],
            protocol=protocol,
            reason="Fora da régua: o protocolo não traz o CPF do cliente.",
        )
        return Outcome(None, False, row)
    return client_enter(
        actor=actor,
        unimed=unimed,
        kind="cpf",
        document=protocol.requester_cpf,
        origin=CaseOrigin.PROTOCOLO,
        name=protocol.requester_name,
        protocol=protocol,
        note=f"Pedido de cancelamento no protocolo {protocol.number}.",
    )


# --- imports (CSV and API), one line at a time --------------------------------------


def _target(actor: Actor, row: dict, unimed: Unimed | None) -> Unimed:
    code = str(row.get("cd_unimed") or "").strip()
    if code.isdigit():
        code = code.zfill(4)
    target = unimed_by_code(code) if code else unimed
    if target is None:
        msg = f"Unimed {code} não encontrada." if code else "Informe cd_unimed."
        raise InvalidInput(msg, fields={"cd_unimed": [msg]})
    if not actor.sees_all_unimeds and target.pk != actor.unimed_id:
        raise Forbidden(
            _("Linha da Unimed %(code)s: só é possível carregar dados da própria Unimed.")
            % {"code": target.code}
        )
    return target


def _decimal(value, field: str, label: str, *, required: bool = False) -> Decimal | None:
    if value in (None, ""):
        if required:
            raise InvalidInput(
                _("Informe %(label)s.") % {"label": label}, fields={field: [f"Informe {label}."]}
            )
        return None
    text = str(value).strip().replace("R$", "").replace(" ", "")
    if "," in text:
        text = text.replace(".", "").replace(",", ".")
    try:
        number = Decimal(text)
    except (InvalidOperation, ValueError):
        number = None
    if number is None or not number.is_finite() or number < 0 or number >= Decimal("1e10"):
        msg = f"{label.capitalize()} inválido: use um número positivo (ex.: 1234,56)."
        raise InvalidInput(msg, fields={field: [msg]})
    return number.quantize(Decimal("0.01"))


def _integer(value, field: str, label: str, *, required: bool = False) -> int | None:
    if value in (None, ""):
        if required:
            raise InvalidInput(
                _("Informe %(label)s.") % {"label": label}, fields={field: [f"Informe {label}."]}
            )
        return None
    try:
        number = int(str(value).strip())
    except (TypeError, ValueError):
        number = -1
    if not 0 <= number <= 1_000_000:
        msg = f"{label.capitalize()} inválido: use um número inteiro positivo."
        raise InvalidInput(msg, fields={field: [msg]})
    return number


def _text(value, field: str, label: str, *, max_length: int, required: bool = False) -> str:
    text = str(value if value is not None else "").strip()
    if required and not text:
        raise InvalidInput(
            _("Informe %(label)s.") % {"label": label}, fields={field: [f"Informe {label}."]}
        )
    if len(text) > max_length:
        msg = f"{label.capitalize()}: até {max_length} caracteres."
        raise InvalidInput(msg, fields={field: [msg]})
    return text


def _age_bands(value) -> list[dict]:
    """ "24-28:3|34-38:5" or "24-28|34-38" (CSV), or a list (API)."""
    if isinstance(value, str):
        items = []
        for part in (p.strip() for p in value.replace(",", "|").split("|")):
            if not part:
                continue
            band, _sep, lives = part.partition(":")
            items.append(
                {"faixa": band.strip(), "vidas": int(lives) if lives.strip().isdigit() else None}
            )
        value = items
    errors: dict = {}
    bands = _clean_age_bands(value, errors)
    if errors:
        raise InvalidInput(errors["age_bands"][0], fields={"faixas_etarias": errors["age_bands"]})
    return bands


@transaction.atomic
def bill_load(*, actor: Actor, unimed: Unimed, row: dict) -> LineResult:
    """One overdue bill. Keyed by (Unimed, bill number): the same bill again changes
    nothing; a new bill of a client with an open case is an event on that case."""
    kind, doc = clean_document(row.get("documento"), field="documento")
    contract = _text(
        row.get("nr_contrato"), "nr_contrato", "o número do contrato", max_length=40, required=True
    )
    number = _text(row.get("fatura"), "fatura", "o número da fatura", max_length=40, required=True)
    due = parse_date(row.get("vencimento"))
    if due is None:
        raise InvalidInput(
            _("Informe o vencimento (DD/MM/AAAA)."),
            fields={"vencimento": ["Informe o vencimento."]},
        )
    amount = _decimal(row.get("valor"), "valor", "o valor", required=True)
    late = _integer(row.get("dias_atraso"), "dias_atraso", "dias em atraso", required=True)
    name = _text(row.get("nome"), "nome", "o nome", max_length=150)
    bill, created = OverdueBill.objects.select_for_update().get_or_create(
        unimed=unimed,
        bill_number=number,
        defaults={
            "document_kind": kind,
            "document": doc,
            "contract_number": contract,
            "due_date": due,
            "amount": amount,
            "days_late": late,
        },
    )
    if not created:
        if bill.document != doc:
            msg = f"A fatura {number} já foi importada para outro cliente."
            raise InvalidInput(msg, fields={"fatura": [msg]})
        return LineResult(0, "sem_alteracao", f"Fatura {number} já importada.", bill.case_id)
    outcome = client_enter(
        actor=actor,
        unimed=unimed,
        kind=kind,
        document=doc,
        origin=CaseOrigin.INADIMPLENCIA,
        name=name,
        contract_number=contract,
        days_late=late,
        monthly_value=amount,
        bill=bill,
        note=f"Fatura {number} vencida em {due:%d/%m/%Y}: R$ {amount} ({late} dias em atraso).",
    )
    if outcome.case is None:
        return LineResult(0, "fora_da_regua", outcome.out_of_rule.reason)
    if outcome.created:
        return LineResult(0, "caso_aberto", f"Caso #{outcome.case.pk} aberto.", outcome.case.pk)
    return LineResult(
        0,
        "evento",
        f"Cliente já tem o caso #{outcome.case.pk} aberto: fatura registrada nele.",
        outcome.case.pk,
    )


@transaction.atomic
def indicators_load(*, actor: Actor, unimed: Unimed, row: dict) -> LineResult:
    """One contract's indicators, keyed by (Unimed, contract number)."""
    kind, doc = clean_document(row.get("documento"), field="documento")
    contract = _text(
        row.get("nr_contrato"), "nr_contrato", "o número do contrato", max_length=40, required=True
    )
    values = {
        "document_kind": kind,
        "document": doc,
        "name": _text(row.get("nome"), "nome", "o nome", max_length=150),
        "lives": _integer(row.get("vidas"), "vidas", "vidas"),
        "age_bands": _age_bands(row.get("faixas_etarias")),
        "loss_ratio": _decimal(row.get("sinistralidade"), "sinistralidade", "a sinistralidade"),
        "months_of_contract": _integer(
            row.get("meses_contrato"), "meses_contrato", "meses de contrato"
        ),
        "monthly_value": _decimal(row.get("mensalidade"), "mensalidade", "a mensalidade"),
    }
    if values["loss_ratio"] is not None and values["loss_ratio"] > 9999:
        raise InvalidInput(
            _("Sinistralidade acima de 9999%."), fields={"sinistralidade": ["Acima de 9999%."]}
        )
    found, created = ContractIndicators.objects.select_for_update().get_or_create(
        unimed=unimed, contract_number=contract, defaults=values
    )
    if created:
        return LineResult(0, "criado", f"Contrato {contract}: indicadores gravados.")
    changed = [f for f, v in values.items() if getattr(found, f) != v]
    if not changed:
        return LineResult(0, "sem_alteracao", f"Contrato {contract}: nada mudou.")
    for f in changed:
        setattr(found, f, values[f])
    found.save(update_fields=[*changed, "updated_at"])
    return LineResult(0, "atualizado", f"Contrato {contract}: indicadores atualizados.")


LOADERS = {"faturas": bill_load, "indicadores": indicators_load}


def retention_load(
    *, actor: Actor, kind: str, rows: Iterable[tuple[int, dict]], unimed: Unimed | None = None
) -> list[LineResult]:
    """Load overdue bills or contract indicators, each line on its own: a bad line is
    reported and skipped, the good ones are kept; running the same file again changes
    nothing. Without cd_unimed a line belongs to `unimed` (default: the actor's)."""
    actor.require(Module.RETENCAO, Level.OPERAR)
    unimed = unimed or actor.unimed
    loader = LOADERS[kind]
    results = []
    counts: dict[str, int] = {}
    for line, row in rows:
        try:
            target = _target(actor, row, unimed)
            result = loader(actor=actor, unimed=target, row=row)
        except DomainError as exc:
            field = next(iter(exc.fields), "")
            result = LineResult(0, "erro", f"{field}: {exc.message}" if field else exc.message)
        result = LineResult(line, result.status, result.message, result.case_id)
        counts[result.status] = counts.get(result.status, 0) + 1
        results.append(result)
    audit_record(
        actor=actor,
        action=f"retencao.importacao_{kind}",
        target_type="Unimed",
        target_id=unimed.pk if unimed else (actor.unimed_id or ""),
        data={"linhas": len(results), **counts},
    )
    return results
