"""Root pytest configuration: PostgreSQL only, named personas, browser and API helpers."""

import os

import pytest

# Playwright's sync API runs an event loop in the test thread; the ORM calls the tests make
# around it are still synchronous and safe.
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")


def pytest_configure(config):
    # The live server's listen backlog defaults to 5: concurrency tests open 50 connections at
    # once, which the kernel would reset before the application ever sees them.
    from django.core.servers.basehttp import ThreadedWSGIServer

    ThreadedWSGIServer.request_queue_size = 128


@pytest.fixture(autouse=True)
def _isolate_cache_and_media(settings, tmp_path):
    """Rate limits, throttles and cached reads live in the cache: start each test with an empty one
    (and with no statement kept by quai.compiled: each test's first card query is the ORM's)."""
    from django.core.cache import cache

    from quai import compiled

    cache.clear()
    compiled.forget()
    settings.MEDIA_ROOT = tmp_path / "media"
    yield
    cache.clear()


@pytest.fixture(autouse=True)
def _default_language():
    """Each test starts in the default language (French). LocaleMiddleware activates the language
    of each request in the thread that serves it and leaves it there: in tests that is the test's
    own thread, so a request in English left English active for whatever the next test renders
    outside a request (e-mails, exports, services' messages)."""
    from django.utils import translation

    translation.deactivate()
    yield
    translation.deactivate()


@pytest.fixture(autouse=True)
def _staff_force_login_with_second_factor(monkeypatch):
    """`client.force_login(staff)` logs staff in as after a TOTP code (tests/auth.py).

    Without a second factor a staff session is a plain member (quai.second_factor); tests of
    staff features mean a fully logged-in staff member. Tests of the missing second factor call
    tests.auth.login_without_second_factor.
    """
    from django.test import Client

    from tests.auth import _django_force_login, login_staff_with_second_factor

    def force_login(self, user, backend=None):
        if user.is_staff or user.is_superuser:
            login_staff_with_second_factor(self, user)
        else:
            _django_force_login(self, user, backend)

    monkeypatch.setattr(Client, "force_login", force_login)


@pytest.fixture
def member(db):
    from tests.factories import UserFactory

    return UserFactory(email="member@example.org", first_name="Marie", last_name="Martin")


@pytest.fixture
def other_member(db):
    from tests.factories import UserFactory

    return UserFactory(email="other@example.org", first_name="Olivier", last_name="Petit")


@pytest.fixture
def staff(db):
    from tests.factories import StaffFactory

    return StaffFactory(email="staff@example.org", first_name="Sophie", last_name="Lemaire")


@pytest.fixture
def api_client():
    from rest_framework.test import APIClient

    return APIClient()


@pytest.fixture
def member_api(api_client, member):
    api_client.force_authenticate(member)
    return api_client


@pytest.fixture
def staff_api(staff):
    from rest_framework.test import APIClient

    client = APIClient()
    client.force_authenticate(staff)
    return client
