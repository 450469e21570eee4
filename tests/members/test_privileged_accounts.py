"""Only a superuser may erase or change a staff or superuser account (issue 11 §1).

A staff member may manage members; a colleague's or an administrator's account — its identity,
password, roles or existence — is a superuser's business, on the staff pages as in the admin.
"""

import pytest
from django.contrib.auth.models import Permission
from django.core.exceptions import PermissionDenied

from members import services
from members.models import User
from quai.models import AuditLog
from tests.factories import StaffFactory, UserFactory

pytestmark = pytest.mark.django_db

REASON = "Seul un super-administrateur peut effacer ou modifier un compte d’équipe ou de super-administrateur."


@pytest.fixture
def colleague(db):
    return StaffFactory(email="colleague@example.org", first_name="Claire", last_name="Dubois")


@pytest.fixture
def superuser(db):
    return UserFactory(email="root@example.org", is_staff=True, is_superuser=True)


@pytest.fixture
def staff_with_user_rights(staff):
    """Staff allowed by the admin to manage user accounts (view, change, delete)."""
    staff.user_permissions.add(*Permission.objects.filter(codename__in=["view_user", "change_user", "delete_user"]))
    return User.objects.get(pk=staff.pk)


def test_staff_cannot_erase_a_colleague_from_the_staff_page(client, staff, colleague):
    client.force_login(staff)
    response = client.post(f"/staff/members/{colleague.pk}/erase/")
    assert response.status_code == 403
    assert REASON in response.content.decode()
    colleague.refresh_from_db()
    assert (colleague.email, colleague.is_active, colleague.is_staff) == ("colleague@example.org", True, True)
    assert not AuditLog.objects.filter(action="members.erased").exists()


def test_staff_cannot_erase_a_superuser(client, staff, superuser):
    client.force_login(staff)
    assert client.post(f"/staff/members/{superuser.pk}/erase/").status_code == 403
    superuser.refresh_from_db()
    assert superuser.is_active and superuser.is_superuser


def test_staff_still_erase_a_member(client, staff, member):
    client.force_login(staff)
    assert client.post(f"/staff/members/{member.pk}/erase/").status_code == 302
    member.refresh_from_db()
    assert (member.is_active, member.email) == (False, f"anonyme-{member.pk}@erased.invalid")


def test_a_superuser_may_erase_a_staff_account(client, superuser, colleague):
    client.force_login(superuser)
    assert client.post(f"/staff/members/{colleague.pk}/erase/").status_code == 302
    colleague.refresh_from_db()
    assert (colleague.is_active, colleague.is_staff) == (False, False)


def test_the_erase_service_refuses_with_the_reason(staff, colleague):
    with pytest.raises(PermissionDenied) as refused:
        services.member_erase(user=colleague, by=staff)
    assert str(refused.value) == REASON


def test_role_changes_need_a_superuser(staff, member, superuser):
    with pytest.raises(PermissionDenied):
        services.member_set_staff(user=member, is_staff=True, by=staff)
    member.refresh_from_db()
    assert member.is_staff is False
    services.member_set_staff(user=member, is_staff=True, by=superuser)
    member.refresh_from_db()
    assert member.is_staff is True


def test_admin_shows_a_colleague_read_only_and_refuses_a_forged_change(client, staff_with_user_rights, colleague):
    client.force_login(staff_with_user_rights)
    page = client.get(f"/admin/members/user/{colleague.pk}/change/")
    assert page.status_code == 200
    assert 'name="first_name"' not in page.content.decode()  # read-only
    response = client.post(f"/admin/members/user/{colleague.pk}/change/", {"email": colleague.email, "first_name": "Pirate"})
    assert response.status_code == 403
    assert REASON in response.content.decode()
    colleague.refresh_from_db()
    assert colleague.first_name == "Claire"


def test_admin_refuses_a_staff_member_deleting_or_resetting_a_colleague(client, staff_with_user_rights, colleague, superuser):
    client.force_login(staff_with_user_rights)
    for target in (colleague, superuser):
        assert client.post(f"/admin/members/user/{target.pk}/delete/", {"post": "yes"}).status_code == 403
        response = client.post(f"/admin/members/user/{target.pk}/password/", {"password1": "n3w-pass-phrase!", "password2": "n3w-pass-phrase!"})
        assert response.status_code == 403
        assert User.objects.filter(pk=target.pk).exists()
        target.refresh_from_db()
        assert target.check_password("correct-horse-battery-staple")


def test_admin_bulk_delete_of_a_colleague_is_refused(client, staff_with_user_rights, colleague, member):
    client.force_login(staff_with_user_rights)
    response = client.post("/admin/members/user/", {"action": "delete_selected", "_selected_action": [colleague.pk, member.pk], "post": "yes"})
    assert response.status_code == 403
    assert User.objects.filter(pk__in=[colleague.pk, member.pk]).count() == 2


def test_admin_staff_cannot_give_roles_but_can_edit_a_member(client, staff_with_user_rights, member):
    client.force_login(staff_with_user_rights)
    data = {
        "email": member.email, "first_name": "Marion", "last_name": member.last_name, "language": "fr",
        "is_active": "on", "is_staff": "on", "is_superuser": "on", "last_login_0": "", "last_login_1": "",
        "date_joined_0": "2025-01-01", "date_joined_1": "10:00:00",
    }
    response = client.post(f"/admin/members/user/{member.pk}/change/", data)
    assert response.status_code == 302, response.content.decode()[:2000]
    member.refresh_from_db()
    assert (member.first_name, member.is_staff, member.is_superuser) == ("Marion", False, False)


def test_a_superuser_may_change_a_colleague_in_the_admin(client, superuser, colleague):
    client.force_login(superuser)
    data = {
        "email": colleague.email, "first_name": "Claire", "last_name": "Durand", "language": "fr",
        "is_active": "on", "is_staff": "on", "last_login_0": "", "last_login_1": "",
        "date_joined_0": "2025-01-01", "date_joined_1": "10:00:00",
    }
    assert client.post(f"/admin/members/user/{colleague.pk}/change/", data).status_code == 302
    colleague.refresh_from_db()
    assert (colleague.last_name, colleague.is_staff) == ("Durand", True)


def test_admin_staff_still_add_an_account_without_any_role(client, staff):
    staff.user_permissions.add(*Permission.objects.filter(codename__in=["view_user", "add_user", "change_user"]))
    client.force_login(User.objects.get(pk=staff.pk))
    assert client.get("/admin/members/user/add/").status_code == 200
    response = client.post("/admin/members/user/add/", {"email": "nouveau@example.org", "password1": "n3w-pass-phrase!", "password2": "n3w-pass-phrase!", "usable_password": "true"})
    assert response.status_code == 302
    created = User.objects.get(email="nouveau@example.org")
    assert (created.is_staff, created.is_superuser) == (False, False)
