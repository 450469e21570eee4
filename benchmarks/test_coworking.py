"""Coworking benchmarks: the day grid at two data volumes, "my bookings", and booking POST throughput.

The grid must stay flat as bookings pile up (GiST index on the span, a fixed number of queries):
the test seeds the demo site (≈ 12 000 bookings over 18 months), measures the grid, then multiplies
the history of the same site by QUAI_BENCH_COWORKING_FACTOR (default 20, ≈ 240 000 bookings) and
measures again. `seed_demo --scale 100` (≈ 1.2 M bookings on 100 sites) takes several minutes here;
set QUAI_BENCH_COWORKING_FACTOR=100 to run that volume.
"""

import datetime
import json
import os
import random
import urllib.request

import pytest
from django.db import connection
from django.test import Client
from django.utils import timezone

from benchmarks.http import gunicorn, measure
from coworking.models import Booking, Resource, Site
from coworking.services import PARIS, local_dt

FACTOR = int(os.environ.get("QUAI_BENCH_COWORKING_FACTOR", "20"))


@pytest.fixture(scope="module")
def demo(django_db_setup, django_db_blocker):
    with django_db_blocker.unblock():
        from django.core.management import call_command

        call_command("seed_demo", "--quiet-logins", stdout=open(os.devnull, "w"))
        site = Site.objects.get(slug="ruche-saint-germain")
        yield site


def _grid_client():
    from members.models import User

    client = Client()
    client.force_login(User.objects.get(email="coworker@demo.quai.test"))
    return client


def _multiply_history(site: Site, factor: int) -> int:
    """Copy the site's bookings into earlier years (shifted by whole weeks) `factor - 1` times."""
    with connection.cursor() as cursor:
        for copy in range(1, factor):
            cursor.execute(
                """
                INSERT INTO coworking_booking (resource_id, member_id, label, span, status, credits_used, created_at)
                SELECT b.resource_id, b.member_id, b.label,
                       tstzrange(lower(b.span) - %s * interval '600 days', upper(b.span) - %s * interval '600 days', '[)'),
                       b.status, 0, now()
                FROM coworking_booking b JOIN coworking_resource r ON r.id = b.resource_id
                WHERE r.site_id = %s AND b.created_at > now() - interval '1 day' AND lower(b.span) > now() - interval '560 days'
                """,
                [copy, copy, site.pk],
            )
        cursor.execute("ANALYZE coworking_booking")
    return Booking.objects.count()


@pytest.mark.django_db
def test_grid_desks_today_demo_volume(benchmark, demo):
    client = _grid_client()
    day = timezone.localdate(timezone.now(), PARIS)
    response = benchmark(client.get, f"/coworking/?date={day}&kind=desk")
    assert response.status_code == 200


@pytest.mark.django_db
def test_grid_rooms_api_demo_volume(benchmark, demo):
    client = _grid_client()
    day = timezone.localdate(timezone.now(), PARIS)
    response = benchmark(client.get, f"/api/v1/availability/?site={demo.pk}&date={day}&kind=room")
    assert response.status_code == 200


@pytest.mark.django_db
def test_my_bookings_demo_volume(benchmark, demo):
    client = _grid_client()
    response = benchmark(client.get, "/coworking/bookings/")
    assert response.status_code == 200


@pytest.mark.django_db
def test_grid_desks_today_x_history(benchmark, demo):
    total = _multiply_history(demo, FACTOR)
    client = _grid_client()
    day = timezone.localdate(timezone.now(), PARIS)
    benchmark.extra_info["bookings"] = total
    response = benchmark(client.get, f"/coworking/?date={day}&kind=desk")
    assert response.status_code == 200


@pytest.mark.django_db(transaction=True)
def test_booking_post_throughput(report_throughput):
    """POST /api/v1/bookings/ on loopback with 2 gunicorn workers: each request books a distinct desk/day."""
    from django.core.management import call_command

    from members.models import ApiToken, User

    call_command("seed_demo", "--quiet-logins", stdout=open(os.devnull, "w"))
    member = User.objects.get(email="coworker@demo.quai.test")  # full-time: no credit limit
    key = ApiToken.issue(user=member, name="bench")[1]
    site = Site.objects.get(slug="ruche-saint-germain")
    desks = list(Resource.objects.filter(site=site, kind="desk", assigned_to__isnull=True))
    today = timezone.localdate(timezone.now(), PARIS)
    days = [today + datetime.timedelta(days=d) for d in range(15, 29) if (today + datetime.timedelta(days=d)).weekday() < 5]
    Booking.objects.filter(resource__in=desks, span__startswith__gte=local_dt(days[0], datetime.time(0))).delete()
    slots = [(desk, day, half) for day in days for desk in desks for half in ("am", "pm")]
    random.Random(1).shuffle(slots)

    def make(i):
        desk, day, half = slots[i % len(slots)]
        start, end = (datetime.time(9), datetime.time(13)) if half == "am" else (datetime.time(13), datetime.time(18))
        body = {"resource": desk.pk, "start": local_dt(day, start).isoformat(), "end": local_dt(day, end).isoformat()}
        return urllib.request.Request(
            url + "/api/v1/bookings/", data=json.dumps(body).encode(), method="POST",
            headers={"Authorization": f"Token {key}", "Content-Type": "application/json"},
        )

    with gunicorn(workers=2) as url:
        rps, p95 = measure(make, total=min(300, len(slots)), concurrency=8)
    created = Booking.objects.filter(member=member, span__startswith__gte=local_dt(days[0], datetime.time(0))).count()
    report_throughput(f"booking POST /api/v1/bookings/ (2 workers, {created} created)", rps, p95)
    assert created > 0
