"""Django's Redis cache, keeping one Redis client per connection pool.

Django builds a new `redis.Redis` for every cache call; building one copies the library's
table of response callbacks (some 170 entries), which cost a submission of the public form
about as much as the Redis round trips themselves. A client is safe to share between threads."""

from __future__ import annotations

from collections.abc import Callable
from time import monotonic
from typing import Any

from django.core.cache import cache
from django.core.cache.backends.redis import RedisCache, RedisCacheClient
from django.db import transaction
from django.db.models import Model
from django.db.models.signals import post_delete, post_save

# Django's incr asks whether the key exists, then increments it: two round trips for every
# counted request of a rate limit. The server does both at once in this script.
INCREMENT_EXISTING_SCRIPT = (
    "if redis.call('EXISTS', KEYS[1]) == 1 then return redis.call('INCRBY', KEYS[1], ARGV[1]) end"
)


class SharedClientRedisCacheClient(RedisCacheClient):
    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self._clients: dict[int, Any] = {}
        self._increment_scripts: dict[int, Any] = {}

    def get_client(self, key: Any = None, *, write: bool = False) -> Any:
        index = self._get_connection_pool_index(write)
        client = self._clients.get(index)
        if client is None:
            client = self._clients[index] = self._client(connection_pool=self._get_connection_pool(write))
        return client

    def incr(self, key: Any, delta: int) -> int:
        client = self.get_client(key, write=True)
        script = self._increment_scripts.get(id(client))
        if script is None:
            script = self._increment_scripts[id(client)] = client.register_script(INCREMENT_EXISTING_SCRIPT)
        value = script(keys=[key], args=[delta])
        if value is None:
            raise ValueError(f"Key '{key}' not found.")
        return value


class SharedClientRedisCache(RedisCache):
    def __init__(self, server: Any, params: dict[str, Any]) -> None:
        super().__init__(server, params)
        self._class = SharedClientRedisCacheClient


# Reference data read at every complaint and changed a few times a year (closure days, the
# services a complaint can name) is kept in the shared cache, and for a few seconds in each
# process in front of it, which spares a round trip to Redis per value and request. A change
# clears both as it happens (its own transaction reads it back) and the shared entry again when
# it commits (a reader that filled the entry meanwhile read the data before it); other processes
# see it once their copy is older than PROCESS_COPY_SECONDS. The shared expiry bounds what a
# change rolled back after clearing it, or written around the models, could leave behind.
REFERENCE_DATA_SECONDS = 600
PROCESS_COPY_SECONDS = 10
_process_copies: dict[str, tuple[float, Any]] = {}


def cached_reference_data(key: str, read: Callable[[], Any]) -> Any:
    """The value under `key`: this process's recent copy, else the shared cache's, else `read()`."""
    now = monotonic()
    copy = _process_copies.get(key)
    if copy is not None and now - copy[0] < PROCESS_COPY_SECONDS:
        return copy[1]
    value = cache.get(key)
    if value is None:
        value = read()
        cache.set(key, value, REFERENCE_DATA_SECONDS)
    _process_copies[key] = (now, value)
    return value


def forget_reference_data(key: str | None = None) -> None:
    """Clear `key` (every key: None) in this process and in the shared cache."""
    keys = [key] if key is not None else list(_process_copies)
    for each in keys:
        _process_copies.pop(each, None)
        cache.delete(each)


def forget_on_change(key: str, *models: type[Model]) -> None:
    """Clear `key` whenever a row of `models` is saved or deleted."""

    def forget(**_signal: Any) -> None:
        forget_reference_data(key)
        transaction.on_commit(lambda: forget_reference_data(key))

    for model in models:
        post_save.connect(forget, sender=model, weak=False, dispatch_uid=f"forget:{key}:saved:{model._meta.label}")
        post_delete.connect(forget, sender=model, weak=False, dispatch_uid=f"forget:{key}:deleted:{model._meta.label}")
