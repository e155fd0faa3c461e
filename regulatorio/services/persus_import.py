"""Import of the ABI notice file (CSV, one line per AIH/APAC; layout in docs/regulatorio.md).

One demand per ABI number; one item per AIH/APAC number. Idempotent: a line already
imported with the same amount changes nothing; the same AIH/APAC with another amount is
reported and NOT applied (a person checks the notice first). Every line gets a verdict.
"""

import csv
import io
from dataclasses import dataclass, field
from datetime import date, datetime
from decimal import Decimal, InvalidOperation

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from core.errors import Forbidden, InvalidInput
from core.identifiers import normalize_card
from core.services import audit_record
from regulatorio.models import Demand, DemandEventKind, DemandKind, ItemKind, PersusItem
from regulatorio.selectors import item_holder
from regulatorio.services._common import record
from regulatorio.services.demands import demand_insert, fingerprint
from unimeds.actors import Actor
from unimeds.models import Level, Module

COLUMNS = (
    "numero_abi",
    "data_notificacao",
    "carteirinha",
    "beneficiario",
    "tipo",
    "numero",
    "competencia",
    "valor_cobrado",
)
MAX_LINES = 20000
MAX_BYTES = 5 * 1024 * 1024


@dataclass
class LineResult:
    line: int
    status: str  # criado | ja_importado | valor_divergente | erro
    message: str
    abi: str = ""
    number: str = ""


@dataclass
class ImportReport:
    lines: list[LineResult] = field(default_factory=list)
    demands_created: int = 0

    def count(self, status: str) -> int:
        return sum(1 for line in self.lines if line.status == status)

    @property
    def summary(self) -> dict[str, int]:
        return {
            "criados": self.count("criado"),
            "ja_importados": self.count("ja_importado"),
            "valores_divergentes": self.count("valor_divergente"),
            "erros": self.count("erro"),
            "demandas_criadas": self.demands_created,
        }


def _date(raw: str) -> date:
    for fmt in ("%d/%m/%Y", "%Y-%m-%d"):
        try:
            return datetime.strptime(raw.strip(), fmt).date()
        except ValueError:
            continue
    raise ValueError("data inválida (use DD/MM/AAAA)")


def _competence(raw: str) -> date:
    value = raw.strip()
    for fmt in ("%m/%Y", "%Y%m", "%Y-%m"):
        try:
            return datetime.strptime(value, fmt).date().replace(day=1)
        except ValueError:
            continue
    raise ValueError("competência inválida (use MM/AAAA)")


def _amount(raw: str) -> Decimal:
    value = raw.strip().replace(".", "").replace(",", ".") if "," in raw else raw.strip()
    try:
        amount = Decimal(value)
    except InvalidOperation:
        raise ValueError("valor inválido (use 1234,56)") from None
    if not amount.is_finite() or amount <= 0 or amount >= Decimal("10000000000"):
        raise ValueError("valor deve ser positivo")
    return amount.quantize(Decimal("0.01"))


def _parse(row: dict) -> dict:
    problems = []
    parsed: dict = {"abi": (row.get("numero_abi") or "").strip()}
    if not parsed["abi"] or len(parsed["abi"]) > 40:
        problems.append("número do ABI ausente ou longo demais")
    for key, reader in (
        ("notified_on", lambda: _date(row.get("data_notificacao") or "")),
        ("card", lambda: normalize_card(row.get("carteirinha"))),
        ("competence", lambda: _competence(row.get("competencia") or "")),
        ("amount", lambda: _amount(row.get("valor_cobrado") or "")),
    ):
        try:
            parsed[key] = reader()
        except ValidationError as exc:
            problems.append(exc.messages[0])
        except ValueError as exc:
            problems.append(str(exc))
    parsed["name"] = (row.get("beneficiario") or "").strip()
    if not parsed["name"] or len(parsed["name"]) > 70:
        problems.append("nome do beneficiário ausente ou com mais de 70 caracteres")
    parsed["kind"] = (row.get("tipo") or "").strip().upper()
    if parsed["kind"] not in ItemKind.values:
        problems.append("tipo deve ser AIH ou APAC")
    parsed["number"] = "".join((row.get("numero") or "").split())
    if not parsed["number"].isdigit() or len(parsed["number"]) > 20:
        problems.append("número AIH/APAC: até 20 dígitos")
    if problems:
        raise ValueError("; ".join(problems))
    return parsed


def _rows(content: bytes):
    if len(content) > MAX_BYTES:
        raise InvalidInput(
            _("Arquivo maior que 5 MB: divida o ABI."), fields={"file": ["Arquivo grande demais."]}
        )
    try:
        decoded = content.decode("utf-8-sig")
    except UnicodeDecodeError:
        decoded = content.decode("latin-1")
    reader = csv.DictReader(io.StringIO(decoded.replace("\x00", "")), delimiter=";")
    header = [h.strip().lower() for h in (reader.fieldnames or [])]
    missing = [c for c in COLUMNS if c not in header]
    if missing:
        message = f"Cabeçalho do ABI sem as colunas: {', '.join(missing)} (separador ';')."
        raise InvalidInput(message, fields={"file": [message]})
    reader.fieldnames = header
    return reader


@transaction.atomic
def persus_import(*, actor: Actor, content: bytes, filename: str = "abi.csv") -> ImportReport:
    """Import an ABI file for the actor's Unimed; a line-by-line report. Lines with errors
    are reported and skipped; the others are applied."""
    actor.require(Module.REGULATORIO, Level.OPERAR)
    if actor.unimed is None:
        raise Forbidden(_("Somente uma Unimed importa o ABI."))
    report = ImportReport()
    demands: dict[str, Demand] = {}
    for index, row in enumerate(_rows(content), start=2):
        if index - 1 > MAX_LINES:
            report.lines.append(
                LineResult(index, "erro", f"Limite de {MAX_LINES} linhas por arquivo.")
            )
            break
        try:
            data = _parse(row)
        except ValueError as exc:
            report.lines.append(LineResult(index, "erro", str(exc)))
            continue
        report.lines.append(_apply(actor, data, index, demands, report))
    added = report.count("criado")
    for demand in demands.values():
        new = [
            line.number
            for line in report.lines
            if line.abi == demand.ans_number and line.status == "criado"
        ]
        if new:
            record(
                demand,
                kind=DemandEventKind.ITENS,
                actor=actor,
                from_status=demand.status,
                message=f"{len(new)} item(ns) importado(s) de {filename[:100]}.",
                payload={"items": new[:200]},
            )
    audit_record(
        actor=actor,
        action="regulatorio.abi_importado",
        target_type="Demand",
        target_id="abi",
        data={"arquivo": filename[:100], **report.summary, "itens": added},
    )
    return report


def _demand_for(actor: Actor, data: dict, demands: dict, report: ImportReport) -> Demand:
    demand = demands.get(data["abi"])
    if demand is None:
        demand = Demand.objects.filter(received_by=actor.unimed, ans_number=data["abi"]).first()
    if demand is None:
        cleaned = {
            "kind": DemandKind.PERSUS_ABI,
            "ans_number": data["abi"],
            "notified_on": data["notified_on"],
            "card": data["card"],
            "beneficiary_name": data["name"],
            "description": "Aviso de Beneficiário Identificado (ABI) importado.",
        }
        demand = demand_insert(actor, cleaned, fingerprint(**cleaned), [])
        report.demands_created += 1
    elif demand.kind != DemandKind.PERSUS_ABI:
        raise ValueError(f"o número {data['abi']} já é de uma {demand.get_kind_display()}")
    demands[data["abi"]] = demand
    return demand


def _created_message(demand: Demand, data: dict) -> str:
    """An ABI may list beneficiaries of other Unimeds: the line says whom to ask."""
    holder = item_holder(data["card"])
    if holder is None:
        return _("Item criado. A carteirinha não é de uma Unimed da rede.")
    if holder.pk != demand.responsible_unimed_id:
        return _(
            "Item criado. Beneficiário da Unimed %(unimed)s (a demanda está com a %(demanda)s): "
            "peça subsídios a ela."
        ) % {"unimed": holder.code, "demanda": demand.responsible_unimed.code}
    return _("Item criado.")


def _apply(actor: Actor, data: dict, line: int, demands: dict, report: ImportReport) -> LineResult:
    try:
        demand = _demand_for(actor, data, demands, report)
    except ValueError as exc:
        return LineResult(line, "erro", str(exc), data["abi"], data["number"])
    item = PersusItem.objects.filter(demand=demand, number=data["number"]).first()
    if item is None:
        PersusItem.objects.create(
            demand=demand,
            item_kind=data["kind"],
            number=data["number"],
            card=data["card"],
            beneficiary_name=data["name"],
            competence=data["competence"],
            amount_charged=data["amount"],
        )
        return LineResult(
            line, "criado", _created_message(demand, data), data["abi"], data["number"]
        )
    if item.amount_charged != data["amount"]:
        return LineResult(
            line,
            "valor_divergente",
            f"{item.item_kind} {item.number}: valor cobrado no arquivo R$ {data['amount']:.2f} "
            f"difere do registrado R$ {item.amount_charged:.2f} — não aplicado; confira o aviso.",
            data["abi"],
            data["number"],
        )
    return LineResult(
        line, "ja_importado", "Já importado, sem mudança.", data["abi"], data["number"]
    )
