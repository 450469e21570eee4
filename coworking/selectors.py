"""Coworking reads: the day grid, my bookings, occupancy. Each runs a fixed number of queries."""

from __future__ import annotations

import datetime
from dataclasses import dataclass, field
from decimal import Decimal


from django.shortcuts import get_object_or_404
from django.utils import timezone

from coworking.models import Booking, Closure, OpeningHours, Resource, Site
from coworking.services import PARIS, desk_slots, local_dt


@dataclass
class Cell:
    starts_at: datetime.datetime
    ends_at: datetime.datetime
    state: str  # "free", "taken", "mine", "closed", "past"
    booking_id: int | None = None
    label: str = ""


@dataclass
class Row:
    resource: Resource
    cells: list[Cell] = field(default_factory=list)


@dataclass
class Grid:
    site: Site
    day: datetime.date
    kind: str
    zone: str
    zones: list[str]
    columns: list[tuple[datetime.datetime, datetime.datetime]]
    rows: list[Row]
    open: bool
    closure_reason: str = ""


def booking_get_for_user(user, pk: int) -> Booking:
    """One booking the user may see: their own, or any for staff. Anything else is a 404."""
    queryset = Booking.objects.select_related("resource__site", "member")
    if not user.is_staff:
        queryset = queryset.filter(member=user)
    return get_object_or_404(queryset, pk=pk)


def bookings_for_member(member, *, upcoming_only: bool = True, now=None):
    """My bookings: one query whatever their number (resource and site joined)."""
    now = now or timezone.now()
    queryset = Booking.objects.filter(member=member).select_related("resource__site")
    if upcoming_only:
        queryset = queryset.filter(status=Booking.Status.CONFIRMED, span__endswith__gt=now)
    return queryset.order_by("span")


def availability(*, site: Site, day: datetime.date, kind: str, user=None, zone: str = "", now=None) -> Grid:
    """The day grid: resources × slots (desks: morning/afternoon; rooms: 30 minutes).

    Four queries whatever the number of resources and bookings: resources, opening hours,
    closure, and the day's active bookings (GiST index on span).
    """
    now = now or timezone.now()
    kinds = [Resource.Kind.DESK] if kind == "desk" else [Resource.Kind.ROOM, Resource.Kind.BOOTH]
    resources = list(Resource.objects.filter(site=site, kind__in=kinds, is_active=True).order_by("zone", "position", "name"))
    zones = sorted({resource.zone for resource in resources if resource.zone})
    if zone:
        resources = [resource for resource in resources if resource.zone == zone]
    hours = OpeningHours.objects.filter(site=site, weekday=day.weekday()).first()
    closure = Closure.objects.filter(site=site, start_date__lte=day, end_date__gte=day).first()
    is_open = hours is not None and closure is None

    if kind == "desk":
        slots = desk_slots(site, day)
        columns = [slots["am"], slots["pm"]]
    else:
        columns = []
        if hours is not None:
            cursor = local_dt(day, hours.opens)
            if cursor.minute % 30:
                cursor += datetime.timedelta(minutes=30 - cursor.minute % 30)
            closes = local_dt(day, hours.closes)
            while cursor + datetime.timedelta(minutes=30) <= closes:
                columns.append((cursor, cursor + datetime.timedelta(minutes=30)))
                cursor += datetime.timedelta(minutes=30)

    day_start, day_end = local_dt(day, datetime.time(0)), local_dt(day + datetime.timedelta(days=1), datetime.time(0))
    bookings = list(
        Booking.objects.active()
        .filter(resource__in=[resource.pk for resource in resources])
        .overlapping(day_start, day_end)
        .only("pk", "resource_id", "member_id", "span", "label")
    )
    by_resource: dict[int, list[Booking]] = {}
    for booking in bookings:
        by_resource.setdefault(booking.resource_id, []).append(booking)

    rows = []
    for resource in resources:
        row = Row(resource=resource)
        for start, end in columns:
            state, booking_id, label = "free", None, ""
            if not is_open or (hours and (start < local_dt(day, hours.opens) or end > local_dt(day, hours.closes))):
                state = "closed"
            elif end <= now:
                state = "past"
            for booking in by_resource.get(resource.pk, ()):
                if booking.span.lower < end and start < booking.span.upper:
                    mine = user is not None and booking.member_id == getattr(user, "pk", None)
                    state, booking_id = ("mine", booking.pk) if mine else ("taken", None)
                    label = booking.label
                    break
            if state == "free" and resource.assigned_to_id and resource.assigned_to_id != getattr(user, "pk", None):
                state = "taken"
                label = "fixed"
            row.cells.append(Cell(start, end, state, booking_id, label))
        rows.append(row)
    return Grid(
        site=site, day=day, kind=kind, zone=zone, zones=zones, columns=columns, rows=rows, open=is_open,
        closure_reason=closure.reason if closure else "",
    )


def occupancy(*, site: Site, start: datetime.date, end: datetime.date) -> list[dict]:
    """COW-2 per resource for [start, end]: booked hours ÷ open hours (opening hours minus closures).

    Desks count in half-days (booked half-days ÷ open half-days), rooms in hours. A fixed number
    of queries: resources, opening hours, closures, bookings of the period.
    """
    resources = list(Resource.objects.filter(site=site, is_active=True).order_by("kind", "zone", "name"))
    hours = {row.weekday: row for row in OpeningHours.objects.filter(site=site)}
    closures = list(Closure.objects.filter(site=site, start_date__lte=end, end_date__gte=start))
    open_days = []
    day = start
    while day <= end:
        if day.weekday() in hours and not any(c.start_date <= day <= c.end_date for c in closures):
            open_days.append(day)
        day += datetime.timedelta(days=1)
    period_start = local_dt(start, datetime.time(0))
    period_end = local_dt(end + datetime.timedelta(days=1), datetime.time(0))
    bookings = Booking.objects.active().filter(resource__site=site).overlapping(period_start, period_end).values_list(
        "resource_id", "span"
    )
    booked_hours: dict[int, Decimal] = {}
    for resource_id, span in bookings:
        hours_booked = Decimal((span.upper - span.lower).total_seconds()) / 3600
        booked_hours[resource_id] = booked_hours.get(resource_id, Decimal(0)) + hours_booked
    open_room_hours = sum(
        (Decimal((local_dt(d, hours[d.weekday()].closes) - local_dt(d, hours[d.weekday()].opens)).total_seconds()) / 3600)
        for d in open_days
    )
    desk_day_hours = Decimal((datetime.datetime.combine(start, site.desk_pm_end) - datetime.datetime.combine(start, site.desk_am_start)).total_seconds()) / 3600
    rows = []
    for resource in resources:
        booked = booked_hours.get(resource.pk, Decimal(0))
        if resource.kind == Resource.Kind.DESK:
            # A half-day is half a desk day: booked hours ÷ (open days × desk day length).
            available = desk_day_hours * len(open_days)
        else:
            available = open_room_hours
        rate = (booked / available) if available else Decimal(0)
        rows.append({"resource": resource, "booked_hours": booked.quantize(Decimal("0.1")), "open_hours": Decimal(available).quantize(Decimal("0.1")), "rate": min(rate, Decimal(1))})
    return rows


def today_occupancy(*, site: Site, now=None) -> list[Booking]:
    """Staff view of today: every active booking of the site today, with member and resource (1 query)."""
    now = now or timezone.now()
    day = timezone.localdate(now, PARIS)
    return list(
        Booking.objects.active()
        .filter(resource__site=site)
        .overlapping(local_dt(day, datetime.time(0)), local_dt(day + datetime.timedelta(days=1), datetime.time(0)))
        .select_related("resource", "member")
        .order_by("span", "resource__name")
    )


def active_coworkers(*, start: datetime.date, end: datetime.date) -> int:
    """COW-1: distinct people with a plan valid in the period, or ≥ 1 booking in the period."""
    from coworking.models import Subscription

    with_plan = set(Subscription.objects.filter(starts_on__lte=end, ends_on__gte=start).values_list("member_id", flat=True))
    booked = set(
        Booking.objects.active()
        .filter(member__isnull=False)
        .overlapping(local_dt(start, datetime.time(0)), local_dt(end + datetime.timedelta(days=1), datetime.time(0)))
        .values_list("member_id", flat=True)
    )
    return len(with_plan | booked)


def default_site() -> Site | None:
    return Site.objects.filter(is_active=True).order_by("pk").first()


def sites_for_picker():
    return Site.objects.filter(is_active=True).order_by("name")


def subscription_current(member, day=None):
    from coworking.models import Subscription

    day = day or timezone.localdate()
    return Subscription.objects.filter(member=member, starts_on__lte=day, ends_on__gte=day).select_related("plan").first()


