"""Every main page, each demo persona, paired with the page floor, at the demo's scale.

`make bench` seeds `seed_demo --scale $QUAI_BENCH_SCALE` (default 1; scale 100 is ≈ 90 000 members,
1 M+ bookings, 1 M attendances, and its seeding time is printed), then times each page in
alternating rounds with both floors (see conftest.py) and prints its number of queries. Run it at
scale 1 and at scale 100: a page must stay ≤ 3× the page floor, ≤ 1.5× its own ratio at scale 1,
and its queries must not change with the scale.

    make bench ARGS="benchmarks/test_pages.py"                               # scale 1
    QUAI_BENCH_SCALE=100 make bench ARGS="benchmarks/test_pages.py benchmarks/test_throughput.py"
"""

import datetime
import os
import time

import pytest
from django.core.management import call_command
from django.db import connection
from django.db.models import Count
from django.test import Client
from django.utils import timezone

SCALE = int(os.environ.get("QUAI_BENCH_SCALE", os.environ.get("QUAI_BENCH_COWORKING_SCALE", "1")))


@pytest.fixture(scope="module")
def demo(django_db_setup, django_db_blocker, request):
    with django_db_blocker.unblock():
        started = time.perf_counter()
        call_command("seed_demo", "--quiet-logins", "--scale", str(SCALE), stdout=open(os.devnull, "w"))
        seconds = time.perf_counter() - started
        request.config.__dict__.setdefault("_quai_facts", []).append((f"seed_demo --scale {SCALE}", seconds, "s"))
        from quai.models import IndicatorSnapshot

        if not IndicatorSnapshot.objects.exists():
            # The staff home draws its charts from the snapshots: without them it would be timed
            # with empty charts (as the nightly task would have run on a live database).
            started = time.perf_counter()
            call_command("compute_impact", stdout=open(os.devnull, "w"))
            request.config.__dict__["_quai_facts"].append(("compute_impact (the staff home's snapshots)", time.perf_counter() - started, "s"))
        with connection.cursor() as cursor:
            cursor.execute("VACUUM ANALYZE")  # as autovacuum would have done on a live database
        yield


def _client(email: str) -> Client:
    from members.models import User

    client = Client()
    client.force_login(User.objects.get(email=email))  # staff: as after their TOTP code (root conftest)
    return client


def _open_day() -> datetime.date:
    from coworking.time import PARIS

    day = timezone.localdate(timezone.now(), PARIS) + datetime.timedelta(days=1)
    while day.weekday() >= 5:
        day += datetime.timedelta(days=1)
    return day


def _pages() -> list[tuple[str, str, str]]:
    from events.models import Event, Registration
    from incubator.models import Project
    from members.models import User

    day = _open_day()
    upcoming = Event.objects.filter(status="published", starts_at__gt=timezone.now()).order_by("starts_at").first()
    busiest = (
        Registration.objects.filter(event__starts_at__gt=timezone.now() - datetime.timedelta(days=30))
        .values("event").annotate(n=Count("pk")).order_by("-n").first()
    )
    founder = User.objects.get(email="incube@demo.quai.test")
    project = Project.objects.filter(team=founder).order_by("pk").first()
    someone = User.objects.filter(email__endswith="@adherents.demo.quai.test").order_by("pk").first()
    pages = [
        ("home", "membre@demo.quai.test", "/"),
        ("desk grid", "coworker@demo.quai.test", f"/coworking/?date={day}&kind=desk"),
        ("room grid", "coworker@demo.quai.test", f"/coworking/?date={day}&kind=room"),
        ("my bookings", "coworker@demo.quai.test", "/coworking/bookings/"),
        ("account", "membre@demo.quai.test", "/account/"),
        ("agenda", "membre@demo.quai.test", "/events/"),
        ("directory", "membre@demo.quai.test", "/directory/"),
        ("holder dashboard", "porteur@demo.quai.test", "/fabrique/"),
        ("coach dashboard", "coach@demo.quai.test", "/fabrique/coach/"),
        ("staff home", "staff@demo.quai.test", "/staff/"),
        ("staff member list", "staff@demo.quai.test", "/staff/members/"),
        ("staff member search", "staff@demo.quai.test", f"/staff/members/?q={someone.last_name if someone else 'Martin'}"),
        ("staff member list, expiring", "staff@demo.quai.test", "/staff/members/?status=expiring"),
    ]
    if upcoming:
        pages.append(("event page", "membre@demo.quai.test", f"/events/{upcoming.pk}/"))
    if busiest:
        pages.append(("door list", "staff@demo.quai.test", f"/staff/events/{busiest['event']}/door/"))
    if project:
        pages.append(("founder project page", "incube@demo.quai.test", f"/incubator/projects/{project.pk}/"))
    return pages


@pytest.mark.django_db
def test_main_pages_paired_with_the_page_floor(demo, paired_with_floor):
    from members.models import User

    members = User.objects.count()
    only = {name.strip() for name in os.environ.get("QUAI_BENCH_PAGES", "").split(",") if name.strip()}  # e.g. "staff home"
    for name, email, url in _pages():
        if only and name not in only:
            continue
        paired_with_floor(f"{name} (scale {SCALE}, {members} users)", _client(email), url)
