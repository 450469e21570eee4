"""Abuse (issue 11 §5): throttles count per real client address, guests consent on the API as on
the form, failed logins never lock the owner of an address out, personal responses stay private."""

import pytest
from django.test import Client, RequestFactory
from rest_framework.test import APIClient

from events.models import Registration
from quai.throttling import AnonRateThrottle, client_ip
from tests.events.factories import EventFactory
from tests.factories import TEST_PASSWORD

pytestmark = pytest.mark.django_db

PROXY = "10.0.0.2"
CLIENT_A = "198.51.100.7"
CLIENT_B = "203.0.113.9"


# --- the client's address -------------------------------------------------------------------------


@pytest.mark.parametrize(
    "num_proxies, forwarded, expected",
    [
        (0, None, PROXY),
        (0, f"{CLIENT_A}", PROXY),  # no proxy configured: the header is the client's own words
        (1, None, PROXY),  # behind a proxy, a request without the header: its sender
        (1, f"{CLIENT_A}", CLIENT_A),
        (1, f"6.6.6.6, {CLIENT_A}", CLIENT_A),  # the left part was written by the client
        (1, f" 6.6.6.6 ,{CLIENT_A} ", CLIENT_A),
        (2, f"6.6.6.6, {CLIENT_A}, 10.0.0.1", CLIENT_A),
        (2, f"{CLIENT_A}", CLIENT_A),  # fewer entries than proxies: the first one, never a 500
        (1, " , ", PROXY),
    ],
)
def test_client_ip_trusts_only_what_the_configured_proxies_wrote(settings, num_proxies, forwarded, expected):
    settings.QUAI_NUM_PROXIES = num_proxies
    extra = {"REMOTE_ADDR": PROXY}
    if forwarded is not None:
        extra["HTTP_X_FORWARDED_FOR"] = forwarded
    assert client_ip(RequestFactory().get("/", **extra)) == expected


@pytest.fixture
def anon_rate_3(monkeypatch):
    monkeypatch.setattr(AnonRateThrottle, "THROTTLE_RATES", {"anon": "3/minute", "user": "1000/minute"})


def _statuses(client, forwarded_values, remote=PROXY):
    return [
        client.get("/api/v1/events/", REMOTE_ADDR=remote, HTTP_X_FORWARDED_FOR=value).status_code for value in forwarded_values
    ]


def test_a_made_up_forwarded_header_does_not_escape_the_anonymous_throttle(settings, anon_rate_3):
    settings.QUAI_NUM_PROXIES = 0
    client = APIClient()
    assert _statuses(client, ["1.1.1.1", "2.2.2.2", "3.3.3.3", "4.4.4.4"]) == [200, 200, 200, 429]


def test_behind_a_proxy_each_client_has_its_own_count(settings, anon_rate_3):
    settings.QUAI_NUM_PROXIES = 1
    client = APIClient()
    # Client A varies the part it controls: still client A.
    assert _statuses(client, [f"1.1.1.1, {CLIENT_A}", f"2.2.2.2, {CLIENT_A}", CLIENT_A, f"9.9.9.9, {CLIENT_A}"]) == [200, 200, 200, 429]
    # Client B, through the same proxy, is not throttled for A's requests.
    assert _statuses(client, [CLIENT_B]) == [200]


def test_each_request_counts_in_one_throttle_bucket(monkeypatch):
    # An anonymous request in the per-address bucket only, a member's in their account's only: one
    # Redis round trip per API request (the user throttle used to count anonymous ones a second time).
    from quai import throttling
    from tests.factories import UserFactory

    keys = []
    monkeypatch.setattr(throttling, "hit", lambda key, window: keys.append(key.rsplit(":", 1)[0]) or 1)
    client = APIClient()
    assert client.get("/api/v1/events/", REMOTE_ADDR=CLIENT_A).status_code == 200
    member = UserFactory()
    client.force_authenticate(member)
    assert client.get("/api/v1/events/", REMOTE_ADDR=CLIENT_A).status_code == 200
    assert keys == [f"throttle_anon_{CLIENT_A}", f"throttle_user_{member.pk}"]


# --- the anonymous registration API asks for consent, like the form -------------------------------


def _register(body):
    event = EventFactory(capacity=10)
    return event, APIClient().post(f"/api/v1/events/{event.pk}/registrations/", body, format="json")


@pytest.mark.parametrize("consent", [None, False, "false", 0])
def test_a_guest_without_consent_gets_400_on_the_consent_field_and_nothing_is_written(consent):
    body = {"name": "Léa Morel", "email": "lea@example.org"}
    if consent is not None:
        body["consent"] = consent
    _event, response = _register(body)
    assert response.status_code == 400
    assert response.json()["errors"] == {"consent": ["Merci d’accepter que nous conservions votre nom et votre e-mail pour cet événement."]}
    assert not Registration.objects.exists()


def test_a_guest_who_consents_is_registered():
    event, response = _register({"name": "Léa Morel", "email": "lea@example.org", "consent": True})
    assert response.status_code == 201
    registration = Registration.objects.get()
    assert (registration.event_id, registration.guest_email, registration.status) == (event.pk, "lea@example.org", "confirmed")


def test_the_schema_documents_the_consent_field():
    schema = APIClient().get("/api/schema/?format=json").json()
    fields = schema["components"]["schemas"]["GuestRegistrationRequest"]["properties"]
    assert fields["consent"]["type"] == "boolean"


# --- failed logins: per IP and per (IP, e-mail), never per e-mail alone ---------------------------


def _login(client, email, password, ip):
    client.post("/accounts/login/", {"login": email, "password": password}, REMOTE_ADDR=ip)
    return client.session.get("_auth_user_id")


def test_ten_failed_logins_from_one_address_do_not_lock_the_owner_out_elsewhere(member):
    attacker = Client()
    for _ in range(10):
        assert _login(attacker, member.email, "not-the-password", CLIENT_A) is None
    # The right password from the attacker's address is refused too: that address is locked.
    assert _login(attacker, member.email, TEST_PASSWORD, CLIENT_A) is None
    # The owner, from home, logs in.
    assert _login(Client(), member.email, TEST_PASSWORD, CLIENT_B) == str(member.pk)


def test_behind_a_proxy_failed_logins_count_per_real_client(settings, member):
    settings.QUAI_NUM_PROXIES = 1
    attacker = Client(HTTP_X_FORWARDED_FOR=f"1.2.3.4, {CLIENT_A}")
    for _ in range(10):
        attacker.post("/accounts/login/", {"login": member.email, "password": "wrong"}, REMOTE_ADDR=PROXY)
    owner = Client(HTTP_X_FORWARDED_FOR=CLIENT_B)
    owner.post("/accounts/login/", {"login": member.email, "password": TEST_PASSWORD}, REMOTE_ADDR=PROXY)
    assert owner.session.get("_auth_user_id") == str(member.pk)


def test_five_failures_on_one_address_from_one_place_block_that_pair(member, other_member):
    client = Client()
    for _ in range(5):
        assert _login(client, member.email, "wrong", CLIENT_A) is None
    response = client.post("/accounts/login/", {"login": member.email, "password": TEST_PASSWORD}, REMOTE_ADDR=CLIENT_A)
    assert "Trop de tentatives de connexion échouées." in response.content.decode()
    assert client.session.get("_auth_user_id") is None
    # The same place may still log in to another account (below the per-IP limit of 10).
    assert _login(client, other_member.email, TEST_PASSWORD, CLIENT_A) == str(other_member.pk)


def test_one_place_trying_many_accounts_is_stopped_by_the_per_ip_limit(member):
    client = Client()
    for n in range(10):
        _login(client, f"guess{n}@example.org", "wrong", CLIENT_A)
    assert _login(client, member.email, TEST_PASSWORD, CLIENT_A) is None
    assert _login(Client(), member.email, TEST_PASSWORD, CLIENT_B) == str(member.pk)


# --- personal responses are private ----------------------------------------------------------------


@pytest.mark.parametrize(
    "path",
    ["/account/", "/account/my-data/", "/account/my-data/?format=html", "/coworking/bookings/", "/directory/", "/",
     "/api/v1/me/", "/api/v1/me/export/", "/api/v1/bookings/"],
)
def test_pages_and_exports_of_a_member_are_private_and_not_stored(client, member, path):
    client.force_login(member)
    response = client.get(path)
    assert response.status_code == 200
    assert response["Cache-Control"] == "private, no-store"


@pytest.mark.parametrize(
    "path",
    ["/staff/", "/staff/members/", "/staff/members/export.csv", "/staff/members/export.xlsx", "/staff/declic/export.xlsx",
     "/api/v1/members/"],
)
def test_staff_pages_and_exports_are_private_and_not_stored(client, staff, path):
    client.force_login(staff)
    response = client.get(path)
    assert response.status_code == 200
    assert response["Cache-Control"] == "private, no-store"


def test_a_token_authenticated_export_is_private_too(member):
    from members.models import ApiToken

    _token, key = ApiToken.issue(user=member, name="sync")
    response = APIClient().get("/api/v1/me/export/", HTTP_AUTHORIZATION=f"Token {key}")
    assert response.status_code == 200
    assert response["Cache-Control"] == "private, no-store"


def test_the_calendar_feed_is_private_too(client, member):
    from coworking.services import calendar_feed_reset

    feed = calendar_feed_reset(member=member)
    response = Client().get(f"/coworking/calendar/{feed.token}.ics")
    assert response.status_code == 200
    assert response["Cache-Control"] == "private, no-store"


def test_anonymous_public_pages_keep_no_private_header(client):
    assert not client.get("/").has_header("Cache-Control")
    assert not APIClient().get("/api/v1/events/").has_header("Cache-Control")


def test_a_view_that_chose_its_own_caching_keeps_it(client, member):
    import io

    from django.core.files.uploadedfile import SimpleUploadedFile
    from PIL import Image

    buffer = io.BytesIO()
    Image.new("RGB", (4, 4), "white").save(buffer, "PNG")
    client.force_login(member)
    client.post("/account/photo/", {"photo": SimpleUploadedFile("me.png", buffer.getvalue(), content_type="image/png")})
    response = client.get(f"/members/{member.pk}/photo/")
    assert response.status_code == 200
    assert response["Cache-Control"] == "private, max-age=300"
