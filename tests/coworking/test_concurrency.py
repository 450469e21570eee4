"""Truly concurrent clients against a live server: the database guarantees "never booked twice"."""

import datetime
import json
import threading
import time
import urllib.error
import urllib.request
from decimal import Decimal

import pytest
from django.db import connection

from coworking import services
from coworking.models import Booking, Subscription
from coworking.time import local_dt
from members.models import ApiToken
from tests.coworking.factories import SubscriptionFactory, ten_day_pass
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db(transaction=True)
CLIENTS = 20


def fire(url, requests: list[tuple[str, dict]], method: str = "POST") -> list[int]:
    """Send every (token, body) at once from its own thread; released together by a barrier.
    `url` is one URL for all, or a list (one per request)."""
    barrier = threading.Barrier(len(requests))
    statuses: list[int] = [0] * len(requests)

    urls = url if isinstance(url, list) else [url] * len(requests)

    def worker(index, token, body):
        request = urllib.request.Request(
            urls[index], data=json.dumps(body).encode(), method=method,
            headers={"Authorization": f"Token {token}", "Content-Type": "application/json"},
        )
        barrier.wait()
        try:
            with urllib.request.urlopen(request, timeout=30) as response:
                statuses[index] = response.status
        except urllib.error.HTTPError as error:
            statuses[index] = error.code

    threads = [threading.Thread(target=worker, args=(i, token, body)) for i, (token, body) in enumerate(requests)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return statuses


def body(resource, start, end):
    return {"resource": resource.pk, "start": start.isoformat(), "end": end.isoformat()}


def test_twenty_members_race_for_one_desk_exactly_one_wins(live_server, desk, morning):
    tokens = []
    for _ in range(CLIENTS):
        member = UserFactory()
        SubscriptionFactory(member=member)
        tokens.append(ApiToken.issue(user=member, name="race")[1])
    statuses = fire(live_server.url + "/api/v1/bookings/", [(t, body(desk, *morning)) for t in tokens])
    assert sorted(statuses) == [201] + [409] * (CLIENTS - 1), statuses
    assert Booking.objects.filter(resource=desk, status="confirmed").count() == 1


def test_ten_members_move_their_bookings_to_the_same_slot_exactly_one_wins(live_server, room, day):
    """Each move locks only its own booking: the exclusion constraint decides, and the losers'
    bookings stay where they were (nothing half-written)."""
    bookings, tokens = [], []
    for index in range(10):
        member = UserFactory()
        SubscriptionFactory(member=member)
        start = local_dt(day, datetime.time(8)) + datetime.timedelta(minutes=30 * index)
        bookings.append(services.booking_create(member=member, resource=room, starts_at=start, ends_at=start + datetime.timedelta(minutes=30)))
        tokens.append(ApiToken.issue(user=member, name="race")[1])
    target = (local_dt(day, datetime.time(18)), local_dt(day, datetime.time(19)))
    urls = [f"{live_server.url}/api/v1/bookings/{booking.pk}/" for booking in bookings]
    statuses = fire(urls, [(token, {"start": target[0].isoformat(), "end": target[1].isoformat()}) for token in tokens], method="PATCH")
    assert sorted(statuses) == [200] + [409] * 9, statuses
    moved = Booking.objects.filter(resource=room, status="confirmed", span__startswith=target[0])
    assert moved.count() == 1
    for booking in bookings:
        if booking.pk != moved.get().pk:
            booking.refresh_from_db()
            assert (booking.sequence, booking.ends_at - booking.starts_at) == (0, datetime.timedelta(minutes=30))


def test_last_credit_spent_once_under_concurrency(live_server, site, desk, day):
    from tests.coworking.factories import ResourceFactory

    member = UserFactory()
    subscription = ten_day_pass(member, credits="0.5")
    token = ApiToken.issue(user=member, name="race")[1]
    # Twenty different desks, same morning: only the credit can refuse them.
    desks = [desk] + [ResourceFactory(site=site) for _ in range(CLIENTS - 1)]
    start, end = local_dt(day, datetime.time(9)), local_dt(day, datetime.time(13))
    statuses = fire(live_server.url + "/api/v1/bookings/", [(token, body(d, start, end)) for d in desks])
    assert sorted(statuses) == [201] + [409] * (CLIENTS - 1), statuses
    subscription.refresh_from_db()
    assert subscription.credits_remaining == Decimal("0")
    assert Booking.objects.filter(member=member, status="confirmed").count() == 1


def test_control_without_the_guards_the_race_happens(live_server, site, desk, day, monkeypatch):
    """Control: remove the row lock and widen the check-then-write window: the last credit is spent many times."""
    from tests.coworking.factories import ResourceFactory

    def unlocked(member, day):
        subscription = Subscription.objects.filter(member=member, starts_on__lte=day, ends_on__gte=day).first()
        time.sleep(0.3)  # everyone reads the same balance before anyone writes
        return subscription

    monkeypatch.setattr(services, "_subscription_for_update", unlocked)
    member = UserFactory()
    ten_day_pass(member, credits="0.5")
    token = ApiToken.issue(user=member, name="race")[1]
    desks = [desk] + [ResourceFactory(site=site) for _ in range(9)]
    start, end = local_dt(day, datetime.time(9)), local_dt(day, datetime.time(13))
    statuses = fire(live_server.url + "/api/v1/bookings/", [(token, body(d, start, end)) for d in desks])
    assert statuses.count(201) > 1, statuses  # the race the lock prevents
    assert Booking.objects.filter(member=member, status="confirmed").count() > 1


def test_control_without_the_exclusion_constraint_a_desk_is_booked_twice(live_server, desk, morning, monkeypatch):
    """Control: drop the constraint and the friendly pre-check: concurrent inserts double-book the desk."""
    monkeypatch.setattr(services, "_ensure_free", lambda *args, **kwargs: time.sleep(0.2))
    tokens = []
    for _ in range(10):
        member = UserFactory()
        SubscriptionFactory(member=member)
        tokens.append(ApiToken.issue(user=member, name="race")[1])
    with connection.cursor() as cursor:
        cursor.execute("ALTER TABLE coworking_booking DROP CONSTRAINT booking_no_overlap")
    try:
        statuses = fire(live_server.url + "/api/v1/bookings/", [(t, body(desk, *morning)) for t in tokens])
        doubled = Booking.objects.filter(resource=desk, status="confirmed").count()
    finally:
        Booking.objects.all().delete()
        from django.db import connection as conn

        from coworking.models import Booking as BookingModel

        constraint = next(c for c in BookingModel._meta.constraints if c.name == "booking_no_overlap")
        with conn.schema_editor() as editor:
            editor.add_constraint(BookingModel, constraint)
    assert statuses.count(201) > 1 and doubled > 1, statuses
