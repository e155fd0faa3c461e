"""Helpers shared by the lead services: locking, permission checks, timeline events."""

from datetime import date, datetime

from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.translation import gettext as _

from core.errors import Forbidden, InvalidInput, NotFound
from core.identifiers import normalize_document
from leads.models import Lead, LeadEvent
from leads.selectors import is_supervisor_of, lead_may_work, leads_of_unimed
from unimeds.actors import Actor, ActorKind


def local_date(value: datetime | date) -> str:
    """DD/MM/AAAA in America/Sao_Paulo, as every user-facing message shows dates."""
    if isinstance(value, datetime):
        value = timezone.localtime(value).date()
    return value.strftime("%d/%m/%Y")


def clean_document(value: object, *, field: str = "document") -> tuple[str, str]:
    try:
        return normalize_document(value)
    except ValidationError as exc:
        raise InvalidInput(exc.messages[0], fields={field: exc.messages}) from None


def lead_for_update(*, actor: Actor, lead_id: int) -> Lead:
    """Lock the lead row: every change to a lead is serialised on it."""
    qs = leads_of_unimed(actor=actor).select_for_update(of=("self",))
    qs = qs.select_related("unimed", "owner")
    try:
        return qs.get(pk=lead_id)
    except (Lead.DoesNotExist, ValueError, TypeError):
        raise NotFound(_("Lead não encontrado nesta Unimed.")) from None


def require_may_work(actor: Actor, lead: Lead) -> None:
    """The owner works the lead; supervisors, gestores and the Unimed's system may too."""
    if not lead_may_work(actor, lead):
        raise Forbidden(_("Somente o responsável pelo lead ou um supervisor pode alterá-lo."))


def require_supervisor(actor: Actor, lead: Lead) -> None:
    if not is_supervisor_of(actor, lead.unimed_id) or actor.kind == ActorKind.SERVICE:
        raise Forbidden(_("Somente um supervisor ou gestor da Unimed pode fazer isto."))


def record_event(
    lead: Lead,
    actor: Actor | None,
    kind: str,
    *,
    note: str = "",
    data: dict | None = None,
    from_status: str = "",
    to_status: str = "",
) -> LeadEvent:
    return LeadEvent.objects.create(
        lead=lead,
        kind=kind,
        note=note,
        data=data or {},
        from_status=from_status,
        to_status=to_status,
        actor=actor.label if actor else "system",
        user=getattr(actor, "user", None),
    )
