"""Django's Redis cache, reusing one redis client per pool and failing open.

Reuse: Django builds a new `redis.Redis` object for every cache call, and redis-py
fills a dictionary of ~170 response callbacks in each constructor (≈0.3 ms of CPU):
more than the round trip itself on the API and panel hot paths. A client object is
thread-safe (each command borrows a connection from the pool), so one per pool is
enough.

Failing open: nothing kept in this cache is the only copy of anything (sessions live
in the database, reference data and panel counters are re-read), so with Redis down
a read is a miss and a write is skipped, instead of a 500 for the person. After an
error the cache is not asked again for GPU_CACHE_RETRY_SECONDS (a circuit breaker),
so a page with several cache calls pays at most one short connect timeout. The rate
limits that count here therefore let requests through while Redis is down (policy in
docs/operations.md); `incr` then behaves as if the key were missing.
"""

import logging
import time

from django.conf import settings
from django.core.cache.backends.redis import RedisCache, RedisCacheClient
from redis.exceptions import RedisError

logger = logging.getLogger(__name__)

_MISSING = object()


class _Breaker:
    def __init__(self):
        self.open_until = 0.0

    def closed(self) -> bool:
        return time.monotonic() >= self.open_until

    def trip(self, exc: Exception) -> None:
        if self.closed():
            logger.warning("Cache (Redis) indisponível; seguindo sem cache: %s", exc)
        self.open_until = time.monotonic() + getattr(settings, "GPU_CACHE_RETRY_SECONDS", 5.0)


def _failing_open(name: str, fallback):
    parent = getattr(RedisCacheClient, name)

    def method(self, *args, **kwargs):
        if not self._breaker.closed():
            return fallback(args, kwargs)
        try:
            return parent(self, *args, **kwargs)
        except (RedisError, OSError) as exc:
            self._breaker.trip(exc)
            return fallback(args, kwargs)

    method.__name__ = name
    return method


def _missing_key(args, kwargs):
    raise ValueError("cache indisponível: chave tratada como ausente")


class _FailOpenClient(RedisCacheClient):
    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self._breaker = _Breaker()

    def get_client(self, key=None, *, write=False):
        pool = self._get_connection_pool(write)
        clients = self.__dict__.setdefault("_clients", {})
        client = clients.get(id(pool))
        if client is None:
            client = clients[id(pool)] = self._client(connection_pool=pool)
        return client

    def ping(self) -> bool:
        """Unprotected round trip for the readiness probe."""
        return bool(self.get_client().ping())

    add = _failing_open("add", lambda a, k: False)
    get = _failing_open("get", lambda a, k: a[1] if len(a) > 1 else k.get("default"))
    set = _failing_open("set", lambda a, k: None)
    touch = _failing_open("touch", lambda a, k: False)
    delete = _failing_open("delete", lambda a, k: False)
    get_many = _failing_open("get_many", lambda a, k: {})
    has_key = _failing_open("has_key", lambda a, k: False)
    incr = _failing_open("incr", _missing_key)
    set_many = _failing_open("set_many", lambda a, k: [])
    delete_many = _failing_open("delete_many", lambda a, k: None)
    clear = _failing_open("clear", lambda a, k: False)


class FailOpenRedisCache(RedisCache):
    def __init__(self, server, params):
        super().__init__(server, params)
        self._class = _FailOpenClient

    def probe(self) -> bool:
        """True when Redis answers a PING now (raises on connection errors)."""
        return self._cache.ping()
