import pytest

from core.errors import Conflict, Forbidden, InvalidInput, InvalidTransition, NotFound
from core.models import AuditEvent
from leads.models import LeadEventKind, LeadStatus
from leads.services import (
    lead_intake,
    lead_log_contact,
    lead_mark_lost,
    lead_mark_won,
    lead_reassign,
    lead_transition,
    reservation_reserve,
)
from unimeds.actors import actor_for_user
from unimeds.models import Role


@pytest.fixture
def lead(sellers, intake_kwargs):
    return lead_intake(**intake_kwargs())[0]


@pytest.mark.django_db
def test_full_pipeline_to_won(lead):
    owner = actor_for_user(lead.owner)
    lead_log_contact(
        actor=owner, lead_id=lead.pk, channel="telefone", note="Ligação, pediu proposta."
    )
    lead.refresh_from_db()
    assert lead.status == LeadStatus.EM_CONTATO and lead.first_contact_at is not None
    for step in (LeadStatus.COTACAO, LeadStatus.PROPOSTA):
        lead_transition(actor=owner, lead_id=lead.pk, to_status=step)
    won = lead_mark_won(actor=owner, lead_id=lead.pk, note="Contrato assinado")
    assert won.status == LeadStatus.GANHO and won.closed_at is not None
    moves = list(
        lead.events.filter(kind=LeadEventKind.ETAPA).values_list("from_status", "to_status")
    )
    assert moves == [
        ("novo", "em_contato"),
        ("em_contato", "cotacao"),
        ("cotacao", "proposta"),
        ("proposta", "ganho"),
    ]
    assert AuditEvent.objects.filter(action="lead.etapa", target_id=str(lead.pk)).count() == 4


@pytest.mark.django_db
def test_skipping_stages_is_refused(lead):
    with pytest.raises(InvalidTransition, match="Novo"):
        lead_transition(
            actor=actor_for_user(lead.owner), lead_id=lead.pk, to_status=LeadStatus.GANHO
        )
    lead.refresh_from_db()
    assert lead.status == LeadStatus.NOVO


@pytest.mark.django_db
def test_lost_needs_reason_and_is_final(lead):
    owner = actor_for_user(lead.owner)
    with pytest.raises(InvalidInput) as exc:
        lead_mark_lost(actor=owner, lead_id=lead.pk, reason=" ")
    assert "reason" in exc.value.fields
    lost = lead_mark_lost(actor=owner, lead_id=lead.pk, reason="Preço acima do concorrente")
    assert lost.lost_reason == "Preço acima do concorrente"
    with pytest.raises(InvalidTransition):
        lead_transition(actor=owner, lead_id=lead.pk, to_status=LeadStatus.EM_CONTATO)
    with pytest.raises(InvalidTransition):
        lead_log_contact(actor=owner, lead_id=lead.pk, channel="email", note="tarde demais")


@pytest.mark.django_db
def test_other_seller_cannot_work_lead_and_other_unimed_cannot_see_it(
    lead, sellers, other_unimed, make_staff
):
    stranger = next(s for s in sellers if s != lead.owner)
    with pytest.raises(Forbidden):
        lead_log_contact(
            actor=actor_for_user(stranger), lead_id=lead.pk, channel="email", note="olá"
        )
    rival_sup = make_staff(other_unimed, Role.SUPERVISOR)
    with pytest.raises(NotFound):
        lead_transition(
            actor=actor_for_user(rival_sup), lead_id=lead.pk, to_status=LeadStatus.EM_CONTATO
        )


@pytest.mark.django_db
def test_contact_needs_channel_and_note(lead):
    with pytest.raises(InvalidInput) as exc:
        lead_log_contact(
            actor=actor_for_user(lead.owner), lead_id=lead.pk, channel="pombo", note=""
        )
    assert set(exc.value.fields) == {"channel", "note"}


@pytest.mark.django_db
def test_reassign_only_by_supervisor_to_a_seller(lead, sellers, supervisor, make_staff, unimed):
    target = next(s for s in sellers if s != lead.owner)
    with pytest.raises(Forbidden):
        lead_reassign(actor=actor_for_user(lead.owner), lead_id=lead.pk, owner_id=target.pk)
    clerk = make_staff(unimed, Role.ATENDENTE)
    with pytest.raises(InvalidInput):
        lead_reassign(actor=actor_for_user(supervisor), lead_id=lead.pk, owner_id=clerk.pk)
    previous = lead.owner.username
    lead = lead_reassign(
        actor=actor_for_user(supervisor), lead_id=lead.pk, owner_id=target.pk, note="Férias"
    )
    assert lead.owner == target
    event = lead.events.get(kind=LeadEventKind.REATRIBUIDO)
    assert event.data == {"de": previous, "para": target.username} and event.note == "Férias"
    assert AuditEvent.objects.filter(action="lead.reatribuido").exists()


@pytest.mark.django_db
def test_quote_refused_while_another_unimed_holds_reservation(lead, other_unimed, make_staff):
    rival = make_staff(other_unimed, Role.VENDEDOR)
    owner = actor_for_user(lead.owner)
    lead_log_contact(actor=owner, lead_id=lead.pk, channel="telefone", note="primeiro contato")
    reservation_reserve(actor=actor_for_user(rival), document=lead.document)
    with pytest.raises(Conflict, match="Unimed 0025") as exc:
        lead_transition(actor=owner, lead_id=lead.pk, to_status=LeadStatus.COTACAO)
    assert exc.value.code == "reserva_existente" and rival.username not in exc.value.message
