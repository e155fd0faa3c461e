"""The pipeline steps the lead page offers (leads.selectors.lead_stage_choices) are
exactly the ones leads.services.lead_transition accepts, for every stage and actor —
including while another Unimed holds the client's market reservation."""

import pytest
from django.db import transaction

from core.errors import DomainError
from leads.models import Lead, LeadStatus
from leads.selectors import lead_stage_choices
from leads.services import lead_intake, lead_transition, reservation_reserve
from unimeds.actors import actor_for_user
from unimeds.models import Role

pytestmark = pytest.mark.django_db
PATH = {  # how to bring a lead to each stage from "novo"
    LeadStatus.NOVO: [],
    LeadStatus.EM_CONTATO: [LeadStatus.EM_CONTATO],
    LeadStatus.COTACAO: [LeadStatus.EM_CONTATO, LeadStatus.COTACAO],
    LeadStatus.PROPOSTA: [LeadStatus.EM_CONTATO, LeadStatus.COTACAO, LeadStatus.PROPOSTA],
}


class Rollback(Exception):
    pass


def accepted(actor, lead) -> set[str]:
    ok = set()
    for to_status in LeadStatus.values:
        try:
            with transaction.atomic():
                lead_transition(
                    actor=actor, lead_id=lead.pk, to_status=to_status, reason="Sem interesse."
                )
                raise Rollback
        except Rollback:
            ok.add(to_status)
        except DomainError:
            pass
    return ok


@pytest.mark.parametrize("held_elsewhere", [False, True])
@pytest.mark.parametrize("stage", list(PATH))
def test_offered_equals_accepted(
    stage, held_elsewhere, sellers, supervisor, other_unimed, make_staff, intake_kwargs
):
    lead = lead_intake(**intake_kwargs())[0]
    owner = lead.owner
    boss = actor_for_user(supervisor)
    for step in PATH[stage]:
        lead_transition(actor=boss, lead_id=lead.pk, to_status=step)
    if held_elsewhere:
        seller_0025 = make_staff(other_unimed, Role.VENDEDOR, username="vend.0025")
        reservation_reserve(
            actor=actor_for_user(seller_0025), document=lead.document, seller="vend.0025"
        )
    someone_else = next(s for s in sellers if s.pk != owner.pk)
    stranger = make_staff(other_unimed, Role.SUPERVISOR, username="sup.0025")
    for user in (owner, someone_else, supervisor, stranger):
        actor = actor_for_user(user)
        fresh = Lead.objects.get(pk=lead.pk)
        offered = (
            set()
            if actor.unimed_id != fresh.unimed_id
            else set(lead_stage_choices(actor=actor, lead=fresh))
        )
        assert offered == accepted(actor, fresh), (stage, held_elsewhere, user.username)


# --- Every form of the lead page, not only the stages (#19) ----------------------------
def accepted_actions(actor, lead, sellers) -> set[str]:
    from leads.selectors import owner_choices
    from leads.services import lead_log_contact, lead_reassign, reservation_reserve

    other_owner = next(
        (u for u in owner_choices(actor=actor, lead=lead) if u.pk != lead.owner_id), sellers[0]
    )
    attempts = {
        "contato": lambda: lead_log_contact(
            actor=actor, lead_id=lead.pk, channel="telefone", note="Liguei para o cliente."
        ),
        "etapa": lambda: accepted(actor, lead) or (_ for _ in ()).throw(DomainError("nenhuma")),
        "reatribuir": lambda: lead_reassign(actor=actor, lead_id=lead.pk, owner_id=other_owner.pk),
        "reservar": lambda: reservation_reserve(
            actor=actor,
            document=lead.document,
            lead_id=lead.pk,
            seller=(lead.owner.get_username() if lead.owner else None)
            if actor.may("leads", 3)
            else None,
        ),
    }
    ok = set()
    for name, attempt in attempts.items():
        try:
            with transaction.atomic():
                attempt()
                raise Rollback
        except Rollback:
            ok.add(name)
        except DomainError:
            pass
    return ok


@pytest.mark.parametrize("held_elsewhere", [False, True])
@pytest.mark.parametrize("closed", [False, True])
def test_every_form_offered_is_accepted(
    closed, held_elsewhere, sellers, supervisor, other_unimed, make_staff, intake_kwargs, unimed
):
    from leads.selectors import lead_actions
    from unimeds.models import Level, Membership, Module, ModuleGrant

    lead = lead_intake(**intake_kwargs())[0]
    owner = lead.owner
    boss = actor_for_user(supervisor)
    if closed:
        lead_transition(actor=boss, lead_id=lead.pk, to_status=LeadStatus.EM_CONTATO)
        lead_transition(
            actor=boss, lead_id=lead.pk, to_status=LeadStatus.PERDIDO, reason="Sem interesse."
        )
    if held_elsewhere:
        seller_0025 = make_staff(other_unimed, Role.VENDEDOR, username="vend.0025")
        reservation_reserve(
            actor=actor_for_user(seller_0025), document=lead.document, seller="vend.0025"
        )
    reader = make_staff(unimed, Role.VENDEDOR, username="leitor.0137")
    ModuleGrant.objects.create(
        membership=Membership.objects.get(user=reader), module=Module.LEADS, level=Level.CONSULTAR
    )
    someone_else = next(s for s in sellers if s.pk != owner.pk)
    stranger = make_staff(other_unimed, Role.SUPERVISOR, username="sup.0025")
    for user in (owner, someone_else, supervisor, reader, stranger):
        actor = actor_for_user(user)
        fresh = Lead.objects.get(pk=lead.pk)
        offered = set(lead_actions(actor=actor, lead=fresh))
        assert offered == accepted_actions(actor, fresh, sellers), (
            closed,
            held_elsewhere,
            user.username,
        )
