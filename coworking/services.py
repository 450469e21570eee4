"""Coworking writes: bookings (desks by half-day, rooms by 30 minutes), credits, check-in, rooms for events.

Correctness lives in the database: the exclusion constraint `booking_no_overlap` refuses a second
booking of a resource over an overlapping span, whatever the concurrency; the checks below only
turn the common refusals into friendly messages first. Credits are decremented under a row lock
on the subscription, so two concurrent bookings can never spend the same last credit.
"""

from __future__ import annotations

import datetime
import uuid
from dataclasses import dataclass
from decimal import Decimal

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import IntegrityError, OperationalError, transaction
from django.db.models import F
from django.db.backends.postgresql.psycopg_any import DateTimeTZRange
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from coworking.layout import layout_changed
from coworking.models import Booking, OpeningHours, Resource, Site, Subscription
from coworking.selectors import DayCalendar, day_calendar
from coworking.time import PARIS, desk_slots, local_dt
from quai.audit import audit_log
from quai.dberrors import constraint_name
from quai.errors import ConflictError, DomainError, InvalidInput, NotAllowedError
from quai.inputs import check_datetime
from quai.outbox import outbox_enqueue

HALF_DAY = Decimal("0.5")
FULL_DAY = Decimal("1")

DEFAULT_SITE = {
    "slug": "ruche-saint-germain",
    "name": "la Ruche Saint-Germain",
    "address": "Le Quai des possibles, 78100 Saint-Germain-en-Laye",
}


def site_ensure_default() -> tuple[Site, bool]:
    """Create the deployment's first site (open Monday–Friday 8:30–19:00) if it does not exist yet."""
    with transaction.atomic():  # a site is never left without its opening hours
        site, created = Site.objects.get_or_create(slug=DEFAULT_SITE["slug"], defaults=DEFAULT_SITE)
        if created:
            OpeningHours.objects.bulk_create(
                OpeningHours(site=site, weekday=day, opens=datetime.time(8, 30), closes=datetime.time(19, 0))
                for day in range(5)
            )
    if created:
        layout_changed()  # bulk_create sends no signal
    return site, created


def desk_cost(site: Site, starts_at, ends_at) -> Decimal:
    day = starts_at.astimezone(PARIS).date()
    return FULL_DAY if (starts_at, ends_at) == desk_slots(site, day)["day"] else HALF_DAY


def _validate_span(
    *, resource: Resource, starts_at, ends_at, now, enforce_window: bool = True, calendar: DayCalendar | None = None
) -> None:
    """Every refusal a person can fix, with the reason; raises DomainError (400). `calendar`: the
    site's calendar on the booking's day when the caller read it already (one query fewer)."""
    if starts_at is None or ends_at is None:
        raise DomainError(_("Give a start and an end."), field="start")
    if timezone.is_naive(starts_at) or timezone.is_naive(ends_at):
        raise DomainError(
            _("The time zone is missing: give times like 2026-12-01T09:00:00+01:00."), field="start", code="timezone"
        )
    try:
        check_datetime(starts_at), check_datetime(ends_at)
    except ValidationError as error:
        raise InvalidInput(error.messages[0], field="start", code="date_range")
    if ends_at <= starts_at:
        raise DomainError(_("The end must be after the start."), field="end", code="end_before_start")
    if not resource.is_active or not resource.site.is_active:
        raise DomainError(_("This resource cannot be booked (unknown or inactive)."), field="resource", code="inactive")
    local_start, local_end = starts_at.astimezone(PARIS), ends_at.astimezone(PARIS)
    day = local_start.date()
    if local_end.date() != day and local_end.timetz().replace(tzinfo=None) != datetime.time(0, 0):
        raise DomainError(_("A booking must start and end on the same day."), field="end", code="multi_day")
    if starts_at < now:
        raise DomainError(_("This slot is in the past."), field="start", code="past")
    site = resource.site
    if enforce_window and day > timezone.localdate(now, PARIS) + datetime.timedelta(days=site.booking_window_days):
        raise DomainError(
            _("You can book at most %(days)s days ahead.") % {"days": site.booking_window_days},
            field="start",
            code="beyond_window",
        )
    # The day's closure and opening hours: read with the resource when the caller did
    # (selectors.resource_for_booking, the API's booking POST), else one query here.
    if calendar is None or (calendar.site_id, calendar.day) != (site.pk, day):
        calendar = day_calendar(site, day)
    if calendar.closed:
        raise DomainError(_("The site is closed that day."), field="start", code="closed")
    if calendar.opens is None or local_start < local_dt(day, calendar.opens) or local_end > local_dt(day, calendar.closes):
        raise DomainError(_("This is outside opening hours."), field="start", code="outside_hours")
    if resource.kind == Resource.Kind.DESK:
        if (starts_at, ends_at) not in [tuple(slot) for slot in desk_slots(site, day).values()]:
            raise DomainError(
                _("Desks are booked by half-day (%(am)s–%(split)s, %(split)s–%(end)s) or full day.")
                % {
                    "am": site.desk_am_start.strftime("%H:%M"),
                    "split": site.desk_split.strftime("%H:%M"),
                    "end": site.desk_pm_end.strftime("%H:%M"),
                },
                field="start",
                code="not_aligned",
            )
    else:
        for moment in (local_start, local_end):
            if moment.minute not in (0, 30) or moment.second or moment.microsecond:
                raise DomainError(
                    _("Rooms are booked by slots of 30 minutes (on the hour or half past)."),
                    field="start",
                    code="not_aligned",
                )
        if ends_at - starts_at > datetime.timedelta(minutes=site.max_room_booking_minutes):
            raise DomainError(
                _("A room can be booked for at most %(minutes)s minutes.") % {"minutes": site.max_room_booking_minutes},
                field="end",
                code="too_long",
            )


def _subscription_for_update(member, day: datetime.date) -> Subscription | None:
    # The lock serialises this member's bookings: two concurrent requests cannot both spend the
    # last credit (the second waits, then sees the decremented balance).
    return (
        Subscription.objects.select_for_update()
        .filter(member=member, starts_on__lte=day, ends_on__gte=day)
        .order_by(F("credits_remaining").asc(nulls_first=True))  # an unlimited plan first: it costs nothing
        .first()
    )


def _insert(booking: Booking, *, savepoint: bool = True, taken: str | None = None) -> Booking:
    """Insert; the exclusion constraint's refusal becomes 409 "taken". `savepoint=False` when the
    caller's own transaction ends with the refusal anyway (saves two round trips)."""
    try:
        with transaction.atomic(savepoint=savepoint):
            booking.save()
    except IntegrityError as error:
        if constraint_name(error) == "booking_no_overlap":
            raise ConflictError(taken or _("This slot has just been taken by someone else."), code="taken") from error
        raise
    except OperationalError as error:
        # Two transactions inserting overlapping bookings can each wait for the other while
        # checking the exclusion constraint; PostgreSQL then aborts one of them ("deadlock
        # detected"), and the other goes through. Waiting longer than lock_timeout for another
        # transaction's overlapping row ends the same way. For the one stopped, the slot is taken.
        if _is_exclusion_deadlock(error):
            raise ConflictError(taken or _("This slot has just been taken by someone else."), code="taken") from error
        raise
    return booking


def _is_exclusion_deadlock(error: OperationalError) -> bool:
    # 40P01 deadlock_detected, 55P03 lock_not_available (lock_timeout), while checking the constraint.
    return getattr(error.__cause__, "pgcode", None) in ("40P01", "55P03") and "exclusion constraint" in str(error)


def _ensure_free(resource: Resource, starts_at, ends_at, *, exclude_pk=None) -> None:
    overlapping = Booking.objects.active().filter(resource=resource).overlapping(starts_at, ends_at)
    if exclude_pk:
        overlapping = overlapping.exclude(pk=exclude_pk)
    if overlapping.exists():
        raise ConflictError(_("This slot is already booked."), code="taken")


def booking_create(
    *, member, resource: Resource, starts_at, ends_at, now=None, series=None, calendar: DayCalendar | None = None
) -> Booking:
    """A member books a desk or a room. 400 for what they can fix, 409 when taken or out of credits.
    `calendar`: the site's calendar on that day, when read with the resource
    (selectors.resource_for_booking); otherwise it is read here."""
    now = now or timezone.now()
    _validate_span(resource=resource, starts_at=starts_at, ends_at=ends_at, now=now, calendar=calendar)
    if resource.assigned_to_id and resource.assigned_to_id != member.pk:
        raise NotAllowedError(_("This fixed desk belongs to a resident."), field="resource", code="fixed_desk")
    day = starts_at.astimezone(PARIS).date()
    with transaction.atomic():
        subscription = _subscription_for_update(member, day)
        if subscription is None:
            raise DomainError(
                _("You need a coworking plan valid on that day to book. Ask the team at the front desk."),
                code="no_plan",
            )
        # No "is it free?" query first: the exclusion constraint answers at the insert (one round
        # trip fewer on every booking), and its refusal rolls back the credit spent below.
        cost = desk_cost(resource.site, starts_at, ends_at) if resource.kind == Resource.Kind.DESK else Decimal("0")
        if cost and not subscription.is_unlimited:
            if subscription.credits_remaining < cost:
                raise ConflictError(_("No credit left on your plan for this booking."), code="no_credit")
            subscription.credits_remaining -= cost
            subscription.save(update_fields=["credits_remaining"])
        booking = Booking(
            resource=resource,
            member=member,
            span=DateTimeTZRange(starts_at, ends_at, "[)"),
            subscription=subscription,
            credits_used=cost if not subscription.is_unlimited else Decimal("0"),
            series=series,
        )
        return _insert(booking, savepoint=False, taken=_("This slot is already booked."))


def _refund(booking: Booking) -> Decimal:
    """Give the booking's credits back to its plan; the credits returned."""
    if booking.credits_used and booking.subscription_id:
        subscription = Subscription.objects.select_for_update().get(pk=booking.subscription_id)
        if subscription.credits_remaining is not None:
            subscription.credits_remaining += booking.credits_used
            subscription.save(update_fields=["credits_remaining"])
            return booking.credits_used
    return Decimal("0")


@dataclass(frozen=True)
class BookingCancelled:
    booking: Booking
    credits_returned: Decimal  # 0 after the cut-off, or for a booking that cost no credit


def booking_cancel(*, booking: Booking, by, now=None) -> BookingCancelled:
    """Cancel (the row stays, status cancelled). Before the cut-off, credits come back."""
    now = now or timezone.now()
    with transaction.atomic():
        booking = Booking.objects.select_for_update().select_related("resource__site").get(pk=booking.pk)
        if not booking.can_be_cancelled(now):
            if booking.status != Booking.Status.CONFIRMED:
                raise ConflictError(_("This booking is already cancelled."), code="not_active")
            raise DomainError(_("A past booking cannot be cancelled."), code="past")
        refunded = booking.cancel_returns_credit(now)
        credits_returned = _refund(booking) if refunded else Decimal("0")
        booking.status = Booking.Status.CANCELLED
        booking.cancelled_at = now
        booking.sequence += 1
        booking.save(update_fields=["status", "cancelled_at", "sequence", "updated_at"])
        if by is not None and by.pk != booking.member_id:
            audit_log(actor=by, action="coworking.booking_cancelled_by_staff", target=booking, data={"refunded": refunded})
    return BookingCancelled(booking=booking, credits_returned=credits_returned)


def booking_move(*, booking: Booking, starts_at, ends_at, resource: Resource | None = None, now=None) -> Booking:
    """Move a booking to another slot (and/or resource); credits follow the new cost."""
    now = now or timezone.now()
    resource = resource or booking.resource
    _validate_span(resource=resource, starts_at=starts_at, ends_at=ends_at, now=now)
    if booking.member_id and resource.assigned_to_id and resource.assigned_to_id != booking.member_id:
        raise NotAllowedError(_("This fixed desk belongs to a resident."), field="resource", code="fixed_desk")
    with transaction.atomic():
        booking = Booking.objects.select_for_update().get(pk=booking.pk)
        if booking.status != Booking.Status.CONFIRMED:
            raise ConflictError(_("This booking is cancelled and cannot be moved."), code="not_active")
        _ensure_free(resource, starts_at, ends_at, exclude_pk=booking.pk)
        new_cost = desk_cost(resource.site, starts_at, ends_at) if resource.kind == Resource.Kind.DESK else Decimal("0")
        if booking.subscription_id and new_cost != booking.credits_used:
            subscription = Subscription.objects.select_for_update().get(pk=booking.subscription_id)
            if subscription.credits_remaining is not None:
                balance = subscription.credits_remaining + booking.credits_used - new_cost
                if balance < 0:
                    raise ConflictError(_("No credit left on your plan for this booking."), code="no_credit")
                subscription.credits_remaining = balance
                subscription.save(update_fields=["credits_remaining"])
                booking.credits_used = new_cost
        booking.resource = resource
        booking.span = DateTimeTZRange(starts_at, ends_at, "[)")
        booking.sequence += 1
        return _insert(booking)


def booking_check_in(*, booking: Booking, by, now=None) -> Booking:
    """The member (or staff for them) checks in, on the day of the booking."""
    now = now or timezone.now()
    with transaction.atomic():
        booking = Booking.objects.select_for_update().get(pk=booking.pk)
        if booking.status != Booking.Status.CONFIRMED:
            raise ConflictError(_("This booking is not active."), code="not_active")
        if booking.checked_in_at is None:  # checking in twice is harmless: the first time stays
            if not booking.check_in_is_open(now):
                raise DomainError(_("You can check in only on the day of the booking."), code="not_today")
            booking.checked_in_at = now
            booking.save(update_fields=["checked_in_at"])
            if by is not None and by.pk != booking.member_id:
                audit_log(actor=by, action="coworking.checked_in_by_staff", target=booking)
    return booking


def bookings_release_no_shows(*, now=None) -> int:
    """Periodic: free desks not checked in `release_after_minutes` after their start (sites that enable it)."""
    now = now or timezone.now()
    released = 0
    for site in Site.objects.filter(release_after_minutes__isnull=False):
        cutoff = now - datetime.timedelta(minutes=site.release_after_minutes)
        released += Booking.objects.filter(
            resource__site=site,
            resource__kind=Resource.Kind.DESK,
            status=Booking.Status.CONFIRMED,
            checked_in_at__isnull=True,
            member__isnull=False,
            span__startswith__lte=cutoff,
            span__endswith__gt=now,
        ).update(status=Booking.Status.RELEASED, cancelled_at=now, updated_at=now, sequence=F("sequence") + 1)
    return released


def booking_series_preview(*, member, resource: Resource, starts_at, ends_at, weeks: int, now=None) -> list[dict]:
    """Recurring room booking: each weekly occurrence with the reason it would be refused (None = fine)."""
    if not 1 <= weeks <= 26:
        raise DomainError(_("Repeat between 1 and 26 weeks."), field="weeks")
    now = now or timezone.now()
    occurrences = []
    for week in range(weeks):
        local_start = starts_at.astimezone(PARIS) + datetime.timedelta(weeks=week)
        local_end = ends_at.astimezone(PARIS) + datetime.timedelta(weeks=week)
        # Re-attach the wall-clock time to the date: 10:00 stays 10:00 across a DST change.
        start = local_dt(local_start.date(), local_start.time())
        end = local_dt(local_end.date(), local_end.time())
        problem = None
        try:
            _validate_span(resource=resource, starts_at=start, ends_at=end, now=now, enforce_window=False)
            _ensure_free(resource, start, end)
        except DomainError as error:
            problem = str(error.message)
        occurrences.append({"starts_at": start, "ends_at": end, "problem": problem})
    return occurrences


def booking_series_create(*, member, resource: Resource, starts_at, ends_at, weeks: int, now=None) -> list[Booking]:
    """Book every occurrence that is free (those with a problem in the preview are skipped).

    One transaction: an occurrence taken in the meantime is skipped (its savepoint rolls back),
    anything unexpected leaves no half-booked series."""
    occurrences = booking_series_preview(member=member, resource=resource, starts_at=starts_at, ends_at=ends_at, weeks=weeks, now=now)
    with transaction.atomic():
        return _book_occurrences(member=member, resource=resource, occurrences=occurrences, now=now, series=uuid.uuid4())


def _book_occurrences(*, member, resource, occurrences, now, series) -> list[Booking]:
    created = []
    for occurrence in occurrences:
        if occurrence["problem"] is None:
            try:
                created.append(
                    booking_create(
                        member=member,
                        resource=resource,
                        starts_at=occurrence["starts_at"],
                        ends_at=occurrence["ends_at"],
                        now=now,
                        series=series,
                    )
                )
            except DomainError:
                continue  # taken in the meantime: the preview told them it could happen
    return created


# --- Rooms for events and programme sessions (called by events/ and fabrique/) ---------------


def room_reserve_for(*, resource_id: int, starts_at, ends_at, label: str, reserved_by) -> Booking:
    """Book a room for an event or a programme session: no credits and no booking window, but
    opening hours, closures, the room kind and the no-overlap rule apply (ConflictError when taken)."""
    resource = Resource.objects.select_related("site").filter(pk=resource_id).first()
    if resource is None or not resource.is_room_like:
        raise DomainError(_("Choose a meeting room."), field="room", code="not_a_room")
    _validate_span(resource=resource, starts_at=starts_at, ends_at=ends_at, now=timezone.now(), enforce_window=False)
    with transaction.atomic():
        if Booking.objects.active().filter(resource=resource).overlapping(starts_at, ends_at).exists():
            raise ConflictError(_("The room is already booked at that time."), field="room", code="taken")
        booking = Booking(resource=resource, label=label[:200] or "—", span=DateTimeTZRange(starts_at, ends_at, "[)"))
        booking = _insert(booking)
        audit_log(actor=reserved_by, action="coworking.room_reserved", target=booking, data={"label": label[:200]})
    return booking


def room_reservation_move(*, booking_id: int, starts_at, ends_at) -> Booking:
    booking = Booking.objects.select_related("resource__site").get(pk=booking_id)
    _validate_span(resource=booking.resource, starts_at=starts_at, ends_at=ends_at, now=timezone.now(), enforce_window=False)
    with transaction.atomic():
        booking = Booking.objects.select_for_update().get(pk=booking_id)
        if Booking.objects.active().filter(resource_id=booking.resource_id).overlapping(starts_at, ends_at).exclude(pk=booking_id).exists():
            raise ConflictError(_("The room is already booked at that time."), field="room", code="taken")
        booking.span = DateTimeTZRange(starts_at, ends_at, "[)")
        booking.sequence += 1
        return _insert(booking)


def room_reservation_release(*, booking_id: int) -> None:
    now = timezone.now()
    Booking.objects.filter(pk=booking_id, status=Booking.Status.CONFIRMED).update(
        status=Booking.Status.CANCELLED, cancelled_at=now, updated_at=now, sequence=F("sequence") + 1
    )


# --- Reminders ------------------------------------------------------------------------------


def booking_reminders_send(*, now=None) -> int:
    """Periodic: e-mail each member booked tomorrow, once (the outbox key is the booking)."""
    now = now or timezone.now()
    tomorrow = timezone.localdate(now, PARIS) + datetime.timedelta(days=1)
    start, end = local_dt(tomorrow, datetime.time(0)), local_dt(tomorrow + datetime.timedelta(days=1), datetime.time(0))
    sent = 0
    bookings_url = settings.QUAI_SITE_URL.rstrip("/") + reverse("coworking:my_bookings")
    bookings = (
        Booking.objects.active()
        .filter(member__isnull=False, span__startswith__gte=start, span__startswith__lt=end)
        .select_related("member", "resource__site")
    )
    for booking in bookings:
        with transaction.atomic():
            _message, created = outbox_enqueue(
                key=f"booking-reminder:{booking.pk}",
                to=booking.member.email,
                user=booking.member,
                template="coworking/booking_reminder",
                context={
                    "name": booking.member.get_short_name(),
                    "resource": booking.resource.name,
                    "site": booking.resource.site.name,
                    "start": booking.starts_at.astimezone(PARIS),
                    "end": booking.ends_at.astimezone(PARIS),
                    "bookings_url": bookings_url,
                },
            )
        sent += created
    return sent


def calendar_feed_reset(*, member):
    """Create the member's private feed URL, or replace it (the old URL stops working)."""
    from coworking.models import CalendarFeed, new_feed_token

    feed, created = CalendarFeed.objects.get_or_create(member=member)
    if not created:
        feed.token = new_feed_token()
        feed.save(update_fields=["token"])
    return feed


# --- The "incubated" plan: granted and ended by the incubator (its only link to coworking) ---

# An incubated plan is opened "until further notice": the incubator ends it when the project ends.
INCUBATED_PLAN_HORIZON = datetime.timedelta(days=5 * 366)


def incubated_plan_grant(*, member, starts_on: datetime.date) -> Subscription:
    """Give `member` the incubated plan from `starts_on` (idempotent: an open one is kept as it is)."""
    from coworking.models import Plan

    with transaction.atomic():
        plan, _created = Plan.objects.get_or_create(
            kind=Plan.Kind.INCUBATED, defaults={"name": _("Incubated (included)"), "credits": None}
        )
        # Two projects accepting the same founder at once must not open two plans: lock the member's
        # row (there may be no subscription row yet to lock), then look again.
        type(member).objects.select_for_update().filter(pk=member.pk).first()
        current = (
            Subscription.objects.filter(member=member, plan=plan, ends_on__gte=starts_on)
            .order_by("starts_on")
            .first()
        )
        if current is not None:
            return current
        subscription = Subscription.objects.create(
            member=member, plan=plan, starts_on=starts_on, ends_on=starts_on + INCUBATED_PLAN_HORIZON,
            credits_remaining=None,
        )
        audit_log(actor=None, action="coworking.incubated_plan_granted", target=subscription,
                  data={"member": member.pk, "from": starts_on.isoformat()})
    return subscription


def incubated_plan_end(*, member, on: datetime.date) -> int:
    """End `member`'s incubated plan on `on` (inclusive); a plan not started yet is removed. Returns rows changed."""
    from coworking.models import Plan

    changed = 0
    with transaction.atomic():
        for subscription in Subscription.objects.select_for_update().filter(
            member=member, plan__kind=Plan.Kind.INCUBATED, ends_on__gt=on
        ):
            if subscription.starts_on > on:
                subscription.delete()
            else:
                subscription.ends_on = on
                subscription.save(update_fields=["ends_on"])
            changed += 1
        if changed:
            audit_log(actor=None, action="coworking.incubated_plan_ended", target=member,
                      data={"on": on.isoformat(), "subscriptions": changed})
    return changed
