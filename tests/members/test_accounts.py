import pytest
from django.urls import reverse

from members.models import ApiToken, User
from quai.models import OutboxMessage

pytestmark = pytest.mark.django_db


def test_create_user_with_email_login_normalises_address():
    user = User.objects.create_user("  Jeanne.Dupont@Example.ORG ", "a-strong-passphrase")
    assert user.email == "jeanne.dupont@example.org"
    assert user.check_password("a-strong-passphrase")
    assert not user.is_staff


def test_email_is_unique_whatever_the_case():
    from django.db import IntegrityError

    User.objects.create_user("a@example.org", "x")
    with pytest.raises(IntegrityError):
        User.objects.create(email="A@EXAMPLE.ORG".lower())


def test_signup_with_malformed_email_shows_error_and_creates_nothing(client):
    response = client.post(
        "/accounts/signup/", {"email": "not-an-email", "password1": "a-strong-passphrase", "password2": "a-strong-passphrase"}
    )
    assert response.status_code == 200
    assert "Saisissez une adresse e-mail valide" in response.content.decode()
    assert User.objects.count() == 0
    assert OutboxMessage.objects.count() == 0


def test_signup_with_weak_password_shows_error_and_creates_nothing(client):
    response = client.post("/accounts/signup/", {"email": "new@example.org", "password1": "123", "password2": "123"})
    assert response.status_code == 200
    body = response.content.decode()
    assert "trop court" in body
    assert 'aria-invalid="true"' in body
    assert User.objects.count() == 0


def test_signup_sends_verification_email_through_the_outbox(client, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            "/accounts/signup/",
            {"email": "New@Example.org", "first_name": "Noé", "last_name": "Vidal", "password1": "a-strong-passphrase", "password2": "a-strong-passphrase"},
        )
    assert response.status_code == 302
    user = User.objects.get()
    assert user.email == "new@example.org" and user.language == "fr"
    message = OutboxMessage.objects.get(to="new@example.org")
    assert message.key.startswith("account:email_confirmation")
    assert "/accounts/confirm-email/" in message.body_text
    assert message.status == OutboxMessage.Status.SENT


def test_staff_without_totp_is_sent_to_mfa_setup(client):
    from tests.factories import StaffFactory

    from tests.auth import login_without_second_factor

    staff = StaffFactory(totp=False)
    login_without_second_factor(client, staff)
    response = client.get("/staff/")
    assert response.status_code == 302
    assert response["Location"] == reverse("mfa_activate_totp")
    assert client.get("/admin/").status_code == 302


def test_staff_with_totp_reaches_back_office(client, staff):
    client.force_login(staff)
    assert client.get("/staff/").status_code == 200


def test_member_gets_403_on_back_office_and_anonymous_goes_to_login(client, member):
    assert client.get("/staff/").status_code == 302
    client.force_login(member)
    assert client.get("/staff/").status_code == 403


def test_member_creates_and_revokes_a_token_on_account_page(client, member):
    client.force_login(member)
    response = client.post(reverse("members:token_create"), {"name": "Tableur"})
    assert response.status_code == 200
    token = ApiToken.objects.get(user=member)
    assert token.key_prefix in response.content.decode()
    response = client.post(reverse("members:token_revoke", args=[token.pk]))
    assert response.status_code == 302
    assert not ApiToken.objects.exists()


def test_member_cannot_revoke_someone_elses_token(client, member, other_member):
    token, _key = ApiToken.issue(user=other_member, name="theirs")
    client.force_login(member)
    response = client.post(reverse("members:token_revoke", args=[token.pk]))
    assert response.status_code == 404
    assert ApiToken.objects.filter(pk=token.pk).exists()


def test_token_name_is_required(client, member):
    client.force_login(member)
    response = client.post(reverse("members:token_create"), {"name": ""})
    assert response.status_code == 400
    assert "Ce champ est obligatoire" in response.content.decode()
    assert not ApiToken.objects.exists()


def test_sign_up_asks_first_and_last_name(client, django_capture_on_commit_callbacks):
    from members.models import User

    page = client.get("/accounts/signup/").content.decode()
    assert 'name="first_name"' in page and 'name="last_name"' in page
    data = {"email": "nina@example.org", "password1": "une-phrase-solide-42", "password2": "une-phrase-solide-42"}
    response = client.post("/accounts/signup/", data)
    assert response.status_code == 200
    assert not User.objects.filter(email="nina@example.org").exists()
    response = client.post("/accounts/signup/", {**data, "first_name": "Nina", "last_name": "Ferrand"})
    assert response.status_code == 302
    user = User.objects.get(email="nina@example.org")
    assert (user.first_name, user.last_name) == ("Nina", "Ferrand")


def test_form_errors_are_summarised_with_links_to_the_fields(client):
    page = client.post("/accounts/signup/", {"email": "pas-une-adresse"}).content.decode()
    assert 'class="error-summary"' in page
    assert 'href="#id_email"' in page and 'href="#id_first_name"' in page and 'href="#id_password1"' in page
