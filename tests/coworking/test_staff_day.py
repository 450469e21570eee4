""""Coworking today" goes to another day (issue 14): a date picker with an ISO value, the day
before and after; a date that is not understood is an error on the picker, never a 500."""

import datetime

import pytest
from django.urls import reverse
from django.utils import timezone

from coworking import services
from coworking.time import PARIS

URL = reverse("coworking:staff_today")


@pytest.fixture
def booked(coworker, desk, morning):
    return services.booking_create(member=coworker, resource=desk, starts_at=morning[0], ends_at=morning[1])


def test_today_by_default_with_the_picker_in_iso_and_links_either_side(client, staff, site):
    today = timezone.localdate(timezone.now(), PARIS)
    client.force_login(staff)
    response = client.get(URL)
    assert response.status_code == 200
    html = response.content.decode()
    assert f'type="date" name="date" value="{today.isoformat()}"' in html
    assert f'href="?date={(today - datetime.timedelta(days=1)).isoformat()}"' in html
    assert f'href="?date={(today + datetime.timedelta(days=1)).isoformat()}"' in html
    assert "Coworking aujourd’hui" in html


def test_another_day_lists_its_bookings_without_check_in(client, staff, coworker, day, booked, django_assert_num_queries):
    client.force_login(staff)
    # the staff user, the header's member links, the site's layout (site, resources, opening
    # hours, closures: read once, then cached), the day's bookings
    client.get(URL, {"date": day.isoformat()})
    with django_assert_num_queries(3):
        response = client.get(URL, {"date": day.isoformat()})
    assert response.status_code == 200
    html = response.content.decode()
    assert coworker.get_full_name() in html and "Poste A1" in html
    assert "Coworking le " in html
    assert reverse("coworking:check_in", args=[booked.pk]) not in html  # check-in opens on the day itself
    assert "Coworking aujourd’hui" not in client.get(URL, {"date": (day - datetime.timedelta(days=1)).isoformat()}).content.decode().split("<h1>")[1]


def test_the_site_asked_for_is_kept_in_the_links(client, staff, site):
    client.force_login(staff)
    html = client.get(URL, {"site": site.slug, "date": "2026-03-02"}).content.decode()
    assert f'href="?site={site.slug}&amp;date=2026-03-01"' in html
    assert f'href="?site={site.slug}&amp;date=2026-03-03"' in html
    assert f'<input type="hidden" name="site" value="{site.slug}">' in html


def test_a_date_typed_the_french_way_is_understood_and_shown_back_in_iso(client, staff, site):
    client.force_login(staff)
    response = client.get(URL, {"date": "02/03/2026"})
    assert response.status_code == 200
    assert 'type="date" name="date" value="2026-03-02"' in response.content.decode()


@pytest.mark.parametrize("value", ["31/02/2026", "2026-02-30", "demain", "0001-01-01", "9999-12-31", "٢٠٢٦-٠٣-٠٢", ""])
def test_a_date_not_understood_is_an_error_on_the_picker(client, staff, site, value):
    client.force_login(staff)
    response = client.get(URL, {"date": value})
    assert response.status_code == 400
    html = response.content.decode()
    assert 'class="error-summary"' in html and 'href="#id_date"' in html
    assert "<table" not in html
