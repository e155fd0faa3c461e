"""The régua: rules per Unimed, versioned and audited, and which rule a client meets."""

from dataclasses import asdict, dataclass, field
from decimal import Decimal

from django.db import transaction
from django.db.models import Max
from django.utils import timezone
from django.utils.translation import gettext as _

from core.errors import InvalidInput, NotFound
from core.services import audit_record
from leads.models import AGE_BANDS
from retencao.models import ClientType, RetentionRule, RetentionSettings
from unimeds.actors import Actor
from unimeds.models import Level, Module, Unimed

RULE_FIELDS = (
    "name",
    "priority",
    "client_type",
    "loss_ratio_min",
    "loss_ratio_max",
    "days_late_min",
    "days_late_max",
    "lives_min",
    "lives_max",
    "age_bands",
    "is_active",
)


@dataclass
class Indicators:
    """What the rules look at; None is unknown."""

    client_type: str
    loss_ratio: Decimal | None = None
    days_late: int = 0
    lives: int | None = None
    age_bands: list[str] = field(default_factory=list)
    months_of_contract: int | None = None

    def describe(self) -> str:
        parts = [ClientType(self.client_type).label]
        parts.append(
            f"sinistralidade {self.loss_ratio}%"
            if self.loss_ratio is not None
            else "sem sinistralidade"
        )
        parts.append(f"{self.days_late} dia(s) em atraso")
        parts.append(f"{self.lives} vida(s)" if self.lives is not None else "vidas desconhecidas")
        if self.age_bands:
            parts.append("faixas " + ", ".join(self.age_bands))
        return "; ".join(str(p) for p in parts)

    def as_data(self) -> dict:
        data = asdict(self)
        data["loss_ratio"] = None if self.loss_ratio is None else str(self.loss_ratio)
        return data


def _in_range(value, low, high) -> bool:
    if low is None and high is None:
        return True
    if value is None:
        return False
    return (low is None or value >= low) and (high is None or value <= high)


def rule_matches(rule: RetentionRule, ind: Indicators) -> bool:
    if rule.client_type and rule.client_type != ind.client_type:
        return False
    if rule.age_bands and not set(rule.age_bands) & set(ind.age_bands):
        return False
    return (
        _in_range(ind.loss_ratio, rule.loss_ratio_min, rule.loss_ratio_max)
        and _in_range(ind.days_late, rule.days_late_min, rule.days_late_max)
        and _in_range(ind.lives, rule.lives_min, rule.lives_max)
    )


def current_rules(unimed: Unimed):
    return RetentionRule.objects.filter(unimed=unimed, superseded_at__isnull=True, is_active=True)


def rule_for(unimed: Unimed, ind: Indicators) -> tuple[RetentionRule | None, str]:
    """The first current rule (by priority) the client meets, or None and why not."""
    rules = list(current_rules(unimed).order_by("priority", "key"))
    if not rules:
        return None, "Fora da régua: a Unimed não tem regra de retenção ativa."
    for rule in rules:
        if rule_matches(rule, ind):
            return rule, ""
    names = ", ".join(r.name for r in rules[:5])
    return None, f"Fora da régua: nenhuma regra atende ({ind.describe()}). Regras: {names}."


def _clean(data: dict) -> dict:
    errors: dict[str, list[str]] = {}
    name = str(data.get("name") or "").strip()
    if not name or len(name) > 80:
        errors["name"] = ["Dê um nome à regra (até 80 caracteres)."]
    try:
        raw = data.get("priority")
        priority = 1 if raw in (None, "") else int(raw)
    except (TypeError, ValueError):
        priority = 0
    if not 1 <= priority <= 99:
        errors["priority"] = ["Prioridade de 1 (mais alta) a 99."]
    client_type = data.get("client_type") or ""
    if client_type not in ("", *ClientType.values):
        errors["client_type"] = ["Tipo de cliente: PF, PJ ou qualquer."]
    bands = list(data.get("age_bands") or [])
    if any(b not in AGE_BANDS for b in bands):
        errors["age_bands"] = [f"Faixas etárias aceitas: {', '.join(AGE_BANDS)}."]
    for low, high, label in (
        ("loss_ratio_min", "loss_ratio_max", "sinistralidade"),
        ("days_late_min", "days_late_max", "dias em atraso"),
        ("lives_min", "lives_max", "vidas"),
    ):
        lo, hi = data.get(low), data.get(high)
        for key, value in ((low, lo), (high, hi)):
            if value is not None and value < 0:
                errors[key] = ["Use um valor positivo."]
        if lo is not None and hi is not None and lo > hi:
            errors[high] = [f"O máximo de {label} é menor que o mínimo."]
    if errors:
        raise InvalidInput(next(iter(errors.values()))[0], fields=errors)
    cleaned = {f: data.get(f) for f in RULE_FIELDS}
    cleaned.update(
        name=name,
        priority=priority,
        client_type=client_type,
        age_bands=bands,
        is_active=bool(data.get("is_active", True)),
    )
    return cleaned


def _snapshot(rule: RetentionRule) -> dict:
    values = {f: getattr(rule, f) for f in RULE_FIELDS}
    return {f: str(v) if isinstance(v, Decimal) else v for f, v in values.items()}


@transaction.atomic
def rule_create(*, actor: Actor, **data) -> RetentionRule:
    """The gestor adds a rule to the Unimed's régua (version 1)."""
    actor.require(Module.RETENCAO, Level.ADMINISTRAR)
    if actor.unimed is None:
        raise InvalidInput(_("Regras de retenção são de uma Unimed."))
    cleaned = _clean(data)
    # Numbering under the Unimed's settings lock: two gestores never take one key.
    settings_locked(actor.unimed)
    last = RetentionRule.objects.filter(unimed=actor.unimed).aggregate(m=Max("key"))["m"] or 0
    rule = RetentionRule.objects.create(
        unimed=actor.unimed, key=last + 1, version=1, created_by=actor.label, **cleaned
    )
    audit_record(
        actor=actor,
        action="retencao.regra_criada",
        target_type="RetentionRule",
        target_id=rule.pk,
        data={"regra": rule.key, "versao": 1, **_snapshot(rule)},
    )
    return rule


@transaction.atomic
def rule_update(*, actor: Actor, rule_id: int, **data) -> RetentionRule:
    """A change writes the next version; cases opened under the old one keep it."""
    actor.require(Module.RETENCAO, Level.ADMINISTRAR)
    try:
        # Lock the current version: two simultaneous edits make versions n+1 and n+2.
        current = RetentionRule.objects.select_for_update().get(
            pk=rule_id, unimed_id=actor.unimed_id, superseded_at__isnull=True
        )
    except (RetentionRule.DoesNotExist, ValueError, TypeError):
        raise NotFound(_("Regra não encontrada (ou já substituída por outra versão).")) from None
    cleaned = _clean(data)
    before = _snapshot(current)
    if all(getattr(current, f) == cleaned[f] for f in RULE_FIELDS):
        raise InvalidInput(_("Nada mudou na regra."))
    current.superseded_at = timezone.now()
    current.save(update_fields=["superseded_at"])
    rule = RetentionRule.objects.create(
        unimed=current.unimed,
        key=current.key,
        version=current.version + 1,
        created_by=actor.label,
        **cleaned,
    )
    audit_record(
        actor=actor,
        action="retencao.regra_alterada",
        target_type="RetentionRule",
        target_id=rule.pk,
        data={
            "regra": rule.key,
            "versao": rule.version,
            "antes": before,
            "depois": _snapshot(rule),
        },
    )
    return rule


def settings_locked(unimed: Unimed) -> RetentionSettings:
    RetentionSettings.objects.get_or_create(unimed=unimed)
    return RetentionSettings.objects.select_for_update().get(unimed=unimed)


@transaction.atomic
def retention_settings_update(*, actor: Actor, first_contact_days: int) -> RetentionSettings:
    """The gestor sets the first-contact deadline (business days) of new cases."""
    actor.require(Module.RETENCAO, Level.ADMINISTRAR)
    if actor.unimed is None:
        raise InvalidInput(_("A configuração de retenção é de uma Unimed."))
    if not isinstance(first_contact_days, int) or not 0 <= first_contact_days <= 30:
        msg = "Prazo do primeiro contato: de 0 a 30 dias úteis."
        raise InvalidInput(msg, fields={"first_contact_days": [msg]})
    conf = settings_locked(actor.unimed)
    before = conf.first_contact_days
    conf.first_contact_days = first_contact_days
    conf.save(update_fields=["first_contact_days", "updated_at"])
    audit_record(
        actor=actor,
        action="retencao.prazo_primeiro_contato",
        target_type="RetentionSettings",
        target_id=conf.pk,
        data={"de": before, "para": first_contact_days},
    )
    return conf
