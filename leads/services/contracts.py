"""The active-contract registry: what makes a prospect "já é cliente"."""

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, datetime

from django.db import transaction
from django.utils.translation import gettext as _

from core.errors import DomainError, Forbidden, InvalidInput
from core.services import audit_record
from leads.models import ActiveContract
from leads.services.common import clean_document
from unimeds.actors import Actor
from unimeds.models import Unimed
from unimeds.selectors import unimed_by_code

_TRUE = {"", "s", "sim", "1", "true", "t", "ativo", "a", "y", "yes"}
_FALSE = {"n", "nao", "não", "0", "false", "f", "inativo", "i", "cancelado", "no"}


@dataclass(frozen=True)
class LineResult:
    line: int
    status: str  # criado | atualizado | erro
    message: str
    contract_id: int | None = None


def parse_date(value: object) -> date | None:
    if value in (None, ""):
        return None
    if isinstance(value, datetime):
        return value.date()
    if isinstance(value, date):
        return value
    text = str(value).strip()
    for fmt in ("%d/%m/%Y", "%Y-%m-%d"):
        try:
            return datetime.strptime(text, fmt).date()
        except ValueError:
            continue
    raise InvalidInput(
        _("Data inválida: use DD/MM/AAAA."),
        fields={"dt_inicio": ["Data inválida: use DD/MM/AAAA."]},
    )


def parse_active(value: object) -> bool:
    if isinstance(value, bool):
        return value
    text = str(value if value is not None else "").strip().lower()
    if text in _TRUE:
        return True
    if text in _FALSE:
        return False
    raise InvalidInput(
        _("Campo ativo inválido: use S ou N."),
        fields={"ativo": ["Campo ativo inválido: use S ou N."]},
    )


def _may_load(actor: Actor, unimed: Unimed) -> None:
    if actor.sees_all_unimeds:
        return
    if actor.unimed_id != unimed.pk:
        raise Forbidden(_("Só é possível carregar contratos da própria Unimed."))


@transaction.atomic
def contract_upsert(
    *,
    actor: Actor,
    unimed: Unimed,
    document: str,
    contract_number: str,
    since: date | None = None,
    active: bool = True,
) -> tuple[ActiveContract, bool]:
    """Create or update one contract of `unimed`, keyed by its contract number."""
    _may_load(actor, unimed)
    kind, doc = clean_document(document, field="documento")
    number = str(contract_number or "").strip()
    if not number or len(number) > 40:
        raise InvalidInput(
            _("Número do contrato obrigatório (até 40 caracteres)."),
            fields={"nr_contrato": ["Número do contrato obrigatório (até 40 caracteres)."]},
        )
    contract, created = ActiveContract.objects.select_for_update().get_or_create(
        unimed=unimed,
        contract_number=number,
        defaults={"document_kind": kind, "document": doc, "since": since, "active": active},
    )
    if not created:
        changed = {
            f: v
            for f, v in (
                ("document_kind", kind),
                ("document", doc),
                ("since", since),
                ("active", active),
            )
            if getattr(contract, f) != v
        }
        if not changed:
            return contract, False
        for field, value in changed.items():
            setattr(contract, field, value)
        contract.save(update_fields=[*changed, "updated_at"])
    audit_record(
        actor=actor,
        action="contrato.criado" if created else "contrato.atualizado",
        target_type="ActiveContract",
        target_id=contract.pk,
        data={"unimed": unimed.code, "nr_contrato": number, "ativo": active},
    )
    return contract, created


def contracts_load(
    *, actor: Actor, rows: Iterable[tuple[int, dict]], unimed: Unimed | None = None
) -> list[LineResult]:
    """Load many contracts, each line on its own: a bad line is reported and skipped,
    the good ones are kept. Rows are (line number, {cd_unimed, documento, nr_contrato,
    dt_inicio, ativo}); without cd_unimed the line belongs to `unimed`."""
    results = []
    for line, row in rows:
        try:
            code = str(row.get("cd_unimed") or "").strip()
            if code and code.isdigit():
                code = code.zfill(4)
            target = unimed_by_code(code) if code else unimed
            if target is None:
                raise InvalidInput(
                    f"Unimed {code} não encontrada." if code else "Informe cd_unimed.",
                    fields={"cd_unimed": ["Unimed não encontrada."]},
                )
            if unimed is not None and target.pk != unimed.pk:
                raise Forbidden(
                    _(
                        "Linha da Unimed %(code)s: só é possível carregar contratos da Unimed %(code2)s."
                    )
                    % {"code": target.code, "code2": unimed.code}
                )
            contract, created = contract_upsert(
                actor=actor,
                unimed=target,
                document=row.get("documento"),
                contract_number=row.get("nr_contrato"),
                since=parse_date(row.get("dt_inicio")),
                active=parse_active(row.get("ativo")),
            )
        except DomainError as exc:
            field = next(iter(exc.fields), "")
            results.append(
                LineResult(line, "erro", f"{field}: {exc.message}" if field else exc.message)
            )
            continue
        status = "criado" if created else "atualizado"
        results.append(
            LineResult(line, status, f"Contrato {contract.contract_number} {status}.", contract.pk)
        )
    return results
