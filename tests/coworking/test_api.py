import datetime

import pytest

from coworking.models import Booking
from coworking.time import local_dt
from tests.coworking.factories import SubscriptionFactory
from tests.queries import statement_names

pytestmark = pytest.mark.django_db


def payload(resource, start, end):
    return {"resource": resource.pk, "start": start.isoformat(), "end": end.isoformat()}


def test_book_list_cancel_through_the_api(member_api, coworker, desk, morning):
    response = member_api.post("/api/v1/bookings/", payload(desk, *morning), format="json")
    assert response.status_code == 201, response.json()
    booking_id = response.json()["id"]
    # The answers about one booking (POST, DELETE) share one serializer instance: the same JSON as a
    # fresh one gives (the detail and the list).
    assert member_api.get(f"/api/v1/bookings/{booking_id}/").json() == response.json()
    assert member_api.get("/api/v1/bookings/").json()["results"] == [response.json()]
    response = member_api.delete(f"/api/v1/bookings/{booking_id}/")
    assert response.status_code == 200 and response.json()["status"] == "cancelled"
    assert member_api.get(f"/api/v1/bookings/{booking_id}/").json() == response.json()
    assert Booking.objects.get(pk=booking_id).status == "cancelled"  # the row stays


def test_taken_slot_gives_409_with_a_message(member_api, coworker, other_member, desk, morning):
    from rest_framework.test import APIClient

    api_client = APIClient()
    assert member_api.post("/api/v1/bookings/", payload(desk, *morning), format="json").status_code == 201
    SubscriptionFactory(member=other_member)
    api_client.force_authenticate(other_member)
    response = api_client.post("/api/v1/bookings/", payload(desk, *morning), format="json")
    assert response.status_code == 409
    assert response.json()["detail"] == "Ce créneau est déjà réservé."


@pytest.mark.parametrize(
    "body, field",
    [
        ({"resource": 999999, "start": "2030-01-01T09:00:00+01:00", "end": "2030-01-01T13:00:00+01:00"}, "resource"),
        ({"resource": "x", "start": "demain", "end": "2030-01-01T13:00:00+01:00"}, "start"),
        ({"start": "2030-01-01T09:00:00", "end": "2030-01-01T13:00:00"}, "resource"),
    ],
)
def test_malformed_input_gives_400_and_writes_nothing(member_api, coworker, desk, body, field):
    response = member_api.post("/api/v1/bookings/", body, format="json")
    assert response.status_code == 400
    assert field in response.json()["errors"]
    assert not Booking.objects.exists()


def test_missing_time_zone_is_400(member_api, coworker, desk, day):
    body = {"resource": desk.pk, "start": f"{day}T09:00:00", "end": f"{day}T13:00:00"}
    response = member_api.post("/api/v1/bookings/", body, format="json")
    assert response.status_code == 400
    assert "fuseau" in response.json()["detail"]


def test_end_before_start_is_400(member_api, coworker, desk, morning):
    response = member_api.post("/api/v1/bookings/", payload(desk, morning[1], morning[0]), format="json")
    assert response.status_code == 400 and "end" in response.json()["errors"]


def test_someone_elses_booking_is_404(member_api, coworker, other_member, desk, morning):
    from rest_framework.test import APIClient

    api_client = APIClient()
    SubscriptionFactory(member=other_member)
    api_client.force_authenticate(other_member)
    theirs = api_client.post("/api/v1/bookings/", payload(desk, *morning), format="json").json()["id"]
    assert member_api.get(f"/api/v1/bookings/{theirs}/").status_code == 404
    assert member_api.delete(f"/api/v1/bookings/{theirs}/").status_code == 404
    assert member_api.post(f"/api/v1/bookings/{theirs}/check-in/").status_code == 404
    assert member_api.get("/api/v1/bookings/").json()["count"] == 0
    assert Booking.objects.get(pk=theirs).status == "confirmed"


def test_staff_see_all_bookings_filterable(staff_api, member_api, coworker, desk, morning):
    member_api.post("/api/v1/bookings/", payload(desk, *morning), format="json")
    assert staff_api.get(f"/api/v1/bookings/?member={coworker.pk}").json()["count"] == 1
    assert staff_api.get("/api/v1/bookings/?status=cancelled").json()["count"] == 0


def test_move_a_booking(member_api, coworker, desk, day, morning):
    booking_id = member_api.post("/api/v1/bookings/", payload(desk, *morning), format="json").json()["id"]
    afternoon = (local_dt(day, datetime.time(13)), local_dt(day, datetime.time(18)))
    response = member_api.patch(f"/api/v1/bookings/{booking_id}/", {"start": afternoon[0].isoformat(), "end": afternoon[1].isoformat()}, format="json")
    assert response.status_code == 200
    assert Booking.objects.get(pk=booking_id).starts_at == afternoon[0]


def test_availability_grid(member_api, coworker, site, desk, other_member, morning, day):
    member_api.post("/api/v1/bookings/", payload(desk, *morning), format="json")
    response = member_api.get(f"/api/v1/availability/?site={site.pk}&date={day}&kind=desk")
    assert response.status_code == 200
    row = response.json()["rows"][0]
    assert [cell["state"] for cell in row["cells"]] == ["mine", "free"]
    assert member_api.get(f"/api/v1/availability/?site={site.pk}&date=hier").status_code == 400


def test_sites_and_resources(member_api, site, desk, room):
    assert member_api.get("/api/v1/sites/").json()["results"][0]["name"] == "la Ruche Saint-Germain"
    kinds = [r["kind"] for r in member_api.get(f"/api/v1/resources/?site={site.pk}&kind=room").json()["results"]]
    assert kinds == ["room"]


def test_grid_and_my_bookings_query_counts_do_not_grow(member_api, coworker, site, day, django_assert_num_queries):
    from tests.coworking.factories import ResourceFactory

    def measure(url):
        from django.db import connection
        from django.test.utils import CaptureQueriesContext

        with CaptureQueriesContext(connection) as ctx:
            assert member_api.get(url).status_code == 200
        return len(ctx.captured_queries)

    grid = f"/api/v1/availability/?site={site.pk}&date={day}&kind=desk"
    desks = [ResourceFactory(site=site) for _ in range(2)]
    member_api.post("/api/v1/bookings/", payload(desks[0], local_dt(day, datetime.time(9)), local_dt(day, datetime.time(13))), format="json")
    few_grid, few_mine = measure(grid), measure("/api/v1/bookings/")
    for index in range(20):
        desk = ResourceFactory(site=site)
        other_day = day + datetime.timedelta(days=1 + index % 10)
        member_api.post("/api/v1/bookings/", payload(desk, local_dt(other_day, datetime.time(13)), local_dt(other_day, datetime.time(18))), format="json")
    assert measure(grid) == few_grid
    assert measure("/api/v1/bookings/") == few_mine



@pytest.mark.django_db(transaction=True)
def test_booking_post_with_a_token_runs_six_queries(api_client, coworker, desk, day):
    """A booking POST as an integration sends it: 1. the token and its user; 2. the resource, its
    site and the site's calendar that day (opening hours and closures, one query); then the
    transaction: the plan under lock, the insert (the exclusion constraint answers "taken")."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from members.models import ApiToken

    _, key = ApiToken.issue(user=coworker, name="sync")
    api_client.credentials(HTTP_AUTHORIZATION=f"Token {key}")
    assert api_client.get("/api/v1/bookings/").status_code == 200  # the token's "last used" is written once a minute
    with CaptureQueriesContext(connection) as ctx:
        response = api_client.post("/api/v1/bookings/", payload(desk, local_dt(day, datetime.time(9)), local_dt(day, datetime.time(13))), format="json")
    assert response.status_code == 201, response.json()
    assert statement_names(ctx.captured_queries) == [
        "SELECT members_apitoken",
        "SELECT coworking_resource",
        "BEGIN",
        "SELECT coworking_subscription FOR UPDATE",
        "INSERT coworking_booking",
        "COMMIT",
    ]
    calendar = ctx.captured_queries[1]["sql"]
    assert '"coworking_site"' in calendar and '"coworking_openinghours"' in calendar and '"coworking_closure"' in calendar
    assert response.json() == {
        "id": response.json()["id"], "resource": desk.pk, "resource_name": "Poste A1",
        "start": local_dt(day, datetime.time(9)).isoformat(), "end": local_dt(day, datetime.time(13)).isoformat(),
        "status": "confirmed", "credits_used": response.json()["credits_used"], "checked_in_at": None,
        "created_at": response.json()["created_at"],
    }


def test_the_calendar_read_with_the_resource_refuses_closures_and_closed_weekdays(member_api, coworker, site, desk, room, day):
    from coworking.models import Closure, OpeningHours

    Closure.objects.create(site=site, start_date=day, end_date=day, reason="Inventaire")
    Closure.objects.create(site=site, start_date=day - datetime.timedelta(days=3), end_date=day, reason="Travaux")  # two rows joined
    response = member_api.post("/api/v1/bookings/", payload(desk, local_dt(day, datetime.time(9)), local_dt(day, datetime.time(13))), format="json")
    assert (response.status_code, response.json()["code"]) == (400, "closed")
    next_day = day + datetime.timedelta(days=1)
    OpeningHours.objects.filter(site=site, weekday=next_day.weekday()).delete()
    response = member_api.post("/api/v1/bookings/", payload(desk, local_dt(next_day, datetime.time(9)), local_dt(next_day, datetime.time(13))), format="json")
    assert (response.status_code, response.json()["code"]) == (400, "outside_hours")
    later = day + datetime.timedelta(days=2)
    OpeningHours.objects.filter(site=site, weekday=later.weekday()).update(opens=datetime.time(10))
    response = member_api.post("/api/v1/bookings/", payload(room, local_dt(later, datetime.time(9)), local_dt(later, datetime.time(10))), format="json")
    assert (response.status_code, response.json()["code"]) == (400, "outside_hours")
    response = member_api.post("/api/v1/bookings/", payload(room, local_dt(later, datetime.time(10)), local_dt(later, datetime.time(11))), format="json")
    assert response.status_code == 201, response.json()
    assert list(Booking.objects.values_list("resource", flat=True)) == [room.pk]


def test_resource_for_booking_reads_the_days_calendar(site, desk, day):
    from coworking.models import Closure, OpeningHours
    from coworking.selectors import DayCalendar, day_calendar, resource_for_booking

    OpeningHours.objects.filter(site=site, weekday=day.weekday()).update(opens=datetime.time(9, 30), closes=datetime.time(17))
    resource, calendar = resource_for_booking(pk=desk.pk, day=day)
    assert (resource, resource.site) == (desk, site)
    assert calendar == DayCalendar(site_id=site.pk, day=day, closed=False, opens=datetime.time(9, 30), closes=datetime.time(17))
    assert calendar == day_calendar(site, day)
    Closure.objects.create(site=site, start_date=day, end_date=day + datetime.timedelta(days=1))
    assert resource_for_booking(pk=desk.pk, day=day)[1].closed and day_calendar(site, day + datetime.timedelta(days=1)).closed
    assert not resource_for_booking(pk=desk.pk, day=day + datetime.timedelta(days=2))[1].closed
    OpeningHours.objects.filter(site=site, weekday=day.weekday()).delete()
    assert resource_for_booking(pk=desk.pk, day=day)[1].opens is None
    assert resource_for_booking(pk=999999, day=day) is None
