"""The logged-in user is read once per process (members.backends), yet every change to a user
shows on their very next request, and no row is shared between requests or written to Redis."""

import pytest
from django.contrib.auth import get_user_model
from django.core.cache import cache
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from members.backends import CachedModelBackend

pytestmark = pytest.mark.django_db
User = get_user_model()


def _user_queries(client, url="/"):
    with CaptureQueriesContext(connection) as ctx:
        response = client.get(url)
    return response, [q["sql"] for q in ctx.captured_queries if 'FROM "members_user"' in q["sql"]]


def test_the_user_row_is_read_once_then_from_this_process(client, member):
    client.force_login(member)
    assert _user_queries(client)[1]  # first page: read
    response, queries = _user_queries(client)
    assert response.status_code == 200 and queries == []


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
    assert client.get(reverse("staff_home")).status_code in (302, 403)
    member.is_staff = True
    member.save()
    assert "Back-office" in client.get("/").content.decode()
    member.is_staff = False
    member.save()
    assert "Back-office" not in client.get("/").content.decode()


def test_each_request_gets_its_own_copy_and_rows_never_reach_redis(member):
    backend = CachedModelBackend()
    first = backend.get_user(member.pk)
    first.first_name = "Changé par une requête"
    first.is_staff = True
    second = backend.get_user(member.pk)
    assert second is not first
    assert second.first_name == "Marie" and not second.is_staff
    # Only the generation token is in the shared cache: the row (and its password hash) is not.
    keys = [key for key in cache._cache if "quai:gen:users" in key]
    assert keys and all(key.endswith("quai:gen:users") for key in keys)
    assert member.password not in repr(list(cache._cache.values()))


def test_an_unknown_or_deleted_user_is_none(member):
    backend = CachedModelBackend()
    assert backend.get_user(member.pk) is not None
    User.objects.filter(pk=member.pk).delete()  # a queryset delete sends post_delete too
    assert backend.get_user(member.pk) is None
