"""50 concurrent registrations for 10 seats against a live server: the event lock holds."""

import json
import threading
import time
import urllib.error
import urllib.request

import pytest

from events import services
from events.models import Event, Registration
from tests.events.factories import EventFactory

pytestmark = pytest.mark.django_db(transaction=True)


def register_all(url: str, count: int) -> list[tuple[int, dict]]:
    barrier = threading.Barrier(count)
    results: list = [None] * count

    def worker(index):
        body = json.dumps({"name": f"Invité {index}", "email": f"invite{index}@example.org", "consent": True}).encode()
        request = urllib.request.Request(url, data=body, method="POST", headers={"Content-Type": "application/json"})
        barrier.wait()
        try:
            with urllib.request.urlopen(request, timeout=60) as response:
                results[index] = (response.status, json.loads(response.read()))
        except urllib.error.HTTPError as error:
            results[index] = (error.code, {})

    threads = [threading.Thread(target=worker, args=(i,)) for i in range(count)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return results


def test_fifty_concurrent_registrations_for_ten_seats(live_server):
    event = EventFactory(capacity=10)
    results = register_all(f"{live_server.url}/api/v1/events/{event.pk}/registrations/", 50)
    assert all(status == 201 for status, _ in results), [s for s, _ in results]
    statuses = sorted(body["status"] for _, body in results)
    assert statuses.count("confirmed") == 10 and statuses.count("waitlisted") == 40
    assert Registration.objects.filter(event=event, status="confirmed").count() == 10

    # A cancellation promotes exactly one.
    first = Registration.objects.filter(event=event, status="confirmed").first()
    services.registration_cancel(registration=first)
    assert Registration.objects.filter(event=event, status="confirmed").count() == 10
    assert Registration.objects.filter(event=event, status="waitlisted").count() == 39


def test_control_without_the_lock_capacity_is_exceeded(live_server, monkeypatch):
    """Control: without the event row lock (and a small delay between count and write), seats are oversold."""
    real_count = services._seats_taken

    def slow_count(event):
        value = real_count(event)
        time.sleep(0.2)
        return value

    monkeypatch.setattr(services, "_lock_event", lambda pk, among=None: (Event.objects if among is None else among).get(pk=pk))
    monkeypatch.setattr(services, "_seats_taken", slow_count)
    event = EventFactory(capacity=5)
    results = register_all(f"{live_server.url}/api/v1/events/{event.pk}/registrations/", 20)
    confirmed = Registration.objects.filter(event=event, status="confirmed").count()
    assert confirmed > 5, [s for s, _ in results]
