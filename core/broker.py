"""kombu's Redis transport, reusing one redis client per channel for publishing.

kombu opens a new `redis.Redis` object for every message it publishes; with redis-py 8
that constructor alone (≈0.4 ms of CPU, a dictionary of response callbacks) costs more
than the LPUSH it serves, on every protocol the API opens. A channel is used by one
producer at a time, so it can keep the client it made; it makes a new one if the
channel replaces its connection pool (after a broker error).

Selected by CELERY_BROKER_TRANSPORT when REDIS_URL is set (gpu_project/settings.py).
"""

from contextlib import contextmanager

from kombu.transport import redis


class Channel(redis.Channel):
    @contextmanager
    def conn_or_acquire(self, client=None):
        if client:
            yield client
            return
        pool = self.pool
        kept = self.__dict__.get("_gpu_client")
        if kept is None or kept[0] is not pool:
            kept = self.__dict__["_gpu_client"] = (pool, self._create_client())
        yield kept[1]


class Transport(redis.Transport):
    Channel = Channel
