import json

import pytest
from django.core.management import call_command
from openapi_spec_validator import validate

from members.models import ApiToken

pytestmark = pytest.mark.django_db


def test_token_auth_works(api_client, member):
    _token, key = ApiToken.issue(user=member, name="sync")
    response = api_client.get("/api/v1/me/", HTTP_AUTHORIZATION=f"Token {key}")
    assert response.status_code == 200
    assert response.json()["email"] == "member@example.org"


def test_anonymous_gets_401_with_the_error_format(api_client):
    response = api_client.get("/api/v1/me/")
    assert response.status_code == 401  # token authentication first: it asks for credentials (WWW-Authenticate)
    body = response.json()
    assert set(body) >= {"detail", "errors"}
    assert body["detail"]


def test_wrong_or_revoked_token_is_refused(api_client, member):
    token, key = ApiToken.issue(user=member, name="sync")
    token.delete()
    response = api_client.get("/api/v1/me/", HTTP_AUTHORIZATION=f"Token {key}")
    assert response.status_code == 401
    assert "revoked" in response.json()["detail"] or "révoqué" in response.json()["detail"]


def test_token_is_stored_hashed(member):
    token, key = ApiToken.issue(user=member, name="sync")
    assert key not in token.key_hash and key.startswith(token.key_prefix)


def test_create_api_token_command_prints_a_working_token(api_client, member, capsys):
    call_command("create_api_token", "MEMBER@example.org")
    key = capsys.readouterr().out.strip()
    response = api_client.get("/api/v1/me/", HTTP_AUTHORIZATION=f"Token {key}")
    assert response.status_code == 200


def test_invalid_input_gets_400_with_field_errors(member_api):
    response = member_api.patch("/api/v1/me/", {"language": "klingon"}, format="json")
    assert response.status_code == 400
    body = response.json()
    assert "language" in body["errors"]
    assert body["detail"].startswith("language")


def test_schema_is_valid_openapi_3(api_client):
    response = api_client.get("/api/schema/?format=json")
    assert response.status_code == 200
    schema = json.loads(response.content)
    assert schema["openapi"].startswith("3.")
    validate(schema)
    assert "/api/v1/me/" in schema["paths"]
    assert "tokenAuth" in schema["components"]["securitySchemes"]


def test_api_docs_page_is_served(client):
    response = client.get("/api/docs/")
    assert response.status_code == 200


def test_domain_errors_map_to_400_and_409():
    from rest_framework.test import APIRequestFactory

    from quai.api import exception_handler
    from quai.errors import ConflictError, DomainError

    request = APIRequestFactory().get("/")
    bad = exception_handler(DomainError("Fin avant début", field="end"), {"request": request})
    assert bad.status_code == 400 and bad.data["errors"] == {"end": ["Fin avant début"]}
    taken = exception_handler(ConflictError("Déjà réservé"), {"request": request})
    assert taken.status_code == 409 and taken.data["detail"] == "Déjà réservé"


def test_api_is_throttled_with_the_error_format(member_api, monkeypatch):
    from rest_framework.throttling import UserRateThrottle

    monkeypatch.setattr(UserRateThrottle, "THROTTLE_RATES", {"user": "3/minute", "anon": "3/minute"})
    statuses = [member_api.get("/api/v1/me/").status_code for _ in range(4)]
    assert statuses == [200, 200, 200, 429]
    response = member_api.get("/api/v1/me/")
    body = response.json()
    assert body["detail"] and body["errors"] == {}
    assert 0 < int(response["Retry-After"]) <= 60


@pytest.mark.parametrize("backend", ["locmem", "redis"])
def test_throttle_counts_per_window_in_one_entry(backend, settings):
    """The counter works on the in-process cache (tests) and on Redis (deployments): one entry per
    window, counted atomically, expiring with the window."""
    from django.core.cache import caches

    from quai import throttling
    from quai.cache import FailOpenRedisCache

    if backend == "redis":
        store = FailOpenRedisCache(settings.REDIS_URL, {"KEY_PREFIX": "quai-test-throttle"})
    else:
        store = caches["default"]
    original = throttling.cache
    throttling.cache = store
    try:
        store.delete("t:1")
        assert [throttling.hit("t:1", 60) for _ in range(3)] == [1, 2, 3]
        assert store.get("t:1") == 3
        assert throttling.hit("t:2", 60) == 1
        if backend == "redis":
            ttl = store._cache.get_client(write=True).ttl(store.make_and_validate_key("t:1"))
            assert 0 < ttl <= 61
        store.delete_many(["t:1", "t:2"])
    finally:
        throttling.cache = original
