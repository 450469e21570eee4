"""Cached reads that are dropped all at once when one of a few rarely-changing models changes.

A *generation* is a random token kept in the cache. Every cached value is stored with the token
current when it was computed and is only served while that token is still current; any save or
delete (or many-to-many change) of a declared model replaces the token, now and again when the
transaction commits, so a reader that saw the old rows in between cannot leave a stale value
behind. Each process keeps the values it read, unpickled, beside the token they were computed
under, and re-reads the token at most once a second: a change made through this process shows at
once, one made through another process within a second (layouts and navigation answers only: no
booking rule ever reads them, the services check PostgreSQL under locks).

Bulk `update()`/`bulk_create()` send no signals: code that uses them on a declared model calls
`generation.bump()` itself; values also expire after `ttl` seconds.

Values are pickled into the cache: when the shape of a cached value changes (a field added to a
dataclass), change the generation's name ("…-v2"), or the old pickles come back without it.
"""

from __future__ import annotations

import time
import uuid
from collections.abc import Callable, Iterable
from typing import Any

from django.apps import apps
from django.core.cache import cache
from django.db import models, transaction
from django.db.models.signals import m2m_changed, post_delete, post_save


GENERATIONS: list["Generation"] = []


class Generation:
    def __init__(
        self, name: str, *, ttl: int = 300, local_size: int = 1024, token_seconds: float = 1.0, shared: bool = True
    ):
        self.name = name
        # shared=False: values stay in the process that computed them (never written to the cache),
        # for what must not sit in Redis (user rows carry password hashes); only the token is shared.
        self.shared = shared
        self.ttl = ttl
        self.token_key = f"quai:gen:{name}"
        self.token_seconds = token_seconds
        self._token: tuple[str | None, float] = (None, 0.0)
        GENERATIONS.append(self)
        # Values already unpickled by this process, served while the token is unchanged: values
        # must be treated as read-only by callers.
        self.local_size = local_size
        self._local: dict[str, tuple[str, Any, float]] = {}

    def bump(self, **kwargs) -> None:
        self._set_token()
        transaction.on_commit(self._set_token)

    def _set_token(self) -> None:
        token = uuid.uuid4().hex
        cache.set(self.token_key, token, None)
        self._token = (token, time.monotonic() + self.token_seconds)

    def token(self) -> str | None:
        """The current token: re-read from the cache at most every `token_seconds` by each process
        (a change made by this process is seen at once; by another one, within that delay).
        None when the cache does not answer."""
        token, fresh_until = self._token
        if token is not None and time.monotonic() < fresh_until:
            return token
        token = cache.get(self.token_key)
        if token is None:
            cache.add(self.token_key, uuid.uuid4().hex, None)
            token = cache.get(self.token_key)
        if token is not None:
            self._token = (token, time.monotonic() + self.token_seconds)
        return token

    def forget_local(self) -> None:
        """Drop this process's copies (tests call it when they empty the cache)."""
        self._token = (None, 0.0)
        self._local.clear()

    def watch(self, model_labels: Iterable[str]) -> None:
        """Bump on any save/delete of these models ("app_label.Model") or change of their many-to-many fields."""
        for label in model_labels:
            model = apps.get_model(label)
            uid = f"quai-gen-{self.name}-{label}"
            post_save.connect(self.bump, sender=model, dispatch_uid=uid + "-save", weak=False)
            post_delete.connect(self.bump, sender=model, dispatch_uid=uid + "-delete", weak=False)
            for field in model._meta.many_to_many:
                if isinstance(field, models.ManyToManyField):
                    m2m_changed.connect(self.bump, sender=field.remote_field.through, dispatch_uid=f"{uid}-{field.name}", weak=False)

    def get_or_compute(self, key: str, compute: Callable[[], Any]) -> Any:
        """The value for `key` under the current token: from this process's memory when it holds it
        (one cache round trip, for the token), else from the cache, else `compute()`d and stored."""
        full_key = f"quai:gen:{self.name}:{key}"
        token = self.token()
        if token is None:  # the cache does not answer (Redis down): no copy can be trusted
            return compute()
        now = time.monotonic()
        local = self._local.get(full_key)
        if local is not None and local[0] == token and local[2] > now:
            return local[1]
        entry = cache.get(full_key) if self.shared else None
        if entry is not None and entry[0] == token:
            value = entry[1]
        else:
            value = compute()
            if self.shared:
                cache.set(full_key, (token, value), self.ttl)
        if len(self._local) >= self.local_size:
            self._local.clear()
        self._local[full_key] = (token, value, now + self.ttl)
        return value
