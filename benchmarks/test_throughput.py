"""Write throughput on loopback (gunicorn, 2 workers, 16 concurrent clients) and resident memory.

Three POSTs through the same stack: the floor POST (`/bench/page-floor/`: a logged-in member's
form writing one row, then a redirect), a booking (`POST /api/v1/bookings/`, each request a distinct
desk and half-day) and a registration (`POST /api/v1/events/<id>/registrations/`, each a distinct
guest). Target: each ≥ 50 % of the floor POST. Then the web workers' and a Celery worker's
resident memory after the load (target < 250 MB each).

The requests per second depend on what else the machine runs (two cores shared by several
sessions: the ratios moved by 2-5x between runs minutes apart). So each scenario also reports the
CPU time the server spent per request: the two gunicorn workers and their PostgreSQL backends
(/proc, user + system), whatever waited in between. On a machine the load saturates, throughput is
the inverse of that cost: "floor CPU / booking CPU" is the ratio the throughput tends to when the
server has the cores to itself, and it moves much less from one run to the next.
"""

import datetime
import json
import os
import random
import urllib.request

import pytest
from django.conf import settings
from django.core.management import call_command
from django.db import connection
from django.test import Client
from django.utils import timezone

from benchmarks.http import (
    celery_worker,
    children,
    cpu_seconds,
    gunicorn,
    measure,
    rss_mb,
)

CONCURRENCY = 16
TOTAL = 480
CSRF = "b" * 32  # a CSRF secret of our choosing, sent as the cookie and as the header


def _session_cookie(email: str) -> str:
    from members.models import User

    client = Client()
    client.force_login(User.objects.get(email=email))
    return client.cookies[settings.SESSION_COOKIE_NAME].value


@pytest.mark.django_db(transaction=True)
def test_post_throughput_and_memory(report_throughput, report_fact):
    from coworking.models import Booking, Resource, Site
    from coworking.time import PARIS, local_dt
    from events.models import Event, Registration
    from members.models import ApiToken, User

    call_command("seed_demo", "--quiet-logins", stdout=open(os.devnull, "w"))
    from coworking.models import Subscription

    # Sixteen coworkers with an unlimited plan, one per client: a member's own bookings are
    # serialised by design (the plan's row lock), sixteen people booking at once are not.
    today = timezone.localdate()
    holders = list(
        User.objects.filter(pk__in=Subscription.objects.filter(credits_remaining__isnull=True, starts_on__lte=today,
                                                             ends_on__gte=today + datetime.timedelta(days=40)).values("member"))
        .filter(is_staff=False).order_by("pk")[:CONCURRENCY]
    )
    keys = [ApiToken.issue(user=holder, name="bench")[1] for holder in holders]
    session = _session_cookie("membre@demo.quai.test")
    site = Site.objects.get(slug="ruche-saint-germain")
    desks = list(Resource.objects.filter(site=site, kind="desk", assigned_to__isnull=True))
    today = timezone.localdate(timezone.now(), PARIS)
    days = [today + datetime.timedelta(days=d) for d in range(1, 29) if (today + datetime.timedelta(days=d)).weekday() < 5]
    Booking.objects.filter(resource__in=desks, span__startswith__gte=local_dt(days[0], datetime.time(0))).delete()
    slots = [(desk, day, half) for day in days for desk in desks for half in ("am", "pm")]
    random.Random(1).shuffle(slots)
    # Sixteen events, one per client (one event's registrations are serialised by design: the
    # event's row lock, then recount).
    events = [
        Event.objects.create(
            title=f"Forum de l’ESS n°{n} (bench)", kind=Event.objects.values_list("kind", flat=True).first(),
            starts_at=timezone.now() + datetime.timedelta(days=10), ends_at=timezone.now() + datetime.timedelta(days=10, hours=3),
            capacity=100_000, is_public=True, status="published",
        )
        for n in range(CONCURRENCY)
    ]

    def floor_post(i):
        return urllib.request.Request(
            url + "/bench/page-floor/", data=b"", method="POST",
            headers={"Cookie": f"{settings.SESSION_COOKIE_NAME}={session}; {settings.CSRF_COOKIE_NAME}={CSRF}", "X-CSRFToken": CSRF},
        )

    def booking_post(i):
        desk, day, half = slots[i % len(slots)]
        start, end = (datetime.time(9), datetime.time(13)) if half == "am" else (datetime.time(13), datetime.time(18))
        body = {"resource": desk.pk, "start": local_dt(day, start).isoformat(), "end": local_dt(day, end).isoformat()}
        return urllib.request.Request(
            url + "/api/v1/bookings/", data=json.dumps(body).encode(), method="POST",
            headers={"Authorization": f"Token {keys[i % len(keys)]}", "Content-Type": "application/json"},
        )

    def registration_post(i):
        body = {"name": f"Invité {i}", "email": f"invite{i}-{random.random():.9f}@example.org", "consent": True}
        return urllib.request.Request(
            url + f"/api/v1/events/{events[i % len(events)].pk}/registrations/", data=json.dumps(body).encode(), method="POST",
            headers={"Content-Type": "application/json"},
        )

    # The API's per-client rate limits are lifted: all the load comes from one address and one token.
    bookings_before = Booking.objects.count()

    def server_pids() -> list[int]:
        with connection.cursor() as cursor:
            cursor.execute("SELECT pid FROM pg_stat_activity WHERE datname = current_database() AND pid <> pg_backend_pid()")
            return children(gunicorn.pid) + [row[0] for row in cursor.fetchall()]

    def measured(factory, total):
        """(requests per second, p95 ms, server CPU ms per request)."""
        before = cpu_seconds(server_pids())
        rps, p95 = measure(factory, total=total, concurrency=CONCURRENCY)
        after = cpu_seconds(server_pids())
        return rps, p95, sum(used - before.get(pid, 0.0) for pid, used in after.items()) * 1000 / total

    with gunicorn(workers=2, QUAI_API_ANON_RATE="100000/minute", QUAI_API_USER_RATE="100000/minute") as url:
        measure(floor_post, total=40, concurrency=4)  # warm both workers
        floor_rps, floor_p95, floor_cpu = measured(floor_post, TOTAL)
        booking_rps, booking_p95, booking_cpu = measured(booking_post, min(TOTAL, len(slots)))
        registration_rps, registration_p95, registration_cpu = measured(registration_post, TOTAL)
        workers = children(gunicorn.pid)
        web_rss = max(rss_mb(pid) for pid in workers) if workers else float("nan")
    booked = Booking.objects.count() - bookings_before
    registered = Registration.objects.filter(event__in=events).count()
    report_throughput(f"floor POST /bench/page-floor/ ({CONCURRENCY} clients)", floor_rps, floor_p95)
    report_throughput(f"booking POST ({len(keys)} members, {booked} created; {booking_rps / floor_rps:.0%} of the floor POST)", booking_rps, booking_p95)
    report_throughput(f"registration POST ({len(events)} events, {registered} created; {registration_rps / floor_rps:.0%} of the floor POST)", registration_rps, registration_p95)
    report_fact("server CPU per floor POST (2 web workers + their PostgreSQL backends)", floor_cpu, "ms")
    report_fact(f"server CPU per booking POST ({floor_cpu / booking_cpu:.0%} of the floor's throughput at equal CPU)", booking_cpu, "ms")
    report_fact(f"server CPU per registration POST ({floor_cpu / registration_cpu:.0%} of the floor's throughput at equal CPU)",
                registration_cpu, "ms")
    report_fact("web worker resident memory (largest of 2, after the load)", web_rss, "MB")
    report_fact("Celery worker resident memory (started, idle)", _celery_worker_rss(), "MB")
    assert booked > 0 and registered > 0


def _celery_worker_rss() -> float:
    """Start a Celery worker (prefork, 1 child), wait until it answers, read its memory."""
    with celery_worker() as proc:
        return max([rss_mb(proc.pid)] + [rss_mb(pid) for pid in children(proc.pid)])
