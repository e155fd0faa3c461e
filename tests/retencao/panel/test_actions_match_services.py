"""The statuses the case page offers (retencao.selectors.case_stage_choices) are exactly
the ones retencao.services.case_transition accepts, for every status and actor."""

import pytest
from django.db import transaction

from core.errors import DomainError
from retencao.models import CaseStatus, OfferType, RetentionCase
from retencao.selectors import case_stage_choices
from retencao.services import case_create, case_transition
from tests.factories import staff_user
from unimeds.actors import actor_for_user

pytestmark = pytest.mark.django_db
PATH = {
    CaseStatus.ABERTO: [],
    CaseStatus.EM_CONTATO: [CaseStatus.EM_CONTATO],
    CaseStatus.PROPOSTA: [CaseStatus.EM_CONTATO, CaseStatus.PROPOSTA],
    CaseStatus.RETIDO: [CaseStatus.EM_CONTATO, CaseStatus.PROPOSTA, CaseStatus.RETIDO],
    CaseStatus.SEM_CONTATO: [CaseStatus.SEM_CONTATO],
}
FULL = {"reason": "Motivo.", "offer_type": OfferType.DESCONTO, "offer_text": "10% por 6 meses."}


class Rollback(Exception):
    pass


def accepted(actor, case) -> set[str]:
    ok = set()
    for to_status in CaseStatus.values:
        try:
            with transaction.atomic():
                case_transition(actor=actor, case_id=case.pk, to_status=to_status, **FULL)
                raise Rollback
        except Rollback:
            ok.add(to_status)
        except DomainError:
            pass
    return ok


@pytest.mark.parametrize("status", list(PATH))
def test_offered_equals_accepted(status, network, regua, gestor, seller):
    boss = actor_for_user(gestor)
    case = case_create(actor=boss, document="529.982.247-25", name="Cliente")
    for step in PATH[status]:
        case_transition(actor=boss, case_id=case.pk, to_status=step, **FULL)
    other_seller = staff_user(network["0137"], "vendedor", username="vend2.0137")
    attendant = staff_user(network["0137"], "atendente")
    stranger = staff_user(network["0025"], "gestor")
    for user in (seller, other_seller, gestor, attendant, stranger):
        actor = actor_for_user(user)
        fresh = RetentionCase.objects.get(pk=case.pk)
        offered = (
            set()
            if actor.unimed_id != fresh.unimed_id
            else set(case_stage_choices(actor=actor, case=fresh))
        )
        assert offered == accepted(actor, fresh), (status, user.username)
