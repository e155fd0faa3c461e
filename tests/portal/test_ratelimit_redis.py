"""The portal's rate limit on the real shared cache: concurrent attempts from one
address are counted exactly (Redis INCR), as they would be across web processes."""

from concurrent.futures import ThreadPoolExecutor

import pytest
from django.core.cache import caches

from portal.ratelimit import hit


@pytest.mark.redis
def test_concurrent_attempts_are_counted_exactly(settings):
    assert "Redis" in type(caches["default"]).__name__
    settings.GPU_PORTAL_RATE_LIMIT_LOOKUP = 10
    settings.GPU_PORTAL_RATE_LIMIT_WINDOW_SECONDS = 30
    with ThreadPoolExecutor(max_workers=8) as pool:
        results = list(pool.map(lambda _: hit("lookup", "203.0.113.9"), range(25)))
    assert sum(allowed for allowed, _ in results) == 10
    assert all(1 <= retry <= 30 for _, retry in results)
    assert hit("lookup", "203.0.113.10")[0]  # another address has its own count
