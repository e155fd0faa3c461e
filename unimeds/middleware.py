from core.client_ip import client_ip
from unimeds.actors import actor_for_user


class ActorMiddleware:
    """Puts `request.actor` on every request: the signed-in staff user's Actor, or None."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        request.actor = actor_for_user(request.user, ip=client_ip(request))
        return self.get_response(request)
