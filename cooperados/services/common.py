"""What every cooperado write shares: who may manage which Unimed, row locking, audit."""

from django.db.models import QuerySet

from cooperados.models import Cooperado
from core.errors import Forbidden, NotFound
from core.services import audit_record
from unimeds.actors import Actor
from unimeds.models import Role, Unimed

AUDIT_TARGET = "cooperado"


def may_manage(actor: Actor | None) -> bool:
    return actor is not None and (actor.is_hub_admin or (actor.unimed is not None and actor.has_role(Role.GESTOR)))


def managed_unimed(actor: Actor | None, unimed_code: str | None = None) -> Unimed:
    """The Unimed whose cooperados `actor` manages: a gestor's own (any other code is
    refused), or the one a hub admin chose."""
    if not may_manage(actor):
        raise Forbidden("Somente o gestor da Unimed gerencia os cooperados.")
    if actor.unimed is not None and not actor.is_hub_admin:
        if unimed_code and unimed_code != actor.unimed.code:
            raise NotFound("Unimed não encontrada.")
        return actor.unimed
    code = unimed_code or (actor.unimed.code if actor.unimed else "")
    unimed = Unimed.objects.filter(code=code).first() if code else None
    if unimed is None:
        raise NotFound("Escolha uma Unimed válida.")
    return unimed


def scoped_cooperados(actor: Actor | None) -> QuerySet[Cooperado]:
    """Every cooperado the actor may manage (a gestor: only their Unimed's)."""
    if not may_manage(actor):
        raise Forbidden("Somente o gestor da Unimed gerencia os cooperados.")
    qs = Cooperado.objects.select_related("unimed")
    if actor.is_hub_admin:
        return qs
    return qs.filter(unimed=actor.unimed)


def lock_cooperado(actor: Actor, cooperado_id: int) -> Cooperado:
    """The row, locked for this transaction; another Unimed's cooperado is "not found"."""
    try:
        return scoped_cooperados(actor).select_for_update(of=("self",)).get(pk=cooperado_id)
    except (Cooperado.DoesNotExist, ValueError, TypeError):
        raise NotFound("Cooperado não encontrado.") from None


def diff(before: dict, after: dict) -> dict:
    return {k: [before[k], after[k]] for k in after if before.get(k) != after[k]}


def audit_cooperado(*, actor: Actor | None, action: str, cooperado: Cooperado, changes: dict | None = None,
                    **extra) -> None:
    """One audit row per change: never a password or a hash, only field names and
    non-secret old → new values."""
    data = {"unimed": cooperado.unimed.code, "cooperado": cooperado.pk, "login": cooperado.login,
            "nome": cooperado.full_name}
    if changes:
        data["alteracoes"] = changes
    data.update(extra)
    audit_record(actor=actor, action=action, target_type=AUDIT_TARGET, target_id=cooperado.pk, data=data)
