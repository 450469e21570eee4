"""Who sees which rows through the API lists: one `visible_to(user)` queryset per model, used by
the list views and by the access helpers (someone else's row is a 404)."""

import datetime

import pytest
from psycopg2.extras import DateTimeTZRange

from coworking.models import Booking
from events.models import Event, Registration
from members.models import Membership
from tests.coworking.factories import ResourceFactory, SiteFactory
from tests.events.factories import EventFactory
from tests.members.factories import MembershipFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def rows(member, other_member):
    desk = ResourceFactory(site=SiteFactory())
    start = datetime.datetime(2030, 3, 4, 9, tzinfo=datetime.timezone.utc)
    bookings = [
        Booking.objects.create(resource=desk, member=person, span=DateTimeTZRange(start + datetime.timedelta(days=n), start + datetime.timedelta(days=n, hours=4)))
        for n, person in enumerate((member, other_member))
    ]
    memberships = [MembershipFactory(member=person) for person in (member, other_member)]
    public, members_only, draft = EventFactory(), EventFactory(is_public=False), EventFactory(status="draft")
    registrations = [Registration.objects.create(event=public, member=person, person_key=f"member:{person.pk}", status="confirmed")
                     for person in (member, other_member)]
    return {"bookings": bookings, "memberships": memberships, "events": (public, members_only, draft), "registrations": registrations}


def test_a_member_sees_their_own_rows_and_the_events_for_members(member, rows):
    assert list(Booking.objects.visible_to(member)) == [rows["bookings"][0]]
    assert list(Membership.objects.visible_to(member)) == [rows["memberships"][0]]
    assert list(Registration.objects.visible_to(member)) == [rows["registrations"][0]]
    public, members_only, _draft = rows["events"]
    assert set(Event.objects.visible_to(member)) == {public, members_only}


def test_a_visitor_sees_public_events_only(rows):
    from django.contrib.auth.models import AnonymousUser

    assert list(Event.objects.visible_to(AnonymousUser())) == [rows["events"][0]]
    assert list(Event.objects.visible_to(None)) == [rows["events"][0]]


def test_staff_see_everything(staff, rows):
    assert Booking.objects.visible_to(staff).count() == 2
    assert Membership.objects.visible_to(staff).count() == 2
    assert Registration.objects.visible_to(staff).count() == 2
    assert Event.objects.visible_to(staff).count() == 3


def test_the_api_lists_use_them(member_api, rows):
    assert [row["id"] for row in member_api.get("/api/v1/bookings/").json()["results"]] == [rows["bookings"][0].pk]
    assert [row["id"] for row in member_api.get("/api/v1/memberships/").json()["results"]] == [rows["memberships"][0].pk]
    assert member_api.get(f"/api/v1/bookings/{rows['bookings'][1].pk}/").status_code == 404
    assert member_api.get(f"/api/v1/registrations/{rows['registrations'][1].pk}/").status_code == 404
