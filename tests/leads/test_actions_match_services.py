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
