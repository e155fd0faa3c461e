"""Per-address rate limits for the public portal, counted in the Django cache.

Per (scope, address) the first attempt creates a counter that expires after the
window; later attempts increment it atomically (Redis INCR in production), so all
web processes share one count.
"""

import time
from functools import wraps

from django.conf import settings
from django.core.cache import cache
from django.shortcuts import render

from core.client_ip import client_ip as trusted_client_ip

SCOPES = ("contact", "guia_medico", "plan", "lookup")


def client_ip(request) -> str:
    """The visitor's address for counting (core.client_ip: our proxies, from the right)."""
    return trusted_client_ip(request) or "desconhecido"


def limit_for(scope: str) -> int:
    if scope == "lookup":
        return settings.GPU_PORTAL_RATE_LIMIT_LOOKUP
    return settings.GPU_PORTAL_RATE_LIMIT_FORMS


def hit(scope: str, ip: str) -> tuple[bool, int]:
    """Count one attempt; (allowed, seconds until the count restarts). The window opens
    at the address's first attempt, so N+1 attempts within any window are refused."""
    window = max(1, settings.GPU_PORTAL_RATE_LIMIT_WINDOW_SECONDS)
    now = time.time()
    key = f"portal:rl:{scope}:{ip}"
    cache.add(f"{key}:desde", now, timeout=window)  # first writer wins: the window's start
    if cache.add(key, 1, timeout=window):
        count = 1
    else:
        try:
            count = cache.incr(key)  # atomic; keeps the key's expiry
        except ValueError:  # expired between add and incr: a new window
            cache.set(key, 1, timeout=window)
            cache.set(f"{key}:desde", now, timeout=window)
            count = 1
    since = cache.get(f"{key}:desde", now)
    # Threads read the clock at slightly different moments: keep the hint within the window.
    retry_after = min(window, max(1, int(window - (now - since) + 0.999)))
    return count <= limit_for(scope), retry_after


def too_many(request, retry_after: int):
    response = render(request, "portal/limite.html", {"retry_after": retry_after}, status=429)
    response["Retry-After"] = str(retry_after)
    return response


def rate_limited(scope: str):
    """Refuse a POST past the per-address limit of `scope` with the friendly 429 page.
    Every attempt counts, valid or not: guessing is what the limit is for."""
    if scope not in SCOPES:
        raise ValueError(f"unknown rate-limit scope {scope}")

    def decorate(view):
        @wraps(view)
        def wrapper(request, *args, **kwargs):
            if request.method == "POST" and settings.GPU_PORTAL_RATE_LIMIT_ENABLED:
                allowed, retry_after = hit(scope, client_ip(request))
                if not allowed:
                    return too_many(request, retry_after)
            return view(request, *args, **kwargs)

        return wrapper

    return decorate
