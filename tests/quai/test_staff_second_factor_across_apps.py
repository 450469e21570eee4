"""A staff session without its second factor is a plain member in every app (issue 11 §1): no other
member's registration cancelled, no KPI on someone else's project, no other holder's Fabrique file.
The same requests succeed once the second factor is verified (the control)."""

import datetime
from decimal import Decimal

import pytest
from django.urls import reverse

from events import services as event_services
from events.models import Registration
from fabrique import services as fabrique_services
from incubator.models import KpiReport
from tests.auth import login_staff_with_second_factor, login_without_second_factor
from tests.events.factories import EventFactory
from tests.fabrique.factories import make_cohort, pdf
from tests.factories import UserFactory
from tests.incubator.factories import ProjectFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def registration_of_member(member):
    return event_services.registration_create(event=EventFactory(capacity=5), member=member)


def test_cancelling_another_members_registration(client, staff, registration_of_member):
    login_without_second_factor(client, staff)
    assert client.get(f"/api/v1/registrations/{registration_of_member.pk}/").status_code == 404
    assert client.delete(f"/api/v1/registrations/{registration_of_member.pk}/").status_code == 404
    assert Registration.objects.get(pk=registration_of_member.pk).status == "confirmed"
    login_staff_with_second_factor(client, staff)
    assert client.delete(f"/api/v1/registrations/{registration_of_member.pk}/").status_code == 200
    assert Registration.objects.get(pk=registration_of_member.pk).status == "cancelled"


def test_kpi_on_someone_elses_project(client, staff, member):
    project = ProjectFactory(name="La Recyclerie", team=[member], coach=UserFactory(), fte_at_entry=Decimal("1"))
    body = {"reported_on": (datetime.date.today() - datetime.timedelta(days=3)).isoformat(), "fte": "2"}
    login_without_second_factor(client, staff)
    assert client.get(reverse("incubator:project", args=[project.pk])).status_code == 404
    assert client.post(reverse("incubator:kpi_create", args=[project.pk]), body).status_code == 404
    assert client.get(f"/api/v1/incubator/projects/{project.pk}/").status_code == 404
    assert not KpiReport.objects.exists()
    login_staff_with_second_factor(client, staff)
    assert client.post(reverse("incubator:kpi_create", args=[project.pk]), body).status_code == 302
    assert KpiReport.objects.get().fte == Decimal("2")


def test_another_holders_fabrique_file(client, settings, tmp_path, staff, member):
    settings.MEDIA_ROOT = tmp_path / "media"
    enrolment = fabrique_services.enrol(cohort=make_cohort(staff), holder=member, coach=UserFactory(),
                                        project_name="Tiers-lieu de Chatou", commune="Chatou")
    deliverable = enrolment.deliverables.get(kind="business_plan")
    submission = fabrique_services.submission_create(deliverable=deliverable, by=member, upload=pdf())
    login_without_second_factor(client, staff)
    assert client.get(reverse("fabrique:submission_file", args=[submission.pk])).status_code == 404
    assert client.get(reverse("fabrique:enrolment", args=[enrolment.pk])).status_code == 404
    assert client.get("/api/v1/fabrique/cohorts/").status_code == 403
    login_staff_with_second_factor(client, staff)
    response = client.get(reverse("fabrique:submission_file", args=[submission.pk]))
    assert response.status_code == 200
    assert b"".join(response.streaming_content).startswith(b"%PDF")


def test_an_event_page_shows_no_staff_tools_and_a_members_cancel_link_is_theirs_only(client, staff, registration_of_member):
    event = registration_of_member.event
    door_list = reverse("events:door_list", args=[event.pk])
    login_without_second_factor(client, staff)
    page = client.get(reverse("events:detail", args=[event.pk]))
    assert page.status_code == 200
    assert door_list not in page.content.decode()
    assert client.post(reverse("events:cancel", args=[registration_of_member.pk])).status_code == 404
    assert Registration.objects.get(pk=registration_of_member.pk).status == "confirmed"
    login_staff_with_second_factor(client, staff)
    assert door_list in client.get(reverse("events:detail", args=[event.pk])).content.decode()
