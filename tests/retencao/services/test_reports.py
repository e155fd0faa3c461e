"""Retention exports: the indicators are masked like the CPF unless a gestor exports in full."""

from decimal import Decimal

import pytest

from reports import FULL_CPF, MASKED, get_definition
from retencao.services import case_create, case_transition
from unimeds.actors import actor_for_user

pytestmark = pytest.mark.django_db


def test_indicators_are_masked_unless_a_gestor_exports_in_full(network, regua, gestor, seller):
    case_create(actor=actor_for_user(gestor), document="529.982.247-25", name="Cliente Um")
    definition = get_definition("retencao_casos")
    masked = next(iter(definition.rows(actor_for_user(seller), {})))
    assert masked[7] == "***.982.247-**"
    assert masked[11:16] == (MASKED, MASKED, MASKED, MASKED, MASKED)
    full = next(iter(definition.rows(actor_for_user(gestor), {FULL_CPF: True})))
    assert full[7] == "529.982.247-25"
    assert (full[11], str(full[13]), full[14]) == (2, "35.00", 0)
    # a seller's job with the flag (never produced by a form) stays masked
    assert next(iter(definition.rows(actor_for_user(seller), {FULL_CPF: True})))[11] == MASKED


def test_monthly_outcomes(network, regua, gestor):
    from django.utils import timezone

    boss = actor_for_user(gestor)
    case = case_create(actor=boss, document="529.982.247-25", name="Cliente Um")
    for step in ("em_contato", "proposta", "retido"):
        case_transition(
            actor=boss, case_id=case.pk, to_status=step, offer_type="outro", offer_text="x"
        )
    today = timezone.localdate()
    rows = list(get_definition("retencao_resultados").rows(boss, {"start": today, "end": today}))
    assert [r[1:6] for r in rows] == [(1, 1, 0, 0, 100)]
    assert rows[0][6] == Decimal("450")
