"""Reads of cooperados, always scoped by the acting user's Unimed."""

from django.db.models import Q, QuerySet

from cooperados.models import BulkJob, Cooperado, Profile, Situation, search_key
from cooperados.services.common import AUDIT_TARGET, managed_unimed, scoped_cooperados
from core.errors import NotFound
from core.identifiers import only_digits
from core.models import AuditEvent
from unimeds.actors import Actor

AUDIT_TARGETS = (AUDIT_TARGET, "cooperados.bulkjob", "cooperados.a400", "cooperados.relatorio")


def normalize_login(value: str) -> str:
    return "".join(c for c in (value or "") if c.isalnum()).upper()


def cooperado_search(*, actor: Actor, unimed_code: str | None = None, name: str = "", login: str = "",
                     email: str = "", cpf: str = "", situation: str = "", profile: str = "") -> QuerySet[Cooperado]:
    """The legacy "Localizar": name fragment and/or login (CRM) prefix, e-mail prefix
    (either e-mail), CPF (whole or prefix), situation, profile — within one Unimed.
    Every filter is index-backed on PostgreSQL (see the model and migration 0002)."""
    unimed = managed_unimed(actor, unimed_code)
    qs = Cooperado.objects.filter(unimed=unimed).select_related("unimed")
    if name := search_key(name):
        qs = qs.filter(search_name__contains=name)
    if login := normalize_login(login):
        qs = qs.filter(login__startswith=login)
    if email := (email or "").strip().lower():
        qs = qs.filter(Q(email_unimed__startswith=email) | Q(email_private__startswith=email))
    if cpf := only_digits(cpf):
        qs = qs.filter(cpf=cpf) if len(cpf) == 11 else qs.filter(cpf__startswith=cpf)
    if situation in Situation.values:
        qs = qs.filter(situation=situation)
    if profile in Profile.values:
        qs = qs.filter(profile=profile)
    return qs.order_by("search_name", "id")


def cooperado_get(*, actor: Actor, cooperado_id: int) -> Cooperado:
    """One cooperado the actor manages; another Unimed's is NotFound (404)."""
    try:
        return scoped_cooperados(actor).get(pk=cooperado_id)
    except (Cooperado.DoesNotExist, ValueError, TypeError):
        raise NotFound("Cooperado não encontrado.") from None


def cooperado_audit(*, actor: Actor, cooperado: Cooperado) -> QuerySet[AuditEvent]:
    scoped = cooperado_get(actor=actor, cooperado_id=cooperado.pk)
    return AuditEvent.objects.filter(target_type=AUDIT_TARGET, target_id=str(scoped.pk)).order_by("-at", "-id")


def audit_list(*, actor: Actor, unimed_code: str | None = None, action: str = "") -> QuerySet[AuditEvent]:
    """Every cooperado-related audit row of the Unimed (changes, imports, bulk jobs, exports)."""
    unimed = managed_unimed(actor, unimed_code)
    qs = AuditEvent.objects.filter(target_type__in=AUDIT_TARGETS, data__unimed=unimed.code)
    if action:
        qs = qs.filter(action=action)
    return qs.order_by("-at", "-id")


def bulk_jobs(*, actor: Actor, unimed_code: str | None = None) -> QuerySet[BulkJob]:
    unimed = managed_unimed(actor, unimed_code)
    return BulkJob.objects.filter(unimed=unimed).order_by("-created_at", "-id")
