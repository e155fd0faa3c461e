"""Reads of the network registry, always scoped by the acting user's Unimed."""

from django.contrib.auth import get_user_model
from django.db.models import QuerySet
from django.utils.translation import gettext as _

from core import refcache
from core.errors import Forbidden, NotFound
from unimeds.actors import Actor
from unimeds.models import Level, Module, Municipality, Role, Unimed

User = get_user_model()


# The three lookups below run on every protocol opening: they read through the
# process memo of reference data (core.refcache). What they return is shared: read it,
# never change and save it.
def unimed_by_code(code: str) -> Unimed | None:
    return refcache.memo(
        f"unimed:{code}", lambda: Unimed.objects.filter(code=code, is_active=True).first()
    )


def unimed_by_ans(registry: str) -> Unimed | None:
    """The active Unimed with this 6-digit ANS registry (the wire's nr_ans)."""
    return refcache.memo(
        f"unimed-ans:{registry}",
        lambda: Unimed.objects.filter(ans_registry=registry, is_active=True).first(),
    )


def unimed_by_id(pk: int) -> Unimed:
    """Any Unimed, active or not, by primary key (memoised)."""
    return refcache.memo(f"unimed-id:{pk}", lambda: Unimed.objects.get(pk=pk))


def unimed_for_municipality(code: str) -> Unimed | None:
    """The active Unimed whose area holds the IBGE municipality, if any."""
    return refcache.memo(
        f"area:{code}",
        lambda: Unimed.objects.filter(municipalities__code=code, is_active=True).first(),
    )


def municipality_get(code: str) -> Municipality | None:
    return refcache.memo(
        f"municipio:{code}", lambda: Municipality.objects.filter(code=code).first()
    )


def municipalities_for_uf(uf: str) -> QuerySet[Municipality]:
    return Municipality.objects.filter(uf=uf).order_by("name")


def _require_gestor(actor: Actor) -> None:
    if actor is None or actor.unimed is None or not actor.may(Module.EQUIPE, Level.ADMINISTRAR):
        raise Forbidden(_("Somente quem administra a equipe da Unimed a gerencia."))


def staff_list(*, actor: Actor) -> QuerySet:
    """The acting gestor's Unimed staff (never another Unimed's)."""
    _require_gestor(actor)
    return (
        User.objects.filter(membership__unimed=actor.unimed)
        .select_related("membership")
        .prefetch_related("membership__grants")
        .order_by("first_name", "username")
    )


def staff_get(*, actor: Actor, user_id: int):
    try:
        return staff_list(actor=actor).get(pk=user_id)
    except (User.DoesNotExist, ValueError):
        raise NotFound(_("Usuário não encontrado nesta Unimed.")) from None


def sellers_of(unimed: Unimed) -> QuerySet:
    return User.objects.filter(
        is_active=True, membership__unimed=unimed, membership__grants__role=Role.VENDEDOR
    ).distinct()


def members_at_level(unimed: Unimed, module: str, level: int) -> list:
    """Active staff of the Unimed whose permission matrix reaches `module` at `level` (the
    roles' presets and the gestor's per-module settings), by name."""
    users = (
        User.objects.filter(is_active=True, membership__unimed=unimed)
        .select_related("membership")
        .prefetch_related("membership__grants", "membership__module_grants")
        .order_by("first_name", "last_name", "username")
    )
    return [u for u in users if u.membership.levels.get(module, 0) >= level]
