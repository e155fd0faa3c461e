"""Reads of cooperados, always scoped by the acting user's Unimed."""

from contextlib import nullcontext

from django.core.paginator import Paginator
from django.db import connection, transaction
from django.db.models import Q, QuerySet
from django.utils.functional import cached_property
from django.utils.translation import gettext as _

from cooperados.models import AUDIT_TARGET, BulkJob, Cooperado, Profile, Situation, search_key
from core.errors import Forbidden, NotFound
from core.identifiers import only_digits
from core.models import AuditEvent
from unimeds.actors import Actor
from unimeds.models import Module, Unimed

AUDIT_TARGETS = (AUDIT_TARGET, "cooperados.bulkjob", "cooperados.a400", "cooperados.busca")


def may_manage(actor: Actor | None) -> bool:
    """Reaches the Cooperados module of its Unimed (or sees every Unimed); writes also
    need Level.OPERAR (checked by the services)."""
    return actor is not None and actor.may(Module.COOPERADOS)


def managed_unimed(actor: Actor | None, unimed_code: str | None = None) -> Unimed:
    """The Unimed whose cooperados `actor` manages: a gestor's own (any other code is
    refused), or the one a hub admin chose."""
    if not may_manage(actor):
        raise Forbidden(_("Somente o gestor da Unimed gerencia os cooperados."))
    if not actor.sees_all_unimeds:
        if unimed_code and unimed_code != actor.unimed.code:
            raise NotFound(_("Unimed não encontrada."))
        return actor.unimed
    code = unimed_code or (actor.unimed.code if actor.unimed else "")
    unimed = Unimed.objects.filter(code=code).first() if code else None
    if unimed is None:
        raise NotFound(_("Escolha uma Unimed válida."))
    return unimed


def cooperados_visible(*, actor: Actor | None) -> QuerySet[Cooperado]:
    """Every cooperado the actor may manage (a gestor: only their Unimed's)."""
    if not may_manage(actor):
        raise Forbidden(_("Somente o gestor da Unimed gerencia os cooperados."))
    qs = Cooperado.objects.select_related("unimed")
    if actor.sees_all_unimeds:
        return qs
    return qs.filter(unimed=actor.unimed)


def normalize_login(value: str) -> str:
    return "".join(c for c in (value or "") if c.isalnum()).upper()


def cooperado_search(
    *,
    actor: Actor,
    unimed_code: str | None = None,
    name: str = "",
    login: str = "",
    email: str = "",
    cpf: str = "",
    situation: str = "",
    profile: str = "",
) -> QuerySet[Cooperado]:
    """The legacy "Localizar": name fragment and/or login (CRM) prefix, e-mail prefix
    (either e-mail), CPF (whole or prefix), situation, profile — within one Unimed.
    Every filter is index-backed on PostgreSQL (see the model and migration 0002)."""
    unimed = managed_unimed(actor, unimed_code)
    qs = Cooperado.objects.filter(unimed=unimed).select_related("unimed")
    for word in search_key(name).split():  # "jose silva" finds José da Silva
        qs = qs.filter(search_name__contains=word)
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


def _plan_with_bitmaps(enabled: bool) -> None:
    """PostgreSQL, current transaction only: plan with bitmap scans (trigram GIN, btree
    bitmaps) instead of walking an index in order. For LIKE '%x%' the planner cannot
    tell a 20-row fragment from a 20,000-row one and may walk the whole name index;
    a bitmap costs little for a small result or a capped count."""
    if connection.vendor == "postgresql":
        value = "off" if enabled else "on"
        with connection.cursor() as cursor:
            cursor.execute(
                "SELECT set_config('enable_indexscan', %s, true), "
                "set_config('enable_indexonlyscan', %s, true)",
                [value, value],
            )


class CappedPaginator(Paginator):
    """Counts at most COUNT_CAP matches, without ORDER BY: an exact, ordered count of a
    20,000-row name match costs far more than the page itself, and past a few hundred
    the useful answer is "refine the search" (the export has them all).

    The probe reads (pk, search_name) of up to COUNT_CAP + 1 matches in one query;
    when they are all the matches, the page is sorted from them without another scan."""

    COUNT_CAP = 200
    capped = False

    @cached_property
    def probe(self) -> list[tuple[int, str]]:
        return list(
            self.object_list.order_by().values_list("pk", "search_name")[: self.COUNT_CAP + 1]
        )

    @cached_property
    def count(self) -> int:
        self.capped = len(self.probe) > self.COUNT_CAP
        return min(len(self.probe), self.COUNT_CAP)


def cooperado_page(queryset: QuerySet[Cooperado], number=1, *, per_page: int = 25):
    """One page of a search result, as the panel shows it (and the benchmark times it).

    A name search (LIKE '%x%') is planned with bitmaps for the probe (the trigram
    index costs little whatever the fragment); a large result then walks the
    (unimed, search_name, id) index, where matches are dense, reading only the page's
    primary keys (index-only). Other filters are plain index lookups, no steering."""
    paginator = CappedPaginator(queryset, per_page)
    steer = connection.vendor == "postgresql" and _filters_on(queryset.query.where, "search_name")
    with transaction.atomic() if steer else nullcontext():
        if steer:
            _plan_with_bitmaps(True)
        page = paginator.get_page(number)
        bottom = (page.number - 1) * per_page
        if paginator.capped:
            if steer:
                _plan_with_bitmaps(False)
            ids = list(queryset.values_list("pk", flat=True)[bottom : bottom + per_page])
        else:  # same order as the queryset's ORDER BY search_name, id
            ids = [pk for pk, _name in sorted(paginator.probe, key=lambda r: (r[1], r[0]))][
                bottom : bottom + per_page
            ]
        rows = Cooperado.objects.select_related("unimed").in_bulk(ids)
    page.object_list = [rows[pk] for pk in ids if pk in rows]
    return page


def _filters_on(node, field: str) -> bool:
    for child in getattr(node, "children", ()):
        target = getattr(getattr(child, "lhs", None), "target", None)
        if getattr(target, "name", None) == field or _filters_on(child, field):
            return True
    return False


def cooperado_get(*, actor: Actor, cooperado_id: int) -> Cooperado:
    """One cooperado the actor manages; another Unimed's is NotFound (404)."""
    try:
        return cooperados_visible(actor=actor).get(pk=cooperado_id)
    except (Cooperado.DoesNotExist, ValueError, TypeError):
        raise NotFound(_("Cooperado não encontrado.")) from None


def cooperado_audit(*, actor: Actor, cooperado: Cooperado) -> QuerySet[AuditEvent]:
    scoped = cooperado_get(actor=actor, cooperado_id=cooperado.pk)
    return AuditEvent.objects.filter(target_type=AUDIT_TARGET, target_id=str(scoped.pk)).order_by(
        "-at", "-id"
    )


def audit_list(
    *, actor: Actor, unimed_code: str | None = None, action: str = ""
) -> QuerySet[AuditEvent]:
    """Every cooperado-related audit row of the Unimed (changes, imports, bulk jobs, exports)."""
    unimed = managed_unimed(actor, unimed_code)
    qs = AuditEvent.objects.filter(target_type__in=AUDIT_TARGETS, data__unimed=unimed.code)
    if action:
        qs = qs.filter(action=action)
    return qs.order_by("-at", "-id")


def bulk_jobs(*, actor: Actor, unimed_code: str | None = None) -> QuerySet[BulkJob]:
    unimed = managed_unimed(actor, unimed_code)
    return BulkJob.objects.filter(unimed=unimed).order_by("-created_at", "-id")


def cooperados_blocked_since(*, actor: Actor, since) -> QuerySet[Cooperado]:
    """Cooperados of the actor's Unimed blocked at or after `since`, newest first."""
    return (
        cooperados_visible(actor=actor)
        .filter(situation=Situation.BLOQUEADO, blocked_at__gte=since)
        .order_by("-blocked_at", "-id")
    )
