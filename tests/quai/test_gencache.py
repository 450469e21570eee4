"""quai.gencache: what a process serves when another process (or nobody) changed the data."""

import pytest
from django.core.cache import cache

from quai import gencache

pytestmark = pytest.mark.django_db  # bump() registers an on-commit callback


def test_a_change_made_by_another_process_is_seen_within_token_seconds(monkeypatch):
    clock = [1000.0]
    monkeypatch.setattr(gencache.time, "monotonic", lambda: clock[0])
    generation = gencache.Generation("test-cross-process", token_seconds=1.0)
    try:
        computed = []

        def compute():
            computed.append(1)
            return len(computed)

        assert generation.get_or_compute("k", compute) == 1
        assert generation.get_or_compute("k", compute) == 1  # this process's copy
        cache.set(generation.token_key, "bumped-by-another-process", None)
        clock[0] += 0.5
        assert generation.get_or_compute("k", compute) == 1  # token re-read at most once a second
        clock[0] += 0.6
        assert generation.get_or_compute("k", compute) == 2  # the new token: recomputed
        assert generation.get_or_compute("k", compute) == 2
        generation.bump()  # a change through this process: seen at once
        assert generation.get_or_compute("k", compute) == 3
    finally:
        gencache.GENERATIONS.remove(generation)


def test_values_expire_after_ttl_even_without_a_change(monkeypatch):
    clock = [1000.0]
    monkeypatch.setattr(gencache.time, "monotonic", lambda: clock[0])
    generation = gencache.Generation("test-ttl", ttl=60)
    try:
        values = iter(["first", "second"])
        assert generation.get_or_compute("k", lambda: next(values)) == "first"
        clock[0] += 59
        assert generation.get_or_compute("k", lambda: next(values)) == "first"
        clock[0] += 2
        cache.delete("quai:gen:test-ttl:k")  # the cache's own TTL has run out too
        assert generation.get_or_compute("k", lambda: next(values)) == "second"
    finally:
        gencache.GENERATIONS.remove(generation)
