import datetime

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from rest_framework.test import APIClient

from members import selectors, services
from members.periods import membership_period
from members.models import Membership
from quai.models import AuditLog, OutboxMessage
from tests.factories import UserFactory
from tests.members.factories import MembershipFactory, MembershipTypeFactory

pytestmark = pytest.mark.django_db


def time_machine_today(day):
    """timezone.localdate() answers `day` inside the block (members.services reads it from there)."""
    from unittest import mock

    return mock.patch("members.services.timezone.localdate", return_value=day)


def test_periods_calendar_year_and_months():
    year = MembershipTypeFactory(duration_months=0)
    assert membership_period(type=year, start=datetime.date(2026, 3, 5)) == (datetime.date(2026, 3, 5), datetime.date(2026, 12, 31))
    months = MembershipTypeFactory(kind="reduced", name="Solidaire", duration_months=12)
    assert membership_period(type=months, start=datetime.date(2026, 3, 5)) == (datetime.date(2026, 3, 5), datetime.date(2027, 3, 4))


@pytest.mark.parametrize(
    "start, end",
    [
        (datetime.date(2026, 9, 1), datetime.date(2027, 8, 31)),
        (datetime.date(2026, 12, 15), datetime.date(2027, 8, 31)),
        (datetime.date(2027, 3, 5), datetime.date(2027, 8, 31)),
        (datetime.date(2027, 8, 31), datetime.date(2027, 8, 31)),
    ],
)
def test_a_september_to_august_season_ends_on_31_august(start, end):
    season = MembershipTypeFactory(duration_months=0, season_start_month=9)
    assert membership_period(type=season, start=start) == (start, end)


def test_season_month_is_checked_by_the_database():
    from django.db import IntegrityError, transaction

    with pytest.raises(IntegrityError), transaction.atomic():
        MembershipTypeFactory(season_start_month=13)


def test_payment_and_renewal_follow_the_season_of_the_type(member, staff):
    season = MembershipTypeFactory(duration_months=0, season_start_month=9)
    first = services.membership_record_payment(member=member, type=season, by=staff, method="cash", starts_on=datetime.date(2026, 10, 2))
    assert (first.starts_on, first.ends_on) == (datetime.date(2026, 10, 2), datetime.date(2027, 8, 31))
    # Paid early, in June: the renewal starts when the running season ends and covers the next one.
    with time_machine_today(datetime.date(2027, 6, 20)):
        renewal = services.membership_renew_request(member=member, type=season)
    assert (renewal.starts_on, renewal.ends_on) == (datetime.date(2027, 9, 1), datetime.date(2028, 8, 31))


def test_staff_records_a_payment_audited_and_status_derives_from_dates(member, staff):
    membership = services.membership_record_payment(member=member, type=MembershipTypeFactory(), by=staff, method="cash")
    assert membership.status_on(membership.starts_on) in ("active", "expiring")
    assert membership.status_on(membership.ends_on + datetime.timedelta(days=1)) == "expired"
    assert AuditLog.objects.filter(action="members.payment_recorded", target_id=str(member.pk)).exists()
    with pytest.raises(Exception):
        services.membership_record_payment(member=member, type=MembershipTypeFactory(), by=staff, method="bitcoin")


def test_renewal_request_then_staff_confirms(member, staff, client):
    type_ = MembershipTypeFactory()
    client.force_login(member)
    assert client.post(reverse("members:renew"), {"type": type_.pk}).status_code == 302
    pending = Membership.objects.get(member=member)
    assert pending.paid_on is None
    client.force_login(staff)
    client.get(reverse("members:staff_detail", args=[member.pk]))
    response = client.post(reverse("members:staff_payment", args=[member.pk]), {"type": type_.pk, "payment_method": "transfer"})
    assert response.status_code == 302
    pending.refresh_from_db()
    assert pending.paid_on is not None and pending.payment_method == "transfer"


def test_expiry_reminders_each_sent_once(member):
    today = datetime.date(2026, 12, 1)
    MembershipFactory(member=member, starts_on=datetime.date(2026, 1, 1), ends_on=datetime.date(2026, 12, 31))
    assert services.membership_reminders_send(today=today) == 1  # 30 days before
    assert services.membership_reminders_send(today=today) == 0
    assert services.membership_reminders_send(today=datetime.date(2026, 12, 24)) == 1  # 7 days before
    assert services.membership_reminders_send(today=datetime.date(2027, 1, 1)) == 1  # expired
    assert OutboxMessage.objects.count() == 3


def test_erasure_keeps_mem1_and_ess1(member, staff):
    from events import selectors as event_selectors
    from events import services as event_services
    from tests.events.factories import EventFactory

    MembershipFactory(member=member)
    event = EventFactory(kind="ess_awareness")
    registration = event_services.registration_create(event=event, member=member)
    # The event took place last week.
    event.starts_at -= datetime.timedelta(days=12)
    event.ends_at -= datetime.timedelta(days=12)
    event.save()
    event_services.attendance_mark(registration=registration, present=True, nonce="n1", by=staff)
    today = datetime.date.today()
    until = event.ends_at + datetime.timedelta(days=1)
    before = (selectors.active_member_count(today), event_selectors.ess1_unique_people(until=until))
    services.member_erase(user=member, by=staff)
    member.refresh_from_db()
    assert member.email.endswith("@erased.invalid") and member.first_name == "Anonyme" and not member.is_active
    assert (selectors.active_member_count(today), event_selectors.ess1_unique_people(until=until)) == before == (1, 1)
    assert AuditLog.objects.filter(action="members.erased").exists()


def test_plain_member_erasure_is_immediate_otherwise_staff_confirm(member, other_member):
    assert services.member_request_erasure(user=member) is True
    MembershipFactory(member=other_member)
    assert services.member_request_erasure(user=other_member) is False
    other_member.refresh_from_db()
    assert other_member.profile.erasure_requested_at is not None and other_member.is_active


def test_download_my_data_gathers_every_app(client, member):
    MembershipFactory(member=member)
    client.force_login(member)
    response = client.get(reverse("members:export") + "?format=json")
    assert response["Content-Disposition"] == 'attachment; filename="mes-donnees-quai.json"'
    data = response.json()
    assert data["account"]["email"] == member.email
    assert {"memberships", "coworking", "events", "incubator"} <= set(data)
    assert client.get(reverse("members:export")).status_code == 200


def test_member_cannot_read_another_members_private_fields_through_the_api(member, other_member):
    api = APIClient()
    api.force_authenticate(member)
    assert api.get("/api/v1/members/").status_code == 403
    assert api.get(f"/api/v1/members/{other_member.pk}/").status_code == 403
    MembershipFactory(member=other_member)
    assert api.get("/api/v1/memberships/").json()["count"] == 0
    assert other_member.email not in str(api.get("/api/v1/me/export/").json())


def test_staff_api_lists_and_records(staff_api, member):
    type_ = MembershipTypeFactory()
    assert staff_api.get("/api/v1/members/?q=marie").json()["count"] == 1
    response = staff_api.post("/api/v1/memberships/", {"member": member.pk, "type": type_.pk, "payment_method": "card"}, format="json")
    assert response.status_code == 201, response.json()
    bad = staff_api.post("/api/v1/memberships/", {"member": member.pk, "type": type_.pk}, format="json")
    assert bad.status_code == 400 and "payment_method" in bad.json()["errors"]


def test_staff_list_search_filters_and_constant_queries(client, staff):
    from members.services import profile_update

    client.force_login(staff)
    client.get(reverse("members:staff_list"))
    people = [UserFactory() for _ in range(3)]
    profile_update(user=people[0], first_name="Hélène", last_name="Lefèvre", consents={}, organisation="Ressourcerie")

    def count(url):
        with CaptureQueriesContext(connection) as ctx:
            assert client.get(url).status_code == 200
        return len(ctx.captured_queries)

    few = count(reverse("members:staff_list"))
    for _ in range(40):
        MembershipFactory(member=UserFactory())
    assert count(reverse("members:staff_list")) == few
    html = client.get(reverse("members:staff_list") + "?q=helene lefevre").content.decode()
    assert "Hélène Lefèvre" in html
    assert "Ressourcerie" in client.get(reverse("members:staff_list") + "?q=ressourcerie").content.decode()
    assert client.get(reverse("members:staff_list") + "?status=expired").status_code == 200


def test_directory_shows_only_opted_in_public_fields(client, member, other_member):
    from members.services import profile_update

    profile_update(user=other_member, first_name="Olivier", last_name="Petit", consents={"directory": True}, skills="graphisme", phone="0601020304")
    profile_update(user=UserFactory(), first_name="Caché", last_name="Discret", consents={}, skills="graphisme")
    client.force_login(member)
    html = client.get(reverse("members:directory") + "?skill=graphisme").content.decode()
    assert "Olivier Petit" in html and "Caché" not in html and "0601020304" not in html and other_member.email not in html


def test_photo_checks_type_by_content_and_size_and_stays_private(client, member, other_member, settings, tmp_path):
    import io

    from django.core.files.uploadedfile import SimpleUploadedFile
    from PIL import Image

    buffer = io.BytesIO()
    Image.new("RGB", (40, 40), "green").save(buffer, format="PNG")
    client.force_login(member)
    client.post(reverse("members:photo_upload"), {"photo": SimpleUploadedFile("fake.png", b"MZ\x90\x00 not an image", "image/png")})
    member.refresh_from_db()
    assert not services.profile_for(member).photo
    client.post(reverse("members:photo_upload"), {"photo": SimpleUploadedFile("moi.png", buffer.getvalue(), "image/png")})
    assert services.profile_for(member).photo
    assert client.get(reverse("members:photo", args=[member.pk])).status_code == 200
    client.force_login(other_member)
    assert client.get(reverse("members:photo", args=[member.pk])).status_code == 404  # not in the directory
    path = services.profile_for(member).photo.path
    services.member_erase(user=member, by=member)
    import os

    assert not os.path.exists(path)


def test_role_change_in_the_admin_is_audited(client, member):
    from tests.factories import StaffFactory

    admin = StaffFactory(is_superuser=True)
    client.force_login(admin)
    response = client.post(
        reverse("admin:members_user_change", args=[member.pk]),
        {"email": member.email, "first_name": member.first_name, "last_name": member.last_name, "language": "fr",
         "is_active": "on", "is_staff": "on", "date_joined_0": "2026-01-01", "date_joined_1": "10:00:00"},
    )
    assert response.status_code == 302, response.content.decode()[:2000]
    entry = AuditLog.objects.get(action="members.role_changed")
    assert entry.target_id == str(member.pk) and entry.data == {"is_staff": True}


def test_inactive_members_are_flagged_for_review(member, other_member):
    from django.utils import timezone

    type(member).objects.filter(pk=member.pk).update(date_joined=timezone.now() - datetime.timedelta(days=2000))
    MembershipFactory(member=other_member)
    assert services.members_flag_inactive(months=36) == 1
    assert services.profile_for(member).flagged_inactive_at is not None
    assert services.members_flag_inactive(months=36) == 0
