"""The day grid: a site's layout (resources, opening hours, closures) is cached, and every change a
staff member makes shows on the very next page; the grid's bookings come from one query on the
btree (resource, lower(span)); the one-form grid books correctly."""

import datetime

import pytest
from django.core.cache import cache
from django.db import IntegrityError, transaction
from django.urls import reverse
from psycopg2.extras import DateTimeTZRange

from coworking import selectors
from coworking.models import Booking, Closure, OpeningHours, Resource
from coworking.layout import VERSION_KEY
from coworking.time import local_dt
from tests.coworking.factories import ResourceFactory, SiteFactory

pytestmark = pytest.mark.django_db


def _grid(client, day, **params):
    query = "&".join(f"{key}={value}" for key, value in {"date": day, **params}.items())
    return client.get(reverse("coworking:grid") + "?" + query).content.decode()


def test_layout_is_read_once_then_from_the_cache(site, desk, django_assert_num_queries):
    with django_assert_num_queries(4):  # site, resources, opening hours, closures
        layout = selectors.site_layout(slug=site.slug)
    with django_assert_num_queries(0):
        assert selectors.site_layout(slug=site.slug) == layout
    assert [resource.name for resource in layout.resources] == ["Poste A1"]
    with django_assert_num_queries(1):  # the site: not found, and not cached (anyone can make up a slug)
        assert selectors.site_layout(slug="no-such-site") is None
    assert [key for key in cache._cache if "no-such-site" in key] == []


def test_every_layout_change_shows_on_the_next_page(client, coworker, site, desk, day):
    client.force_login(coworker)
    assert "Poste A1" in _grid(client, day)

    renamed = Resource.objects.get(pk=desk.pk)
    renamed.name = "Poste Seine"
    renamed.save()
    html = _grid(client, day)
    assert "Poste Seine" in html and "Poste A1" not in html

    ResourceFactory(site=site, name="Poste Oise")
    assert "Poste Oise" in _grid(client, day)

    renamed.is_active = False
    renamed.save()
    assert "Poste Seine" not in _grid(client, day)

    closure = Closure.objects.create(site=site, start_date=day, end_date=day, reason="Pont de l’Ascension")
    assert "Pont de l’Ascension" in _grid(client, day)
    closure.delete()
    assert "Pont de l’Ascension" not in _grid(client, day)

    OpeningHours.objects.filter(site=site, weekday=day.weekday()).get().delete()
    html = _grid(client, day)
    assert 'name="slot"' not in html and "Le lieu est fermé ce jour-là." in html


def test_a_change_replaces_the_layout_version_now_and_again_at_commit(site, desk, django_capture_on_commit_callbacks):
    """A page computed while the change is not yet committed stores the old layout under the
    version it saw; the commit replaces the version again, so that value is never served."""
    selectors.site_layout(slug=site.slug)
    before = cache.get(VERSION_KEY)
    with django_capture_on_commit_callbacks(execute=True):
        ResourceFactory(site=site, name="Poste Marne")
        inside = cache.get(VERSION_KEY)
        assert inside != before
    assert cache.get(VERSION_KEY) not in (before, inside)
    assert "Poste Marne" in [resource.name for resource in selectors.site_layout(slug=site.slug).resources]


def test_releasing_a_fixed_desk_by_erasure_frees_it_in_the_grid(client, coworker, other_member, site, day):
    from coworking.registrations import _erase

    ResourceFactory(site=site, name="Poste fixe", assigned_to=other_member)
    client.force_login(coworker)
    assert "Poste fixe" in _grid(client, day) and "Bureau fixe" in _grid(client, day)
    _erase(other_member)  # a queryset update(): no signal, the service bumps the layout itself
    assert "Bureau fixe" not in _grid(client, day)


def test_a_card_books_the_tapped_slot_on_the_site_shown_and_comes_back_on_that_card(client, coworker, day):
    """Each card is a small form: the tapped button sends slot=resource|start|end and the site; the
    answer is the grid again, scrolled to the card (#resource-<id>), the confirmation in it."""
    SiteFactory()  # the default site (created first)
    other = SiteFactory(slug="ruche-bis", name="Ruche bis")
    desk = ResourceFactory(site=other, name="Bis 01")
    ResourceFactory(site=other, name="Bis 02")
    client.force_login(coworker)
    html = _grid(client, day, site="ruche-bis")
    start, end = local_dt(day, datetime.time(9)), local_dt(day, datetime.time(13))
    slot = f"{desk.pk}|{start.isoformat()}|{end.isoformat()}"
    assert f'name="slot" value="{slot}"' in html
    assert html.count("csrfmiddlewaretoken") == 2 + 2  # one form per card, log-out and language switch

    response = client.post(
        reverse("coworking:book"), {"slot": slot, "site": "ruche-bis", "date": day.isoformat(), "kind": "desk", "zone": ""}
    )
    assert response.status_code == 302
    assert response["Location"] == f"/coworking/?site=ruche-bis&date={day.isoformat()}&kind=desk#resource-{desk.pk}"
    body = client.get(response["Location"]).content.decode()
    card = body[body.index(f'id="resource-{desk.pk}"'):]
    card = card[: card.index("</li>")]
    assert "Réservé : Bis 01" in card and 'role="status"' in card and "autofocus" in card and "✓ À moi" in card
    assert "Ruche bis" in body
    booking = Booking.objects.get(member=coworker)
    assert (booking.resource_id, booking.starts_at, booking.ends_at) == (desk.pk, start, end)
    # Shown once: a reload shows the booking, not the message again.
    assert "Réservé : Bis 01" not in _grid(client, day, site="ruche-bis")


def test_a_refused_slot_says_why_in_its_card(client, coworker, other_member, desk, day):
    from coworking import services
    from tests.coworking.factories import SubscriptionFactory

    client.force_login(coworker)
    start, end = local_dt(day, datetime.time(9)), local_dt(day, datetime.time(13))
    SubscriptionFactory(member=other_member)
    services.booking_create(member=other_member, resource=desk, starts_at=start, ends_at=end)
    data = {"slot": f"{desk.pk}|{start.isoformat()}|{end.isoformat()}", "date": day.isoformat(), "kind": "desk"}
    response = client.post(reverse("coworking:book"), data)
    assert response.status_code == 409
    body = response.content.decode()
    card = body[body.index(f'id="resource-{desk.pk}"'):]
    assert 'role="alert"' in card[: card.index("</li>")] and "Ce créneau est déjà réservé." in card[: card.index("</li>")]
    # htmx swaps only successful answers: the same card, with a 200.
    response = client.post(reverse("coworking:book"), data, HTTP_HX_REQUEST="true")
    assert response.status_code == 200 and "Ce créneau est déjà réservé." in response.content.decode()
    assert Booking.objects.filter(member=coworker).count() == 0


def test_a_mangled_slot_is_refused_and_nothing_is_written(client, coworker, desk, day):
    client.force_login(coworker)
    response = client.post(reverse("coworking:book"), {"slot": f"{desk.pk}|demain|", "date": day.isoformat(), "kind": "desk"})
    assert response.status_code == 400
    assert "Ce créneau ne peut pas être réservé" in response.content.decode()
    assert not Booking.objects.exists()


def test_grid_rows_escape_names_and_zones(client, coworker, site, day):
    ResourceFactory(site=site, name='<script>alert("x")</script>', zone="A & <B>")
    client.force_login(coworker)
    html = _grid(client, day)
    assert "<script>alert" not in html
    assert "&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt;" in html and "A &amp; &lt;B&gt;" in html


def test_the_days_bookings_include_one_from_the_evening_before_and_leave_out_the_rest(site, coworker, other_member, day):
    """The grid's query searches bookings by start time (at most 25 h before the day ends): one that
    started the evening before shows, one that ended at midnight does not, nor cancelled ones,
    other days or other sites."""
    from coworking import services
    from tests.coworking.factories import SubscriptionFactory

    SubscriptionFactory(member=other_member)
    desks = [ResourceFactory(site=site, name=f"D{i}") for i in range(3)]
    other_site_desk = ResourceFactory(site=SiteFactory(slug="ailleurs"), name="Ailleurs")
    am = (local_dt(day, datetime.time(9)), local_dt(day, datetime.time(13)))
    pm = (local_dt(day, datetime.time(13)), local_dt(day, datetime.time(18)))
    kept = [
        services.booking_create(member=coworker, resource=desks[0], starts_at=am[0], ends_at=am[1]),
        services.booking_create(member=other_member, resource=desks[2], starts_at=pm[0], ends_at=pm[1]),
    ]
    cancelled = services.booking_create(member=coworker, resource=desks[1], starts_at=pm[0], ends_at=pm[1])
    services.booking_cancel(booking=cancelled, by=coworker)
    next_day = day + datetime.timedelta(days=1)
    services.booking_create(member=coworker, resource=desks[1], starts_at=local_dt(next_day, datetime.time(9)), ends_at=local_dt(next_day, datetime.time(13)))
    services.booking_create(member=other_member, resource=other_site_desk, starts_at=am[0], ends_at=am[1])

    start, end = local_dt(day, datetime.time(0)), local_dt(day + datetime.timedelta(days=1), datetime.time(0))
    # Written directly (the services keep bookings inside opening hours): across midnight, and up to midnight.
    night = Booking.objects.create(
        resource=desks[1], label="Nuit", span=DateTimeTZRange(start - datetime.timedelta(hours=20), start + datetime.timedelta(hours=2))
    )
    eve = Booking.objects.create(resource=desks[2], label="Veille", span=DateTimeTZRange(start - datetime.timedelta(hours=24), start))
    kept.append(night)
    ids = [desk.pk for desk in desks]
    # The query reads by start time only: the one that ended at midnight is a candidate, the grid drops it.
    candidates = {(row[0], row[1]) for row in selectors._active_bookings(ids, start, end)}
    assert candidates == {(b.resource_id, b.pk) for b in kept} | {(eve.resource_id, eve.pk)}

    grid = selectors.availability(layout=selectors.site_layout(slug=site.slug), day=day, kind="desk", user=coworker)
    states = {row.resource.name: [cell.state for cell in row.cells] for row in grid.rows}
    assert states == {"D0": ["mine", "free"], "D1": ["free", "free"], "D2": ["free", "taken"]}


def test_a_booking_lasts_at_most_a_day_in_the_database(site):
    """The grid's query relies on it (bookings of a day start at most 25 h before it ends)."""
    desk = ResourceFactory(site=site)
    # In UTC: timedelta arithmetic on Paris times is wall-clock time. The clocks go back the next night.
    start = local_dt(datetime.date(2026, 10, 24), datetime.time(23)).astimezone(datetime.timezone.utc)
    Booking.objects.create(resource=desk, label="25 h", span=DateTimeTZRange(start, start + datetime.timedelta(hours=25)))
    with pytest.raises(IntegrityError), transaction.atomic():
        Booking.objects.create(resource=desk, label="26 h", span=DateTimeTZRange(start + datetime.timedelta(days=2), start + datetime.timedelta(days=2, hours=26)))
    with pytest.raises(IntegrityError), transaction.atomic():
        Booking.objects.create(resource=desk, label="sans fin", span=DateTimeTZRange(start + datetime.timedelta(days=5), None))


def test_the_credit_shown_on_the_grid_follows_every_booking_and_cancellation(client, member, site, desk, day):
    """Spending a credit shows on the grid the booking answers with."""
    from coworking import services
    from tests.coworking.factories import ten_day_pass

    ten_day_pass(member, credits="2")
    client.force_login(member)
    assert "2 jours de crédit restants" in _grid(client, day)

    response = client.post(
        reverse("coworking:book"),
        {"slot": f"{desk.pk}|{local_dt(day, datetime.time(9)).isoformat()}|{local_dt(day, datetime.time(13)).isoformat()}",
         "site": site.slug, "date": day.isoformat(), "kind": "desk"},
        HTTP_HX_REQUEST="true", follow=True,
    )
    assert "1,5 jour de crédit restant" in response.content.decode()
    my_bookings = client.get(reverse("coworking:my_bookings")).content.decode()
    assert "valable jusqu’au" in my_bookings
    assert "1,5 jour de crédit restant" in my_bookings
    booking = Booking.objects.get(member=member)
    services.booking_cancel(booking=booking, by=member)
    assert "2 jours de crédit restants" in _grid(client, day)


def test_the_controls_follow_the_site_the_day_the_zones_and_the_language(client, coworker, site, desk, day):
    from django.utils import formats

    client.force_login(coworker)
    html = _grid(client, day)
    assert formats.date_format(day, "l j F Y") in html and site.name in html

    other_day = day + datetime.timedelta(days=1)
    assert f'name="date" value="{other_day.isoformat()}"' in _grid(client, other_day)

    site.name = "La Ruche du Port"
    site.save()
    assert '<p class="help day-site">La Ruche du Port</p>' in _grid(client, day)

    ResourceFactory(site=site, name="Poste Z", zone="Zone Mezzanine")
    assert '<option value="Zone Mezzanine"' in _grid(client, day)
    assert 'name="zone" value="Zone Mezzanine"' in _grid(client, day, zone="Zone Mezzanine")

    english = client.get(reverse("coworking:grid") + f"?date={day}", HTTP_ACCEPT_LANGUAGE="en").content.decode()
    assert "Previous day" in english and "Jour précédent" not in english
    assert "Jour précédent" in _grid(client, day)


def test_overlapping_finds_every_booking_meeting_the_period_and_reads_by_start(site):
    """`overlapping` is bounded by the bookings' start (≤ BOOKING_MAX_LENGTH before the period) so that
    a btree on lower(span) answers it: the longest booking the database allows is still found."""
    from coworking.models import BOOKING_MAX_LENGTH

    start = local_dt(datetime.date(2026, 3, 10), datetime.time(0))
    end = start + datetime.timedelta(days=1)

    def book(label, lower, upper):  # each on a desk of its own (they overlap each other)
        return Booking.objects.create(resource=ResourceFactory(site=site), label=label, span=DateTimeTZRange(lower, upper))

    longest = book("25 h, ending 1 min into the day", start - BOOKING_MAX_LENGTH + datetime.timedelta(minutes=1), start + datetime.timedelta(minutes=1))
    book("ends as the day starts", start - datetime.timedelta(hours=3), start)
    inside = book("inside", start + datetime.timedelta(hours=9), start + datetime.timedelta(hours=13))
    last = book("across the end", end - datetime.timedelta(hours=1), end + datetime.timedelta(hours=2))
    book("starts as the day ends", end, end + datetime.timedelta(hours=4))
    cancelled = book("cancelled", start + datetime.timedelta(hours=14), start + datetime.timedelta(hours=15))
    Booking.objects.filter(pk=cancelled.pk).update(status=Booking.Status.CANCELLED)

    assert set(Booking.objects.overlapping(start, end)) == {longest, inside, last, cancelled}
    assert set(Booking.objects.active().overlapping(start, end)) == {longest, inside, last}


@pytest.mark.parametrize(("credits", "french", "english"), [
    ("0.5", "0,5 jour de crédit restant", "0.5 days of credit left"),
    ("1.0", "1 jour de crédit restant", "1 day of credit left"),
    ("1.5", "1,5 jour de crédit restant", "1.5 days of credit left"),
    ("2.0", "2 jours de crédit restants", "2 days of credit left"),
    ("9.5", "9,5 jours de crédit restants", "9.5 days of credit left"),
    ("0", "0 jour de crédit restant", "0 days of credit left"),
])
def test_credit_left_in_words(credits, french, english):
    from decimal import Decimal

    from django.utils import translation

    from coworking.templatetags.coworking_credits import credit_days_left

    with translation.override("fr"):
        assert credit_days_left(Decimal(credits)) == french
    with translation.override("en"):
        assert credit_days_left(Decimal(credits)) == english
