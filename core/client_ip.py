"""The client's address, the one way every part of GPU reads it (portal rate limits,
cooperado sign-in throttle, staff lockout, audit trail).

Behind GPU_TRUSTED_PROXIES proxies, each proxy appends the address it saw to
X-Forwarded-For (or GPU_CLIENT_IP_HEADER): the entry N from the right was written by
our outermost proxy and is the client; everything to its left is what the client
claimed and is never used. Without proxies (0, the default) the header is ignored.
"""

from ipaddress import ip_address

from django.conf import settings


def _valid(value: str) -> str | None:
    value = value.strip()
    try:
        return str(ip_address(value))
    except ValueError:
        return None


def client_ip(request, *_args, **_kwargs) -> str | None:
    """The client address as our own proxies saw it (see the module docstring).
    None when even the connection's address is not one. Extra arguments are accepted
    so django-axes can call it (AXES_CLIENT_IP_CALLABLE)."""
    remote = _valid(request.META.get("REMOTE_ADDR", "") or "")
    proxies = settings.GPU_TRUSTED_PROXIES
    if proxies > 0:
        chain = [
            part
            for part in request.META.get(settings.GPU_CLIENT_IP_HEADER, "").split(",")
            if part.strip()
        ]
        if len(chain) >= proxies:
            found = _valid(chain[-proxies])
            if found:
                return found
        # Fewer entries than proxies: the request did not come through all of them, so no
        # entry can be trusted; the connection's own address is the only fact left.
    return remote
