"""When Redis stops answering, members can still use the site: the cache fails open (reads miss,
writes are dropped) and everything is read from PostgreSQL; /healthz says Redis is down."""

import datetime

import pytest
from django.urls import reverse

pytestmark = pytest.mark.django_db

DOWN = {
    "default": {
        "BACKEND": "quai.cache.FailOpenRedisCache",
        "LOCATION": "redis://127.0.0.1:1/0",  # nothing listens there
        "OPTIONS": {"socket_connect_timeout": 0.5, "socket_timeout": 1},
    },
}


def test_pages_and_api_work_while_redis_is_down(client, settings, caplog):
    from coworking.time import local_dt
    from tests.coworking.factories import ResourceFactory, SiteFactory, SubscriptionFactory
    from tests.factories import UserFactory

    member = UserFactory()
    SubscriptionFactory(member=member)
    site = SiteFactory()
    desk = ResourceFactory(site=site, name="Poste A1")
    day = datetime.date.today() + datetime.timedelta(days=3)

    settings.CACHES = DOWN
    settings.REDIS_URL = DOWN["default"]["LOCATION"]
    client.force_login(member)  # the session is written to PostgreSQL; the cache write is dropped
    assert client.get("/").status_code == 200
    grid = client.get(reverse("coworking:grid") + f"?date={day}")
    assert grid.status_code == 200 and "Poste A1" in grid.content.decode()
    api = client.get(f"/api/v1/availability/?site={site.pk}&date={day}&kind=desk")
    assert api.status_code == 200 and api.json()["rows"][0]["resource"]["name"] == "Poste A1"
    booked = client.post(
        "/api/v1/bookings/",
        {"resource": desk.pk, "start": local_dt(day, datetime.time(9)).isoformat(), "end": local_dt(day, datetime.time(13)).isoformat()},
        content_type="application/json",
    )
    assert booked.status_code == 201
    assert client.get("/healthz").json()["redis"].startswith("error")
    assert "Redis does not answer" in caplog.text


def test_throttle_lets_requests_through_while_redis_is_down(settings):
    from quai import throttling

    settings.CACHES = DOWN
    assert throttling.hit("t:down", 60) == 0
