"""Cached reads that are dropped all at once when one of a few rarely-changing models changes.

A *generation* is a random token kept in the cache. Every cached value is stored with the token
current when it was computed and is only served while that token is still current; any save or
delete (or many-to-many change) of a declared model replaces the token, now and again when the
transaction commits, so a reader that saw the old rows in between cannot leave a stale value
behind. Reading costs one cache round trip (`get_many` of the token and the value).

Bulk `update()`/`bulk_create()` send no signals: code that uses them on a declared model calls
`generation.bump()` itself; values also expire after `ttl` seconds.
"""

from __future__ import annotations

import uuid
from collections.abc import Callable, Iterable
from typing import Any

from django.apps import apps
from django.core.cache import cache
from django.db import models, transaction
from django.db.models.signals import m2m_changed, post_delete, post_save


class Generation:
    def __init__(self, name: str, *, ttl: int = 300):
        self.name = name
        self.ttl = ttl
        self.token_key = f"quai:gen:{name}"

    def bump(self, **kwargs) -> None:
        self._set_token()
        transaction.on_commit(self._set_token)

    def _set_token(self) -> None:
        cache.set(self.token_key, uuid.uuid4().hex, None)

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
        full_key = f"quai:gen:{self.name}:{key}"
        found = cache.get_many([self.token_key, full_key])
        token = found.get(self.token_key)
        if token is None:
            cache.add(self.token_key, uuid.uuid4().hex, None)
            token = cache.get(self.token_key)
        entry = found.get(full_key)
        if entry is not None and entry[0] == token:
            return entry[1]
        value = compute()
        cache.set(full_key, (token, value), self.ttl)
        return value
