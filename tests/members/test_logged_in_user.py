"""The logged-in user is read from PostgreSQL on every request (Django's and allauth's stock
backends): every change to a user, bulk updates included, shows on their very next request."""

import pytest
from django.contrib.auth import get_user_model
from django.urls import reverse

pytestmark = pytest.mark.django_db
User = get_user_model()


def test_a_deactivated_user_is_logged_out_on_the_next_request(client, member):
    client.force_login(member)
    assert client.get(reverse("members:account")).status_code == 200
    member.is_active = False
    member.save()
    response = client.get(reverse("members:account"))
    assert response.status_code == 302 and reverse("account_login") in response["Location"]


def test_a_password_change_ends_the_other_sessions(client, member):
    client.force_login(member)
    assert client.get(reverse("members:account")).status_code == 200
    member.set_password("un-tout-nouveau-mot-de-passe")
    member.save()
    assert client.get(reverse("members:account")).status_code == 302


def test_staff_rights_given_or_taken_show_at_once(client, member):
    from tests.auth import login_staff_with_second_factor

    login_staff_with_second_factor(client, member)  # a member with TOTP: staff powers need it
    assert client.get(reverse("staff_home")).status_code == 403
    member.is_staff = True
    member.save()
    assert "Back-office" in client.get("/").content.decode()
    member.is_staff = False
    member.save()
    assert "Back-office" not in client.get("/").content.decode()


def test_a_bulk_update_without_signals_shows_at_once(client, member):
    """A queryset update() sends no signal: nothing may keep the old row (a cached user did, for minutes)."""
    client.force_login(member)
    assert client.get(reverse("members:account")).status_code == 200
    User.objects.filter(pk=member.pk).update(is_active=False)
    assert client.get(reverse("members:account")).status_code == 302
