"""Staff powers depend on a second factor verified in the session, on every route (issue 11 §1).

A password alone — at allauth's login form or at the Django admin's — opens nothing a member could
not open; a TOTP code or a recovery code verified by allauth in that session gives staff powers.
"""

import time
from urllib.parse import parse_qs, urlsplit

import pytest
from allauth.mfa.models import Authenticator
from allauth.mfa.recovery_codes.internal.auth import RecoveryCodes
from allauth.mfa.totp.internal.auth import SECRET_SESSION_KEY, format_hotp_value, hotp_value
from django.contrib.auth.models import Permission
from rest_framework.test import APIClient

from coworking.models import Booking
from coworking.services import booking_create
from members.models import User
from quai.second_factor import demote
from tests.auth import STAFF_TOTP_SECRET, login_without_second_factor
from tests.coworking.factories import SubscriptionFactory
from tests.factories import TEST_PASSWORD, StaffFactory, UserFactory

pytestmark = pytest.mark.django_db

STAFF_SECRET = STAFF_TOTP_SECRET


def totp_code(secret: str = STAFF_SECRET) -> str:
    return format_hotp_value(hotp_value(secret, int(time.time()) // 30))


def logged_in_user_id(client):
    return client.session.get("_auth_user_id")


def login_with_password(client, user):
    """allauth's login form, password only: staff stop at the second-factor step."""
    return client.post("/accounts/login/", {"login": user.email, "password": TEST_PASSWORD})


@pytest.fixture
def booking_of_other_member(other_member, desk, morning):
    SubscriptionFactory(member=other_member)
    return booking_create(member=other_member, resource=desk, starts_at=morning[0], ends_at=morning[1])


@pytest.fixture
def desk(db):
    from tests.coworking.factories import ResourceFactory, SiteFactory

    return ResourceFactory(site=SiteFactory(), name="Poste A1")


@pytest.fixture
def morning():
    import datetime

    from django.utils import timezone

    from coworking.time import PARIS, local_dt

    day = timezone.localdate(timezone.now(), PARIS) + datetime.timedelta(days=7)
    return local_dt(day, datetime.time(9)), local_dt(day, datetime.time(13))


# --- the Django admin's own login form ----------------------------------------------------------


def test_admin_login_sends_anonymous_visitors_to_allauth_keeping_next(client):
    response = client.get("/admin/login/?next=/admin/members/user/")
    assert response.status_code == 302
    location = urlsplit(response["Location"])
    assert location.path == "/accounts/login/"
    assert parse_qs(location.query) == {"next": ["/admin/members/user/"]}


def test_admin_login_without_next_goes_back_to_the_admin_index(client):
    response = client.get("/admin/login/")
    assert response["Location"] == "/accounts/login/?next=%2Fadmin%2F"


def test_admin_login_refuses_a_next_on_another_site(client):
    response = client.get("/admin/login/?next=https://evil.example/admin/")
    assert response["Location"] == "/accounts/login/?next=%2Fadmin%2F"


def test_admin_index_sends_anonymous_visitors_to_allauth_through_the_admin_login(client):
    response = client.get("/admin/", follow=True)
    assert response.redirect_chain == [("/admin/login/?next=/admin/", 302), ("/accounts/login/?next=%2Fadmin%2F", 302)]


def test_a_password_posted_to_the_admin_login_opens_nothing(client, staff):
    superuser = UserFactory(is_staff=True, is_superuser=True)
    for user in (staff, superuser):
        response = client.post("/admin/login/?next=/admin/", {"username": user.email, "password": TEST_PASSWORD})
        assert response.status_code == 302
        assert response["Location"] == "/accounts/login/?next=%2Fadmin%2F"
        assert logged_in_user_id(client) is None
        assert client.get("/admin/")["Location"] == "/admin/login/?next=/admin/"
        assert client.get("/staff/")["Location"] == "/accounts/login/?next=/staff/"


def test_a_member_at_the_admin_login_is_refused_with_a_reason(client, member):
    client.force_login(member)
    response = client.get("/admin/login/?next=/admin/")
    assert response.status_code == 403
    assert "Votre compte n’a pas accès à l’administration." in response.content.decode()


def test_verified_staff_at_the_admin_login_go_on_to_next(client, staff):
    client.force_login(staff)
    assert client.get("/admin/login/?next=/admin/members/user/")["Location"] == "/admin/members/user/"


# --- allauth's login: the password is only the first step ----------------------------------------


def test_password_only_at_allauth_login_does_not_log_staff_in(client, staff):
    response = login_with_password(client, staff)
    assert response["Location"] == "/accounts/2fa/authenticate/"
    assert logged_in_user_id(client) is None
    assert client.get("/api/v1/me/").status_code == 401


def test_totp_code_at_login_gives_staff_powers_everywhere(client, staff, member, booking_of_other_member):
    login_with_password(client, staff)
    response = client.post("/accounts/2fa/authenticate/", {"code": totp_code()})
    assert response.status_code == 302
    assert response["Location"] == "/staff/"  # staff land on their home
    assert logged_in_user_id(client) == str(staff.pk)
    assert client.get("/staff/").status_code == 200
    assert client.get("/admin/").status_code == 200
    assert client.get("/api/v1/me/").json()["is_staff"] is True
    assert client.get("/api/v1/bookings/").json()["count"] == 1
    response = client.delete(f"/api/v1/bookings/{booking_of_other_member.pk}/")
    assert response.status_code == 200
    assert Booking.objects.get(pk=booking_of_other_member.pk).status == "cancelled"


def test_a_recovery_code_at_login_gives_staff_powers(client, staff):
    code = RecoveryCodes.activate(staff).get_unused_codes()[0]
    login_with_password(client, staff)
    assert client.post("/accounts/2fa/authenticate/", {"code": code}).status_code == 302
    assert logged_in_user_id(client) == str(staff.pk)
    assert client.get("/staff/").status_code == 200
    assert client.get("/staff/members/").status_code == 200


def test_a_wrong_code_at_login_logs_nobody_in(client, staff):
    login_with_password(client, staff)
    response = client.post("/accounts/2fa/authenticate/", {"code": "000000" if totp_code() != "000000" else "111111"})
    assert response.status_code == 200
    assert logged_in_user_id(client) is None


# --- a staff session without the second factor is a plain member --------------------------------


def test_unverified_staff_are_sent_to_the_second_factor_step_by_the_back_office(client, staff):
    login_without_second_factor(client, staff)
    for path in ("/staff/", "/staff/members/?q=dupont", "/admin/", "/admin/members/user/", "/admin/login/?next=/admin/"):
        response = client.get(path)
        assert response.status_code == 302, path
        location = urlsplit(response["Location"])
        assert location.path == "/accounts/2fa/reauthenticate/", path
        assert parse_qs(location.query) == {"next": [path]}, path


def test_unverified_staff_without_totp_are_sent_to_the_totp_set_up(client):
    staff = StaffFactory(totp=False)
    login_without_second_factor(client, staff)
    assert client.get("/staff/")["Location"] == "/accounts/2fa/totp/activate/"
    assert client.get("/admin/")["Location"] == "/accounts/2fa/totp/activate/"


def test_unverified_staff_are_a_member_on_the_session_api(client, staff, booking_of_other_member):
    login_without_second_factor(client, staff)
    assert client.get("/api/v1/me/").json()["is_staff"] is False
    assert client.get("/api/v1/bookings/").json()["count"] == 0
    assert client.get("/api/v1/members/").status_code == 403
    # Someone else's booking: exactly what a member gets.
    assert client.get(f"/api/v1/bookings/{booking_of_other_member.pk}/").status_code == 404
    assert client.delete(f"/api/v1/bookings/{booking_of_other_member.pk}/").status_code == 404
    assert Booking.objects.get(pk=booking_of_other_member.pk).status == "confirmed"


def test_unverified_staff_get_the_same_answers_as_a_member(client, staff, member, booking_of_other_member):
    paths = ["/api/v1/bookings/", f"/api/v1/bookings/{booking_of_other_member.pk}/", "/api/v1/members/", "/api/v1/memberships/"]
    login_without_second_factor(client, member)
    as_member = [client.get(path).status_code for path in paths]
    client.logout()
    login_without_second_factor(client, staff)
    assert [client.get(path).status_code for path in paths] == as_member == [200, 404, 403, 200]


def test_unverified_superuser_is_a_member_too(client):
    superuser = UserFactory(is_staff=True, is_superuser=True)
    Authenticator.objects.create(user=superuser, type=Authenticator.Type.TOTP, data={"secret": "x"})
    login_without_second_factor(client, superuser)
    assert client.get("/api/v1/me/").json()["is_staff"] is False
    assert client.get("/api/v1/members/").status_code == 403
    assert client.get("/admin/members/user/").status_code == 302


def test_unverified_staff_pages_show_no_back_office(client, staff):
    login_without_second_factor(client, staff)
    response = client.get("/")
    assert response.status_code == 200
    assert 'href="/staff/"' not in response.content.decode()
    client.force_login(staff)
    assert 'href="/staff/"' in client.get("/").content.decode()


def test_saving_the_account_of_an_unverified_staff_keeps_their_roles(client):
    superuser = UserFactory(is_staff=True, is_superuser=True, first_name="Ana")
    login_without_second_factor(client, superuser)
    response = client.patch("/api/v1/me/", {"first_name": "Anaïs"}, content_type="application/json")
    assert response.status_code == 200
    response = client.post("/account/", {"first_name": "Anaïs", "last_name": "Roy", "language": "fr"})
    assert response.status_code == 302
    superuser.refresh_from_db()
    assert (superuser.first_name, superuser.last_name, superuser.is_staff, superuser.is_superuser) == ("Anaïs", "Roy", True, True)


def test_demoted_user_has_no_permission_at_all():
    superuser = UserFactory(is_staff=True, is_superuser=True)
    staff = StaffFactory()
    staff.user_permissions.add(Permission.objects.get(codename="change_user"))
    staff = User.objects.get(pk=staff.pk)
    assert superuser.has_perm("members.change_user") and staff.has_perm("members.change_user")
    for user in (superuser, staff):
        demoted = demote(user)
        assert (demoted.is_staff, demoted.is_superuser) == (False, False)
        assert not demoted.has_perm("members.change_user")
        assert demoted.get_all_permissions() == set()
        assert user.is_staff is True  # the original is untouched


def test_the_mfa_step_after_a_password_only_session_gives_staff_powers(client, staff):
    login_without_second_factor(client, staff)
    response = client.get("/staff/members/")
    step = response["Location"]
    response = client.post(step, {"code": totp_code()})
    assert response["Location"] == "/staff/members/"
    assert client.get("/staff/members/").status_code == 200
    assert client.get("/api/v1/me/").json()["is_staff"] is True


@pytest.mark.django_db(transaction=True)  # allauth announces the new authenticator after commit
def test_activating_totp_verifies_the_second_factor_for_this_session(client):
    staff = StaffFactory(totp=False)
    login_with_password(client, staff)  # no authenticator yet: allauth logs them in on the password
    assert logged_in_user_id(client) == str(staff.pk)
    assert client.get("/staff/")["Location"] == "/accounts/2fa/totp/activate/"
    # allauth asks for the password again before adding an authenticator.
    step = client.get("/accounts/2fa/totp/activate/")["Location"]
    assert step == "/accounts/reauthenticate/?next=%2Faccounts%2F2fa%2Ftotp%2Factivate%2F"
    assert client.post(step, {"password": TEST_PASSWORD})["Location"] == "/accounts/2fa/totp/activate/"
    assert client.get("/staff/")["Location"] == "/accounts/2fa/totp/activate/"  # a password is not a second factor
    assert client.get("/accounts/2fa/totp/activate/").status_code == 200
    secret = client.session[SECRET_SESSION_KEY]
    response = client.post("/accounts/2fa/totp/activate/", {"code": totp_code(secret)})
    assert response.status_code == 302
    assert Authenticator.objects.filter(user=staff, type=Authenticator.Type.TOTP).exists()
    assert client.get("/staff/").status_code == 200


def test_token_authentication_is_not_demoted(staff):
    from members.models import ApiToken

    _token, key = ApiToken.issue(user=staff, name="ops")
    api = APIClient()
    api.credentials(HTTP_AUTHORIZATION=f"Token {key}")
    assert api.get("/api/v1/members/").status_code == 200


def test_with_the_requirement_off_a_password_is_enough(client, settings, staff):
    settings.QUAI_STAFF_MFA_REQUIRED = False
    login_without_second_factor(client, staff)
    assert client.get("/staff/").status_code == 200
    assert client.get("/api/v1/me/").json()["is_staff"] is True
