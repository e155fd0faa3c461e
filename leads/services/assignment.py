"""Who works a lead: automatic distribution among sellers, reassignment, the gestor's rule."""

from collections.abc import Callable

from django.contrib.auth import get_user_model
from django.db import transaction
from django.db.models import Count, Q
from django.utils.translation import gettext as _

from core.errors import Forbidden, InvalidInput
from core.services import audit_record
from leads.models import (
    CLOSED_STATUSES,
    AssignmentRule,
    Lead,
    LeadEventKind,
    LeadSettings,
    LeadTeam,
)
from leads.services.common import lead_for_update, record_event, require_supervisor
from unimeds.actors import Actor
from unimeds.assignment import assignee_pick, settings_locked
from unimeds.models import Level, Module, Role, Unimed
from unimeds.selectors import sellers_of

User = get_user_model()


def open_leads_per_seller(unimed: Unimed, sellers: list) -> dict[int, int]:
    return dict(
        Lead.objects.filter(unimed=unimed, owner__in=sellers)
        .exclude(status__in=CLOSED_STATUSES)
        .values_list("owner")
        .annotate(n=Count("pk"))
        .values_list("owner", "n")
    )


def seller_pick(
    *, unimed: Unimed, open_work: Callable[[Unimed, list], dict[int, int]] | None = None
) -> tuple[object | None, str]:
    """The seller the Unimed's rule chooses for the next lead (or other piece of sales
    work: `open_work` counts each seller's open items for the "fewest open" rule; the
    rodízio cursor is one per Unimed), and the rule used."""
    conf = settings_locked(LeadSettings, unimed)
    count = open_work or open_leads_per_seller

    def open_counts(sellers):
        return count(unimed, list(sellers))

    return assignee_pick(conf, sellers_of(unimed), open_counts), conf.assignment_rule


def notify_owner_on_commit(lead: Lead) -> None:
    """Queue the "new lead for you" e-mail in the lead's own transaction: the outbox row
    (core.mail) commits with the assignment, and leaves once whatever the broker does."""
    from leads.tasks import lead_assigned_notify

    lead_assigned_notify(lead.pk)


def assign_new_lead(*, lead: Lead, actor: Actor) -> None:
    """Give a fresh sales lead to a seller by the Unimed's rule (or leave it in the queue)."""
    seller, rule = seller_pick(unimed=lead.unimed)
    if seller is None:
        record_event(
            lead,
            actor,
            LeadEventKind.SEM_VENDEDOR,
            note="Nenhum vendedor ativo nesta Unimed: o lead aguarda distribuição pelo supervisor.",
        )
        return
    lead.owner = seller
    lead.save(update_fields=["owner", "updated_at"])
    record_event(
        lead,
        actor,
        LeadEventKind.ATRIBUIDO,
        note=f"Distribuído para {seller.get_username()}.",
        data={"vendedor": seller.get_username(), "regra": rule},
    )
    notify_owner_on_commit(lead)


def _eligible_owner(lead: Lead, owner_id: object):
    roles = [Role.VENDEDOR] if lead.team == LeadTeam.VENDAS else list(Role.values)
    try:
        return (
            User.objects.filter(
                Q(membership__grants__role__in=roles),
                is_active=True,
                membership__unimed_id=lead.unimed_id,
            )
            .distinct()
            .get(pk=owner_id)
        )
    except (User.DoesNotExist, ValueError, TypeError):
        what = "um vendedor ativo" if lead.team == LeadTeam.VENDAS else "um usuário ativo"
        msg = f"Escolha {what} desta Unimed."
        raise InvalidInput(msg, fields={"owner": [msg]}) from None


@transaction.atomic
def lead_reassign(*, actor: Actor, lead_id: int, owner_id: int, note: str = "") -> Lead:
    """A supervisor hands the lead to another seller (or, for clients, to anyone of the team)."""
    lead = lead_for_update(actor=actor, lead_id=lead_id)
    require_supervisor(actor, lead)
    if not lead.is_open:
        raise InvalidInput(_("Lead encerrado não pode ser reatribuído."))
    new_owner = _eligible_owner(lead, owner_id)
    previous = lead.owner.get_username() if lead.owner else ""
    if lead.owner_id == new_owner.pk:
        raise InvalidInput(
            _("O lead já está com este responsável."),
            fields={"owner": ["O lead já está com este responsável."]},
        )
    lead.owner = new_owner
    lead.save(update_fields=["owner", "updated_at"])
    data = {"de": previous, "para": new_owner.get_username()}
    record_event(
        lead,
        actor,
        LeadEventKind.REATRIBUIDO,
        note=note.strip() or f"Reatribuído para {new_owner.get_username()}.",
        data=data,
    )
    audit_record(
        actor=actor, action="lead.reatribuido", target_type="Lead", target_id=lead.pk, data=data
    )
    notify_owner_on_commit(lead)
    return lead


@transaction.atomic
def lead_settings_update(*, actor: Actor, assignment_rule: str) -> LeadSettings:
    """The gestor chooses how new leads are distributed among the Unimed's sellers."""
    if actor.unimed is None or not actor.may(Module.LEADS, Level.ADMINISTRAR):
        raise Forbidden(
            _("Somente quem administra os leads da Unimed altera a regra de distribuição.")
        )
    if assignment_rule not in AssignmentRule.values:
        raise InvalidInput(
            _("Regra de distribuição desconhecida."),
            fields={"assignment_rule": ["Regra de distribuição desconhecida."]},
        )
    conf = settings_locked(LeadSettings, actor.unimed)
    before = conf.assignment_rule
    conf.assignment_rule = assignment_rule
    conf.save(update_fields=["assignment_rule", "updated_at"])
    audit_record(
        actor=actor,
        action="leads.regra_distribuicao",
        target_type="LeadSettings",
        target_id=conf.pk,
        data={"de": before, "para": assignment_rule},
    )
    return conf
