"""Celery tasks of the leads app: thin wrappers around services, taking primary keys."""

from celery import shared_task
from django.core.mail import send_mail
from django.urls import reverse

from core.mail import site_url
from leads.models import Lead
from leads.services import reservations_expire as _reservations_expire


@shared_task(name="leads.reservations_expire")
def reservations_expire() -> int:
    """Periodic (CELERY_BEAT_SCHEDULE): expire market reservations past their date."""
    return _reservations_expire()


@shared_task(name="leads.lead_assigned_notify")
def lead_assigned_notify(lead_id: int) -> bool:
    """E-mail the lead's current owner that it is theirs; quiet if gone or ownerless."""
    lead = Lead.objects.select_related("owner", "unimed", "municipality").filter(pk=lead_id).first()
    if lead is None or lead.owner is None or not lead.owner.email:
        return False
    url = site_url(reverse("leads:detail", args=[lead.pk]))
    send_mail(
        subject=f"GPU — novo lead #{lead.pk} para você",
        message=(
            f"Olá, {lead.owner.get_full_name() or lead.owner.get_username()}.\n\n"
            f"O lead #{lead.pk} ({lead.display_name}, {lead.municipality.name}/{lead.municipality.uf}) "
            f"foi atribuído a você. Primeiro contato até {lead.first_contact_due:%d/%m/%Y}.\n"
            f"Abra no painel: {url}\n"
        ),
        from_email=None,
        recipient_list=[lead.owner.email],
    )
    return True
