"""Personal API tokens: expiry, last use, listed and revocable, minted by staff only after the
second factor (issue 11 §1); the operators' command stays."""

import datetime

import pytest
from django.core.management import CommandError, call_command
from django.urls import reverse
from django.utils import timezone
from rest_framework.test import APIClient

from members.models import ApiToken
from tests.auth import login_without_second_factor

pytestmark = pytest.mark.django_db


def api_with(key: str) -> APIClient:
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Token {key}")
    return client


def test_a_token_lasts_90_days_by_default(member):
    token, _key = ApiToken.issue(user=member, name="sync")
    assert token.expires_at - token.created_at == datetime.timedelta(days=90)


def test_the_lifetime_is_a_setting(settings, member):
    settings.QUAI_API_TOKEN_DAYS = 7
    token, _key = ApiToken.issue(user=member, name="sync")
    assert token.expires_at - token.created_at == datetime.timedelta(days=7)


def test_an_expired_token_gets_401_saying_so(member):
    token, key = ApiToken.issue(user=member, name="sync")
    ApiToken.objects.filter(pk=token.pk).update(expires_at=datetime.datetime(2026, 3, 1, 12, tzinfo=datetime.UTC))
    response = api_with(key).get("/api/v1/me/")
    assert response.status_code == 401
    assert response.json()["detail"] == "Ce jeton a expiré le 1 mars 2026 : créez-en un nouveau sur la page de votre compte."
    assert response["WWW-Authenticate"] == "Token"


def test_a_token_valid_one_more_minute_still_works(member):
    token, key = ApiToken.issue(user=member, name="sync")
    ApiToken.objects.filter(pk=token.pk).update(expires_at=timezone.now() + datetime.timedelta(minutes=1))
    assert api_with(key).get("/api/v1/me/").status_code == 200


def test_last_use_is_recorded_at_most_once_a_minute(member, django_assert_num_queries):
    token, key = ApiToken.issue(user=member, name="sync")
    client = api_with(key)
    assert client.get("/api/v1/me/").status_code == 200
    token.refresh_from_db()
    first_use = token.last_used_at
    assert first_use is not None
    # Within the minute: the token's row is read, never written again.
    assert client.get("/api/v1/me/").status_code == 200
    token.refresh_from_db()
    assert token.last_used_at == first_use
    # A minute later the date moves on.
    ApiToken.objects.filter(pk=token.pk).update(last_used_at=first_use - datetime.timedelta(minutes=2))
    assert client.get("/api/v1/me/").status_code == 200
    token.refresh_from_db()
    assert token.last_used_at > first_use


def test_the_account_page_lists_tokens_with_their_dates_and_revokes_them(client, member):
    live, _ = ApiToken.issue(user=member, name="Tableur")
    expired, _ = ApiToken.issue(user=member, name="Ancien script")
    ApiToken.objects.filter(pk=expired.pk).update(expires_at=datetime.datetime(2026, 3, 1, 12, tzinfo=datetime.UTC))
    client.force_login(member)
    page = client.get(reverse("members:account")).content.decode()
    assert "Tableur" in page and "Ancien script" in page
    assert "Expiré le 01/03/2026" in page
    assert timezone.localtime(live.expires_at).strftime("%d/%m/%Y") in page
    assert "Il cesse de fonctionner après 90 jours." in page
    assert client.post(reverse("members:token_revoke", args=[expired.pk])).status_code == 302
    assert list(ApiToken.objects.values_list("name", flat=True)) == ["Tableur"]


def test_a_member_mints_a_token_without_a_second_factor(client, member):
    login_without_second_factor(client, member)
    assert client.post(reverse("members:token_create"), {"name": "Tableur"}).status_code == 200
    assert ApiToken.objects.filter(user=member).count() == 1


def test_staff_cannot_mint_a_token_on_a_password_alone(client, staff):
    login_without_second_factor(client, staff)
    page = client.get(reverse("members:account")).content.decode()
    assert "confirmez un code de votre application d’authentification avant de créer un jeton" in page
    assert 'action="/account/tokens/"' not in page
    response = client.post(reverse("members:token_create"), {"name": "Porte dérobée"})
    assert response.status_code == 403
    assert "Confirmez un code de votre application d’authentification avant de créer un jeton d’API." in response.content.decode()
    assert not ApiToken.objects.exists()


def test_staff_mint_a_token_after_the_second_factor_and_it_has_staff_powers(client, staff):
    client.force_login(staff)  # password + TOTP code (root conftest)
    response = client.post(reverse("members:token_create"), {"name": "Compta"})
    assert response.status_code == 200
    key = response.context["new_key"]
    token = ApiToken.objects.get(user=staff)
    assert (token.name, token.staff_powers) == ("Compta", True)
    assert api_with(key).get("/api/v1/members/").status_code == 200


def test_a_members_token_does_not_become_a_staff_token_when_the_member_joins_the_staff(member):
    token, key = ApiToken.issue(user=member, name="sync")
    assert token.staff_powers is False
    member.is_staff = True
    member.save()
    client = api_with(key)
    assert client.get("/api/v1/members/").status_code == 403
    assert client.get("/api/v1/me/").json()["is_staff"] is False
    # Saving through that token keeps the account's roles.
    assert client.patch("/api/v1/me/", {"first_name": "Maëlle"}, format="json").status_code == 200
    member.refresh_from_db()
    assert (member.first_name, member.is_staff) == ("Maëlle", True)


def test_the_command_mints_a_token_for_operators_with_optional_days(member, capsys):
    call_command("create_api_token", member.email, "--days", "3", "--name", "import")
    key = capsys.readouterr().out.strip()
    token = ApiToken.objects.get(user=member)
    assert (token.name, token.expires_at - token.created_at) == ("import", datetime.timedelta(days=3))
    assert api_with(key).get("/api/v1/me/").status_code == 200


def test_the_command_mints_a_staff_token_for_a_staff_account(staff, capsys):
    call_command("create_api_token", staff.email)
    key = capsys.readouterr().out.strip()
    assert ApiToken.objects.get(user=staff).staff_powers is True
    assert api_with(key).get("/api/v1/members/").status_code == 200


def test_the_command_refuses_a_senseless_lifetime(member):
    with pytest.raises(CommandError):
        call_command("create_api_token", member.email, "--days", "0")
    assert not ApiToken.objects.exists()
