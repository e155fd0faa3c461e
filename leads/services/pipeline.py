"""The sales pipeline: one transition service, contact log, won/lost."""

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from core.errors import Conflict, InvalidInput, InvalidTransition
from core.services import audit_record
from leads.models import (
    LEAD_TRANSITIONS,
    RESERVATION_GUARDED_STATUSES,
    DocumentKind,
    Lead,
    LeadEventKind,
    LeadStatus,
)
from leads.selectors import reservation_held_elsewhere
from leads.services.common import lead_for_update, local_date, record_event, require_may_work
from unimeds.actors import Actor

CONTACT_CHANNELS = {
    "telefone": "Telefone",
    "email": "E-mail",
    "whatsapp": "WhatsApp",
    "visita": "Visita",
    "outro": "Outro",
}


def _guard_reservation(lead: Lead) -> None:
    held = reservation_held_elsewhere(lead=lead)
    if held is not None:
        if held.document_kind == DocumentKind.CPF:
            from leads.services.reservations import cpf_unavailable

            raise cpf_unavailable()
        raise Conflict(
            _(
                "Cliente com reserva de mercado da Unimed %(code)s até %(ate)s: não é possível avançar a negociação."
            )
            % {"code": held.unimed.code, "ate": local_date(held.expires_at)},
            code="reserva_existente",
        )


def _transition(
    lead: Lead, actor: Actor, to_status: str, *, note: str = "", reason: str = ""
) -> Lead:
    if to_status not in LeadStatus.values:
        raise InvalidInput(_("Etapa desconhecida."), fields={"status": ["Etapa desconhecida."]})
    if to_status not in LEAD_TRANSITIONS[lead.status]:
        raise InvalidTransition(
            _("Não é possível passar de “%(label)s” para “%(label2)s”.")
            % {"label": LeadStatus(lead.status).label, "label2": LeadStatus(to_status).label}
        )
    if to_status in RESERVATION_GUARDED_STATUSES:
        _guard_reservation(lead)
    reason = " ".join((reason or "").split())
    if to_status == LeadStatus.PERDIDO and len(reason) < 3:
        raise InvalidInput(
            _("Informe o motivo da perda."), fields={"reason": ["Informe o motivo da perda."]}
        )
    before = lead.status
    lead.status = to_status
    fields = ["status", "updated_at"]
    if to_status == LeadStatus.PERDIDO:
        lead.lost_reason = reason[:300]
        fields.append("lost_reason")
    if not lead.is_open:
        lead.closed_at = timezone.now()
        fields.append("closed_at")
    lead.save(update_fields=fields)
    record_event(
        lead,
        actor,
        LeadEventKind.ETAPA,
        from_status=before,
        to_status=to_status,
        note=(note or reason or "").strip()[:2000],
    )
    audit_record(
        actor=actor,
        action="lead.etapa",
        target_type="Lead",
        target_id=lead.pk,
        data={"de": before, "para": to_status, **({"motivo": lead.lost_reason} if reason else {})},
    )
    return lead


@transaction.atomic
def lead_transition(
    *, actor: Actor, lead_id: int, to_status: str, note: str = "", reason: str = ""
) -> Lead:
    """Move the lead along the pipeline (allowed moves are LEAD_TRANSITIONS).

    Losing needs a reason; quoting, proposing and winning are refused while another
    Unimed holds the client's market reservation.
    """
    lead = lead_for_update(actor=actor, lead_id=lead_id)
    require_may_work(actor, lead)
    return _transition(lead, actor, to_status, note=note, reason=reason)


def lead_mark_won(*, actor: Actor, lead_id: int, note: str = "") -> Lead:
    return lead_transition(actor=actor, lead_id=lead_id, to_status=LeadStatus.GANHO, note=note)


def lead_mark_lost(*, actor: Actor, lead_id: int, reason: str) -> Lead:
    return lead_transition(
        actor=actor, lead_id=lead_id, to_status=LeadStatus.PERDIDO, reason=reason
    )


@transaction.atomic
def lead_log_contact(*, actor: Actor, lead_id: int, channel: str, note: str) -> Lead:
    """Record a contact with the prospect; the first one meets the first-contact deadline
    and moves a new lead to "em contato"."""
    lead = lead_for_update(actor=actor, lead_id=lead_id)
    require_may_work(actor, lead)
    errors = {}
    if channel not in CONTACT_CHANNELS:
        errors["channel"] = ["Escolha o canal do contato."]
    note = (note or "").strip()
    if len(note) < 3:
        errors["note"] = ["Descreva o contato."]
    if errors:
        raise InvalidInput(next(iter(errors.values()))[0], fields=errors)
    if not lead.is_open:
        raise InvalidTransition(_("Lead encerrado: não é possível registrar contato."))
    now = timezone.now()
    first = lead.first_contact_at is None
    if first:
        lead.first_contact_at = now
        lead.save(update_fields=["first_contact_at", "updated_at"])
    on_time = timezone.localtime(now).date() <= lead.first_contact_due
    record_event(
        lead,
        actor,
        LeadEventKind.CONTATO,
        note=note[:4000],
        data={"canal": channel, "primeiro": first, **({"no_prazo": on_time} if first else {})},
    )
    audit_record(
        actor=actor,
        action="lead.contato",
        target_type="Lead",
        target_id=lead.pk,
        data={"canal": channel, "primeiro": first},
    )
    if lead.status == LeadStatus.NOVO:
        _transition(lead, actor, LeadStatus.EM_CONTATO, note="Primeiro contato registrado.")
    return lead
