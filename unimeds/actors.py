"""Who is acting: a staff user, a service account, the public portal or the system.

Every selector and service takes an Actor, so tenant scoping never depends on the
view: the Actor carries the Unimed it acts for.
"""

from dataclasses import dataclass, field, replace

from django.core.cache import cache
from django.db import models
from django.utils.translation import gettext as _

from core.errors import Forbidden
from unimeds.models import Level, Membership, Module, ServiceAccount, Unimed


class ActorKind(models.TextChoices):
    USER = "user", "Equipe"
    SERVICE = "service", "Conta de serviço"
    PORTAL = "portal", "Portal"
    SYSTEM = "system", "Sistema (comando ou importação)"
    SCHEDULED = "scheduled", "Tarefa agendada"


@dataclass(frozen=True)
class Actor:
    unimed: Unimed | None
    user: object | None = None
    service_account: ServiceAccount | None = None
    roles: frozenset[str] = field(default_factory=frozenset)
    is_hub_admin: bool = False
    kind: str = ActorKind.USER
    ip: str | None = None
    job: str = ""  # the scheduled job acting (kind SCHEDULED)
    levels: tuple[tuple[str, int], ...] = ()  # a staff user's module matrix

    @property
    def unimed_id(self) -> int | None:
        return self.unimed.pk if self.unimed else None

    @property
    def label(self) -> str:
        if self.user is not None:
            return self.user.get_username()
        if self.service_account is not None:
            return f"svc:{self.service_account.client_id}"
        if self.kind == ActorKind.SCHEDULED and self.job:
            return f"tarefa:{self.job}"
        return self.kind

    @property
    def sees_all_unimeds(self) -> bool:
        """The one tenant rule: acting for no particular Unimed as the system, a scheduled
        job or a hub admin (a superuser without a Unimed). Any actor with a Unimed — a hub
        admin with a membership, a monthly report built for one Unimed — is scoped to it."""
        return self.unimed is None and (
            self.kind in (ActorKind.SYSTEM, ActorKind.SCHEDULED) or self.is_hub_admin
        )

    def level(self, module: str) -> int:
        """The actor's level in a module. Whoever sees every Unimed administers every
        module; a service account (an integrated Unimed's system) operates every module
        the API offers; the portal opens protocols and leads for the public."""
        if self.sees_all_unimeds:
            return Level.ADMINISTRAR
        if self.kind == ActorKind.SERVICE:
            return Level.NENHUM if module in SERVICE_EXCLUDED else Level.OPERAR
        if self.kind == ActorKind.PORTAL:
            return Level.OPERAR if module in PORTAL_MODULES else Level.NENHUM
        return dict(self.levels).get(module, Level.NENHUM)

    def may(self, module: str, level: int = Level.CONSULTAR) -> bool:
        """Reaches `module` at `level` or above (the per-module permission matrix)."""
        return self.level(module) >= level

    def require(self, module: str, level: int = Level.CONSULTAR) -> None:
        """The services' own check of the matrix (every channel reaches them): Forbidden
        (403) below `level`."""
        if not self.may(module, level):
            raise Forbidden(
                _("Seu acesso ao módulo %(modulo)s não permite esta ação.")
                % {"modulo": Module(module).label},
                code="modulo_sem_acesso",
            )

    @property
    def may_see_cpf(self) -> bool:
        """LGPD: full CPF for those who work protocols or regulatory demands (they call
        and answer the person); masked for the rest."""
        return (
            self.is_hub_admin
            or self.may(Module.PROTOCOLOS, Level.OPERAR)
            or self.may(Module.REGULATORIO, Level.OPERAR)
        )

    def with_ip(self, ip: str | None) -> "Actor":
        return replace(self, ip=ip)


# Modules no service account reaches: people's access and the hub's own integrations.
SERVICE_EXCLUDED = frozenset({Module.EQUIPE, Module.INTEGRACOES})
# What the public pages open: a protocol ("Fale com a Unimed"…) and a lead ("Quero um plano").
PORTAL_MODULES = frozenset({Module.PROTOCOLOS, Module.LEADS})

ACCESS_CACHE_SECONDS = 30


def _access_key(user_id: int) -> str:
    return f"gpu:acesso:v2:{user_id}"


def forget_access(user_id: int) -> None:
    """Drop the cached (Unimed, roles) of a user: called whenever they change."""
    cache.delete(_access_key(user_id))


def _access(user) -> tuple[Unimed | None, frozenset[str], tuple]:
    """(Unimed, roles, module levels) of a staff user; cached briefly because every panel request
    needs it, and dropped at once by forget_access on any change."""
    key = _access_key(user.pk)
    cached = cache.get(key)
    if cached is not None:
        return cached
    m = (
        Membership.objects.select_related("unimed")
        .prefetch_related("grants", "module_grants")
        .filter(user=user)
        .first()
    )
    if m is not None and m.unimed.is_active:
        access = (m.unimed, m.roles, tuple(sorted(m.levels.items())))
    else:
        access = (None, frozenset(), ())
    cache.set(key, access, ACCESS_CACHE_SECONDS)
    return access


def actor_for_user(user, *, ip: str | None = None) -> Actor | None:
    """The Actor of a signed-in staff user, or None when they have no access."""
    if user is None or not user.is_authenticated or not user.is_active:
        return None
    unimed, roles, levels = _access(user)
    if unimed is None:
        if user.is_superuser:
            return Actor(unimed=None, user=user, is_hub_admin=True, ip=ip)
        return None
    return Actor(
        unimed=unimed,
        user=user,
        roles=roles,
        is_hub_admin=user.is_superuser,
        ip=ip,
        levels=levels,
    )


def actor_for_service_account(account: ServiceAccount, *, ip: str | None = None) -> Actor:
    return Actor(unimed=account.unimed, service_account=account, kind=ActorKind.SERVICE, ip=ip)


def portal_actor(*, ip: str | None = None) -> Actor:
    return Actor(unimed=None, kind=ActorKind.PORTAL, ip=ip)


def system_actor() -> Actor:
    return Actor(unimed=None, kind=ActorKind.SYSTEM)


def scheduled_actor(job: str) -> Actor:
    """The actor of a periodic task (Celery beat): sees every Unimed, named by its job."""
    return Actor(unimed=None, kind=ActorKind.SCHEDULED, job=job)
