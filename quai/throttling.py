"""API throttles that cost one cache round trip whatever the rate.

DRF's `SimpleRateThrottle` keeps the timestamps of every request of the last period in one cache
entry: with 1 200 requests a minute allowed, each request reads and writes a list that long. These
count requests per fixed window instead (a Redis INCR; the boundary between two windows may let
up to twice the rate through, which is fine for abuse protection).
"""

from django.conf import settings
from django.core.cache import cache
from rest_framework import throttling


def client_ip(request) -> str:
    """The client's address: REMOTE_ADDR, unless QUAI_NUM_PROXIES reverse proxies (which append the
    address they saw to X-Forwarded-For) stand in front of Quai. Only the entries those proxies
    wrote are trusted: anything further left was written by the client and may be made up.
    Shared by the API throttles and allauth's login rate limits (members.adapters)."""
    request = getattr(request, "_request", request)  # DRF's Request wraps Django's
    remote_addr = request.META.get("REMOTE_ADDR", "")
    num_proxies = settings.QUAI_NUM_PROXIES
    forwarded = request.META.get("HTTP_X_FORWARDED_FOR", "")
    if num_proxies <= 0 or not forwarded:
        return remote_addr
    addresses = [address.strip() for address in forwarded.split(",") if address.strip()]
    if not addresses:
        return remote_addr
    return addresses[-min(num_proxies, len(addresses))]


def hit(key: str, window_seconds: int) -> int:
    """Count one more request in the window `key` (which expires with the window); return the count."""
    if hasattr(cache, "count_hit"):  # quai.cache.FailOpenRedisCache: one round trip, fails open
        return cache.count_hit(key, window_seconds)
    cache.add(key, 0, window_seconds + 1)
    try:
        return cache.incr(key)
    except ValueError:  # expired between the two calls
        cache.set(key, 1, window_seconds + 1)
        return 1


class FixedWindowMixin:
    def allow_request(self, request, view):
        if self.rate is None:
            return True
        self.key = self.get_cache_key(request, view)
        if self.key is None:
            return True
        now = self.timer()
        window = int(now // self.duration)
        if hit(f"{self.key}:{window}", self.duration) > self.num_requests:
            self._wait = self.duration - (now % self.duration)
            return False
        return True

    def wait(self):
        return getattr(self, "_wait", None)

    def get_ident(self, request):
        return client_ip(request)


class AnonRateThrottle(FixedWindowMixin, throttling.AnonRateThrottle):
    pass


class UserRateThrottle(FixedWindowMixin, throttling.UserRateThrottle):
    """Per account. DRF's also counts an anonymous request, per address, in a second bucket beside
    the AnonRateThrottle's (same address, looser rate): one Redis round trip on every anonymous
    request (a guest registering) for a limit that never bites first. Anonymous requests are
    limited by the anonymous rate alone."""

    def get_cache_key(self, request, view):
        if not (request.user and request.user.is_authenticated):
            return None
        return super().get_cache_key(request, view)
