import pytest
from rest_framework.test import APIClient

from events.models import Registration
from tests.events.factories import EventFactory
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db


def test_anonymous_sees_only_published_public_events(api_client):
    public = EventFactory(title="Public")
    EventFactory(title="Adhérents", is_public=False)
    EventFactory(title="Brouillon", status="draft")
    titles = [e["title"] for e in api_client.get("/api/v1/events/").json()["results"]]
    assert titles == ["Public"]
    assert api_client.get(f"/api/v1/events/{public.pk}/").status_code == 200


def test_staff_create_event_published_by_default_and_bad_input_is_400(staff_api):
    body = {"title": "Atelier", "kind": "digital_workshop", "start": "2030-03-10T14:00:00+01:00", "end": "2030-03-10T16:00:00+01:00", "capacity": 12, "is_public": True}
    response = staff_api.post("/api/v1/events/", body, format="json")
    assert response.status_code == 201 and response.json()["status"] == "published"
    response = staff_api.post("/api/v1/events/", {**body, "end": "2030-03-10T13:00:00+01:00"}, format="json")
    assert response.status_code == 400 and "end" in response.json()["errors"]
    response = staff_api.post("/api/v1/events/", {**body, "kind": "rave"}, format="json")
    assert response.status_code == 400 and "kind" in response.json()["errors"]


def test_member_cannot_create_events(member_api):
    assert member_api.post("/api/v1/events/", {"title": "x"}, format="json").status_code == 403


def test_member_and_guest_registration_then_409_then_closed_400(member_api, api_client):
    event = EventFactory(capacity=1)
    response = member_api.post(f"/api/v1/events/{event.pk}/registrations/", {}, format="json")
    assert response.status_code == 201 and response.json()["status"] == "confirmed"
    assert member_api.post(f"/api/v1/events/{event.pk}/registrations/", {}, format="json").status_code == 409
    anonymous = APIClient()
    response = anonymous.post(f"/api/v1/events/{event.pk}/registrations/", {"name": "Léa", "email": "lea@example.org", "consent": True}, format="json")
    assert response.status_code == 201 and response.json()["status"] == "waitlisted"
    bad = anonymous.post(f"/api/v1/events/{event.pk}/registrations/", {"name": "Léa", "email": "pas-un-email"}, format="json")
    assert bad.status_code == 400 and "email" in bad.json()["errors"]
    closed = EventFactory(status="cancelled")
    assert anonymous.post(f"/api/v1/events/{closed.pk}/registrations/", {"name": "Léa", "email": "l@example.org"}, format="json").status_code == 400


def test_delete_own_registration_promotes_and_others_get_404(member_api, other_member):
    event = EventFactory(capacity=1)
    mine = member_api.post(f"/api/v1/events/{event.pk}/registrations/", {}, format="json").json()["id"]
    other_client = APIClient()
    other_client.force_authenticate(other_member)
    theirs = other_client.post(f"/api/v1/events/{event.pk}/registrations/", {}, format="json").json()["id"]
    assert other_client.delete(f"/api/v1/registrations/{mine}/").status_code == 404
    assert member_api.delete(f"/api/v1/registrations/{mine}/").status_code == 200
    assert Registration.objects.get(pk=theirs).status == "confirmed"


def test_attendee_list_and_attendance_are_staff_only(api_client, member_api, staff_api):
    event = EventFactory()
    registration_id = member_api.post(f"/api/v1/events/{event.pk}/registrations/", {}, format="json").json()["id"]
    assert APIClient().get(f"/api/v1/events/{event.pk}/registrations/").status_code == 401
    assert member_api.get(f"/api/v1/events/{event.pk}/registrations/").status_code == 403
    assert len(staff_api.get(f"/api/v1/events/{event.pk}/registrations/").json()) == 1
    first = staff_api.post(f"/api/v1/registrations/{registration_id}/attendance/", {"present": True, "nonce": "abc"}, format="json")
    again = staff_api.post(f"/api/v1/registrations/{registration_id}/attendance/", {"present": True, "nonce": "abc"}, format="json")
    assert (first.status_code, again.status_code) == (201, 200)
    assert member_api.post(f"/api/v1/registrations/{registration_id}/attendance/", {"present": True, "nonce": "x"}, format="json").status_code == 403


def test_xss_in_title_and_description_is_inert(client):
    event = EventFactory(title='<script>alert("t")</script>', description='<script>alert("d")</script>**ok**')
    html = client.get(f"/events/{event.pk}/").content.decode()
    assert '<script>alert("t")' not in html and '<script>alert("d")' not in html
    assert "&lt;script&gt;" in html and "<strong>ok</strong>" in html
    UserFactory()


@pytest.mark.django_db(transaction=True)
def test_a_guest_registration_reads_the_event_once_under_its_lock():
    """The POST does not read the event before the service: the service reads it once, locked,
    among the events the caller may see (no join: the e-mail names the site at delivery). Then the
    seat count, the registration ("already registered?" is the unique constraint's answer at the
    insert), the e-mail's outbox row, in one transaction."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from tests.queries import statement_names

    event = EventFactory(capacity=5)
    with CaptureQueriesContext(connection) as ctx:
        response = APIClient().post(
            f"/api/v1/events/{event.pk}/registrations/", {"name": "Léa", "email": "lea@example.org", "consent": True}, format="json"
        )
    assert response.status_code == 201 and response.json()["status"] == "confirmed"
    assert statement_names(ctx.captured_queries) == [
        "BEGIN",
        "SELECT events_event FOR UPDATE",
        "SELECT events_registration",
        "INSERT events_registration",
        "INSERT quai_outboxmessage",
        "COMMIT",
        # After the commit, the e-mail's delivery: a Celery worker's in production, run in the
        # request here (tests run tasks eagerly): claim the row, read it, build the e-mail, mark it sent.
        "UPDATE quai_outboxmessage",
        "SELECT quai_outboxmessage",
        "SELECT events_registration",
        "UPDATE quai_outboxmessage",
    ]
    locked = ctx.captured_queries[1]["sql"]
    assert '"events_event"."is_public"' in locked and '"events_event"."status" IN' in locked  # visible_to(anonymous)
    assert "JOIN" not in locked and "JOIN" not in ctx.captured_queries[2]["sql"]


def test_registering_for_an_event_one_may_not_see_is_404_and_writes_nothing(member_api):
    guest = {"name": "Léa", "email": "lea@example.org", "consent": True}
    anonymous = APIClient()
    members_only = EventFactory(is_public=False)
    draft = EventFactory(status="draft")
    assert anonymous.post(f"/api/v1/events/{members_only.pk}/registrations/", guest, format="json").status_code == 404
    assert anonymous.post(f"/api/v1/events/{draft.pk}/registrations/", guest, format="json").status_code == 404
    assert member_api.post(f"/api/v1/events/{draft.pk}/registrations/", {}, format="json").status_code == 404
    assert member_api.post("/api/v1/events/999999/registrations/", {}, format="json").status_code == 404
    assert member_api.post(f"/api/v1/events/{members_only.pk}/registrations/", {}, format="json").status_code == 201
    assert list(Registration.objects.values_list("event", flat=True)) == [members_only.pk]
