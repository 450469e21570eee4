"""allauth flows that must work through the outbox: login by e-mailed code, password reset, rate limits."""

import re

import pytest

from quai.models import OutboxMessage
from tests.factories import TEST_PASSWORD

pytestmark = pytest.mark.django_db


def test_login_by_emailed_code(client, member, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post("/accounts/login/code/", {"email": member.email})
    assert response.status_code == 302
    message = OutboxMessage.objects.get(to=member.email)
    assert message.status == OutboxMessage.Status.SENT
    assert "Le Quai des possibles" in message.body_text
    code = re.search(r"\b([A-Z0-9]{4}-[A-Z0-9]{4})\b", message.body_text).group(1)
    response = client.post(response["Location"], {"code": code})
    assert response.status_code == 302
    assert client.get("/api/v1/me/").json()["email"] == member.email


def test_password_reset_link_goes_through_the_outbox(client, member, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post("/accounts/password/reset/", {"email": member.email})
    assert response.status_code == 302
    message = OutboxMessage.objects.get(to=member.email)
    assert "/accounts/password/reset/key/" in message.body_text


def test_repeated_failed_logins_are_rate_limited(client, member):
    for _ in range(5):
        response = client.post("/accounts/login/", {"login": member.email, "password": "wrong-password"})
        assert response.status_code == 200
    response = client.post("/accounts/login/", {"login": member.email, "password": TEST_PASSWORD})
    # Even the right password is refused while the key is rate limited: the form says so (200).
    assert response.status_code == 200
    assert response.context["form"].errors["__all__"] == ["Trop de tentatives de connexion échouées. Veuillez réessayer ultérieurement."]
    assert "_auth_user_id" not in client.session


def test_staff_login_asks_for_the_totp_code(client, staff):
    response = client.post("/accounts/login/", {"login": staff.email, "password": TEST_PASSWORD})
    assert response.status_code == 302
    assert "/accounts/2fa/authenticate/" in response["Location"]
    assert "_auth_user_id" not in client.session
