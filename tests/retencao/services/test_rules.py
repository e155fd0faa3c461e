"""Rules are data, versioned and audited: a change applies to new cases only."""

from decimal import Decimal

import pytest

from core.errors import Forbidden, InvalidInput
from core.models import AuditEvent
from retencao.models import OutOfRule, RetentionCase, RetentionRule
from retencao.services import rule_create, rule_update
from retencao.services.feeds import bill_load
from tests.factories import staff_user
from tests.retencao.conftest import CPF_IN
from unimeds.actors import actor_for_user, system_actor

pytestmark = pytest.mark.django_db
OTHER_CPF = "39053344705"


def _bill(network, doc, number, late=10):
    row = {
        "documento": doc,
        "nr_contrato": "C-" + number,
        "fatura": number,
        "vencimento": "01/11/2026",
        "valor": "300",
        "dias_atraso": late,
    }
    return bill_load(actor=system_actor(), unimed=network["0137"], row=row)


def test_a_rule_change_applies_to_new_cases_only(network, regua, gestor):
    old = regua["small"]
    first = _bill(network, CPF_IN, "F-1")
    case = RetentionCase.objects.get(pk=first.case_id)
    assert (case.rule, case.priority) == (old, 1)

    new = rule_update(
        actor=actor_for_user(gestor),
        rule_id=old.pk,
        name="PF pequeno",
        priority=3,
        client_type="pf",
        lives_max=10,
        loss_ratio_max=Decimal("80"),
    )
    assert (new.key, new.version, new.priority) == (old.key, 2, 3)
    old.refresh_from_db()
    assert old.superseded_at is not None

    case.refresh_from_db()
    assert (case.rule_id, case.priority) == (old.pk, 1)  # the old case keeps its version
    second = _bill(network, OTHER_CPF, "F-2")  # no indicators: lives unknown → no "PF pequeno"
    assert second.status == "fora_da_regua"
    assert "sem sinistralidade" in OutOfRule.objects.get().reason
    assert AuditEvent.objects.filter(
        action="retencao.regra_alterada", target_id=str(new.pk)
    ).exists()
    with pytest.raises(InvalidInput, match="Nada mudou"):
        rule_update(
            actor=actor_for_user(gestor),
            rule_id=new.pk,
            name="PF pequeno",
            priority=3,
            client_type="pf",
            lives_max=10,
            loss_ratio_max=Decimal("80.00"),
        )


def test_new_cases_take_the_new_version(network, regua, gestor):
    new = rule_update(
        actor=actor_for_user(gestor),
        rule_id=regua["late"].pk,
        name="Atraso",
        priority=2,
        days_late_min=5,
    )
    result = _bill(network, OTHER_CPF, "F-3", late=6)
    assert RetentionCase.objects.get(pk=result.case_id).rule == new
    assert RetentionRule.objects.filter(key=new.key).count() == 2


def test_only_who_administers_retention_edits_rules(network, regua, seller):
    with pytest.raises(Forbidden):
        rule_create(actor=actor_for_user(seller), name="Minha", priority=1)
    with pytest.raises(Forbidden):
        rule_update(actor=actor_for_user(seller), rule_id=regua["small"].pk, name="x", priority=1)


def test_bad_rules_are_refused_with_reasons(network, gestor):
    with pytest.raises(InvalidInput) as exc:
        rule_create(
            actor=actor_for_user(gestor),
            name="",
            priority=0,
            lives_min=5,
            lives_max=2,
            age_bands=["x"],
        )
    assert set(exc.value.fields) == {"name", "priority", "lives_max", "age_bands"}


def test_another_unimeds_rule_is_not_found(network, regua):
    from core.errors import NotFound

    stranger = staff_user(network["0025"], "gestor")
    with pytest.raises(NotFound):
        rule_update(actor=actor_for_user(stranger), rule_id=regua["small"].pk, name="x", priority=1)
