"""The demo as people meet it: after seed_demo, every main page answers for each demo account."""

import pytest
from django.core.management import call_command
from django.test import Client

from members.models import User

pytestmark = pytest.mark.django_db

PAGES = {
    "membre@demo.quai.test": ["/", "/account/", "/directory/", "/events/", "/events/mine/", "/coworking/", "/account/my-data/?format=html"],
    "coworker@demo.quai.test": ["/coworking/", "/coworking/?kind=room", "/coworking/bookings/", "/coworking/recurring/"],
    "incube@demo.quai.test": ["/incubator/", "/coworking/bookings/"],
    "porteur@demo.quai.test": ["/fabrique/"],
    "coach@demo.quai.test": ["/incubator/"],
    "staff@demo.quai.test": ["/staff/", "/staff/members/", "/staff/members/?status=expiring", "/staff/coworking/", "/staff/coworking/occupancy/",
                             "/staff/events/", "/staff/declic/", "/staff/declic/stats/", "/staff/incubator/", "/admin/"],
}


def test_demo_pages_answer_for_each_demo_account():
    call_command("seed_demo", "--quiet-logins")
    for email, pages in PAGES.items():
        client = Client()
        client.force_login(User.objects.get(email=email))
        for page in pages:
            response = client.get(page, follow=True)
            assert response.status_code == 200, (email, page, response.status_code)
    staff = Client()
    staff.force_login(User.objects.get(email="staff@demo.quai.test"))
    member_page = staff.get(f"/staff/members/{User.objects.get(email='coworker@demo.quai.test').pk}/")
    assert member_page.status_code == 200
    for section in ("Coworking", "Événements", "Incubateur"):
        assert section in member_page.content.decode(), section
    event_id = staff.get("/api/v1/events/").json()["results"][0]["id"]
    assert staff.get(f"/staff/events/{event_id}/door/").status_code == 200
    assert Client().get(f"/events/{event_id}/").status_code == 200
