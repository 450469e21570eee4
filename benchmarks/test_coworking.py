"""Coworking benchmarks: the day grid (HTML page and API) as data grows, "my bookings", and booking
POST throughput.

The grid must stay flat as bookings pile up (one query on the exclusion constraint's GiST index,
the site's layout from the cache). The module seeds the demo (la Ruche, ≈ 12 000 bookings over
18 months) and measures; then it grows the data and measures the same pages again:

- by default, it multiplies la Ruche's history by QUAI_BENCH_COWORKING_FACTOR (default 20,
  ≈ 240 000 bookings) with one INSERT … SELECT (a few seconds);
- with QUAI_BENCH_SCALE=100 it runs the demo seeder at scale 100 instead, as
  `seed_demo --scale 100` does (99 more sites, ≈ 1 M bookings; the whole run takes about 9 minutes here).

The day measured is the next weekday (open: every slot is a real cell).
"""

import datetime
import io
import os
import random

import pytest
from django.db import connection
from django.test import Client
from django.utils import timezone

from coworking.models import Booking, Site
from coworking.time import PARIS

FACTOR = int(os.environ.get("QUAI_BENCH_COWORKING_FACTOR", "20"))
SCALE = int(os.environ.get("QUAI_BENCH_SCALE", os.environ.get("QUAI_BENCH_COWORKING_SCALE", "1")))


def _open_day() -> datetime.date:
    day = timezone.localdate(timezone.now(), PARIS)
    while day.weekday() >= 5:
        day += datetime.timedelta(days=1)
    return day


@pytest.fixture(scope="module")
def demo(django_db_setup, django_db_blocker):
    with django_db_blocker.unblock():
        from django.core.management import call_command

        call_command("seed_demo", "--quiet-logins", stdout=open(os.devnull, "w"))
        with connection.cursor() as cursor:
            cursor.execute("ANALYZE")  # as autovacuum would have done on a live database
        yield Site.objects.get(slug="ruche-saint-germain")


@pytest.fixture(scope="module")
def grown(demo, django_db_blocker):
    """The same database with far more bookings (see the module's docstring)."""
    with django_db_blocker.unblock():
        if SCALE > 1:
            from coworking.seed import seed_coworking_sites

            seed_coworking_sites(scale=SCALE, rng=random.Random(SCALE), stdout=io.StringIO())
        else:
            _multiply_history(demo, FACTOR)
        with connection.cursor() as cursor:
            # As autovacuum would have done on a live database (and so that it does not start
            # on the new rows in the middle of the measurements, on a 2-core machine).
            cursor.execute("VACUUM (ANALYZE) coworking_booking")
        yield Booking.objects.count()


def _grid_client():
    from members.models import User

    client = Client()
    client.force_login(User.objects.get(email="coworker@demo.quai.test"))
    return client


def _multiply_history(site: Site, factor: int) -> None:
    """Copy the site's bookings into earlier years (shifted by 600 days) `factor - 1` times."""
    with connection.cursor() as cursor:
        for copy in range(1, factor):
            cursor.execute(
                """
                INSERT INTO coworking_booking (resource_id, member_id, label, span, status, credits_used, created_at, updated_at, sequence)
                SELECT b.resource_id, b.member_id, b.label,
                       tstzrange(lower(b.span) - %s * interval '600 days', upper(b.span) - %s * interval '600 days', '[)'),
                       b.status, 0, now(), now(), 0
                FROM coworking_booking b JOIN coworking_resource r ON r.id = b.resource_id
                WHERE r.site_id = %s AND b.created_at > now() - interval '1 day' AND lower(b.span) > now() - interval '560 days'
                """,
                [copy, copy, site.pk],
            )


def _pages(site):
    day = _open_day()
    return {
        "desks": f"/coworking/?date={day}&kind=desk",
        "rooms": f"/coworking/?date={day}&kind=room",
        "api_rooms": f"/api/v1/availability/?site={site.pk}&date={day}&kind=room",
        "api_desks": f"/api/v1/availability/?site={site.pk}&date={day}&kind=desk",
    }


@pytest.mark.django_db
@pytest.mark.parametrize("page", ["desks", "rooms", "api_desks", "api_rooms"])
def test_grid_1_demo_volume(benchmark, demo, page):
    client = _grid_client()
    benchmark.extra_info["bookings"] = Booking.objects.count()
    response = benchmark(client.get, _pages(demo)[page])
    assert response.status_code == 200


@pytest.mark.django_db
def test_my_bookings_demo_volume(benchmark, demo):
    client = _grid_client()
    response = benchmark(client.get, "/coworking/bookings/")
    assert response.status_code == 200


@pytest.mark.django_db
def test_grid_1_paired_with_floor(demo, paired_with_floor):
    client = _grid_client()
    count = Booking.objects.count()
    for page, url in _pages(demo).items():
        paired_with_floor(f"grid {page} ({count:,} bookings)".replace(",", " "), client, url)


@pytest.mark.django_db
@pytest.mark.parametrize("page", ["desks", "rooms", "api_desks", "api_rooms"])
def test_grid_2_grown_volume(benchmark, demo, grown, page):
    client = _grid_client()
    benchmark.extra_info["bookings"] = grown
    response = benchmark(client.get, _pages(demo)[page])
    assert response.status_code == 200


@pytest.mark.django_db
def test_grid_3_paired_with_floor(demo, grown, paired_with_floor):
    """After the grown-volume benchmarks: each grid page against the floor, in alternating rounds."""
    client = _grid_client()
    for page, url in _pages(demo).items():
        paired_with_floor(f"grid {page} ({grown:,} bookings)".replace(",", " "), client, url)


@pytest.mark.django_db
def test_my_bookings_grown_volume(benchmark, demo, grown):
    client = _grid_client()
    response = benchmark(client.get, "/coworking/bookings/")
    assert response.status_code == 200


@pytest.mark.django_db
def test_grid_0_layout_cache_pays(demo, paired_with_floor, monkeypatch):
    """Does the site layout's cache pay at page level? The desk grid with it, then without it."""
    from coworking import layout, selectors

    client = _grid_client()
    url = _pages(demo)["desks"]
    paired_with_floor("grid desks, layout cached", client, url)
    monkeypatch.setattr(selectors, "site_layout", lambda *, pk=None, slug=None: layout._load(pk=pk, slug=slug))
    paired_with_floor("grid desks, layout read from PostgreSQL", client, url)
