"""Reads of retention, always scoped by the acting Actor's Unimed."""

from django.contrib.auth import get_user_model
from django.db.models import Q, QuerySet
from django.utils.translation import gettext as _

from core.errors import NotFound
from retencao.models import (
    CASE_TRANSITIONS,
    CLOSED_STATUSES,
    CaseStatus,
    ContractIndicators,
    OutOfRule,
    OverdueBill,
    RetentionCase,
    RetentionRule,
    RetentionSettings,
)
from unimeds.actors import Actor, ActorKind
from unimeds.models import Level, Module, Unimed

User = get_user_model()


def supervises(actor: Actor) -> bool:
    """Administers retention for the Unimed: sees and works every case."""
    return actor.may(Module.RETENCAO, Level.ADMINISTRAR) or actor.kind == ActorKind.SERVICE


def cases_visible(*, actor: Actor) -> QuerySet[RetentionCase]:
    """Supervisors and the Unimed's system see all its cases; anyone else with the module
    sees the cases they own and the ones nobody owns yet (the queue)."""
    qs = RetentionCase.objects.select_related("unimed", "owner", "rule", "protocol")
    if actor.sees_all_unimeds:
        return qs
    if actor.unimed is None or not actor.may(Module.RETENCAO):
        return qs.none()
    qs = qs.filter(unimed_id=actor.unimed_id)
    if supervises(actor):
        return qs
    if actor.user is not None:
        return qs.filter(Q(owner_id=actor.user.pk) | Q(owner__isnull=True))
    return qs.none()


def case_queue(*, actor: Actor, queue: str = "", filters: dict | None = None) -> QuerySet:
    """A queue (inadimplentes / adimplentes), open cases first by priority then deadline."""
    f = {k: v for k, v in (filters or {}).items() if v not in (None, "")}
    qs = cases_visible(actor=actor)
    if queue:
        qs = qs.filter(queue=queue)
    if f.get("status") == "abertos" or "status" not in f:
        qs = qs.exclude(status__in=CLOSED_STATUSES)
    elif f["status"] != "todos":
        qs = qs.filter(status=f["status"])
    if f.get("owner") == "nenhum":
        qs = qs.filter(owner__isnull=True)
    elif f.get("owner"):
        qs = qs.filter(owner_id=f["owner"])
    if f.get("origin"):
        qs = qs.filter(origin=f["origin"])
    if f.get("q"):
        term = str(f["q"]).strip()
        compact = "".join(ch for ch in term.upper() if ch.isalnum())
        cond = Q(name__icontains=term) | Q(contract_number__iexact=term)
        if len(compact) >= 4:
            cond |= Q(document__startswith=compact)
        qs = qs.filter(cond)
    return qs.order_by("priority", "first_contact_due", "opened_at", "id")


def case_get(*, actor: Actor, case_id: int) -> RetentionCase:
    """The case, or NotFound (404) — also for another Unimed's case."""
    try:
        return cases_visible(actor=actor).get(pk=case_id)
    except (RetentionCase.DoesNotExist, ValueError, TypeError, OverflowError):
        raise NotFound(_("Caso de retenção não encontrado.")) from None


def case_events(*, case: RetentionCase):
    return case.events.select_related("user").order_by("at", "id")


def case_bills(*, case: RetentionCase):
    return OverdueBill.objects.filter(unimed_id=case.unimed_id, document=case.document).order_by(
        "-due_date"
    )


def case_may_work(actor: Actor, case: RetentionCase) -> bool:
    if actor.unimed_id != case.unimed_id or not actor.may(Module.RETENCAO, Level.OPERAR):
        return False
    if supervises(actor):
        return True
    return actor.user is not None and case.owner_id in (None, actor.user.pk)


def case_stage_choices(*, actor: Actor, case: RetentionCase) -> list[str]:
    """The statuses the case page offers: exactly what case_transition accepts."""
    if not case.is_open or not case_may_work(actor, case):
        return []
    return sorted(CASE_TRANSITIONS[case.status], key=CaseStatus.values.index)


def retention_members(unimed_id: int | None) -> list:
    """Active members of the Unimed who work retention (operar or more)."""
    members = (
        User.objects.filter(is_active=True, membership__unimed_id=unimed_id)
        .select_related("membership")
        .prefetch_related("membership__grants", "membership__module_grants")
        .order_by("first_name", "username")
    )
    return [
        u for u in members if u.membership.levels.get(Module.RETENCAO, Level.NENHUM) >= Level.OPERAR
    ]


def owner_choices(*, actor: Actor, case: RetentionCase) -> list:
    """Who a supervisor may hand the case to."""
    if not supervises(actor) or actor.unimed_id != case.unimed_id:
        return []
    return [u for u in retention_members(case.unimed_id) if u.pk != case.owner_id]


def open_case_for(*, unimed: Unimed, document: str) -> RetentionCase | None:
    return (
        RetentionCase.objects.filter(unimed=unimed, document=document)
        .exclude(status__in=CLOSED_STATUSES)
        .first()
    )


def indicators_for(*, unimed: Unimed, document: str, contract_number: str = ""):
    qs = ContractIndicators.objects.filter(unimed=unimed)
    if contract_number:
        found = qs.filter(contract_number=contract_number).first()
        if found is not None:
            return found
    return qs.filter(document=document).order_by("-updated_at").first()


def rules_current(*, actor: Actor) -> QuerySet[RetentionRule]:
    """The régua as it stands (inactive rules included, marked), by priority."""
    return RetentionRule.objects.filter(
        unimed_id=actor.unimed_id, superseded_at__isnull=True
    ).order_by("-is_active", "priority", "key")


def rule_versions(*, actor: Actor, key: int) -> QuerySet[RetentionRule]:
    return RetentionRule.objects.filter(unimed_id=actor.unimed_id, key=key).order_by("-version")


def rule_get_current(*, actor: Actor, rule_id: int) -> RetentionRule:
    try:
        return rules_current(actor=actor).get(pk=rule_id)
    except (RetentionRule.DoesNotExist, ValueError, TypeError, OverflowError):
        raise NotFound(_("Regra não encontrada.")) from None


def retention_settings_get(*, actor: Actor) -> RetentionSettings:
    return RetentionSettings.objects.filter(unimed_id=actor.unimed_id).first() or RetentionSettings(
        unimed=actor.unimed
    )


def out_of_rule_list(*, actor: Actor) -> QuerySet[OutOfRule]:
    qs = OutOfRule.objects.select_related("protocol")
    if actor.sees_all_unimeds:
        return qs
    if actor.unimed is None or not actor.may(Module.RETENCAO):
        return qs.none()
    return qs.filter(unimed_id=actor.unimed_id)


def protocol_case_links(actor: Actor, protocol) -> list[tuple[str, str]]:
    """The protocol page's links to the retention cases it opened, for whoever may see them."""
    from django.urls import reverse

    return [
        (
            f"Caso de retenção #{case.pk} ({case.get_status_display()})",
            reverse("retencao:detail", args=[case.pk]),
        )
        for case in cases_visible(actor=actor).filter(protocol=protocol)
    ]
