"""The Redis cache keeps one client per connection pool, shared by every call and thread."""

from __future__ import annotations

import threading
import uuid

from django.core.cache import cache, caches

from ombudsman.core.cache import SharedClientRedisCache


def test_the_cache_is_redis_with_one_client_for_every_call():
    assert isinstance(caches["default"], SharedClientRedisCache)
    first = cache._cache.get_client("a", write=True)
    assert cache._cache.get_client("b", write=True) is first
    assert cache._cache.get_client("c") is first  # one server: reads and writes share its pool


def test_counting_from_many_threads_through_the_shared_client_loses_nothing():
    key = f"test-count-{uuid.uuid4()}"
    cache.set(key, 0, 60)
    backend = SharedClientRedisCache(caches["default"]._servers, {})

    def count() -> None:
        for _ in range(200):
            backend.incr(key)

    threads = [threading.Thread(target=count) for _ in range(8)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert cache.get(key) == 1600
    assert len(backend._cache._clients) == 1
    cache.delete(key)


def test_a_count_is_one_round_trip_and_a_missing_one_is_refused_as_django_refuses_it(monkeypatch):
    import pytest
    import redis

    key = f"test-count-{uuid.uuid4()}"
    with pytest.raises(ValueError, match="not found"):
        cache.incr(key)
    assert cache.get(key) is None
    assert cache.add(key, 1, 60)

    def asked(*args, **kwargs):
        raise AssertionError("a second round trip")

    monkeypatch.setattr(redis.Redis, "exists", asked)
    assert cache.incr(key) == 2
    assert cache.incr(key, 5) == 7
    assert cache.get(key) == 7
    cache.delete(key)
