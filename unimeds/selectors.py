"""Reads of the network registry, always scoped by the acting user's Unimed."""

from django.contrib.auth import get_user_model
from django.db.models import QuerySet

from core.errors import Forbidden, NotFound
from unimeds.actors import Actor
from unimeds.models import Municipality, Role, Unimed

User = get_user_model()


def unimed_by_code(code: str) -> Unimed | None:
    return Unimed.objects.filter(code=code, is_active=True).first()


def unimed_for_municipality(code: str) -> Unimed | None:
    """The active Unimed whose area holds the IBGE municipality, if any."""
    return Unimed.objects.filter(municipalities__code=code, is_active=True).first()


def municipality_get(code: str) -> Municipality | None:
    return Municipality.objects.filter(code=code).first()


def municipalities_for_uf(uf: str) -> QuerySet[Municipality]:
    return Municipality.objects.filter(uf=uf).order_by("name")


def _require_gestor(actor: Actor) -> None:
    if actor is None or actor.unimed is None or not actor.has_role(Role.GESTOR):
        raise Forbidden("Somente o gestor da Unimed gerencia a equipe.")


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
        raise NotFound("Usuário não encontrado nesta Unimed.") from None


def sellers_of(unimed: Unimed) -> QuerySet:
    return User.objects.filter(
        is_active=True, membership__unimed=unimed, membership__grants__role=Role.VENDEDOR
    ).distinct()
