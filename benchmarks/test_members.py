"""Staff member list at 100 000 members (QUAI_BENCH_MEMBERS to change): first page, a search, a filter."""

import datetime
import os

import pytest
from django.contrib.auth.hashers import make_password
from django.test import Client

from members.models import Membership, MembershipType, Profile, User, search_text

COUNT = int(os.environ.get("QUAI_BENCH_MEMBERS", "100000"))


@pytest.fixture(scope="module")
def many_members(django_db_setup, django_db_blocker):
    with django_db_blocker.unblock():
        type_, _ = MembershipType.objects.get_or_create(kind="individual", defaults={"name": "Adhésion", "amount_eur": 20})
        password = make_password(None)
        today = datetime.date.today()
        for start in range(0, COUNT, 10000):
            users = User.objects.bulk_create(
                [User(email=f"bench{n}@example.org", first_name=f"Prénom{n}", last_name=f"Nom{n % 5000}", password=password)
                 for n in range(start, min(COUNT, start + 10000))], batch_size=5000)
            Profile.objects.bulk_create([Profile(user=u, commune="Poissy", search=search_text(u.first_name, u.last_name, u.email, "Poissy")) for u in users], batch_size=5000)
            Membership.objects.bulk_create([Membership(member=u, type=type_, starts_on=today.replace(month=1, day=1), ends_on=today.replace(month=12, day=31), paid_on=today, amount_paid=20) for u in users[::2]], batch_size=5000)
        staff = User.objects.create_user("bench-staff@example.org", None, is_staff=True)
        from django.db import connection

        with connection.cursor() as cursor:
            cursor.execute("ANALYZE")
        yield staff


def _client(staff):
    from tests.auth import login_staff_with_second_factor

    client = Client()
    login_staff_with_second_factor(client, staff)  # benchmark the list, not the second-factor step
    return client


@pytest.mark.django_db
def test_member_list_first_page_100k(benchmark, many_members):
    client = _client(many_members)
    response = benchmark(client.get, "/staff/members/")
    assert response.status_code == 200


@pytest.mark.django_db
def test_member_list_search_100k(benchmark, many_members):
    client = _client(many_members)
    response = benchmark(client.get, "/staff/members/?q=nom4321")
    assert response.status_code == 200 and "Nom4321" in response.content.decode()


@pytest.mark.django_db
def test_member_list_expiring_filter_100k(benchmark, many_members):
    client = _client(many_members)
    response = benchmark(client.get, "/staff/members/?status=active&order=expiry")
    assert response.status_code == 200
