"""Panel access: sign-in required, a staff membership (or hub admin), and a module of the
permission matrix at a level."""

from functools import wraps

from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import PermissionDenied
from django.utils.translation import gettext as _

from unimeds.models import Level, Module


def staff_required(
    module: str | None = None,
    level: int = Level.CONSULTAR,
    *,
    allow_hub_admin: bool = True,
):
    """Decorator for panel views. Sets nothing new: `request.actor` comes from
    ActorMiddleware. Anonymous → sign-in page; no access, or the module below `level`
    → 403. `module=None` asks only for a staff membership (the home page, one's own
    account)."""
    if module is not None and module not in Module.values:
        raise ValueError(f"unknown module {module!r}")

    def decorator(view):
        @wraps(view)
        def wrapper(request, *args, **kwargs):
            if not request.user.is_authenticated:
                return redirect_to_login(request.get_full_path())
            actor = request.actor
            if actor is None:
                raise PermissionDenied("Usuário sem vínculo com uma Unimed.")
            if actor.sees_all_unimeds:
                if not allow_hub_admin:
                    raise PermissionDenied("Área exclusiva das Unimeds.")
            elif module is not None and not actor.may(module, level):
                raise PermissionDenied(
                    _("Seu acesso ao módulo %(modulo)s não permite esta ação.")
                    % {"modulo": Module(module).label}
                )
            return view(request, *args, **kwargs)

        wrapper.gpu_module = (module, level)  # read by the matrix test
        return wrapper

    return decorator
