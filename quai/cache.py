"""Django's Redis cache, failing open.

When Redis does not answer (short timeouts, see settings), a read is a miss and a write is
dropped, with a warning in the log at most once a minute. Pages keep working from PostgreSQL
(sessions are written there too; cached reads are recomputed); `/healthz` reports Redis down;
rate limits and throttles let requests through meanwhile.
"""

import functools
import logging
import time

from django.core.cache.backends.redis import RedisCache, RedisCacheClient
from redis.exceptions import ConnectionError as RedisConnectionError
from redis.exceptions import TimeoutError as RedisTimeoutError

logger = logging.getLogger("quai.cache")
REDIS_DOWN = (RedisConnectionError, RedisTimeoutError, OSError)
_last_warning = [0.0]


def warn_redis_down(error: Exception) -> None:
    now = time.monotonic()
    if now - _last_warning[0] > 60:
        _last_warning[0] = now
        logger.warning("Redis does not answer (%s): the cache is bypassed until it is back.", error)


def _fail_open(default):
    def decorate(method):
        @functools.wraps(method)
        def wrapper(*args, **kwargs):
            try:
                return method(*args, **kwargs)
            except REDIS_DOWN as error:
                warn_redis_down(error)
                return default(*args, **kwargs) if callable(default) else default

        return wrapper

    return decorate


class FailOpenRedisCacheClient(RedisCacheClient):
    get = _fail_open(lambda self, key, default: default)(RedisCacheClient.get)
    get_many = _fail_open({})(RedisCacheClient.get_many)
    has_key = _fail_open(False)(RedisCacheClient.has_key)
    add = _fail_open(False)(RedisCacheClient.add)
    set = _fail_open(None)(RedisCacheClient.set)
    set_many = _fail_open([])(RedisCacheClient.set_many)
    touch = _fail_open(False)(RedisCacheClient.touch)
    delete = _fail_open(False)(RedisCacheClient.delete)
    delete_many = _fail_open(None)(RedisCacheClient.delete_many)
    clear = _fail_open(False)(RedisCacheClient.clear)

    @_fail_open(0)
    def count_hit(self, key, window_seconds):
        # SET NX EX then INCR, pipelined: one round trip; the entry expires with its window.
        pipeline = self.get_client(key, write=True).pipeline(transaction=False)
        pipeline.set(key, 0, ex=window_seconds + 1, nx=True)
        pipeline.incr(key)
        return pipeline.execute()[1]


class FailOpenRedisCache(RedisCache):
    def __init__(self, server, params):
        super().__init__(server, params)
        self._class = FailOpenRedisCacheClient

    def count_hit(self, key: str, window_seconds: int) -> int:
        """One more request in the window `key`; the count so far (0 when Redis does not answer)."""
        return self._cache.count_hit(self.make_and_validate_key(key), window_seconds)
