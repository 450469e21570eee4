"""The member's bookings feed, read by two independent parsers: moved bookings keep their UID with
SEQUENCE bumped, cancelled ones stay as STATUS:CANCELLED, DTSTAMP is the last change."""

import datetime

import pytest
from django.urls import reverse
from django.utils import timezone

from coworking import services
from coworking.models import Booking, CalendarFeed
from coworking.time import local_dt
from tests.icalendars import parse_both

pytestmark = pytest.mark.django_db


@pytest.fixture
def feed_url(coworker):
    feed = services.calendar_feed_reset(member=coworker)
    return reverse("coworking:ical", args=[feed.token])


def test_feed_keeps_a_moved_booking_with_sequence_bumped_and_a_cancelled_one_as_cancelled(client, coworker, desk, day, morning, feed_url, settings):
    settings.QUAI_ICAL_DOMAIN = "quai.example.org"
    moved = services.booking_create(member=coworker, resource=desk, starts_at=morning[0], ends_at=morning[1])
    cancelled = services.booking_create(member=coworker, resource=desk, starts_at=local_dt(day + datetime.timedelta(days=1), datetime.time(9)),
                                        ends_at=local_dt(day + datetime.timedelta(days=1), datetime.time(13)))
    first = {e["uid"]: e for e in parse_both(client.get(feed_url).content)}
    assert {uid: (e["sequence"], e["status"]) for uid, e in first.items()} == {
        f"booking-{moved.pk}@quai.example.org": (0, "CONFIRMED"), f"booking-{cancelled.pk}@quai.example.org": (0, "CONFIRMED")}

    afternoon = local_dt(day, datetime.time(13)), local_dt(day, datetime.time(18))
    services.booking_move(booking=moved, starts_at=afternoon[0], ends_at=afternoon[1])
    services.booking_cancel(booking=cancelled, by=coworker)
    response = client.get(feed_url)
    assert response.status_code == 200
    assert response["Content-Type"] == "text/calendar; charset=utf-8"
    assert response["Cache-Control"] == "private, no-store"
    events = {e["uid"]: e for e in parse_both(response.content)}
    after_move = events[f"booking-{moved.pk}@quai.example.org"]
    assert (after_move["sequence"], after_move["status"], after_move["dtstart"], after_move["dtend"], after_move["tzid"]) == (
        1, "CONFIRMED", afternoon[0], afternoon[1], "Europe/Paris")
    after_cancel = events[f"booking-{cancelled.pk}@quai.example.org"]
    assert (after_cancel["sequence"], after_cancel["status"]) == (1, "CANCELLED")
    for booking in (moved, cancelled):
        booking.refresh_from_db()
        event = events[f"booking-{booking.pk}@quai.example.org"]
        assert event["dtstamp"] == booking.updated_at.replace(microsecond=0)
        assert booking.updated_at > booking.created_at


def test_feed_holds_the_last_twelve_months_and_the_future(client, coworker, desk, feed_url):
    now = timezone.now()
    kept_past = Booking.objects.create(member=coworker, resource=desk, span=(now - datetime.timedelta(days=360), now - datetime.timedelta(days=360) + datetime.timedelta(hours=4)))
    too_old = Booking.objects.create(member=coworker, resource=desk, span=(now - datetime.timedelta(days=370), now - datetime.timedelta(days=370) + datetime.timedelta(hours=4)))
    future = Booking.objects.create(member=coworker, resource=desk, span=(now + datetime.timedelta(days=200), now + datetime.timedelta(days=200, hours=4)))
    released = Booking.objects.create(member=coworker, resource=desk, status="released", span=(now - datetime.timedelta(days=3), now - datetime.timedelta(days=3) + datetime.timedelta(hours=4)))
    uids = [e["uid"].split("@")[0] for e in parse_both(client.get(feed_url).content)]
    assert uids == [f"booking-{kept_past.pk}", f"booking-{released.pk}", f"booking-{future.pk}"]
    assert too_old.pk not in [int(uid.split("-")[1]) for uid in uids]


def test_uids_follow_the_setting_not_the_host_the_request_came_to(client, coworker, desk, morning, feed_url, settings):
    settings.QUAI_ICAL_DOMAIN = "quai.example.org"
    settings.ALLOWED_HOSTS = ["*"]
    booking = services.booking_create(member=coworker, resource=desk, starts_at=morning[0], ends_at=morning[1])
    for host in ("quai.example.org", "autre-nom.example.net"):
        [event] = parse_both(client.get(feed_url, HTTP_HOST=host).content)
        assert event["uid"] == f"booking-{booking.pk}@quai.example.org"


def test_the_domain_defaults_to_the_site_urls_host():
    from urllib.parse import urlsplit

    from django.conf import settings

    assert settings.QUAI_ICAL_DOMAIN == urlsplit(settings.QUAI_SITE_URL).hostname


def test_a_revoked_feed_is_gone(client, coworker, feed_url):
    CalendarFeed.objects.filter(member=coworker).delete()
    assert client.get(feed_url).status_code == 404


def test_released_no_shows_are_cancelled_in_the_feed(client, coworker, desk, feed_url, settings):
    site = desk.site
    site.release_after_minutes = 30
    site.save()
    now = timezone.now()
    booking = Booking.objects.create(member=coworker, resource=desk, span=(now - datetime.timedelta(hours=1), now + datetime.timedelta(hours=3)))
    assert services.bookings_release_no_shows(now=now) == 1
    [event] = parse_both(client.get(feed_url).content)
    booking.refresh_from_db()
    assert (event["status"], event["sequence"], event["dtstamp"]) == ("CANCELLED", 1, now.replace(microsecond=0))


def test_feed_reads_two_queries_whatever_the_number_of_bookings(client, coworker, desk, feed_url, django_assert_num_queries):
    now = timezone.now()
    for days in range(1, 40):
        Booking.objects.create(member=coworker, resource=desk, span=(now - datetime.timedelta(days=days), now - datetime.timedelta(days=days, hours=-4)))
    # 1. the feed by its token, with its member; 2. the bookings of the window with resource and site.
    with django_assert_num_queries(2):
        response = client.get(feed_url)
    assert len(parse_both(response.content)) == 39
