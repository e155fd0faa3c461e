from unimeds.actors import actor_for_user


def client_ip(request) -> str | None:
    return request.META.get("REMOTE_ADDR")


class ActorMiddleware:
    """Puts `request.actor` on every request: the signed-in staff user's Actor, or None."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        request.actor = actor_for_user(request.user, ip=client_ip(request))
        return self.get_response(request)
