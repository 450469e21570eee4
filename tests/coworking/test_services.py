import datetime
from decimal import Decimal

import pytest
from django.db import IntegrityError
from django.db.backends.postgresql.psycopg_any import DateTimeTZRange
from django.utils import timezone

from coworking import services
from coworking.models import Booking, Closure
from coworking.time import PARIS, local_dt
from quai.errors import ConflictError, DomainError
from tests.coworking.factories import ResourceFactory, SubscriptionFactory, ten_day_pass
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db


def book(member, resource, start, end, **kwargs):
    return services.booking_create(member=member, resource=resource, starts_at=start, ends_at=end, **kwargs)


def test_book_a_desk_for_a_morning(coworker, desk, morning):
    booking = book(coworker, desk, *morning)
    assert booking.status == "confirmed" and booking.starts_at == morning[0]


def test_database_refuses_an_overlap_even_without_the_service(desk, morning, coworker):
    book(coworker, desk, *morning)
    with pytest.raises(IntegrityError):
        Booking.objects.create(resource=desk, label="raw insert", span=DateTimeTZRange(*morning, "[)"))


def test_back_to_back_slots_fit(coworker, other_member, desk, day):
    SubscriptionFactory(member=other_member)
    book(coworker, desk, local_dt(day, datetime.time(9)), local_dt(day, datetime.time(13)))
    book(other_member, desk, local_dt(day, datetime.time(13)), local_dt(day, datetime.time(18)))
    assert Booking.objects.active().count() == 2


def test_taken_slot_is_a_conflict(coworker, other_member, desk, morning):
    SubscriptionFactory(member=other_member)
    book(coworker, desk, *morning)
    with pytest.raises(ConflictError):
        book(other_member, desk, *morning)


@pytest.mark.parametrize(
    "start, end, code",
    [
        ((9, 0), (9, 0), "end_before_start"),
        ((13, 0), (9, 0), "end_before_start"),
        ((9, 0), (12, 0), "not_aligned"),
        ((6, 0), (13, 0), "outside_hours"),
    ],
)
def test_bad_desk_spans_are_refused_with_a_reason(coworker, desk, day, start, end, code):
    with pytest.raises(DomainError) as error:
        book(coworker, desk, local_dt(day, datetime.time(*start)), local_dt(day, datetime.time(*end)))
    assert error.value.code == code
    assert not Booking.objects.exists()


def test_naive_times_are_refused(coworker, desk, day):
    with pytest.raises(DomainError) as error:
        book(coworker, desk, datetime.datetime.combine(day, datetime.time(9)), datetime.datetime.combine(day, datetime.time(13)))
    assert error.value.code == "timezone"


def test_past_beyond_window_closure_and_inactive_are_refused(coworker, desk, site):
    today = timezone.localdate(timezone.now(), PARIS)
    past = today - datetime.timedelta(days=1)
    with pytest.raises(DomainError, match="passé"):
        book(coworker, desk, local_dt(past, datetime.time(9)), local_dt(past, datetime.time(13)))
    far = today + datetime.timedelta(days=45)
    with pytest.raises(DomainError) as error:
        book(coworker, desk, local_dt(far, datetime.time(9)), local_dt(far, datetime.time(13)))
    assert error.value.code == "beyond_window"
    closed = today + datetime.timedelta(days=3)
    Closure.objects.create(site=site, start_date=closed, end_date=closed, reason="Férié")
    with pytest.raises(DomainError, match="fermé"):
        book(coworker, desk, local_dt(closed, datetime.time(9)), local_dt(closed, datetime.time(13)))
    desk.is_active = False
    desk.save()
    day = today + datetime.timedelta(days=2)
    with pytest.raises(DomainError) as error:
        book(coworker, desk, local_dt(day, datetime.time(9)), local_dt(day, datetime.time(13)))
    assert error.value.code == "inactive"


def test_someone_elses_fixed_desk_is_refused(coworker, site, morning):
    resident = UserFactory()
    fixed = ResourceFactory(site=site, name="Bureau fixe 1", assigned_to=resident)
    with pytest.raises(DomainError) as error:
        book(coworker, fixed, *morning)
    assert error.value.code == "fixed_desk"
    SubscriptionFactory(member=resident)
    assert book(resident, fixed, *morning).member == resident


def test_rooms_go_by_30_minutes_and_a_maximum_length(coworker, room, day):
    book(coworker, room, local_dt(day, datetime.time(10)), local_dt(day, datetime.time(11, 30)))
    with pytest.raises(DomainError) as error:
        book(coworker, room, local_dt(day, datetime.time(14, 15)), local_dt(day, datetime.time(15)))
    assert error.value.code == "not_aligned"
    with pytest.raises(DomainError) as error:
        book(coworker, room, local_dt(day, datetime.time(8)), local_dt(day, datetime.time(13)))
    assert error.value.code == "too_long"


def test_credits_are_spent_and_refunded_before_the_cutoff(member, desk, day, morning):
    subscription = ten_day_pass(member, credits="1")
    booking = book(member, desk, *morning)
    subscription.refresh_from_db()
    assert subscription.credits_remaining == Decimal("0.5")
    full_day = (local_dt(day + datetime.timedelta(days=1), datetime.time(9)), local_dt(day + datetime.timedelta(days=1), datetime.time(18)))
    with pytest.raises(ConflictError) as error:
        book(member, desk, *full_day)
    assert error.value.code == "no_credit"
    cancelled = services.booking_cancel(booking=booking, by=member)
    assert (cancelled.booking.pk, cancelled.credits_returned) == (booking.pk, Decimal("0.5"))
    subscription.refresh_from_db()
    assert subscription.credits_remaining == Decimal("1")
    assert Booking.objects.get(pk=booking.pk).status == "cancelled"


def test_a_booking_can_be_cancelled_until_it_ends_and_only_once(coworker, desk, morning):
    booking = book(coworker, desk, *morning)
    start, end = morning
    # The rule the confirmation page and booking_cancel share, at its edges.
    assert [booking.can_be_cancelled(now) for now in (start - datetime.timedelta(days=1), start,
            end - datetime.timedelta(microseconds=1), end, end + datetime.timedelta(hours=1))] == [
        True, True, True, False, False]
    with pytest.raises(DomainError) as error:
        services.booking_cancel(booking=booking, by=coworker, now=end)
    assert error.value.code == "past"
    assert Booking.objects.get(pk=booking.pk).status == "confirmed"
    services.booking_cancel(booking=booking, by=coworker, now=start)
    booking.refresh_from_db()
    assert booking.can_be_cancelled(start) is False
    with pytest.raises(ConflictError) as error:
        services.booking_cancel(booking=booking, by=coworker, now=start)
    assert error.value.code == "not_active"


def test_late_cancellation_keeps_the_credit(member, desk, day):
    subscription = ten_day_pass(member, credits="1")
    tomorrow = timezone.localdate(timezone.now(), PARIS) + datetime.timedelta(days=1)
    booking = book(member, desk, local_dt(tomorrow, datetime.time(13)), local_dt(tomorrow, datetime.time(18)))
    cancelled = services.booking_cancel(booking=booking, by=member, now=local_dt(tomorrow, datetime.time(8)))
    assert cancelled.credits_returned == Decimal("0")
    subscription.refresh_from_db()
    assert subscription.credits_remaining == Decimal("0.5")


def test_no_plan_no_desk(member, desk, morning):
    with pytest.raises(DomainError) as error:
        book(member, desk, *morning)
    assert error.value.code == "no_plan"


def test_booking_across_the_dst_change_is_right(coworker, room):
    # 2027-03-28: clocks go from 02:00 to 03:00 in Paris. A 10:00–12:00 booking is 2 real hours, at 08:00 UTC.
    day = datetime.date(2027, 3, 28)
    now = local_dt(day - datetime.timedelta(days=2), datetime.time(9))
    booking = book(coworker, room, local_dt(day, datetime.time(10)), local_dt(day, datetime.time(12)), now=now)
    assert booking.ends_at - booking.starts_at == datetime.timedelta(hours=2)
    assert booking.starts_at.astimezone(datetime.timezone.utc).hour == 8
    # The day before (winter time), 10:00 Paris is 09:00 UTC.
    before = book(coworker, room, local_dt(day - datetime.timedelta(days=1), datetime.time(10)), local_dt(day - datetime.timedelta(days=1), datetime.time(11)), now=now)
    assert before.starts_at.astimezone(datetime.timezone.utc).hour == 9


def test_recurring_preview_shows_conflicts_and_create_skips_them(coworker, other_member, room, day):
    start, end = local_dt(day, datetime.time(10)), local_dt(day, datetime.time(11))
    SubscriptionFactory(member=other_member)
    book(other_member, room, start + datetime.timedelta(weeks=1), end + datetime.timedelta(weeks=1))
    preview = services.booking_series_preview(member=coworker, resource=room, starts_at=start, ends_at=end, weeks=3)
    assert [bool(o["problem"]) for o in preview] == [False, True, False]
    created = services.booking_series_create(member=coworker, resource=room, starts_at=start, ends_at=end, weeks=3)
    assert len(created) == 2 and len({b.series for b in created}) == 1


def test_check_in_only_on_the_day(coworker, desk, morning, day):
    booking = book(coworker, desk, *morning)
    assert not booking.check_in_is_open(now=local_dt(day - datetime.timedelta(days=1), datetime.time(9)))
    with pytest.raises(DomainError) as error:
        services.booking_check_in(booking=booking, by=coworker)
    assert error.value.code == "not_today"
    assert booking.check_in_is_open(now=local_dt(day, datetime.time(0, 5)))
    booking = services.booking_check_in(booking=booking, by=coworker, now=local_dt(day, datetime.time(9, 5)))
    assert booking.checked_in_at == local_dt(day, datetime.time(9, 5))
    assert not booking.check_in_is_open(now=local_dt(day, datetime.time(9, 6)))  # once
    again = services.booking_check_in(booking=booking, by=coworker, now=local_dt(day, datetime.time(11)))
    assert again.checked_in_at == local_dt(day, datetime.time(9, 5))


def test_no_shows_are_released_when_the_site_enables_it(coworker, desk, site, morning, day):
    booking = book(coworker, desk, *morning)
    assert services.bookings_release_no_shows(now=local_dt(day, datetime.time(10))) == 0
    site.release_after_minutes = 30
    site.save()
    assert services.bookings_release_no_shows(now=local_dt(day, datetime.time(10))) == 1
    assert Booking.objects.get(pk=booking.pk).status == "released"


def test_room_reserved_for_an_event_blocks_members(coworker, room, day, staff):
    start, end = local_dt(day, datetime.time(18)), local_dt(day, datetime.time(19, 30))
    reservation = services.room_reserve_for(resource_id=room.pk, starts_at=start, ends_at=end, label="Atelier ESS", reserved_by=staff)
    with pytest.raises(ConflictError):
        book(coworker, room, local_dt(day, datetime.time(18, 30)), local_dt(day, datetime.time(19)))
    with pytest.raises(ConflictError):
        services.room_reserve_for(resource_id=room.pk, starts_at=start, ends_at=end, label="Autre", reserved_by=staff)
    services.room_reservation_release(booking_id=reservation.pk)
    assert book(coworker, room, local_dt(day, datetime.time(18, 30)), local_dt(day, datetime.time(19)))


def test_reminder_is_sent_once_with_the_link_to_cancel(coworker, desk, settings):
    from quai.models import OutboxMessage

    settings.QUAI_SITE_URL = "https://quai.example.org"

    tomorrow = timezone.localdate(timezone.now(), PARIS) + datetime.timedelta(days=1)
    book(coworker, desk, local_dt(tomorrow, datetime.time(9)), local_dt(tomorrow, datetime.time(13)))
    assert services.booking_reminders_send() == 1
    assert services.booking_reminders_send() == 0
    message = OutboxMessage.objects.get()
    assert message.key.startswith("booking-reminder:") and "Poste A1" in message.body_text
    lines = message.body_text.splitlines()
    # Where to cancel: the link to my bookings right under the sentence that says so.
    at = lines.index("Vous ne pouvez pas venir ? Annulez depuis « Mes réservations » pour qu’une autre personne en profite.")
    assert lines[at + 1] == "https://quai.example.org/coworking/bookings/"


def test_a_calendar_of_another_day_or_site_is_not_trusted(coworker, site, desk, day):
    """booking_create takes the calendar the API read with the resource; one that does not match
    the booking's site and day is read again rather than believed."""
    from coworking.selectors import DayCalendar

    Closure.objects.create(site=site, start_date=day, end_date=day, reason="Férié")
    open_elsewhere = DayCalendar(site_id=site.pk, day=day + datetime.timedelta(days=1), closed=False,
                                 opens=datetime.time(0), closes=datetime.time(23, 59))
    with pytest.raises(DomainError) as error:
        book(coworker, desk, local_dt(day, datetime.time(9)), local_dt(day, datetime.time(13)), calendar=open_elsewhere)
    assert error.value.code == "closed"
