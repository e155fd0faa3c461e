"""Panel access: sign-in required, a staff membership (or hub admin), optional roles."""

from functools import wraps

from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import PermissionDenied


def staff_required(*roles: str, allow_hub_admin: bool = True):
    """Decorator for panel views. Sets nothing new: `request.actor` comes from
    ActorMiddleware. Anonymous → sign-in page; no access or missing role → 403."""

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
            elif roles and not actor.has_role(*roles):
                raise PermissionDenied("Seu papel não permite esta ação.")
            return view(request, *args, **kwargs)

        return wrapper

    return decorator
