"""What every cooperado write shares: who may manage which Unimed, row locking, audit."""

from django.utils.translation import gettext as _

from cooperados.models import AUDIT_TARGET, Cooperado
from cooperados.selectors import cooperados_visible, managed_unimed, may_manage
from core.errors import NotFound
from core.services import audit_record
from unimeds.actors import Actor
from unimeds.models import Level, Module

# The tenant rule of cooperados lives in cooperados.selectors (re-exported for the services).
__all__ = [
    "AUDIT_TARGET",
    "audit_cooperado",
    "cooperados_visible",
    "lock_cooperado",
    "managed_unimed",
    "may_manage",
]


def lock_cooperado(actor: Actor, cooperado_id: int) -> Cooperado:
    """The row, locked for this transaction; another Unimed's cooperado is "not found"."""
    actor.require(Module.COOPERADOS, Level.OPERAR)
    try:
        return cooperados_visible(actor=actor).select_for_update(of=("self",)).get(pk=cooperado_id)
    except (Cooperado.DoesNotExist, ValueError, TypeError):
        raise NotFound(_("Cooperado não encontrado.")) from None


def diff(before: dict, after: dict) -> dict:
    return {k: [before[k], after[k]] for k in after if before.get(k) != after[k]}


def audit_cooperado(
    *, actor: Actor | None, action: str, cooperado: Cooperado, changes: dict | None = None, **extra
) -> None:
    """One audit row per change: never a password or a hash, only field names and
    non-secret old → new values."""
    data = {
        "unimed": cooperado.unimed.code,
        "cooperado": cooperado.pk,
        "login": cooperado.login,
        "nome": cooperado.full_name,
    }
    if changes:
        data["alteracoes"] = changes
    data.update(extra)
    audit_record(
        actor=actor, action=action, target_type=AUDIT_TARGET, target_id=cooperado.pk, data=data
    )
