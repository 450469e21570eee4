"""A site's layout for the grid: the site, its active resources, opening hours and closures.

It changes a few times a year and every grid page needs it, so it is cached (one layer, in the
shared cache) under a version that any save or delete of those models replaces (signals
wired in CoworkingConfig.ready). The version is replaced again when the transaction commits: a
page computed in between, from the rows as they were before the commit, is left under a version
nobody asks for any more. Bulk writes (`update()`, `bulk_create()`) send no signal: their callers
call `layout_changed()`.

What the layout shows is also in the key (the names of the cached fields and of the models'
columns): a deployment that changes its shape reads fresh values, never old pickles.

Display only: no booking rule reads this (the services check PostgreSQL under locks).
"""

from __future__ import annotations

import dataclasses
import datetime
import hashlib
import uuid

from django.core.cache import cache
from django.db import transaction
from django.db.models.signals import post_delete, post_save

from coworking.models import Closure, OpeningHours, Resource, Site

VERSION_KEY = "coworking:layout-version"
TIMEOUT = 3600


@dataclasses.dataclass(frozen=True)
class SiteLayout:
    site: Site
    resources: tuple[Resource, ...]  # active ones, in display order
    hours: dict[int, tuple[datetime.time, datetime.time]]  # weekday → (opens, closes)
    closures: tuple[tuple[datetime.date, datetime.date, str], ...]

    def closure_on(self, day: datetime.date) -> tuple[datetime.date, datetime.date, str] | None:
        return next((closure for closure in self.closures if closure[0] <= day <= closure[1]), None)


LAYOUT_MODELS = (Site, Resource, OpeningHours, Closure)

_SHAPE = hashlib.sha1(
    repr(
        [field.name for field in dataclasses.fields(SiteLayout)]
        + [(model.__name__, [field.attname for field in model._meta.concrete_fields]) for model in LAYOUT_MODELS]
    ).encode()
).hexdigest()[:8]


def layout_changed(**kwargs) -> None:
    """Forget every cached layout, now and again when the transaction commits."""
    cache.set(VERSION_KEY, uuid.uuid4().hex, None)
    transaction.on_commit(lambda: cache.set(VERSION_KEY, uuid.uuid4().hex, None))


def connect_signals() -> None:
    for model in LAYOUT_MODELS:
        post_save.connect(layout_changed, sender=model, dispatch_uid=f"coworking-layout-save-{model.__name__}")
        post_delete.connect(layout_changed, sender=model, dispatch_uid=f"coworking-layout-delete-{model.__name__}")


def _load(*, pk: int | None, slug: str | None) -> SiteLayout | None:
    sites = Site.objects.filter(is_active=True)
    site = (sites.filter(pk=pk) if pk is not None else sites.filter(slug=slug) if slug else sites.order_by("pk")).first()
    if site is None:
        return None
    resources = tuple(Resource.objects.filter(site=site, is_active=True).order_by("zone", "position", "name"))
    hours = {row.weekday: (row.opens, row.closes) for row in OpeningHours.objects.filter(site=site)}
    closures = tuple(Closure.objects.filter(site=site).order_by("start_date").values_list("start_date", "end_date", "reason"))
    return SiteLayout(site=site, resources=resources, hours=hours, closures=closures)


def site_layout(*, pk: int | None = None, slug: str | None = None) -> SiteLayout | None:
    """The active site by id, by slug, or the default one (first created), with its resources,
    opening hours and closures: two cache reads, and four queries when the layout changed."""
    version = cache.get(VERSION_KEY)
    if version is None:
        cache.add(VERSION_KEY, uuid.uuid4().hex, None)
        version = cache.get(VERSION_KEY)
        if version is None:  # the cache does not answer (Redis down): read PostgreSQL
            return _load(pk=pk, slug=slug)
    which = f"id:{pk}" if pk is not None else f"slug:{slug}" if slug else "default"
    key = f"coworking:layout:{_SHAPE}:{version}:{which}"
    layout = cache.get(key)
    if layout is None:
        layout = _load(pk=pk, slug=slug)
        if layout is not None:  # unknown slugs are not stored: anyone can make them up
            cache.set(key, layout, TIMEOUT)
    return layout
