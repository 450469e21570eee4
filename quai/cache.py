"""Django's Redis cache, keeping one Redis client per connection pool.

`django.core.cache.backends.redis.RedisCacheClient.get_client` builds a new `redis.Redis` object on
every cache call (the connections themselves are pooled); building it costs more than a GET on
loopback. A `redis.Redis` client is thread-safe, so one per pool is enough.
"""

from django.core.cache.backends.redis import RedisCache, RedisCacheClient


class PooledRedisCacheClient(RedisCacheClient):
    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self._clients = {}

    def get_client(self, key=None, *, write=False):
        pool = self._get_connection_pool(write)
        client = self._clients.get(id(pool))
        if client is None:
            client = self._clients[id(pool)] = self._client(connection_pool=pool)
        return client


class PooledRedisCache(RedisCache):
    def __init__(self, server, params):
        super().__init__(server, params)
        self._class = PooledRedisCacheClient
