"""quai.compiled.aggregate_once: the ORM builds a card's SQL once per key; every call still reads the
database (a statement is kept, never a result)."""

import datetime

import pytest
from django.db.models import Count, Sum

from events.models import Event, Registration
from quai import compiled
from tests.events.factories import EventFactory

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def no_statement_kept():
    compiled.forget()
    yield
    compiled.forget()


def _capacity(day):
    return Event.objects.filter(starts_at__date=day).with_seats_taken().aggregate(
        events=Count("pk"), seats=Sum("capacity"), taken=Sum("seats_taken"))


def test_the_sql_is_built_once_per_key_and_each_call_reads_the_database(django_assert_num_queries, monkeypatch):
    day = datetime.date(2026, 3, 10)
    first = EventFactory(starts_at=datetime.datetime(2026, 3, 10, 17, tzinfo=datetime.timezone.utc), capacity=12)
    Registration.objects.create(event=first, guest_email="a@example.org", person_key="a@example.org", status="confirmed")
    built = []

    def run():
        built.append(day)
        return _capacity(day)

    with django_assert_num_queries(1):
        assert compiled.aggregate_once(("capacity", day), run) == {"events": 1, "seats": 12, "taken": 1}
    EventFactory(starts_at=datetime.datetime(2026, 3, 10, 18, tzinfo=datetime.timezone.utc), capacity=30)
    with django_assert_num_queries(1) as queries:
        second = compiled.aggregate_once(("capacity", day), run)
    assert second == {"events": 2, "seats": 42, "taken": 1} and len(built) == 1  # read again, not built again
    # PostgreSQL sums the per-event counts (bigint) into a numeric: an int, as the ORM gave it.
    assert [type(value) for value in second.values()] == [int, int, int]
    assert "events_event" in queries.captured_queries[0]["sql"]

    other = datetime.date(2026, 3, 11)
    assert compiled.aggregate_once(("capacity", other), lambda: built.append(other) or _capacity(other)) == {"events": 0, "seats": None, "taken": None}
    assert len(built) == 2  # another key: built by the ORM


def test_a_count_and_a_query_that_sends_nothing(django_assert_num_queries):
    EventFactory(status=Event.Status.CANCELLED)
    assert compiled.aggregate_once(("cancelled",), Event.objects.filter(status="cancelled").count) == 1
    with django_assert_num_queries(1):
        assert compiled.aggregate_once(("cancelled",), Event.objects.filter(status="cancelled").count) == 1

    with django_assert_num_queries(0):  # an empty IN (): the ORM answers without the database, nothing is kept
        assert compiled.aggregate_once(("none",), Registration.objects.filter(pk__in=[]).count) == 0
    assert ("none",) not in compiled._statements


def test_the_staff_cards_follow_the_data_between_two_requests(member, other_member):
    from events.indicators import card_events_week

    monday = datetime.date(2026, 3, 16)
    start = datetime.datetime(2026, 3, 17, 17, tzinfo=datetime.timezone.utc)
    event = EventFactory(starts_at=start, ends_at=start + datetime.timedelta(hours=2), capacity=4)
    Registration.objects.create(event=event, member=member, person_key=f"member:{member.pk}", status="confirmed")
    assert card_events_week(monday)["detail"] == "1 places prises sur 4 (25 %)"
    Registration.objects.create(event=event, member=other_member, person_key=f"member:{other_member.pk}", status="confirmed")
    assert card_events_week(monday)["detail"] == "2 places prises sur 4 (50 %)"
