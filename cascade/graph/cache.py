"""Rendered graphs, kept in process and in Redis (when CASCADE_REDIS_URL is set).

Entries are keyed by content, never by workspace name, so there is nothing to delete when
a workspace changes: the change yields a different key (see `graph.view.stamp_of`) and old
entries age out (least recently used in process, a time to live in Redis). Redis trouble
never breaks a page: the graph is then drawn as if nothing were cached.
"""

from __future__ import annotations

import logging

from cascade.recent import Recent

log = logging.getLogger(__name__)
PREFIX = "cascade:graph:"


class Cache:
    """Bytes by key: a small in-process LRU in front of an optional shared Redis."""

    def __init__(self, redis_url: str | None = None, size: int = 128, ttl: int = 7 * 86400,
                 prefix: str = PREFIX):
        self.size, self.ttl, self.prefix = size, ttl, prefix
        self._local: Recent[bytes] = Recent(size)
        self._redis = None
        if redis_url:
            import redis

            self._redis = redis.Redis.from_url(redis_url, socket_timeout=0.5,
                                               socket_connect_timeout=0.5)

    def get(self, key: str) -> bytes | None:
        value = self._local.get(key)
        if value is not None:
            return value
        value = self._shared("get", self.prefix + key)
        if value is not None:
            self._local.put(key, value)
        return value

    def set(self, key: str, value: bytes) -> None:
        self._local.put(key, value)
        self._shared("set", self.prefix + key, value, ex=self.ttl)

    def clear(self) -> None:
        """Forget the in-process entries (Redis entries expire on their own)."""
        self._local.clear()

    def _shared(self, method: str, *args, **kwargs):
        if self._redis is None:
            return None
        try:
            return getattr(self._redis, method)(*args, **kwargs)
        except Exception as error:  # noqa: BLE001 - any Redis failure means "not cached"
            log.warning("graph cache: Redis %s failed: %s", method, error)
            return None
