"""Two transactions inserting overlapping bookings can deadlock inside PostgreSQL's check of the
exclusion constraint: each waits for the other's uncommitted row. PostgreSQL aborts one of them
("deadlock detected"); for that one the slot is taken: a 409 "taken", never a 500.

The deadlock is made on purpose: transaction A holds an uncommitted booking at 10:00–11:00;
transaction B (our service) inserts 10:30–11:30 and waits for A; A then inserts 11:00–12:00, which
meets B's uncommitted row, and waits for B. PostgreSQL looks for a deadlock once, when a wait
reaches deadlock_timeout: B's (1 s) comes after A has started waiting and A's (10 s) much later,
so B is the one aborted, every time. A second test: B stopped by lock_timeout in the same check."""

import datetime
import threading
import time

import pytest
from django.db import connection, transaction
from django.db.backends.postgresql.psycopg_any import DateTimeTZRange
from django.utils import timezone

from coworking import services
from coworking.models import Booking
from coworking.time import local_dt
from quai.errors import ConflictError
from tests.coworking.factories import ResourceFactory, SiteFactory

pytestmark = pytest.mark.django_db(transaction=True)


def _booking(room, day, start_hour, start_minute, minutes):
    start = local_dt(day, datetime.time(start_hour, start_minute))
    return Booking(resource=room, label="test", span=DateTimeTZRange(start, start + datetime.timedelta(minutes=minutes), "[)"))


def _run_side_by_side(**transactions) -> dict:
    """Run each function in its own thread (its own connection, closed at the end); return what
    each one gave: "returned" (no error), "conflict:<code>" for a ConflictError, or the repr of another error."""
    outcome = {}

    def record(name, function):
        try:
            function()
            outcome[name] = "returned"
        except ConflictError as error:
            outcome[name] = f"conflict:{error.code}"
        except Exception as error:  # noqa: BLE001 — recorded and asserted by the caller
            outcome[name] = repr(error)
        finally:
            connection.close()

    threads = [threading.Thread(target=record, args=item) for item in transactions.items()]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(30)
    return outcome


def test_the_transaction_aborted_by_an_exclusion_deadlock_gets_a_conflict_and_the_other_commits():
    room = ResourceFactory(site=SiteFactory(), kind="room", name="Salle Seine", zone="")
    day = timezone.localdate() + datetime.timedelta(days=3)
    a_inserted, b_started = threading.Event(), threading.Event()

    def transaction_a():
        with transaction.atomic():
            with connection.cursor() as cursor:
                cursor.execute("SET LOCAL deadlock_timeout = '10s'")
            _booking(room, day, 10, 0, 60).save()
            a_inserted.set()
            b_started.wait(5)
            time.sleep(0.3)  # B is now waiting for A inside the constraint check
            _booking(room, day, 11, 0, 60).save()  # meets B's row: waits for B → deadlock

    def transaction_b():
        a_inserted.wait(5)
        with transaction.atomic():
            with connection.cursor() as cursor:
                cursor.execute("SET LOCAL deadlock_timeout = '1s'")
            b_started.set()
            services._insert(_booking(room, day, 10, 30, 60))

    assert _run_side_by_side(a=transaction_a, b=transaction_b) == {"a": "returned", "b": "conflict:taken"}
    spans = sorted((timezone.localtime(b.span.lower).time(), timezone.localtime(b.span.upper).time()) for b in Booking.objects.filter(resource=room))
    assert spans == [(datetime.time(10), datetime.time(11)), (datetime.time(11), datetime.time(12))]


def test_waiting_past_the_lock_timeout_for_an_overlapping_booking_is_a_conflict_too():
    room = ResourceFactory(site=SiteFactory(), kind="room", name="Salle Seine", zone="")
    day = timezone.localdate() + datetime.timedelta(days=3)
    a_inserted, b_done = threading.Event(), threading.Event()

    def transaction_a():
        with transaction.atomic():
            _booking(room, day, 10, 0, 60).save()
            a_inserted.set()
            b_done.wait(10)
            transaction.set_rollback(True)  # A gives up: B was stopped all the same

    def transaction_b():
        a_inserted.wait(5)
        try:
            with transaction.atomic():
                with connection.cursor() as cursor:
                    cursor.execute("SET LOCAL lock_timeout = '300ms'")
                services._insert(_booking(room, day, 10, 30, 60))
        finally:
            b_done.set()

    assert _run_side_by_side(a=transaction_a, b=transaction_b) == {"a": "returned", "b": "conflict:taken"}
    assert Booking.objects.filter(resource=room).count() == 0
